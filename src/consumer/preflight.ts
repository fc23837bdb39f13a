import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createHandlerFunction } from '../shared/handler-function';

/** Properties of a {@link ConsumerPreflight}. */
export interface ConsumerPreflightProps {
  /** The provider's endpoint service name. */
  readonly serviceName: string;
  /** The subnets the endpoint will have network interfaces in (their AZ IDs are checked). */
  readonly subnetIds: string[];
  /**
   * Whether the endpoint will enable private DNS (the service's private DNS name must then be verified).
   * @default false
   */
  readonly privateDnsEnabled?: boolean;
  /**
   * The service's region, for a cross-region endpoint (the service is looked up there; the AZ check is
   * skipped, since the service's AZs are in its own region).
   * @default - this stack's region
   */
  readonly serviceRegion?: string;
}

/**
 * A deploy-time check that runs before the consumer's endpoint is created (a custom resource backed by a
 * Lambda function of this library). It fails the deployment with a precise message when the service is
 * not visible to this account, when private DNS is asked for but the service has no verified private DNS
 * name, or when the endpoint's subnets are in AZs (by AZ ID) that the service does not serve.
 */
export class ConsumerPreflight extends Construct {
  /** The custom resource: make what needs the checks to pass depend on it. */
  public readonly resource: CustomResource;
  /** The function behind the custom resource: one per stack, shared by every preflight in it. */
  public readonly function: lambda.Function;
  /** `true` or `false`: whether the provider must accept the endpoint's connection. */
  public readonly acceptanceRequired: string;
  /** The service's private DNS name (empty when it has none). */
  public readonly privateDnsName: string;
  /** The AZ IDs the service serves, comma-separated (empty when the service does not report them). */
  public readonly serviceAvailabilityZoneIds: string;

  constructor(scope: Construct, id: string, props: ConsumerPreflightProps) {
    super(scope, id);
    this.function = preflightFunction(Stack.of(this));
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::PrivateLinkPreflight',
      serviceTimeout: Duration.minutes(3),
      properties: {
        ServiceName: props.serviceName,
        SubnetIds: props.subnetIds,
        PrivateDnsEnabled: String(props.privateDnsEnabled ?? false),
        ...(props.serviceRegion !== undefined ? { ServiceRegion: props.serviceRegion } : {}),
      },
    });
    this.acceptanceRequired = this.resource.getAttString('AcceptanceRequired');
    this.privateDnsName = this.resource.getAttString('PrivateDnsName');
    this.serviceAvailabilityZoneIds = this.resource.getAttString('ServiceAvailabilityZoneIds');
  }
}

/** The id of the stack's one preflight function. */
const PREFLIGHT_FUNCTION_ID = 'PrivateLinkPreflightFunction';

/** The preflight function of a stack: created once, shared by every consumer's preflight in it. */
function preflightFunction(stack: Stack): lambda.Function {
  const existing = stack.node.tryFindChild(PREFLIGHT_FUNCTION_ID);
  if (existing) return existing.node.findChild('Function') as lambda.Function;
  return createHandlerFunction(new Construct(stack, PREFLIGHT_FUNCTION_ID), {
    handler: 'preflight',
    description: 'cdk-privatelink: checks, before an endpoint is created, that it can connect to the service',
    timeout: Duration.minutes(1),
    statements: [
      new iam.PolicyStatement({
        actions: ['ec2:DescribeVpcEndpointServices', 'ec2:DescribeSubnets'],
        resources: ['*'],
      }),
    ],
    wildcardReason:
      'ec2:DescribeVpcEndpointServices and ec2:DescribeSubnets have no resource-level permissions (AWS service ' +
      'authorization reference); the function only reads.',
  });
}
