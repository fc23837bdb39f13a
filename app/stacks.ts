import { Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { DEFAULT_RESPONSE_BODY } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';

export interface ProviderStackProps extends StackProps {
  /** Consumer account IDs to allow; empty means this account only (demo). */
  readonly consumerAccountIds: string[];
  readonly acceptanceRequired: boolean;
  /** Reject every connection when the stack is deleted. */
  readonly rejectConnectionsOnDelete?: boolean;
}

/** The provider side: endpoint service in front of the ALB. */
export class ProviderStack extends Stack {
  public readonly provider: PrivateLinkProvider;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id, props);
    this.provider = new PrivateLinkProvider(this, 'Provider', {
      allowedPrincipals: props.consumerAccountIds,
      acceptanceRequired: props.acceptanceRequired,
      rejectConnectionsOnDelete: props.rejectConnectionsOnDelete,
    });
    if (props.consumerAccountIds.length === 0) {
      this.provider.allowAccount(Aws.ACCOUNT_ID);
    }
    new CfnOutput(this, 'ServiceName', {
      value: this.provider.serviceName,
      description: 'Send this to the consumer team: PROVIDER_VPC_ENDPOINT_SERVICE_NAME',
    });
    new CfnOutput(this, 'ServiceId', { value: this.provider.serviceId, description: 'Endpoint service ID' });
  }
}

export interface ConsumerStackProps extends StackProps {
  /** The provider's service name (two accounts)... */
  readonly serviceName?: string;
  /** ...or the provider itself (demo). */
  readonly provider?: PrivateLinkProvider;
}

/** The consumer side: interface endpoint and the connectivity check. */
export class ConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;
  public readonly check: ConnectivityCheck;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    this.consumer = new PrivateLinkConsumer(this, 'Consumer', {
      serviceName: props.serviceName,
      provider: props.provider,
    });
    this.check = new ConnectivityCheck(this, 'Check', {
      consumer: this.consumer,
      expectedBody: props.provider ? DEFAULT_RESPONSE_BODY : undefined,
    });
    new CfnOutput(this, 'EndpointId', { value: this.consumer.endpointId, description: 'Interface VPC endpoint ID' });
    new CfnOutput(this, 'EndpointDnsName', {
      value: this.consumer.dnsName,
      description: 'Regional DNS name of the endpoint',
    });
    new CfnOutput(this, 'CheckFunctionName', {
      value: this.check.function.functionName,
      description: 'aws lambda invoke --function-name <this> out.json',
    });
  }
}
