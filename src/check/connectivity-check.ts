import { Annotations, CfnResource, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IPrivateLinkEndpoint } from '../consumer/endpoint';
import { throwIfProblems } from '../errors';
import { createHandlerFunction } from '../shared/handler-function';
import { checkScheduleMinutes, MAX_SCHEDULE_MINUTES } from '../validate';
import { checkDimensionValue, checkMetric, emfTemplate, scheduleCheck } from './schedule';
import { ServiceProtocol } from '../service/protocol';
import { CHECK_FUNCTION_METADATA } from '../stack-names';

/** The protocol the check speaks to the endpoint. */
export enum CheckProtocol {
  /** Plain HTTP: a request, whose status (and body) is checked. */
  HTTP = 'http',
  /** HTTPS, verifying the certificate against the host name used. */
  HTTPS = 'https',
  /** TCP: the connection opens (nothing is sent). For any service: databases, direct NLB backends. */
  TCP = 'tcp',
  /** TLS: TCP and a TLS handshake that verifies the certificate against the host name; no HTTP. */
  TLS = 'tls',
}

/** Properties of a {@link ConnectivityCheck}. */
export interface ConnectivityCheckProps {
  /**
   * The endpoint the check calls, from inside its VPC: a `PrivateLinkConsumer`, or one imported with
   * `PrivateLinkConsumer.fromEndpointAttributes()`.
   */
  readonly endpoint: IPrivateLinkEndpoint;

  /**
   * The protocol to use.
   * @default - what the service speaks (`endpoint.protocol`): HTTPS when it has TLS, HTTP for an ALB
   * without TLS, TCP for direct NLB targets; when that is unknown, HTTPS on port 443, HTTP on 80 and TCP
   * on any other port (with a synth warning)
   */
  readonly protocol?: CheckProtocol;

  /**
   * The host name to call (set it to the private DNS name for HTTPS, so the certificate matches).
   * @default - the consumer's private DNS name when it has one, otherwise the endpoint's regional DNS name
   */
  readonly hostname?: string;

  /**
   * The request path (HTTP and HTTPS only).
   * @default '/'
   */
  readonly path?: string;

  /**
   * Text the response body must contain for the check to pass (HTTP and HTTPS only).
   * @default - any body
   */
  readonly expectedBody?: string;

  /**
   * The status code the response must have (HTTP and HTTPS only).
   * @default 200
   */
  readonly expectedStatus?: number;

  /**
   * How long one check may take in all (DNS, connect, TLS, response). The function times out 5 s later.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Run the check on this schedule (whole minutes, 1 minute to 1 day): an EventBridge rule invokes the
   * function, each run writes the custom metrics `Success` (1 or 0) and `Latency` (ms) in namespace
   * `cdk-privatelink`, dimension `Check`, and an alarm fires when a run fails or none reports.
   * @default - no schedule: the check runs when invoked
   */
  readonly schedule?: Duration;

  /**
   * SNS topic notified when the alarm fires and when it clears. Needs `schedule`.
   * @default - the alarm notifies nobody
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A Lambda function in the endpoint's VPC that calls the endpoint (HTTP, HTTPS, TCP or TLS) and returns
 * `{ ok, url, statusCode?, body?, latencyMs }`, plus `error` when the check fails. Its security group
 * allows nothing but the endpoint port to the endpoint. Invoke it with `aws lambda invoke` or
 * `privatelink check`.
 */
export class ConnectivityCheck extends Construct implements ec2.IConnectable {
  /** The check function. */
  public readonly function: lambda.Function;
  /** What the check calls: `http(s)://host:port/path`, `tcp://host:port` or `tls://host:port`. */
  public readonly url: string;
  /** The protocol the check speaks. */
  public readonly protocol: CheckProtocol;
  /** The function's network rules. */
  public readonly connections: ec2.Connections;
  /** The EventBridge rule that runs the check, when `schedule` is set. */
  public readonly rule?: events.Rule;
  /** The alarm on a failed or missing run, when `schedule` is set. */
  public readonly alarm?: cloudwatch.Alarm;

  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: ConnectivityCheckProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(5);
    const endpoint = props.endpoint;
    const protocol = props.protocol ?? this.defaultProtocol(endpoint);
    const http = protocol === CheckProtocol.HTTP || protocol === CheckProtocol.HTTPS;
    const httpOnly = (input: string, given: unknown) =>
      given !== undefined && !http
        ? `${input}: the check speaks ${protocol.toUpperCase()} (no HTTP request), so ${input} would be ignored. ` +
          'Set protocol: CheckProtocol.HTTP or HTTPS, or remove it.'
        : undefined;
    throwIfProblems([
      props.expectedStatus !== undefined && !Token.isUnresolved(props.expectedStatus)
        ? statusProblem(props.expectedStatus)
        : undefined,
      httpOnly('path', props.path),
      httpOnly('expectedBody', props.expectedBody),
      httpOnly('expectedStatus', props.expectedStatus),
      !timeout.isUnresolved() && (timeout.toMilliseconds() < 100 || timeout.toMilliseconds() > 60_000)
        ? `timeout: ${timeout.toHumanString()} is out of range. Use a duration from 100 ms to 60 s.`
        : undefined,
      props.path !== undefined && !props.path.startsWith('/')
        ? `path: ${JSON.stringify(props.path)} must start with "/". Use e.g. "/health".`
        : undefined,
      props.schedule !== undefined &&
      !props.schedule.isUnresolved() &&
      checkScheduleMinutes('schedule', props.schedule.toSeconds() / 60) !== undefined
        ? `schedule: ${props.schedule.toHumanString()} is not a whole number of minutes from 1 to ${MAX_SCHEDULE_MINUTES} (one day). Use e.g. Duration.minutes(5).`
        : undefined,
      props.alarmTopic !== undefined && props.schedule === undefined
        ? 'alarmTopic is set without schedule: the alarm exists only for a scheduled check. Set schedule, e.g. Duration.minutes(5).'
        : undefined,
    ], this);
    this.period = props.schedule ?? Duration.minutes(5);
    this.protocol = protocol;

    const tls = protocol === CheckProtocol.HTTPS || protocol === CheckProtocol.TLS;
    const host = props.hostname ?? endpoint.privateDnsName ?? endpoint.dnsName;
    if (tls && props.hostname === undefined && endpoint.privateDnsName === undefined) {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:checkTlsHostname',
        `The check speaks ${protocol.toUpperCase()} to the endpoint's own DNS name (vpce-...), which no certificate covers: TLS ` +
          'verification will fail. Enable private DNS on the consumer (privateDnsEnabled) or set hostname to a name ' +
          "on the provider's certificate that resolves to the endpoint.",
      );
    }
    this.url = http ? `${protocol}://${host}:${endpoint.port}${props.path ?? '/'}` : `${protocol}://${host}:${endpoint.port}`;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: endpoint.vpc,
      description: 'cdk-privatelink connectivity check: egress to the endpoint port only, no ingress',
      allowAllOutbound: false,
    });
    // Least privilege instead of CDK's two managed policies: logs to its log group only, plus the
    // network-interface actions Lambda needs to attach the function to the VPC.
    this.function = createHandlerFunction(this, {
      handler: 'check',
      description: 'cdk-privatelink: calls the PrivateLink endpoint and reports what happened, with latency',
      timeout: Duration.seconds(Math.ceil(timeout.toMilliseconds() / 1000) + 5),
      policyName: 'CheckExecution',
      logRetention: props.logRetention,
      statements: [
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      ],
      wildcardReason:
        'The network-interface actions a VPC Lambda needs (the set AWSLambdaVPCAccessExecutionRole grants): Describe* has no resource-level permissions and Lambda checks them unscoped when the function is created.',
      vpc: endpoint.vpc,
      vpcSubnets: endpoint.subnets,
      securityGroups: [securityGroup],
      environment: {
        CHECK_URL: this.url,
        TIMEOUT_MS: String(timeout.toMilliseconds()),
        ...(http ? { EXPECTED_STATUS: String(props.expectedStatus ?? 200) } : {}),
        ...(props.expectedBody !== undefined ? { EXPECTED_BODY: props.expectedBody } : {}),
        ...(props.schedule !== undefined ? { EMF: emfTemplate(checkDimensionValue(this)) } : {}),
      },
      // In a dual-stack consumer VPC the check may reach the endpoint over IPv6 as well.
      ...(endpoint.ipAddressType === ec2.VpcEndpointIpAddressType.DUALSTACK ? { ipv6AllowedForDualStack: true } : {}),
    });
    // The CLI finds the check among a stack's functions by this (`privatelink check --stack <any stack>`).
    (this.function.node.defaultChild as CfnResource).addMetadata(CHECK_FUNCTION_METADATA.key, CHECK_FUNCTION_METADATA.value);
    this.connections = this.function.connections;
    endpoint.connections.allowFrom(this.function, ec2.Port.tcp(endpoint.port), 'to the PrivateLink endpoint');

    if (props.schedule !== undefined) {
      const parts = scheduleCheck(this, this.function, props.schedule, this.metricSuccess(), props.alarmTopic);
      this.rule = parts.rule;
      this.alarm = parts.alarm;
    }
  }

  /** The protocol that `endpoint.protocol` implies, or the port when the service's protocol is unknown. */
  private defaultProtocol(endpoint: IPrivateLinkEndpoint): CheckProtocol {
    if (endpoint.protocol !== undefined) return SERVICE_TO_CHECK[endpoint.protocol];
    if (endpoint.tlsEnabled) return endpoint.port === 443 ? CheckProtocol.HTTPS : CheckProtocol.TLS;
    if (Token.isUnresolved(endpoint.port)) return CheckProtocol.TCP;
    if (endpoint.port === 443) return CheckProtocol.HTTPS;
    if (endpoint.port === 80) return CheckProtocol.HTTP;
    Annotations.of(this).addWarningV2(
      'cdk-privatelink:checkProtocol',
      `What the service speaks on port ${endpoint.port} is unknown, so the check only opens a TCP connection. For a ` +
        'request-level check set protocol (CheckProtocol.HTTP, HTTPS or TLS), or say what the service speaks: ' +
        'PrivateLinkService.fromServiceName(name, { protocol }).',
    );
    return CheckProtocol.TCP;
  }

  /**
   * Whether the runs succeeded: 1 per successful run, 0 per failed one (minimum over the period by
   * default). Written only when `schedule` is set.
   */
  public metricSuccess(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return checkMetric(checkDimensionValue(this), 'Success', this.period, options);
  }

  /** The latency of the runs in milliseconds (maximum over the period by default). Written only when `schedule` is set. */
  public metricLatency(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return checkMetric(checkDimensionValue(this), 'Latency', this.period, options);
  }
}

function statusProblem(status: number): string | undefined {
  return Number.isInteger(status) && status >= 100 && status <= 599
    ? undefined
    : `expectedStatus: ${status} is not an HTTP status code. Use a whole number from 100 to 599, e.g. 200.`;
}

const SERVICE_TO_CHECK: Record<ServiceProtocol, CheckProtocol> = {
  [ServiceProtocol.HTTP]: CheckProtocol.HTTP,
  [ServiceProtocol.HTTPS]: CheckProtocol.HTTPS,
  [ServiceProtocol.TLS]: CheckProtocol.TLS,
  [ServiceProtocol.TCP]: CheckProtocol.TCP,
};
