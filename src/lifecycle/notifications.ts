import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { endpointServiceArn } from './permissions';

/** Every event of an endpoint service connection (not exported: jsii allows no module constants). */
const CONNECTION_EVENTS = ['Connect', 'Accept', 'Reject', 'Delete'];

/** Where a {@link PrivateLinkProvider}'s connection notifications go. */
export interface ConnectionNotificationOptions {
  /**
   * The SNS topic to publish to. A topic of this app gets the topic policy (and, when its key is of this
   * app, the key policy) that lets `vpce.amazonaws.com` publish; for an imported topic add them yourself.
   * @default - a new standard topic encrypted with a new customer managed KMS key (rotation on)
   */
  readonly topic?: sns.ITopic;
}

/** Properties of {@link ConnectionNotifications}. */
export interface ConnectionNotificationsProps extends ConnectionNotificationOptions {
  /** The endpoint service ID (`vpce-svc-…`). */
  readonly serviceId: string;
}

/**
 * Sends the endpoint service's Connect, Accept, Reject and Delete events to an SNS topic, given or created
 * encrypted, with the policies that let the VPC endpoint service principal publish to it.
 */
export class ConnectionNotifications extends Construct {
  /** The topic receiving the notifications. */
  public readonly topic: sns.ITopic;
  /** The connection notification resource. */
  public readonly notification: ec2.CfnVPCEndpointConnectionNotification;

  constructor(scope: Construct, id: string, props: ConnectionNotificationsProps) {
    super(scope, id);
    const publisher = new iam.ServicePrincipal('vpce.amazonaws.com');
    this.topic = props.topic ?? this.createTopic(publisher);

    const serviceArn = endpointServiceArn(this, props.serviceId);
    const added = this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'VpcEndpointServiceNotifications',
        principals: [publisher],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        // Only on behalf of this endpoint service (its ARN names this account): no confused deputy.
        conditions: { ArnLike: { 'aws:SourceArn': serviceArn } },
      }),
    );
    if (!added.statementAdded) {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:notificationTopicPolicy',
        'notifications.topic is imported, so its policy cannot be changed here: allow the service principal vpce.amazonaws.com to sns:Publish to it (condition aws:SourceArn <this endpoint service ARN>), or no notification arrives.',
      );
    }
    if (props.topic?.masterKey) {
      const keyAdded = props.topic.masterKey.addToResourcePolicy(keyStatement(publisher));
      if (!keyAdded.statementAdded) {
        Annotations.of(this).addWarningV2(
          'cdk-privatelink:notificationTopicKey',
          'notifications.topic is encrypted with an imported KMS key: its key policy must allow vpce.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, or no notification arrives.',
        );
      }
    }

    this.notification = new ec2.CfnVPCEndpointConnectionNotification(this, 'Resource', {
      serviceId: props.serviceId,
      connectionNotificationArn: this.topic.topicArn,
      connectionEvents: CONNECTION_EVENTS,
    });
    // The topic (and its policy and key) must exist before EC2 is told to publish to it.
    this.notification.node.addDependency(this.topic);
  }

  private createTopic(publisher: iam.ServicePrincipal): sns.Topic {
    // AWS services can only publish to an encrypted topic whose key policy lets them use the key:
    // the AWS managed aws/sns key cannot, so the topic gets its own key.
    const key = new kms.Key(this, 'Key', {
      description: 'cdk-privatelink: encrypts the endpoint service connection notification topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(keyStatement(publisher));
    return new sns.Topic(this, 'Topic', {
      displayName: 'PrivateLink connection notifications',
      masterKey: key,
      enforceSSL: true,
    });
  }
}

function keyStatement(publisher: iam.ServicePrincipal): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'VpcEndpointServiceNotifications',
    principals: [publisher],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
  });
}
