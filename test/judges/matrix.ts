/**
 * The configurations the external judges (cfn-lint, cdk-nag) run over. Each builds one App; add a row
 * for every new capability so that it is judged like the rest.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildApp } from '../../app/app';
import { readConfig } from '../../app/config';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ConnectivityCheck,
  ConsumerRollout,
  PrivateLinkConsumer,
  PrivateLinkProvider,
  PrivateLinkResource,
  PrivateLinkResourceEndpoint,
  PrivateLinkService,
  ProviderBackend,
  ResourceGatewayIpAddressType,
  ResourceTarget,
  RolloutCallAs,
  RolloutVpc,
  ServiceProtocol,
} from '../../src';

export interface Scenario {
  readonly name: string;
  readonly build: (app: App) => void;
}

const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const ENV = { account: '111111111111', region: 'us-east-1' };
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef';

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

/** A user's own VPC, as a careful user builds it: isolated subnets, default SG restricted, flow logs. */
function userVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: true,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: {} },
  });
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
    name: 'lib-existing-listener-and-access-logs',
    build: (app) => {
      const stack = new Stack(app, 'ExistingBackend', { env: ENV });
      const vpc = userVpc(stack);
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
      });
      // The built-in ALB of a second provider logs to the same bucket.
      new PrivateLinkProvider(stack, 'ProviderWithLogs', { accessLogBucket: logs, allowedPrincipals: ['222222222222'] });
    },
  },
  {
    name: 'lib-consumer-private-dns-custom-port',
    build: (app) => {
      const stack = new Stack(app, 'ConsumerPrivateDns', { env: ENV });
      const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
        service: PrivateLinkService.fromServiceName(SERVICE, { port: 8443, protocol: ServiceProtocol.HTTPS }),
        privateDnsEnabled: true,
      });
      new ConnectivityCheck(stack, 'Check', { endpoint: consumer, hostname: 'api.example.com', path: '/health' });
    },
  },
  {
    name: 'app-demo-dual-stack-cross-region-scheduled',
    build: fromConfig({ IP_ADDRESS_TYPE: 'dualstack', ALLOWED_REGIONS: 'eu-west-1', CHECK_SCHEDULE_MINUTES: '5' }),
  },
  {
    name: 'app-consumer-cross-region-dual-stack',
    build: fromConfig({
      PROVIDER_VPC_ENDPOINT_SERVICE_NAME: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      SERVICE_REGION: 'eu-west-1',
      IP_ADDRESS_TYPE: 'dualstack',
    }),
  },
  {
    name: 'lib-direct-nlb-ip-targets-cross-region',
    build: (app) => {
      const stack = new Stack(app, 'DirectNlb', { env: ENV });
      new PrivateLinkProvider(stack, 'Provider', {
        port: 5432,
        backend: ProviderBackend.networkTargets([new targets.IpTarget('10.0.0.10'), new targets.IpTarget('10.0.1.10')]),
        allowedPrincipals: ['222222222222'],
        allowedRegions: ['eu-west-1', 'ap-northeast-1'],
        supportedIpAddressTypes: [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6],
      });
    },
  },
  {
    name: 'lib-existing-nlb-and-1000-principals',
    build: (app) => {
      const stack = new Stack(app, 'ExistingNlb', { env: ENV });
      const vpc = userVpc(stack);
      const targetSg = new ec2.SecurityGroup(stack, 'TargetSg', { vpc, allowAllOutbound: false });
      const nlbSg = new ec2.SecurityGroup(stack, 'NlbSg', { vpc, allowAllOutbound: false });
      nlbSg.connections.allowTo(targetSg, ec2.Port.tcp(443));
      const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, securityGroups: [nlbSg] });
      nlb.addListener('Tls', {
        port: 443,
        defaultTargetGroups: [
          new elbv2.NetworkTargetGroup(stack, 'Tg', {
            vpc,
            port: 443,
            targets: [new targets.IpTarget('10.0.0.20')],
          }),
        ],
      });
      const bucket = new s3.Bucket(stack, 'Logs', {
        enforceSSL: true,
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsPrefix: 'self/',
      });
      nlb.logAccessLogs(bucket, 'user-nlb');
      const provider = new PrivateLinkProvider(stack, 'Provider', {
        backend: ProviderBackend.existingNetworkLoadBalancer(nlb, { port: 443 }),
      });
      for (let i = 0; i < 1000; i++) provider.allowPrincipal(String(100_000_000_000 + i));
    },
  },
  {
    name: 'lib-scheduled-check-with-alarm-topic',
    build: (app) => {
      const stack = new Stack(app, 'ScheduledCheck', { env: ENV });
      const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE) });
      const key = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true });
      const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
      new ConnectivityCheck(stack, 'Check', { endpoint: consumer, schedule: Duration.minutes(1), alarmTopic: topic });
    },
  },
  {
    name: 'app-demo-https-private-dns-verified-in-zone',
    build: fromConfig({
      CERTIFICATE_ARN,
      PRIVATE_DNS_NAME: 'api.example.com',
      HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
      CONSUMER_PRIVATE_DNS: 'true',
    }),
  },
  {
    name: 'app-provider-https-private-dns-record-for-the-user',
    build: fromConfig({ CONSUMER_ACCOUNT_ID: '222222222222', CERTIFICATE_ARN, PRIVATE_DNS_NAME: 'api.example.com' }),
  },
  {
    name: 'app-consumer-https-private-dns',
    build: fromConfig({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE, CONSUMER_PRIVATE_DNS: 'true', SERVICE_PORT: '443' }),
  },
  {
    name: 'lib-tls-policy-plain-http-zone-and-consumer-without-preflight',
    build: (app) => {
      const stack = new Stack(app, 'TlsEverything', { env: ENV });
      const provider = new PrivateLinkProvider(stack, 'Provider', {
        tls: {
          certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
          sslPolicy: elbv2.SslPolicy.TLS13_13,
          allowPlainHttp: true,
        },
        privateDns: {
          domainName: 'api.internal.example.com',
          publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', {
            hostedZoneId: 'Z0123456789ABCDEFGHIJ',
            zoneName: 'example.com',
          }),
          verificationTimeout: Duration.minutes(14),
        },
        // One IAM role of this account (why the preflight is off: its own role would not see the service).
        allowedPrincipals: ['222222222222', 'arn:aws:iam::111111111111:role/Deployer'],
      });
      const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
        service: provider,
        privateDnsEnabled: true,
        preflightEnabled: false,
      });
      new ConnectivityCheck(stack, 'Check', { endpoint: consumer, expectedBody: 'Hello from ALB!' });
    },
  },
  {
    // The shape of integ/integ.cross-account.ts: the consumer gets the service name from another stack.
    name: 'lib-cross-stack-service-name-manual-acceptance',
    build: (app) => {
      const consumerStack = new Stack(app, 'CrossStackConsumer');
      const provider = new PrivateLinkProvider(new Stack(app, 'CrossStackProvider'), 'Service', { acceptanceRequired: true });
      provider.allowAccount(consumerStack.account);
      const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', {
        service: PrivateLinkService.fromServiceName(provider.serviceName, { port: provider.port, protocol: provider.protocol }),
      });
      new ConnectivityCheck(consumerStack, 'Check', { endpoint: consumer, expectedBody: 'Hello from ALB!' });
    },
  },
  {
    name: 'lib-provider-lifecycle',
    build: (app) => {
      const stack = new Stack(app, 'ProviderLifecycle', { env: ENV });
      new PrivateLinkProvider(stack, 'Provider', {
        allowedPrincipals: ['222222222222', '333333333333'],
        autoAcceptAccounts: ['222222222222'],
        notifications: {},
        rejectConnectionsOnDelete: true,
      });
    },
  },
  {
    name: 'lib-provider-notifications-own-topic',
    build: (app) => {
      const stack = new Stack(app, 'ProviderOwnTopic');
      const masterKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
      const topic = new sns.Topic(stack, 'Ops', { masterKey, enforceSSL: true });
      new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['222222222222'], notifications: { topic } });
    },
  },
  // PrivateLink for resources (resource gateway, resource configuration, RAM share, resource endpoint)
  {
    name: 'app-resource-provider-rds-shared',
    build: fromConfig({ RESOURCE_TARGET: 'arn:aws:rds:us-east-1:111111111111:db:orders', RESOURCE_PORT: '5432', CONSUMER_ACCOUNT_ID: '222222222222' }),
  },
  { name: 'app-resource-demo-dns-name', build: fromConfig({ RESOURCE_TARGET: 'db.internal.example.com', RESOURCE_PORT: '3306' }) },
  {
    name: 'app-resource-consumer-scheduled',
    build: fromConfig({
      RESOURCE_CONFIGURATION_ARN: 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0',
      RESOURCE_PORT: '5432',
      CHECK_SCHEDULE_MINUTES: '5',
    }),
  },
  {
    name: 'lib-resource-ip-ranges-org-share-own-vpc',
    build: (app) => {
      const stack = new Stack(app, 'ResourceLib', { env: ENV });
      const vpc = userVpc(stack);
      const resource = new PrivateLinkResource(stack, 'Cache', {
        vpc,
        target: ResourceTarget.ipAddress('10.0.1.20'),
        portRanges: [{ fromPort: 6379 }, { fromPort: 7000, toPort: 7005 }],
        shareWith: [
          'arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ab12-cdef3456',
          'arn:aws:organizations::111111111111:organization/o-exampleorg1',
        ],
        ipAddressType: ResourceGatewayIpAddressType.IPV4,
      });
      const consumerStack = new Stack(app, 'ResourceLibConsumer', { env: ENV });
      const endpoint = new PrivateLinkResourceEndpoint(consumerStack, 'Cache', { resource });
      new ConnectivityCheck(consumerStack, 'Check', { endpoint });
      const web = new PrivateLinkResourceEndpoint(consumerStack, 'Web', {
        resource: PrivateLinkResource.fromResourceConfigurationArn(
          'arn:aws:vpc-lattice:us-east-1:333333333333:resourceconfiguration/rcfg-0123456789abcdef1',
          { port: 443, protocol: ServiceProtocol.HTTPS },
        ),
        vpc: endpoint.vpc,
      });
      new ConnectivityCheck(consumerStack, 'WebCheck', { endpoint: web, hostname: 'api.example.com' });
    },
  },
  {
    name: 'app-provider-ous-consumer-stack-set',
    build: fromConfig({
      CONSUMER_ORGANIZATIONAL_UNITS: 'ou-ab12-cdefgh34',
      CONSUMER_ACCOUNT_ID: '222222222222',
      PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE,
      CONSUMER_REGIONS: 'us-east-1',
    }),
  },
  {
    name: 'lib-provider-principals-from-ous-with-read-role',
    build: (app) => {
      const stack = new Stack(app, 'ProviderOus', { env: ENV });
      new PrivateLinkProvider(stack, 'Provider', {
        allowedPrincipals: ['222222222222'],
        allowedOrganizationalUnits: ['ou-ab12-cdefgh34', 'r-ab12'],
        organizationsReadRole: iam.Role.fromRoleArn(stack, 'OrgRead', 'arn:aws:iam::999999999999:role/OrganizationsRead'),
      });
      new PrivateLinkProvider(new Stack(app, 'ProviderOusDirect'), 'Provider', { allowedOrganizationalUnits: ['ou-ab12-cdefgh34'] });
    },
  },
  {
    // The StackSet (outer template) and its member templates (nested stages): both judged.
    name: 'lib-consumer-rollout-ssm-and-isolated',
    build: (app) => {
      const stack = new Stack(app, 'Rollout', { env: ENV });
      const service = PrivateLinkService.fromServiceName(SERVICE, { allowedRegions: ['eu-west-1'] });
      new ConsumerRollout(stack, 'Ssm', {
        service,
        organizationalUnits: ['ou-ab12-cdefgh34'],
        accounts: ['222222222222'],
        regions: ['us-east-1', 'eu-west-1'],
        vpc: RolloutVpc.fromSsmParameters(),
        callAs: RolloutCallAs.DELEGATED_ADMIN,
      });
      new ConsumerRollout(stack, 'Isolated', {
        service,
        organizationalUnits: ['r-ab12'],
        regions: ['us-east-1'],
        vpc: RolloutVpc.isolated(),
        check: false,
      });
    },
  },
  {
    // Several endpoints in one VPC (one with private DNS per service), each with its check, sharing the
    // stack's one preflight function; the provider object of another stack of the app as one service.
    name: 'lib-multi-consumer-one-vpc',
    build: (app) => {
      const provider = new PrivateLinkProvider(new Stack(app, 'MultiProvider', { env: ENV }), 'Service', { allowedPrincipals: [ENV.account] });
      const stack = new Stack(app, 'MultiConsumer', { env: ENV });
      const vpc = userVpc(stack);
      const api = PrivateLinkService.fromServiceName(SERVICE, { tls: true, privateDnsName: 'api.example.com' });
      const db = PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210', {
        protocol: ServiceProtocol.TCP,
        port: 5432,
      });
      const endpoints = [
        new PrivateLinkConsumer(stack, 'Api', { vpc, service: api, privateDnsEnabled: true }),
        new PrivateLinkConsumer(stack, 'ApiWithoutDns', { vpc, service: api }),
        new PrivateLinkConsumer(stack, 'Db', { vpc, service: db }),
        new PrivateLinkConsumer(stack, 'Demo', { vpc, service: provider }),
      ];
      endpoints.forEach((endpoint, i) => new ConnectivityCheck(stack, `Check${i}`, { endpoint }));
    },
  },
  {
    // An endpoint made elsewhere (imported VPC and security group), watched by a scheduled TLS check.
    name: 'lib-imported-endpoint-check',
    build: (app) => {
      const stack = new Stack(app, 'ImportedEndpoint', { env: ENV });
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      });
      const endpoint = PrivateLinkConsumer.fromEndpointAttributes(stack, 'Endpoint', {
        vpc,
        endpointId: 'vpce-0123456789abcdef0',
        dnsName: 'vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
        privateDnsName: 'db.example.com',
        port: 5432,
        protocol: ServiceProtocol.TLS,
        securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'EndpointSg', 'sg-0123456789abcdef0', { mutable: true })],
      });
      new ConnectivityCheck(stack, 'Check', { endpoint, schedule: Duration.minutes(5) });
    },
  },
];
