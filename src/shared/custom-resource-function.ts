import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerCode } from './assets';

export interface CustomResourceFunctionProps {
  /** The bundled handler: `src/runtime/<handler>`. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: Duration;
  /** The function's permissions besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /** Why the statements with `Resource: *` cannot be scoped (cdk-nag AwsSolutions-IAM5), if there are any. */
  readonly wildcardReason?: string;
}

/**
 * The Lambda function behind one of our custom resources: Node.js 24 on ARM, a role with one inline
 * policy (no AWS managed policy) that may write to its own log group only besides `statements`. The
 * handler answers CloudFormation itself, so no custom-resource provider framework is involved.
 */
export function createCustomResourceFunction(scope: Construct, props: CustomResourceFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      Handler: new iam.PolicyDocument({
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
    code: handlerCode(props.handler),
    memorySize: 256,
    timeout: props.timeout,
    logGroup,
  });
}
