import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConsumerRollout } from '../src/rollout/consumer-rollout';
import { RolloutVpc } from '../src/rollout/rollout-vpc';
import { PrivateLinkService } from '../src/service/private-link-service';
import { CONSUMER_STACK_SET, OUTPUTS } from '../src/stack-names';
import type { RolloutConfig } from './config';

export interface ConsumerStackSetStackProps extends StackProps, RolloutConfig {}

/**
 * The consumer side rolled out to every account of the OUs (deployed in the management account or a
 * delegated administrator): each account's VPC and subnets are read from its Parameter Store under the
 * default names of `RolloutVpc.fromSsmParameters()`.
 */
export class ConsumerStackSetStack extends Stack {
  public readonly rollout: ConsumerRollout;

  constructor(scope: Construct, id: string, props: ConsumerStackSetStackProps) {
    super(scope, id, props);
    this.rollout = new ConsumerRollout(this, 'Rollout', {
      service: PrivateLinkService.fromServiceName(props.serviceName, {
        port: props.port,
        availabilityZoneIds: props.serviceAvailabilityZoneIds,
      }),
      organizationalUnits: props.organizationalUnits,
      accounts: props.accounts,
      regions: props.regions,
      vpc: RolloutVpc.fromSsmParameters(),
      stackSetName: CONSUMER_STACK_SET,
    });
    new CfnOutput(this, OUTPUTS.stackSetName, { value: this.rollout.stackSetName, description: 'The consumer StackSet: npx privatelink rollout-status' });
  }
}
