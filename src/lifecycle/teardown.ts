import { Aws, CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { throwIfProblems } from '../errors';
import { createHandlerFunction } from '../shared/handler-function';
import { DESCRIBE_WILDCARD_REASON, describeConnectionsStatement, endpointServiceArn } from './permissions';

/** Properties of a {@link ConnectionTeardown}. */
export interface ConnectionTeardownProps {
  /** The endpoint service ID (`vpce-svc-…`). The custom resource depends on the service through it. */
  readonly serviceId: string;
  /**
   * How long the function may wait for the connections to leave the active states; the wait ends 20 s
   * before this so that CloudFormation always gets an answer.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * A custom resource that, when its stack is deleted, rejects every connection to the endpoint service
 * and waits (bounded) until none is active, so that the service and its NLB then delete cleanly. It
 * does nothing on create and update, and nothing when only this resource is removed from a stack that
 * stays (turning the option off never cuts consumers off).
 *
 * CloudFormation deletes it before the endpoint service because it references the service's ID.
 */
export class ConnectionTeardown extends Construct {
  /** The function behind the custom resource. */
  public readonly function: lambda.Function;
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ConnectionTeardownProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(10);
    throwIfProblems([
      !timeout.isUnresolved() && (timeout.toSeconds() < 60 || timeout.toSeconds() > 900)
        ? `timeout: ${timeout.toHumanString()} is out of range. Use a duration from 1 to 15 minutes (the Lambda limit).`
        : undefined,
    ], this);
    this.function = createHandlerFunction(this, {
      handler: 'teardown',
      description: 'cdk-privatelink: on stack delete, rejects every endpoint connection and waits until none is active',
      timeout,
      statements: [
        new iam.PolicyStatement({
          actions: ['ec2:RejectVpcEndpointConnections'],
          resources: [endpointServiceArn(this, props.serviceId)],
        }),
        describeConnectionsStatement(),
        // To tell a stack delete from the removal of this resource alone.
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Aws.STACK_ID] }),
      ],
      wildcardReason: DESCRIBE_WILDCARD_REASON,
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::PrivateLinkConnectionTeardown',
      properties: { ServiceId: props.serviceId },
    });
  }
}
