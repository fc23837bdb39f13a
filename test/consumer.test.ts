import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { ServiceProtocol } from '../src/service/protocol';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError } from './support/config-error';
import { groupId, logicalId, newStack } from './support/template';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const ENDPOINT = 'AWS::EC2::VPCEndpoint';
/** The rule CDK writes into a security group with allowAllOutbound: false and no egress: it matches nothing. */
const NO_TRAFFIC_EGRESS = {
  CidrIp: '255.255.255.255/32',
  Description: 'Disallow all traffic',
  IpProtocol: 'icmp',
  FromPort: 252,
  ToPort: 86,
};

describe('PrivateLinkConsumer with a service name', () => {
  // GIVEN a consumer of a literal service name, and a client security group allowed in (built once)
  const stack = newStack();
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) });
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: consumer.vpc, allowAllOutbound: false });
  const bystander = new ec2.SecurityGroup(stack, 'Bystander', { vpc: consumer.vpc, allowAllOutbound: false });
  consumer.allowFrom(client);
  const template = Template.fromStack(stack);
  const endpointSgId = logicalId(consumer.securityGroups[0]);

  test('THEN an interface endpoint to the service, private DNS off, in the consumer VPC subnets', () => {
    template.resourceCountIs(ENDPOINT, 1);
    template.hasResourceProperties(ENDPOINT, {
      VpcEndpointType: 'Interface',
      ServiceName: SERVICE_NAME,
      PrivateDnsEnabled: false,
      VpcId: { Ref: logicalId(consumer.vpc) },
      SecurityGroupIds: [groupId(consumer.securityGroups[0])],
      SubnetIds: [
        { Ref: Match.stringLikeRegexp('^ConsumerVpcIsolatedSubnet1') },
        { Ref: Match.stringLikeRegexp('^ConsumerVpcIsolatedSubnet2') },
      ],
    });
    expect(consumer.serviceName).toBe(SERVICE_NAME);
    expect(consumer.port).toBe(80);
  });

  test('THEN its own VPC is isolated: 2 subnets, no internet gateway, no NAT, default SG restricted', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('THEN the endpoint security group has no real egress (only CDK\'s no-traffic placeholder) and no inline ingress', () => {
    const sg = template.findResources('AWS::EC2::SecurityGroup')[endpointSgId];
    expect(sg.Properties.SecurityGroupEgress).toEqual([NO_TRAFFIC_EGRESS]);
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const egressFromEndpoint = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupId(consumer.securityGroups[0])),
    );
    expect(egressFromEndpoint).toEqual([]);
  });

  test('THEN allowFrom opens the port only from the allowed security group, with the matching egress', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(ingress.map((r) => r.Properties)).toEqual([
      {
        Description: 'to the PrivateLink endpoint',
        GroupId: groupId(consumer.securityGroups[0]),
        SourceSecurityGroupId: groupId(client),
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
      },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: groupId(client),
      DestinationSecurityGroupId: groupId(consumer.securityGroups[0]),
      FromPort: 80,
      ToPort: 80,
    });
    expect(JSON.stringify(ingress)).not.toContain(logicalId(bystander));
  });

  test('THEN nothing in the template is open to 0.0.0.0/0 or ::/0', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toContain('0.0.0.0/0');
    expect(json).not.toContain('::/0');
  });

  test('THEN dnsName is the DNS name of the first (regional) DNS entry', () => {
    expect(stack.resolve(consumer.dnsName)).toEqual({
      'Fn::Select': [
        1,
        { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalId(consumer.endpoint), 'DnsEntries'] }] }] },
      ],
    });
    expect(stack.resolve(consumer.endpointId)).toEqual({ Ref: logicalId(consumer.endpoint) });
  });
});

describe('PrivateLinkConsumer before allowFrom', () => {
  test('GIVEN no allowFrom call THEN the endpoint security group admits nothing', () => {
    const stack = newStack();
    new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { port: 8443 }), privateDnsEnabled: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^cdk-privatelink endpoint'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [NO_TRAFFIC_EGRESS],
    });
    // AND privateDnsEnabled: true is passed through
    template.hasResourceProperties(ENDPOINT, { PrivateDnsEnabled: true });
  });
});

describe('PrivateLinkConsumer given the provider in another stack of the same app', () => {
  // GIVEN a provider stack on 8080 and a consumer stack wired to the provider object (built once)
  const app = new App();
  const providerStack = new Stack(app, 'ProviderStack');
  const consumerStack = new Stack(app, 'ConsumerStack');
  const provider = new PrivateLinkProvider(providerStack, 'Provider', { port: 8080 });
  const consumer = new PrivateLinkConsumer(consumerStack, 'Consumer', { service: provider });
  const consumerTemplate = Template.fromStack(consumerStack);
  const providerTemplate = Template.fromStack(providerStack);
  // The provider stack exports the service ID (and, for the consumer's VPC placement, its subnets' AZ IDs).
  const exportName = Object.values(providerTemplate.toJSON().Outputs as Record<string, { Export: { Name: string } }>)
    .map((o) => o.Export.Name)
    .find((name) => name.includes('ExportsOutputRefProviderEndpointService'))!;

  test('THEN the provider stack exports the service ID', () => {
    expect(exportName).toMatch(/^ProviderStack:ExportsOutputRefProviderEndpointService/);
    providerTemplate.hasOutput('*', {
      Value: { Ref: Match.stringLikeRegexp('^ProviderEndpointService') },
      Export: { Name: exportName },
    });
  });

  test('THEN the endpoint imports the service name from the provider stack', () => {
    consumerTemplate.hasResourceProperties(ENDPOINT, {
      VpcEndpointType: 'Interface',
      ServiceName: { 'Fn::Join': ['.', ['com.amazonaws.vpce', { Ref: 'AWS::Region' }, { 'Fn::ImportValue': exportName }]] },
    });
  });

  test('THEN the consumer takes the provider port and depends on the provider stack', () => {
    expect(consumer.port).toBe(8080);
    expect(consumerStack.dependencies).toContain(providerStack);
  });
});

describe('PrivateLinkConsumer given tokens', () => {
  test('GIVEN a CfnParameter as the service name WHEN created THEN not validated, and the endpoint refers to it', () => {
    const stack = newStack();
    const serviceName = new CfnParameter(stack, 'ServiceName', { type: 'String' }).valueAsString;
    new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(serviceName) });
    Template.fromStack(stack).hasResourceProperties(ENDPOINT, { ServiceName: { Ref: 'ServiceName' } });
  });
});

describe('PrivateLinkService.fromServiceName rejects bad input', () => {
  const WHERE = 'PrivateLinkService.fromServiceName(): ';

  test('GIVEN a malformed service name THEN the message names the function, serviceName, the value and an example', () => {
    const err = configError(() => PrivateLinkService.fromServiceName('vpce-svc-0123456789abcdef0'));
    expect(err.problems).toHaveLength(1);
    expect(err.message).toBe(
      WHERE +
        'serviceName: "vpce-svc-0123456789abcdef0" is not a VPC endpoint service name. ' +
        'Use the name the provider team sends you (the PrivateLinkProvider stack output ServiceName), ' +
        'e.g. "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".',
    );
  });

  test('GIVEN an upper-case service name THEN the message says case is the problem and gives the lower-case name', () => {
    const err = configError(() => PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789ABCDEF0'));
    expect(err.message).toBe(
      WHERE +
        'serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789ABCDEF0" has upper-case letters: endpoint service names ' +
        'are all lower case. Use "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".',
    );
  });

  test('GIVEN a service name with white space around it THEN the message says so', () => {
    const err = configError(() => PrivateLinkService.fromServiceName(` ${SERVICE_NAME}\n`));
    expect(err.message).toBe(`${WHERE}serviceName: ${JSON.stringify(` ${SERVICE_NAME}\n`)} has white space around it. Use "${SERVICE_NAME}".`);
  });

  test.each([0, 65536, 1.5])('GIVEN port %d THEN the message names port and the range', (port) => {
    const err = configError(() => PrivateLinkService.fromServiceName(SERVICE_NAME, { port }));
    expect(err.message).toBe(`${WHERE}port: ${port} is not a TCP port. Use a whole number from 1 to 65535.`);
  });

  test('GIVEN a bad service name and a bad port THEN both are reported in one error', () => {
    const err = configError(() => PrivateLinkService.fromServiceName('nope', { port: -1 }));
    expect(err.problems).toEqual([
      expect.stringMatching(/^serviceName: "nope" is not a VPC endpoint service name/),
      'port: -1 is not a TCP port. Use a whole number from 1 to 65535.',
    ]);
    expect(err.message).toMatch(/^PrivateLinkService\.fromServiceName\(\): 2 configuration problems:\n {2}- serviceName: "nope"/);
  });

  test('GIVEN tls: true with protocol TCP THEN refused: they contradict', () => {
    const err = configError(() => PrivateLinkService.fromServiceName(SERVICE_NAME, { tls: true, protocol: ServiceProtocol.TCP, port: 5432 }));
    expect(err.message).toBe(
      `${WHERE}tls: true contradicts protocol TCP. Give one of them, or make them agree (tls: true with HTTPS or TLS, tls: false with HTTP or TCP).`,
    );
  });

  test('GIVEN protocol TCP without a port THEN refused: TCP has no usual port', () => {
    const err = configError(() => PrivateLinkService.fromServiceName(SERVICE_NAME, { protocol: ServiceProtocol.TCP }));
    expect(err.message).toBe(`${WHERE}port: missing for protocol TCP, which has no usual port. Give the port the service listens on, e.g. port: 5432.`);
  });

  test('GIVEN a bad private DNS name, an empty IP type list and a bad region THEN all three at once', () => {
    const err = configError(() =>
      PrivateLinkService.fromServiceName(SERVICE_NAME, { privateDnsName: 'api', supportedIpAddressTypes: [], allowedRegions: ['mars-1'] }),
    );
    expect(err.problems).toEqual([
      expect.stringMatching(/^privateDnsName: "api" is not a DNS name \(it has a single label\)/),
      expect.stringMatching(/^supportedIpAddressTypes: \[\] must name each IP address type once, and at least one/),
      expect.stringMatching(/^allowedRegions\[0\]: "mars-1" is not an AWS region code/),
    ]);
  });

  test('GIVEN only a name THEN port 80, no TLS, protocol unknown, IPv4, the region of the name, every account allowed (unknown)', () => {
    const service = PrivateLinkService.fromServiceName('com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0');
    expect(service).toMatchObject({ port: 80, tlsEnabled: false, protocol: undefined, region: 'eu-west-1', supportedIpAddressTypes: ['ipv4'] });
    expect(service.allowsAccount('123456789012')).toBe(true);
  });

  test('GIVEN tls: true THEN port 443, and the protocol left to the check (HTTPS on 443, TLS elsewhere)', () => {
    expect(PrivateLinkService.fromServiceName(SERVICE_NAME, { tls: true })).toMatchObject({ port: 443, tlsEnabled: true, protocol: undefined });
  });
});

describe('PrivateLinkConsumer rejects bad input', () => {
  test('GIVEN several bad props THEN every problem in one error, and nothing was created', () => {
    const stack = newStack({ env: { region: 'eu-west-1' } });
    const err = configError(
      () =>
        new PrivateLinkConsumer(stack, 'Consumer', {
          service: PrivateLinkService.fromServiceName(SERVICE_NAME),
          serviceRegion: 'nowhere',
          ipAddressType: ec2.VpcEndpointIpAddressType.IPV6,
          securityGroups: [],
        }),
    );
    expect(err.problems.map((p) => p.split(':')[0])).toEqual(['serviceRegion', 'ipAddressType', 'ipAddressType', 'securityGroups']);
    expect(err.message).toMatch(/^TestStack\/Consumer: 4 configuration problems:\n/);
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('TestStack/Consumer/'))).toEqual([]);
  });

  test('GIVEN an empty securityGroups list THEN refused, naming the construct path and the prop', () => {
    const err = configError(() => new PrivateLinkConsumer(newStack(), 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME), securityGroups: [] }));
    expect(err.message).toBe(
      'TestStack/Consumer: securityGroups: the list is empty. Give at least one security group, or leave it unset (a closed one is created).',
    );
  });
});

describe('Several endpoints in one VPC', () => {
  const API = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
  const DB = 'com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210';
  function vpcStack() {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    return { stack, vpc };
  }

  test('GIVEN two services with private DNS and a second endpoint without it THEN all three synthesize', () => {
    const { stack, vpc } = vpcStack();
    new PrivateLinkConsumer(stack, 'Api', { vpc, service: PrivateLinkService.fromServiceName(API), privateDnsEnabled: true });
    new PrivateLinkConsumer(stack, 'Db', { vpc, service: PrivateLinkService.fromServiceName(DB), privateDnsEnabled: true });
    new PrivateLinkConsumer(stack, 'ApiAgain', { vpc, service: PrivateLinkService.fromServiceName(API) });
    const endpoints = Object.values(Template.fromStack(stack).findResources(ENDPOINT));
    expect(endpoints.map((e) => e.Properties.PrivateDnsEnabled)).toEqual([true, true, false]);
  });

  test('GIVEN a second endpoint with private DNS to the same service in the same VPC THEN refused, naming the first and privateDnsEnabled', () => {
    const { stack, vpc } = vpcStack();
    new PrivateLinkConsumer(stack, 'Api', { vpc, service: PrivateLinkService.fromServiceName(API), privateDnsEnabled: true });
    const err = configError(
      () => new PrivateLinkConsumer(stack, 'ApiTwice', { vpc, service: PrivateLinkService.fromServiceName(API), privateDnsEnabled: true }),
    );
    expect(err.message).toBe(
      'TestStack/ApiTwice: privateDnsEnabled: TestStack/Api already enables private DNS for this service in this VPC, and AWS allows one ' +
        'endpoint per service with private DNS in a VPC (the second fails at deploy). Set privateDnsEnabled: false here and call this ' +
        'endpoint by its dnsName, or use TestStack/Api for both.',
    );
  });

  test('GIVEN the same provider object in two stacks that share an imported VPC THEN the second is refused too', () => {
    const app = new App();
    const provider = new PrivateLinkProvider(new Stack(app, 'P'), 'Provider', {
      privateDns: { domainName: 'api.example.com' },
    });
    provider.allowAccount('111111111111');
    const attrs = { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'] };
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    new PrivateLinkConsumer(a, 'Endpoint', { vpc: ec2.Vpc.fromVpcAttributes(a, 'Vpc', attrs), service: provider, privateDnsEnabled: true });
    const err = configError(
      () => new PrivateLinkConsumer(b, 'Endpoint', { vpc: ec2.Vpc.fromVpcAttributes(b, 'Vpc', attrs), service: provider, privateDnsEnabled: true }),
    );
    expect(err.message).toMatch(/^B\/Endpoint: privateDnsEnabled: A\/Endpoint already enables private DNS for this service in this VPC/);
  });
});
