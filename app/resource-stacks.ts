/**
 * The app's stacks for PrivateLink for resources (RESOURCE_TARGET / RESOURCE_CONFIGURATION_ARN): the
 * provider shares a resource through a resource gateway instead of building an endpoint service, and the
 * consumer reaches it through a resource endpoint. Same stack names as the endpoint-service stacks.
 */
import { Annotations, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { IPrivateLinkResource, PrivateLinkResource } from '../src/resource/private-link-resource';
import { PrivateLinkResourceEndpoint } from '../src/resource/private-link-resource-endpoint';
import { ResourceGatewayIpAddressType, ResourceTarget } from '../src/resource/target';
import { OUTPUTS } from '../src/stack-names';
import type { ConsumerConfig, ProviderConfig } from './config';

export interface ResourceProviderStackProps extends StackProps, ProviderConfig {}

/** The provider side: resource gateway, resource configuration and (with consumer accounts) the RAM share. */
export class ResourceProviderStack extends Stack {
  public readonly resource: PrivateLinkResource;

  constructor(scope: Construct, id: string, props: ResourceProviderStackProps) {
    super(scope, id, props);
    const { value, kind } = props.resourceTarget!;
    const target =
      kind === 'arn' ? ResourceTarget.arn(value) : kind === 'ip-address' ? ResourceTarget.ipAddress(value) : ResourceTarget.dnsName(value);
    this.resource = new PrivateLinkResource(this, 'SharedResource', {
      target,
      port: props.resourcePort,
      // Demo (no consumer accounts): the consumer is in this account and needs no share.
      shareWith: props.consumerAccountIds.length > 0 ? props.consumerAccountIds : undefined,
      ipAddressType: props.ipAddressType === 'dualstack' ? ResourceGatewayIpAddressType.DUALSTACK : undefined,
    });
    Annotations.of(this.resource).addWarningV2(
      'cdk-privatelink:resource-gateway-new-vpc',
      'The app puts the resource gateway in a new isolated VPC of its own: the resource must be reachable from that VPC ' +
        '(an RDS database must be in it; a DNS name must resolve to addresses the gateway can reach). For a resource in an ' +
        'existing VPC use the library: new PrivateLinkResource(stack, id, { vpc, target, port }).',
    );
    new CfnOutput(this, OUTPUTS.resourceConfigurationArn, {
      value: this.resource.resourceConfigurationArn,
      description: 'Send this to the consumer team: RESOURCE_CONFIGURATION_ARN (with RESOURCE_PORT)',
    });
    new CfnOutput(this, OUTPUTS.resourceConfigurationId, { value: this.resource.resourceConfigurationId, description: 'Resource configuration ID' });
    new CfnOutput(this, OUTPUTS.resourcePort, { value: String(this.resource.port), description: 'The port consumers connect to: RESOURCE_PORT' });
    if (this.resource.share) {
      new CfnOutput(this, OUTPUTS.resourceShareArn, {
        value: this.resource.share.attrArn,
        description: `RAM share with ${props.consumerAccountIds.join(', ')} (accounts outside the organization run: privatelink accept-share <ResourceConfigurationArn>)`,
      });
    }
  }
}

export interface ResourceConsumerStackProps extends StackProps, ConsumerConfig {
  /** The provider's resource of this app (demo: no resourceConfigurationArn). */
  readonly resource?: PrivateLinkResource;
}

/** The consumer side: resource endpoint and the connectivity check (TCP). */
export class ResourceConsumerStack extends Stack {
  public readonly endpoint: PrivateLinkResourceEndpoint;
  public readonly check: ConnectivityCheck;

  constructor(scope: Construct, id: string, props: ResourceConsumerStackProps) {
    super(scope, id, props);
    const resource: IPrivateLinkResource =
      props.resource ?? PrivateLinkResource.fromResourceConfigurationArn(props.resourceConfigurationArn!, { port: props.resourcePort! });
    this.endpoint = new PrivateLinkResourceEndpoint(this, 'Endpoint', { resource, privateDnsEnabled: props.privateDnsEnabled });
    this.check = new ConnectivityCheck(this, 'Check', {
      endpoint: this.endpoint,
      schedule: props.checkScheduleMinutes !== undefined ? Duration.minutes(props.checkScheduleMinutes) : undefined,
    });
    new CfnOutput(this, OUTPUTS.endpointId, { value: this.endpoint.endpointId, description: 'Resource VPC endpoint ID' });
    new CfnOutput(this, OUTPUTS.endpointDnsName, { value: this.endpoint.dnsName, description: 'DNS name of the resource endpoint' });
    if (props.resourceConfigurationArn) {
      // (In the demo the ARN is the provider stack's export: no need to repeat it.)
      new CfnOutput(this, OUTPUTS.resourceConfigurationArn, {
        value: props.resourceConfigurationArn,
        description: 'The resource configuration the endpoint connects to',
      });
    }
    new CfnOutput(this, OUTPUTS.checkFunctionName, {
      value: this.check.function.functionName,
      description: 'aws lambda invoke --function-name <this> out.json (a TCP connect to the resource)',
    });
  }
}
