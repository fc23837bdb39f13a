import { CfnParameter, Fn, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { Problem } from '../errors';

/** Default Parameter Store name of each member account's VPC ID, for {@link RolloutVpc.fromSsmParameters}. */
const DEFAULT_VPC_ID_PARAMETER = '/cdk-privatelink/consumer/vpc-id';
/** Default Parameter Store name of each member account's subnet IDs (a StringList), for {@link RolloutVpc.fromSsmParameters}. */
const DEFAULT_SUBNET_IDS_PARAMETER = '/cdk-privatelink/consumer/subnet-ids';
const PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]{1,1011}$/;

/** Names of the Parameter Store parameters that hold, in each member account, the VPC to use. */
export interface RolloutVpcSsmParameters {
  /**
   * The parameter (type String) holding the VPC ID (`vpc-…`).
   * @default '/cdk-privatelink/consumer/vpc-id'
   */
  readonly vpcId?: string;
  /**
   * The parameter (type StringList) holding the IDs of the subnets for the endpoint and the check,
   * comma-separated, one per AZ (in AZs the provider's NLB serves).
   * @default '/cdk-privatelink/consumer/subnet-ids'
   */
  readonly subnetIds?: string;
}

/** What a member template uses as its VPC. */
export interface RolloutVpcConfig {
  /**
   * The VPC of the member stack.
   * @default - a new isolated VPC, created by the consumer
   */
  readonly vpc?: ec2.IVpc;
}

/**
 * The VPC of the consumer side in each member account of a {@link ConsumerRollout}. Accounts that
 * auto-deployment adds later get the StackSet's default parameter values, never per-account overrides,
 * so per-account facts are looked up in the account itself.
 */
export class RolloutVpc {
  /**
   * The VPC and subnets named by Parameter Store parameters of each member account and region: the
   * member template's parameters are `AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>` and
   * `AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>`, resolved by CloudFormation in the account
   * where the stack instance deploys. Create the parameters in every account (and region) first: a
   * missing one fails that instance.
   */
  public static fromSsmParameters(parameters: RolloutVpcSsmParameters = {}): RolloutVpc {
    return new RolloutVpc(parameters.vpcId ?? DEFAULT_VPC_ID_PARAMETER, parameters.subnetIds ?? DEFAULT_SUBNET_IDS_PARAMETER);
  }

  /**
   * A new isolated VPC in each member account: 2 AZs, no NAT, no internet gateway, the default security
   * group stripped of its rules (by an inline custom resource), flow logs on.
   */
  public static isolated(): RolloutVpc {
    return new RolloutVpc();
  }

  /** The parameter holding the VPC ID, when the VPC comes from Parameter Store. */
  public readonly vpcIdParameter?: string;
  /** The parameter holding the subnet IDs, when the VPC comes from Parameter Store. */
  public readonly subnetIdsParameter?: string;

  private constructor(vpcIdParameter?: string, subnetIdsParameter?: string) {
    this.vpcIdParameter = vpcIdParameter;
    this.subnetIdsParameter = subnetIdsParameter;
  }

  /** @internal Problems with the parameter names, for the rollout's one error. */
  public _problems(): Problem[] {
    const check = (input: string, name: string | undefined): Problem =>
      name === undefined || Token.isUnresolved(name) || (PARAMETER_NAME.test(name) && !/^\/?(aws|ssm)/i.test(name))
        ? undefined
        : `${input}: ${JSON.stringify(name)} is not a Parameter Store parameter name. Use letters, digits and _ . - / (e.g. "/cdk-privatelink/consumer/vpc-id"), not starting with "aws" or "ssm".`;
    return [check('vpc.vpcId', this.vpcIdParameter), check('vpc.subnetIds', this.subnetIdsParameter)];
  }

  /** @internal The VPC in the member stack (`scope` is that stack). */
  public _bind(scope: Construct): RolloutVpcConfig {
    // Isolated: the consumer creates its VPC.
    if (this.vpcIdParameter === undefined || this.subnetIdsParameter === undefined) return {};
    const vpcId = new CfnParameter(scope, 'VpcId', {
      type: 'AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>',
      default: this.vpcIdParameter,
      description: 'Parameter Store parameter (in this account) holding the VPC ID for the PrivateLink endpoint',
    });
    const subnetIds = new CfnParameter(scope, 'SubnetIds', {
      type: 'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>',
      default: this.subnetIdsParameter,
      description: 'Parameter Store parameter (in this account) holding the subnet IDs, comma-separated, one per AZ',
    });
    // The subnet list has a length known only at deploy: one list token, standing for every subnet.
    const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
      vpcId: vpcId.valueAsString,
      availabilityZones: Fn.getAzs(),
      isolatedSubnetIds: subnetIds.valueAsList,
    });
    return { vpc };
  }
}
