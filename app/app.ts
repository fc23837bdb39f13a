import { App } from 'aws-cdk-lib';
import { AppConfig } from './config';
import { ResourceConsumerStack, ResourceProviderStack } from './resource-stacks';
import { ConsumerStack, ProviderStack } from './stacks';
import { ConsumerStackSetStack } from './stack-set-stack';
import { CONSUMER_STACK, CONSUMER_STACK_SET_STACK, PROVIDER_STACK } from '../src/stack-names';


/** Adds the configured stacks to `app`. */
export function buildApp(
  app: App,
  config: AppConfig,
): { provider?: ProviderStack | ResourceProviderStack; consumer?: ConsumerStack | ResourceConsumerStack; stackSet?: ConsumerStackSetStack } {
  // Env-agnostic offline; env-aware when the CDK CLI found credentials.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const provider = !config.provider
    ? undefined
    : config.provider.resourceTarget
      ? new ResourceProviderStack(app, PROVIDER_STACK, {
          env,
          description: 'cdk-privatelink provider: a resource shared through a resource gateway (PrivateLink for resources)',
          ...config.provider,
        })
      : new ProviderStack(app, PROVIDER_STACK, {
          env,
          description: 'cdk-privatelink provider: VPC endpoint service (NLB in front of an internal ALB)',
          ...config.provider,
        });

  const wired = config.consumer !== undefined && config.consumer.serviceName === undefined && config.consumer.resourceConfigurationArn === undefined;
  const consumer = !config.consumer
    ? undefined
    : config.consumer.resourceConfigurationArn !== undefined || (wired && provider instanceof ResourceProviderStack)
      ? new ResourceConsumerStack(app, CONSUMER_STACK, {
          env,
          description: 'cdk-privatelink consumer: resource VPC endpoint and connectivity check',
          ...config.consumer,
          resource: wired && provider instanceof ResourceProviderStack ? provider.resource : undefined,
        })
      : new ConsumerStack(app, CONSUMER_STACK, {
          env,
          description: 'cdk-privatelink consumer: interface VPC endpoint and connectivity check',
          ...config.consumer,
          provider: wired && provider instanceof ProviderStack ? provider.provider : undefined,
        });
  const stackSet = config.rollout
    ? new ConsumerStackSetStack(app, CONSUMER_STACK_SET_STACK, {
        env,
        description: 'cdk-privatelink consumer StackSet: the consumer side in every account of the OUs',
        ...config.rollout,
      })
    : undefined;
  for (const stack of [provider, consumer, stackSet]) stack?.addMetadata('cdk-privatelink', { mode: config.mode });
  return { provider, consumer, stackSet };
}
