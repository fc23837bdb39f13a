/**
 * The scheduled side of the connectivity check: an EventBridge rule that invokes the function, the
 * custom metrics the function writes as Embedded Metric Format log lines, and an alarm on failure.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The CloudWatch namespace of the check's metrics. */
export const CHECK_METRICS_NAMESPACE = 'cdk-privatelink';
/** The dimension of the check's metrics: which check (`<stack name>/<path of the check in the stack>`). */
export const CHECK_METRICS_DIMENSION = 'Check';

/** The value of the `Check` dimension of a check construct. */
export function checkDimensionValue(check: Construct): string {
  const stack = Stack.of(check);
  const inStack = check.node.path.slice(stack.node.path.length + 1);
  return `${stack.stackName}/${inStack}`;
}

/**
 * The EMF directive the function completes at each run: namespace, dimension and the two metrics
 * (Success 1/0 and Latency in ms), with the dimension's value.
 */
export function emfTemplate(dimensionValue: string): string {
  return JSON.stringify({
    _aws: {
      CloudWatchMetrics: [
        {
          Namespace: CHECK_METRICS_NAMESPACE,
          Dimensions: [[CHECK_METRICS_DIMENSION]],
          Metrics: [
            { Name: 'Success', Unit: 'Count' },
            { Name: 'Latency', Unit: 'Milliseconds' },
          ],
        },
      ],
    },
    [CHECK_METRICS_DIMENSION]: dimensionValue,
  });
}

/** One of the check's metrics. */
export function checkMetric(
  dimensionValue: string,
  metricName: 'Success' | 'Latency',
  period: Duration,
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: CHECK_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [CHECK_METRICS_DIMENSION]: dimensionValue },
    period,
    statistic: metricName === 'Success' ? cloudwatch.Stats.MINIMUM : cloudwatch.Stats.MAXIMUM,
    ...options,
  });
}

export interface ScheduledCheckParts {
  readonly rule: events.Rule;
  readonly alarm: cloudwatch.Alarm;
}

/**
 * Runs `fn` every `schedule` and alarms when a run fails or no run reports (missing data is treated as
 * breaching: a check that stopped running is a failure too).
 */
export function scheduleCheck(
  scope: Construct,
  fn: lambda.IFunction,
  schedule: Duration,
  success: cloudwatch.Metric,
  alarmTopic?: sns.ITopic,
): ScheduledCheckParts {
  const rule = new events.Rule(scope, 'Schedule', {
    description: 'cdk-privatelink: runs the connectivity check',
    schedule: events.Schedule.rate(schedule),
  });
  // No retry: a second run of the same tick would only add a data point.
  rule.addTarget(new eventsTargets.LambdaFunction(fn, { event: events.RuleTargetInput.fromObject({}), retryAttempts: 0 }));

  const alarm = new cloudwatch.Alarm(scope, 'FailureAlarm', {
    alarmDescription:
      'cdk-privatelink: the connectivity check failed, or did not run. Its log group holds the result of each run with the error code and what to look at.',
    metric: success,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  if (alarmTopic) {
    const action = new cloudwatchActions.SnsAction(alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return { rule, alarm };
}
