import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { throwIfProblems } from '../errors';
import { createHandlerFunction } from '../shared/handler-function';
import { checkAccountId } from '../validate';
import { DESCRIBE_WILDCARD_REASON, describeConnectionsStatement, endpointServiceArn } from './permissions';

/** Properties of an {@link AutoAcceptor}. */
export interface AutoAcceptorProps {
  /** The endpoint service ID (`vpce-svc-…`). */
  readonly serviceId: string;
  /** 12-digit account IDs (or tokens) whose endpoints are accepted. */
  readonly accounts: string[];
  /** The topic that receives the service's connection notifications (at least `Connect`). */
  readonly topic: sns.ITopic;
}

/**
 * A Lambda function, subscribed to the connection notifications, that accepts the pending connections of
 * the listed accounts' endpoints and leaves every other request pending (and logs it). It may accept
 * connections of this endpoint service only.
 */
export class AutoAcceptor extends Construct {
  /** The acceptor function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: AutoAcceptorProps) {
    super(scope, id);
    throwIfProblems([
      props.accounts.length === 0 ? 'autoAcceptAccounts: the list is empty. Name at least one 12-digit account ID, or leave it unset.' : undefined,
      ...props.accounts.map((a, i) => (Token.isUnresolved(a) ? undefined : checkAccountId(`autoAcceptAccounts[${i}]`, a))),
    ], this);
    // Not a custom resource, but the same kind of function: our bundle, an inline least-privilege role.
    this.function = createHandlerFunction(this, {
      handler: 'acceptor',
      description: 'cdk-privatelink: accepts pending endpoint connections of the autoAcceptAccounts, leaves others pending',
      timeout: Duration.seconds(60),
      statements: [
        new iam.PolicyStatement({
          actions: ['ec2:AcceptVpcEndpointConnections'],
          resources: [endpointServiceArn(this, props.serviceId)],
        }),
        describeConnectionsStatement(),
      ],
      wildcardReason: DESCRIBE_WILDCARD_REASON,
    });
    this.function.addEnvironment('SERVICE_ID', props.serviceId);
    this.function.addEnvironment('ACCEPT_ACCOUNTS', props.accounts.join(','));
    props.topic.addSubscription(new subscriptions.LambdaSubscription(this.function));
  }
}
