import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerCode, INLINE_HANDLERS_CONTEXT } from './assets';

export interface HandlerFunctionProps {
  /** The bundled handler: `src/runtime/<handler>`. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: Duration;
  /** The function's permissions besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /** Why the statements with `Resource: *` cannot be scoped (cdk-nag AwsSolutions-IAM5), if there are any. */
  readonly wildcardReason?: string;
  /** Name of the role's inline policy. Default `Handler`. */
  readonly policyName?: string;
  /** How long the function's logs are kept. Default one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Environment variables of the function. */
  readonly environment?: Record<string, string>;
  /** Puts the function in a VPC (give the ENI permissions in `statements`). */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Lets a function in a dual-stack VPC use IPv6. */
  readonly ipv6AllowedForDualStack?: boolean;
}

/**
 * The Lambda function of one of our bundled handlers (`src/runtime/<handler>`): Node.js 24 on ARM, its own
 * log group, and a role with one inline policy (no AWS managed policy) that may write to that log group
 * only besides `statements`. Custom-resource handlers answer CloudFormation themselves, so no
 * custom-resource provider framework is involved. Under a scope whose context sets
 * INLINE_HANDLERS_CONTEXT, the code is inline in the template instead of an asset.
 */
export function createHandlerFunction(scope: Construct, props: HandlerFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      [props.policyName ?? 'Handler']: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
          ...props.statements,
        ],
      }),
    },
  });
  if (props.wildcardReason) {
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: props.wildcardReason });
  }
  return new lambda.Function(scope, 'Function', {
    role,
    description: props.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: handlerCode(props.handler, { inline: scope.node.tryGetContext(INLINE_HANDLERS_CONTEXT) === true }),
    memorySize: 256,
    timeout: props.timeout,
    logGroup,
    environment: props.environment,
    vpc: props.vpc,
    vpcSubnets: props.vpcSubnets,
    securityGroups: props.securityGroups,
    ipv6AllowedForDualStack: props.ipv6AllowedForDualStack,
  });
}

/**
 * The function of a bundled handler that every construct of a kind in a stack shares: created under
 * `stack/<id>` on first use, found there afterwards (one function, one role, one log group per stack).
 */
export function stackHandlerFunction(stack: Stack, id: string, props: HandlerFunctionProps): lambda.Function {
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing.node.findChild('Function') as lambda.Function;
  return createHandlerFunction(new Construct(stack, id), props);
}
