/**
 * The connection lifecycle of PrivateLinkProvider: auto-acceptor, notifications and teardown, as
 * templates (GIVEN props WHEN synthesized THEN resources and least-privilege policies).
 */
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConnectionTeardown } from '../src/lifecycle/teardown';
import { PrivateLinkProvider, type PrivateLinkProviderProps } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';

const FUNCTION = 'AWS::Lambda::Function';
const OURS = { Description: Match.stringLikeRegexp('^cdk-privatelink: (accepts|on stack delete)') };

function build(props: PrivateLinkProviderProps, configure?: (stack: Stack) => Partial<PrivateLinkProviderProps>) {
  const stack = new Stack(new App(), 'TestStack');
  const provider = new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['222222222222'], ...props, ...configure?.(stack) });
  return { stack, provider, template: Template.fromStack(stack) };
}

function logicalIdOf(template: Template, type: string, props?: object): string {
  const ids = Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The endpoint service ARN as the template writes it (env-agnostic stack). */
function serviceArn(serviceLogicalId: string): unknown {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':vpc-endpoint-service/', { Ref: serviceLogicalId }],
    ],
  };
}

/** The one inline policy of the role of our function whose description matches. */
function policyOf(template: Template, description: RegExp): unknown[] {
  const fn = Object.values(template.findResources(FUNCTION)).find((r) => description.test(r.Properties.Description ?? ''));
  expect(fn).toBeDefined();
  const roleId = fn!.Properties.Role['Fn::GetAtt'][0] as string;
  const role = template.toJSON().Resources[roleId];
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  expect(role.Properties.Policies).toHaveLength(1);
  return role.Properties.Policies[0].PolicyDocument.Statement;
}

describe('GIVEN no lifecycle prop (the default)', () => {
  const { template, provider } = build({});
  test('THEN no topic, notification, acceptor or teardown is created', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpointConnectionNotification', 0);
    template.resourceCountIs('Custom::PrivateLinkConnectionTeardown', 0);
    expect(Object.keys(template.findResources(FUNCTION, { Properties: OURS }))).toEqual([]);
    expect(provider.notificationTopic).toBeUndefined();
    expect(provider.autoAcceptor).toBeUndefined();
    expect(provider.connectionTeardown).toBeUndefined();
  });
});

describe('GIVEN autoAcceptAccounts', () => {
  const { template, provider } = build({
    allowedPrincipals: ['222222222222', '333333333333'],
    autoAcceptAccounts: ['222222222222', '333333333333', '222222222222'],
  });
  const serviceId = logicalIdOf(template, 'AWS::EC2::VPCEndpointService');
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic');

  test('THEN acceptance stays required for the service (others stay pending)', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
  });

  test('THEN a notification topic is created for the acceptor, encrypted with a rotated key of its own', () => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(provider.notificationTopic).toBeDefined();
  });

  test('THEN the Connect/Accept/Reject/Delete events of this service go to the topic, after its policy exists', () => {
    const policyId = logicalIdOf(template, 'AWS::SNS::TopicPolicy');
    template.hasResource('AWS::EC2::VPCEndpointConnectionNotification', {
      Properties: {
        ServiceId: { Ref: serviceId },
        ConnectionNotificationArn: { Ref: topicId },
        ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
      },
      DependsOn: Match.arrayWith([policyId]),
    });
  });

  test('THEN the acceptor function knows the service and the accounts (each once)', () => {
    template.hasResourceProperties(FUNCTION, {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 60,
      Environment: { Variables: { SERVICE_ID: { Ref: serviceId }, ACCEPT_ACCOUNTS: '222222222222,333333333333' } },
    });
  });

  test('THEN it is subscribed to the topic, and SNS may invoke it from that topic only', () => {
    const fnId = logicalIdOf(template, FUNCTION, { Description: Match.stringLikeRegexp('^cdk-privatelink: accepts') });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId },
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
  });

  test('THEN its role may accept connections of this service only, describe them, and write its own logs', () => {
    const fn = Object.values(template.findResources(FUNCTION, { Properties: { Description: Match.stringLikeRegexp('accepts') } }))[0];
    const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
    expect(logGroupId).toMatch(/^ProviderAutoAcceptorLogGroup/);
    expect(policyOf(template, /accepts/)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      { Effect: 'Allow', Action: 'ec2:AcceptVpcEndpointConnections', Resource: serviceArn(serviceId) },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcEndpointConnections', Resource: '*' },
    ]);
  });

  test('THEN the topic policy lets vpce.amazonaws.com publish for this endpoint service only, over TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'VpcEndpointServiceNotifications',
            Effect: 'Allow',
            Principal: { Service: 'vpce.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: { ArnLike: { 'aws:SourceArn': serviceArn(serviceId) } },
          },
        ]),
      },
    });
  });

  test('THEN the key policy lets vpce.amazonaws.com encrypt messages for the topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'VpcEndpointServiceNotifications',
            Effect: 'Allow',
            Principal: { Service: 'vpce.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
          },
        ]),
      },
    });
  });
});

describe('GIVEN an auto-accepted account that is not an allowed principal', () => {
  test('THEN synth fails naming the construct, the account and both fixes', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['222222222222'], autoAcceptAccounts: ['222222222222', '444444444444'] });
    expect(() => app.synth()).toThrow(
      /TestStack\/Provider.*autoAcceptAccounts: 444444444444 is not an allowed principal, so its endpoints can never request a connection\. Add "444444444444" to allowedPrincipals \(or call allowPrincipal\("444444444444"\)\), or remove it from autoAcceptAccounts\./s,
    );
  });

  test('WHEN the account is allowed later through allowPrincipal() (one of its IAM roles) THEN synth succeeds', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    const provider = new PrivateLinkProvider(stack, 'Provider', { autoAcceptAccounts: ['444444444444'] });
    provider.allowPrincipal('arn:aws:iam::444444444444:role/Deployer');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('GIVEN autoAcceptAccounts with a token (the app in demo mode would pass its own account)', () => {
  const { template } = build({ autoAcceptAccounts: [Aws.ACCOUNT_ID] });
  test('THEN the token is not validated and lands in the environment', () => {
    template.hasResourceProperties(FUNCTION, {
      Environment: { Variables: Match.objectLike({ ACCEPT_ACCOUNTS: { Ref: 'AWS::AccountId' } }) },
    });
  });
});

describe('GIVEN notifications: {} (no acceptor)', () => {
  const { template, provider } = build({ notifications: {} });
  test('THEN topic, key and notification exist, and no function', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::EC2::VPCEndpointConnectionNotification', 1);
    expect(Object.keys(template.findResources(FUNCTION, { Properties: OURS }))).toEqual([]);
    expect(provider.notificationTopic).toBeDefined();
  });
});

describe('GIVEN notifications to a topic of the app', () => {
  test('WHEN the topic is unencrypted THEN it is used as is (no topic or key created) and gets the publish statement', () => {
    let topic!: sns.Topic;
    const { template, provider } = build({ autoAcceptAccounts: ['222222222222'] }, (stack) => {
      topic = new sns.Topic(stack, 'Mine');
      return { notifications: { topic } };
    });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(provider.notificationTopic).toBe(topic);
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'vpce.amazonaws.com' }, Action: 'sns:Publish' })] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: topicId }, Protocol: 'lambda' });
  });

  test('WHEN the topic is encrypted with a key of the app THEN that key policy gets the vpce statement', () => {
    const { template } = build({}, (stack) => {
      const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
      return { notifications: { topic: new sns.Topic(stack, 'Mine', { masterKey: key }) } };
    });
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'vpce.amazonaws.com' } })]) },
    });
  });

  test('WHEN the topic is imported THEN its ARN is used and a warning says which policy to add', () => {
    const arn = 'arn:aws:sns:us-east-1:111111111111:ops';
    const { stack, template } = build({}, (s) => ({ notifications: { topic: sns.Topic.fromTopicArn(s, 'Ops', arn) } }));
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', { ConnectionNotificationArn: arn });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Provider/Notifications',
      Match.stringLikeRegexp('notifications.topic is imported.*vpce.amazonaws.com to sns:Publish'),
    );
  });

  test('WHEN the topic is FIFO THEN refused, naming the prop', () => {
    const err = configError(() =>
      build({}, (s) => ({ notifications: { topic: new sns.Topic(s, 'Fifo', { fifo: true, topicName: 'x.fifo' }) } })),
    );
    expect(withoutPath(err)).toBe(
      'notifications.topic: a FIFO topic cannot receive endpoint connection notifications. Give a standard topic, or none (one is created).',
    );
  });
});

describe('GIVEN rejectConnectionsOnDelete', () => {
  const { template, provider } = build({ rejectConnectionsOnDelete: true });
  const serviceId = logicalIdOf(template, 'AWS::EC2::VPCEndpointService');

  test('THEN a custom resource backed by our own function references the service (so it is deleted first)', () => {
    const fnId = logicalIdOf(template, FUNCTION, { Description: Match.stringLikeRegexp('^cdk-privatelink: on stack delete') });
    template.hasResource('Custom::PrivateLinkConnectionTeardown', {
      Properties: { ServiceToken: { 'Fn::GetAtt': [fnId, 'Arn'] }, ServiceId: { Ref: serviceId } },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties(FUNCTION, { Description: Match.stringLikeRegexp('on stack delete'), Timeout: 600, Runtime: 'nodejs24.x' });
    expect(provider.connectionTeardown).toBeDefined();
  });

  test('THEN no CDK Provider framework: the only other function is the VPC default-SG one', () => {
    const functions = Object.values(template.findResources(FUNCTION)).map((r) => r.Properties.Handler);
    expect(functions.sort()).toEqual(['__entrypoint__.handler', 'index.handler']);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test('THEN its role may reject connections of this service only, describe them, read this stack, write its logs', () => {
    const statements = policyOf(template, /on stack delete/);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      { Effect: 'Allow', Action: 'ec2:RejectVpcEndpointConnections', Resource: serviceArn(serviceId) },
      { Effect: 'Allow', Action: 'ec2:DescribeVpcEndpointConnections', Resource: '*' },
      { Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
    ]);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });
});

describe('invalid lifecycle props', () => {
  test('GIVEN a malformed account THEN the message names autoAcceptAccounts[i], the value and the fix', () => {
    const err = configError(() => build({ autoAcceptAccounts: ['222222222222', '12345'] }));
    expect(withoutPath(err)).toBe(
      'autoAcceptAccounts[1]: "12345" is not an AWS account ID. It has 5 digits; account IDs have exactly 12 (keep leading zeros). Use the 12-digit ID of the account, e.g. "123456789012".',
    );
  });

  test('GIVEN acceptanceRequired: false with autoAcceptAccounts THEN refused (the list would do nothing)', () => {
    const err = configError(() => build({ acceptanceRequired: false, autoAcceptAccounts: ['222222222222'] }));
    expect(withoutPath(err)).toMatch(/^autoAcceptAccounts: acceptanceRequired is false, so every allowed principal is accepted at once/);
  });

  test('GIVEN a bad port and a bad account THEN one error lists both', () => {
    const err = configError(() => build({ port: 0, autoAcceptAccounts: ['x'] }));
    expect(err.problems).toHaveLength(2);
    expect(err.problems[0]).toMatch(/^port: 0 is not a TCP port/);
    expect(err.problems[1]).toMatch(/^autoAcceptAccounts\[0\]: "x" is not an AWS account ID/);
  });

  test('GIVEN an empty autoAcceptAccounts THEN nothing is built (same as unset)', () => {
    const { template } = build({ autoAcceptAccounts: [] });
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('GIVEN a ConnectionTeardown timeout over the Lambda limit THEN refused with the range', () => {
    const stack = new Stack(new App(), 'S');
    const err = configError(() => new ConnectionTeardown(stack, 'T', { serviceId: 'vpce-svc-0123456789abcdef0', timeout: Duration.minutes(20) }));
    expect(withoutPath(err)).toBe('timeout: 20 minutes is out of range. Use a duration from 1 to 15 minutes (the Lambda limit).');
  });
});
