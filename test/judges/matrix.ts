/**
 * The configurations the external judges (cfn-lint, cdk-nag) run over. Each builds one App; add a row
 * for every new capability so that it is judged like the rest.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../../app/app';
import { readConfig } from '../../app/config';
import { ConnectivityCheck, PrivateLinkConsumer, PrivateLinkProvider, ProviderBackend } from '../../src';

export interface Scenario {
  readonly name: string;
  readonly build: (app: App) => void;
}

const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const ENV = { account: '111111111111', region: 'us-east-1' };

/** Context of every scenario app: AZs for env-aware stacks (no lookup) and the bucket-policy log flag. */
export const SCENARIO_CONTEXT = {
  [`availability-zones:account=${ENV.account}:region=${ENV.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

function fromConfig(env: NodeJS.ProcessEnv): (app: App) => void {
  return (app) => {
    buildApp(app, readConfig(env, () => undefined));
  };
}

export const SCENARIOS: Scenario[] = [
  { name: 'app-demo', build: fromConfig({}) },
  { name: 'app-provider-manual', build: fromConfig({ CONSUMER_ACCOUNT_ID: '222222222222,333333333333' }) },
  { name: 'app-provider-auto', build: fromConfig({ CONSUMER_ACCOUNT_ID: '222222222222', ACCEPTANCE: 'auto' }) },
  { name: 'app-consumer', build: fromConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE }) },
  {
    name: 'app-both-sides',
    build: fromConfig({ CONSUMER_ACCOUNT_ID: '222222222222', PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE }),
  },
  {
    name: 'lib-existing-listener-and-vpc-with-access-logs',
    build: (app) => {
      const stack = new Stack(app, 'ExistingBackend', { env: ENV });
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        restrictDefaultSecurityGroup: true,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
        flowLogs: { all: {} },
      });
      const albSg = new ec2.SecurityGroup(stack, 'AlbSg', { vpc, allowAllOutbound: false });
      const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', {
        vpc,
        securityGroup: albSg,
        dropInvalidHeaderFields: true,
      });
      const listener = alb.addListener('Http', {
        port: 8080,
        open: false,
        defaultAction: elbv2.ListenerAction.fixedResponse(200, { messageBody: 'ok' }),
      });
      const logs = new s3.Bucket(stack, 'AccessLogs', {
        enforceSSL: true,
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsPrefix: 'self/',
      });
      alb.logAccessLogs(logs, 'user-alb');
      new PrivateLinkProvider(stack, 'Provider', {
        vpc,
        backend: ProviderBackend.applicationListener(listener),
        allowedPrincipals: ['arn:aws:iam::222222222222:role/Consumer'],
        accessLogBucket: logs,
      });
    },
  },
  {
    name: 'lib-consumer-private-dns-custom-port',
    build: (app) => {
      const stack = new Stack(app, 'ConsumerPrivateDns', { env: ENV });
      const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
        serviceName: SERVICE,
        port: 8443,
        privateDnsEnabled: true,
      });
      new ConnectivityCheck(stack, 'Check', { consumer, hostname: 'api.example.com', path: '/health' });
    },
  },
  {
    // The shape of integ/integ.cross-account.ts: the consumer gets the service name from another stack.
    name: 'lib-cross-stack-service-name-manual-acceptance',
    build: (app) => {
      const consumerStack = new Stack(app, 'CrossStackConsumer');
      const provider = new PrivateLinkProvider(new Stack(app, 'CrossStackProvider'), 'Service', { acceptanceRequired: true });
      provider.allowAccount(consumerStack.account);
      const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', { serviceName: provider.serviceName });
      new ConnectivityCheck(consumerStack, 'Check', { consumer, expectedBody: 'Hello from ALB!' });
    },
  },
];
