import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { throwIfProblems } from '../errors';
import { createHandlerFunction } from '../shared/handler-function';
import { checkDomainName, checkHostedZoneId } from '../validate';

/** The private DNS name of the provider's endpoint service. */
export interface PrivateDnsOptions {
  /**
   * The name consumers call, e.g. `api.example.com`: one exact DNS name (no wildcard) in a domain whose
   * public DNS you control. With private DNS enabled on their endpoint, consumers resolve it to the
   * endpoint inside their VPC.
   */
  readonly domainName: string;

  /**
   * The public hosted zone of the domain (or of a parent domain). When given, the verification TXT record
   * is created in it, the verification is started, and the deployment waits until the name is verified.
   * @default - the TXT record's name and value are returned (`PrivateDnsName.verificationRecordName` /
   * `verificationRecordValue`) for you to publish; then start the verification with
   * `aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id <id>`
   */
  readonly publicHostedZone?: route53.IPublicHostedZone;

  /**
   * How long the deployment waits for the name to be verified (with `publicHostedZone`), from 1 to 14
   * minutes. The deployment fails with the record to check when the name is not verified by then.
   * @default Duration.minutes(10)
   */
  readonly verificationTimeout?: Duration;
}

/** Properties of a {@link PrivateDnsName}. */
export interface PrivateDnsNameProps extends PrivateDnsOptions {
  /** The endpoint service to name. */
  readonly endpointService: ec2.IVpcEndpointService;
}

const MIN_TIMEOUT = Duration.minutes(1);
const MAX_TIMEOUT = Duration.minutes(14);

/**
 * Sets, publishes and verifies the private DNS name of an endpoint service (a custom resource backed by a
 * Lambda function of this library). On delete the name is removed from the service and the TXT value it
 * published is removed from the zone.
 */
export class PrivateDnsName extends Construct {
  /** The private DNS name. */
  public readonly domainName: string;
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The function behind the custom resource. */
  public readonly function: lambda.Function;
  /** The verification state after the deployment: `verified` with a hosted zone, else as AWS reports it. */
  public readonly verificationState: string;
  /** The name of the TXT record that proves ownership (in the hosted zone, or under `domainName`). */
  public readonly verificationRecordName: string;
  /** The value of the TXT record that proves ownership. */
  public readonly verificationRecordValue: string;

  constructor(scope: Construct, id: string, props: PrivateDnsNameProps) {
    super(scope, id);
    const timeout = props.verificationTimeout ?? Duration.minutes(10);
    const zone = props.publicHostedZone;
    throwIfProblems([
      Token.isUnresolved(props.domainName) ? undefined : checkDomainName('privateDnsName.domainName', props.domainName),
      zone && !Token.isUnresolved(zone.hostedZoneId)
        ? checkHostedZoneId('privateDnsName.publicHostedZone', zone.hostedZoneId)
        : undefined,
      !timeout.isUnresolved() &&
      (timeout.toMilliseconds() < MIN_TIMEOUT.toMilliseconds() || timeout.toMilliseconds() > MAX_TIMEOUT.toMilliseconds())
        ? `privateDnsName.verificationTimeout: ${timeout.toHumanString()} is out of range. Use a duration from 1 to ` +
          '14 minutes (the wait runs in one Lambda invocation).'
        : undefined,
    ], this);
    this.domainName = props.domainName;
    const serviceId = props.endpointService.vpcEndpointServiceId;
    const stack = Stack.of(this);

    const statements = [
      new iam.PolicyStatement({
        actions: ['ec2:ModifyVpcEndpointServiceConfiguration', 'ec2:StartVpcEndpointServicePrivateDnsVerification'],
        resources: [
          stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId }),
        ],
      }),
      new iam.PolicyStatement({
        actions: ['ec2:DescribeVpcEndpointServiceConfigurations', ...(zone ? ['route53:GetChange'] : [])],
        resources: ['*'],
      }),
    ];
    if (zone) {
      const zoneArn = zone.hostedZoneArn;
      statements.push(
        new iam.PolicyStatement({
          actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
          resources: [zoneArn],
        }),
        // The TXT record's name is chosen by AWS at deploy time: scope to TXT records, upsert and delete.
        new iam.PolicyStatement({
          actions: ['route53:ChangeResourceRecordSets'],
          resources: [zoneArn],
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
              'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
            },
          },
        }),
      );
    }
    // One invocation waits for the verification: the function outlives the wait by a minute.
    const functionTimeout = Duration.seconds(Math.min(900, Math.ceil(timeout.toSeconds()) + 60));
    this.function = createHandlerFunction(this, {
      handler: 'private-dns',
      description: 'cdk-privatelink: sets and verifies the private DNS name of a VPC endpoint service',
      timeout: functionTimeout,
      statements,
      wildcardReason:
        'ec2:DescribeVpcEndpointServiceConfigurations and route53:GetChange have no resource-level permissions ' +
        '(AWS service authorization reference): they only read. Every change is scoped to the service and the zone.',
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::PrivateLinkPrivateDnsName',
      serviceTimeout: Duration.seconds(functionTimeout.toSeconds() + 60),
      properties: {
        ServiceId: serviceId,
        DomainName: props.domainName,
        ...(zone ? { HostedZoneId: zone.hostedZoneId } : {}),
        VerificationTimeoutSeconds: String(Math.ceil(timeout.toSeconds())),
      },
    });
    this.verificationState = this.resource.getAttString('VerificationState');
    this.verificationRecordName = this.resource.getAttString('VerificationRecordName');
    this.verificationRecordValue = this.resource.getAttString('VerificationRecordValue');
  }
}
