import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConnectivityCheck, type ConnectivityCheckProps } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { configError, withoutPath } from './support/config-error';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

function consumerStack(): { stack: Stack; endpoint: PrivateLinkConsumer } {
  const stack = new Stack(new App(), 'ConsumerStack');
  return { stack, endpoint: new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) }) };
}

function fnLogicalId(template: Template): string {
  return Object.keys(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { CHECK_URL: Match.anyValue() } } },
    }),
  )[0];
}

describe('ConnectivityCheck with schedule: 5 minutes and an alarm topic', () => {
  // GIVEN a check scheduled every 5 minutes, notifying a topic (built once)
  const { stack, endpoint: consumer } = consumerStack();
  const topic = new sns.Topic(stack, 'Alerts');
  const check = new ConnectivityCheck(stack, 'Check', { endpoint: consumer, schedule: Duration.minutes(5), alarmTopic: topic });
  const template = Template.fromStack(stack);
  const functionId = fnLogicalId(template);
  const topicId = stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic);

  test('THEN an EventBridge rule runs the function every 5 minutes with an empty event and no retry', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          Input: '{}',
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
    expect(check.rule).toBeDefined();
  });

  test('THEN the function gets the EMF directive: namespace, Check dimension with its value, Success and Latency', () => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId];
    const emf = JSON.parse(fn.Properties.Environment.Variables.EMF);
    expect(emf).toEqual({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'cdk-privatelink',
            Dimensions: [['Check']],
            Metrics: [
              { Name: 'Success', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Check: 'ConsumerStack/Check',
    });
  });

  test('THEN an alarm fires when the minimum Success of a 5-minute period is below 1, or when no run reported', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'cdk-privatelink',
      MetricName: 'Success',
      Dimensions: [{ Name: 'Check', Value: 'ConsumerStack/Check' }],
      Statistic: 'Minimum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    expect(check.alarm).toBeDefined();
  });

  test('THEN metricSuccess and metricLatency name the same metrics the function writes', () => {
    const success = check.metricSuccess();
    expect([success.namespace, success.metricName, success.dimensions, success.period.toSeconds(), success.statistic]).toEqual([
      'cdk-privatelink',
      'Success',
      { Check: 'ConsumerStack/Check' },
      300,
      'Minimum',
    ]);
    const latency = check.metricLatency({ statistic: 'p90' });
    expect([latency.metricName, latency.statistic]).toEqual(['Latency', 'p90']);
  });
});

describe('ConnectivityCheck without schedule', () => {
  test('THEN no rule, no alarm and no EMF variable (no custom metrics are written)', () => {
    const { stack, endpoint: consumer } = consumerStack();
    const check = new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const fn = template.findResources('AWS::Lambda::Function')[fnLogicalId(template)];
    expect(fn.Properties.Environment.Variables.EMF).toBeUndefined();
    expect(check.rule).toBeUndefined();
    expect(check.alarm).toBeUndefined();
  });

  test('GIVEN schedule: 1 hour without a topic THEN rate(1 hour) and an alarm with no action', () => {
    const { stack, endpoint: consumer } = consumerStack();
    new ConnectivityCheck(stack, 'Check', { endpoint: consumer, schedule: Duration.hours(1) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 3600, AlarmActions: Match.absent(), OKActions: Match.absent() });
  });
});

describe('ConnectivityCheck schedule refuses', () => {
  const create = (props: Omit<ConnectivityCheckProps, 'endpoint'>) => () => {
    const { stack, endpoint: consumer } = consumerStack();
    return new ConnectivityCheck(stack, 'Check', { endpoint: consumer, ...props });
  };

  test.each([
    [Duration.seconds(90), '1 minute 30 seconds'],
    [Duration.seconds(30), '30 seconds'],
    [Duration.days(2), '2 days'],
  ])('GIVEN schedule %s THEN the message names schedule, the value and the range', (schedule, human) => {
    const err = configError(create({ schedule }));
    expect(withoutPath(err)).toBe(
      `schedule: ${human} is not a whole number of minutes from 1 to 1440 (one day). Use e.g. Duration.minutes(5).`,
    );
  });

  test('GIVEN alarmTopic without schedule THEN refused: the alarm needs a schedule', () => {
    const err = configError(() => {
      const { stack, endpoint: consumer } = consumerStack();
      return new ConnectivityCheck(stack, 'Check', { endpoint: consumer, alarmTopic: new sns.Topic(stack, 'T') });
    });
    expect(withoutPath(err)).toBe(
      'alarmTopic is set without schedule: the alarm exists only for a scheduled check. Set schedule, e.g. Duration.minutes(5).',
    );
  });
});
