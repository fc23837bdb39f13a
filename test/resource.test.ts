import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  CheckProtocol,
  ConnectivityCheck,
  PrivateLinkResource,
  PrivateLinkResourceEndpoint,
  type PrivateLinkResourceProps,
  ResourceGatewayIpAddressType,
  ResourceTarget,
  ServiceProtocol,
} from '../src';
import { configError } from './support/config-error';
import { groupId, logicalId, newStack } from './support/template';

const GATEWAY = 'AWS::VpcLattice::ResourceGateway';
const CONFIGURATION = 'AWS::VpcLattice::ResourceConfiguration';
const SHARE = 'AWS::RAM::ResourceShare';
const ENDPOINT = 'AWS::EC2::VPCEndpoint';
const RDS_ARN = 'arn:aws:rds:us-east-1:111111111111:db:orders';
const CONFIG_ARN = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
const OU = 'arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ab12-cdef3456';
const ORG = 'arn:aws:organizations::111111111111:organization/o-exampleorg1';


describe('PrivateLinkResource: an RDS database shared with one account', () => {
  // GIVEN (built once)
  const stack = newStack();
  const resource = new PrivateLinkResource(stack, 'Db', {
    target: ResourceTarget.arn(RDS_ARN),
    port: 5432,
    shareWith: ['222222222222'],
  });
  const template = Template.fromStack(stack);
  const gatewaySg = logicalId(resource.gateway.securityGroup);

  test('THEN a resource gateway in the isolated VPC created here, in its two subnets, with its own security group', () => {
    template.resourceCountIs(GATEWAY, 1);
    template.hasResourceProperties(GATEWAY, {
      VpcIdentifier: { Ref: logicalId(resource.vpc) },
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^DbVpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^DbVpcIsolatedSubnet2') }],
      SecurityGroupIds: [{ 'Fn::GetAtt': [gatewaySg, 'GroupId'] }],
      IpAddressType: 'IPV4',
      Name: Match.stringLikeRegexp('^[a-z0-9]+(-[a-z0-9]+)*$'),
    });
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('THEN a configuration of type ARN naming the database, with no port ranges (AWS takes the database port)', () => {
    template.hasResourceProperties(CONFIGURATION, {
      ResourceConfigurationType: 'ARN',
      ResourceGatewayId: { 'Fn::GetAtt': [logicalId(resource.gateway), 'Id'] },
      ResourceConfigurationDefinition: { ArnResource: RDS_ARN },
      PortRanges: Match.absent(),
      ProtocolType: Match.absent(),
    });
    expect(resource.port).toBe(5432);
    expect(resource.protocol).toBe(ServiceProtocol.TCP);
  });

  test('THEN one RAM share of the configuration with the account, external principals allowed, and a warning that says so', () => {
    template.resourceCountIs(SHARE, 1);
    template.hasResourceProperties(SHARE, {
      ResourceArns: [{ 'Fn::GetAtt': [logicalId(resource), 'Arn'] }],
      Principals: ['222222222222'],
      AllowExternalPrincipals: true,
    });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('may be outside your AWS Organization'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('privatelink accept-share');
  });

  test('THEN the gateway security group has no ingress and egress only to the VPC range on 5432', () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('resource gateway') } });
    const [group] = Object.values(groups) as Array<{ Properties: Record<string, unknown> }>;
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([
      {
        CidrIp: { 'Fn::GetAtt': [logicalId(resource.vpc), 'CidrBlock'] },
        Description: 'to the shared resource',
        FromPort: 5432,
        IpProtocol: 'tcp',
        ToPort: 5432,
      },
    ]);
  });
});

describe('PrivateLinkResource target and sharing shapes', () => {
  test('GIVEN an IP address and two port ranges THEN type SINGLE, IpResource, TCP, the ranges, and egress to that address only', () => {
    const stack = newStack();
    new PrivateLinkResource(stack, 'Ip', {
      target: ResourceTarget.ipAddress('10.0.1.20'),
      portRanges: [{ fromPort: 8000, toPort: 8099 }, { fromPort: 9000 }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(CONFIGURATION, {
      ResourceConfigurationType: 'SINGLE',
      ProtocolType: 'TCP',
      PortRanges: ['8000-8099', '9000'],
      ResourceConfigurationDefinition: { IpResource: '10.0.1.20' },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [
        Match.objectLike({ CidrIp: '10.0.1.20/32', FromPort: 8000, ToPort: 8099 }),
        Match.objectLike({ CidrIp: '10.0.1.20/32', FromPort: 9000, ToPort: 9000 }),
      ],
    });
    // no shareWith: no share, no warning
    template.resourceCountIs(SHARE, 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  test('GIVEN a DNS name THEN DnsResource with the IPv4 type', () => {
    const stack = newStack();
    new PrivateLinkResource(stack, 'Dns', { target: ResourceTarget.dnsName('db.internal.example.com'), port: 3306 });
    Template.fromStack(stack).hasResourceProperties(CONFIGURATION, {
      ResourceConfigurationType: 'SINGLE',
      PortRanges: ['3306'],
      ResourceConfigurationDefinition: { DnsResource: { DomainName: 'db.internal.example.com', IpAddressType: 'IPV4' } },
    });
  });

  test('GIVEN an IPv6 address on a dual-stack gateway THEN egress to the /128, the gateway DUALSTACK in a dual-stack VPC', () => {
    const stack = newStack();
    new PrivateLinkResource(stack, 'V6', {
      target: ResourceTarget.ipAddress('fd00::20'),
      port: 443,
      ipAddressType: ResourceGatewayIpAddressType.DUALSTACK,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(GATEWAY, { IpAddressType: 'DUALSTACK' });
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: Match.arrayWith([Match.objectLike({ CidrIpv6: 'fd00::20/128', FromPort: 443, ToPort: 443 })]),
    });
  });

  test('GIVEN only an OU and the organization THEN no external principals and no warning', () => {
    const stack = newStack();
    new PrivateLinkResource(stack, 'Org', { target: ResourceTarget.dnsName('api.internal.example.com'), port: 443, shareWith: [OU, ORG] });
    Template.fromStack(stack).hasResourceProperties(SHARE, { Principals: [OU, ORG], AllowExternalPrincipals: false });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  test('GIVEN accounts and allowExternalPrincipals: false THEN the share keeps to the organization, without a warning', () => {
    const stack = newStack();
    new PrivateLinkResource(stack, 'InOrg', {
      target: ResourceTarget.ipAddress('10.0.1.20'),
      port: 5432,
      shareWith: ['222222222222', '333333333333'],
      allowExternalPrincipals: false,
    });
    Template.fromStack(stack).hasResourceProperties(SHARE, { Principals: ['222222222222', '333333333333'], AllowExternalPrincipals: false });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  test('GIVEN your own VPC and subnets THEN the gateway goes there and no VPC is created', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Mine', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const r = new PrivateLinkResource(stack, 'Db', {
      vpc,
      subnets: { availabilityZones: [vpc.availabilityZones[0]] },
      target: ResourceTarget.arn(RDS_ARN),
      port: 5432,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties(GATEWAY, { VpcIdentifier: { Ref: logicalId(vpc) }, SubnetIds: [{ Ref: Match.stringLikeRegexp('^MineDbSubnet1') }] });
    expect(r.vpc).toBe(vpc);
  });
});

describe('PrivateLinkResource refuses bad input by message', () => {
  const build = (props: PrivateLinkResourceProps) => () => new PrivateLinkResource(newStack(), 'R', props);

  test.each([
    ['a malformed IP address', { target: ResourceTarget.ipAddress('10.0.1.300'), port: 5432 }, /^target: "10\.0\.1\.300" is not an IP address\. Use the IPv4 or IPv6 address/],
    ['a CIDR block', { target: ResourceTarget.ipAddress('10.0.1.0/24'), port: 5432 }, /It is a CIDR block: a resource is one address, e\.g\. "10\.0\.1\.0"/],
    ['a malformed DNS name', { target: ResourceTarget.dnsName('db_internal.example.com'), port: 5432 }, /^target: "db_internal\.example\.com" is not a DNS name \(the label "db_internal"/],
    ['an IP address given as a DNS name', { target: ResourceTarget.dnsName('10.0.1.20'), port: 5432 }, /Use ResourceTarget\.ipAddress\("10\.0\.1\.20"\)/],
    ['an unsupported ARN', { target: ResourceTarget.arn('arn:aws:s3:::my-bucket'), port: 443 }, /^target: "arn:aws:s3:::my-bucket" is an ARN of s3, which a resource configuration of type ARN does not take here\. Use the ARN of an Amazon RDS DB instance or cluster/],
    ['an RDS snapshot ARN', { target: ResourceTarget.arn('arn:aws:rds:us-east-1:111111111111:snapshot:s1'), port: 5432 }, /is an RDS ARN, but not of a DB instance \(db:\) or DB cluster \(cluster:\)/],
    ['a port out of range', { target: ResourceTarget.ipAddress('10.0.1.20'), port: 70000 }, /^port: 70000 is not a TCP port\. Use a whole number from 1 to 65535\.$/],
    ['a range the wrong way round', { target: ResourceTarget.ipAddress('10.0.1.20'), portRanges: [{ fromPort: 9000, toPort: 8000 }] }, /^portRanges\[0\]: toPort 8000 is below fromPort 9000/],
    ['a range beyond 65535', { target: ResourceTarget.ipAddress('10.0.1.20'), portRanges: [{ fromPort: 1, toPort: 65536 }] }, /^portRanges\[0\]\.toPort: 65536 is not a TCP port/],
    ['overlapping ranges', { target: ResourceTarget.ipAddress('10.0.1.20'), portRanges: [{ fromPort: 80, toPort: 90 }, { fromPort: 85 }] }, /^portRanges: ranges 0 \(80-90\) and 1 \(85\) overlap/],
    ['no port', { target: ResourceTarget.arn(RDS_ARN) }, /^port is missing\. Give the database's port/],
    ['port and portRanges', { target: ResourceTarget.ipAddress('10.0.1.20'), port: 80, portRanges: [{ fromPort: 80 }] }, /^port and portRanges are both set/],
    ['port ranges on an ARN target', { target: ResourceTarget.arn(RDS_ARN), portRanges: [{ fromPort: 5432 }] }, /^portRanges: an ARN target takes no port ranges/],
    ['a share principal that is an IAM role', { target: ResourceTarget.arn(RDS_ARN), port: 5432, shareWith: ['arn:aws:iam::222222222222:role/app'] }, /^shareWith\[0\]: "arn:aws:iam::222222222222:role\/app" is not an account ID, an OU ARN or an organization ARN\. RAM shares .* not IAM roles or users/],
    ['a short account ID', { target: ResourceTarget.arn(RDS_ARN), port: 5432, shareWith: ['22222222222'] }, /^shareWith\[0\]: "22222222222" is not an AWS account ID\. It has 11 digits/],
    ['a bare OU ID', { target: ResourceTarget.arn(RDS_ARN), port: 5432, shareWith: ['ou-ab12-cdef3456'] }, /Give the full ARN, not the bare ID/],
    ['a wildcard principal', { target: ResourceTarget.arn(RDS_ARN), port: 5432, shareWith: ['*'] }, /A resource share has no wildcard principal/],
    ['an empty share list', { target: ResourceTarget.arn(RDS_ARN), port: 5432, shareWith: [] }, /^shareWith: the list is empty/],
    ['allowExternalPrincipals without a share', { target: ResourceTarget.arn(RDS_ARN), port: 5432, allowExternalPrincipals: true }, /^allowExternalPrincipals is set without shareWith/],
    ['an IPv6 address on an IPv4 gateway', { target: ResourceTarget.ipAddress('fd00::1'), port: 80 }, /^target: "fd00::1" is an IPv6 address, and the gateway is IPV4/],
  ] as Array<[string, PrivateLinkResourceProps, RegExp]>)('GIVEN %s THEN PrivateLinkConfigError', (_name, props, message) => {
    expect(configError(build(props)).problems).toEqual([expect.stringMatching(message)]);
  });

  test('GIVEN several problems THEN one error lists them all', () => {
    const err = configError(build({ target: ResourceTarget.ipAddress('nope'), port: 0, shareWith: ['x'] }));
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/^TestStack\/R: 3 configuration problems:/);
  });
});

describe('PrivateLinkResourceEndpoint', () => {
  // GIVEN a resource of another account, reached from a VPC created here, and a client allowed in (built once)
  const stack = newStack();
  const endpoint = new PrivateLinkResourceEndpoint(stack, 'Db', {
    resource: PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 5432 }),
  });
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: endpoint.vpc, allowAllOutbound: false });
  endpoint.allowFrom(client);
  const template = Template.fromStack(stack);

  test('THEN a VPC endpoint of type Resource to the configuration, in the new VPC, private DNS off, behind its own group', () => {
    template.resourceCountIs(ENDPOINT, 1);
    template.hasResourceProperties(ENDPOINT, {
      VpcEndpointType: 'Resource',
      ResourceConfigurationArn: CONFIG_ARN,
      VpcId: { Ref: logicalId(endpoint.vpc) },
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^DbVpcIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^DbVpcIsolatedSubnet2') }],
      SecurityGroupIds: [groupId(endpoint.securityGroup!)],
      PrivateDnsEnabled: false,
      ServiceName: Match.absent(),
    });
  });

  test('THEN the endpoint group has ingress on 5432 from the client only and no egress', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId(endpoint.securityGroup!),
      SourceSecurityGroupId: groupId(client),
      FromPort: 5432,
      ToPort: 5432,
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    const sg = template.toJSON().Resources[logicalId(endpoint.securityGroup!)];
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
  });

  test('THEN the DNS name comes from a custom resource that reads the endpoint association, allowed only to describe', () => {
    template.hasResourceProperties('Custom::PrivateLinkResourceEndpointDns', { VpcEndpointId: { Ref: logicalId(endpoint) } });
    expect(stack.resolve(endpoint.dnsName)).toEqual({ 'Fn::GetAtt': [logicalId(endpoint.dnsLookup), 'DnsName'] });
    expect(stack.resolve(endpoint.endpointId)).toEqual({ Ref: logicalId(endpoint) });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyName: 'Handler',
          PolicyDocument: {
            Statement: [
              Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
              { Action: 'ec2:DescribeVpcEndpointAssociations', Effect: 'Allow', Resource: '*' },
            ],
            Version: '2012-10-17',
          },
        },
      ],
    });
  });

  test('THEN as an IPrivateLinkEndpoint: TCP by default, no TLS, the port and VPC of the endpoint', () => {
    expect(endpoint.protocol).toBe(ServiceProtocol.TCP);
    expect(endpoint.tlsEnabled).toBe(false);
    expect(endpoint.port).toBe(5432);
    expect(endpoint.privateDnsName).toBeUndefined();
  });
});

describe('PrivateLinkResourceEndpoint shapes and refusals', () => {
  test('GIVEN a PrivateLinkResource of the same app THEN the endpoint references its ARN, depends on it, and follows its protocol', () => {
    const app = new App();
    const provider = new Stack(app, 'Provider');
    const consumer = new Stack(app, 'Consumer');
    const resource = new PrivateLinkResource(provider, 'Alb', {
      target: ResourceTarget.dnsName('internal-alb-123.us-east-1.elb.amazonaws.com'),
      port: 80,
      protocol: ServiceProtocol.HTTP,
    });
    const endpoint = new PrivateLinkResourceEndpoint(consumer, 'Endpoint', { resource });
    const template = Template.fromStack(consumer);
    template.hasResourceProperties(ENDPOINT, { ResourceConfigurationArn: { 'Fn::ImportValue': Match.stringLikeRegexp('^Provider:ExportsOutputFnGetAttAlb') } });
    expect(endpoint.protocol).toBe(ServiceProtocol.HTTP);
    expect(consumer.dependencies.map((s) => s.stackName)).toEqual(['Provider']);
  });

  test('GIVEN port ranges and your security groups THEN allowFrom opens every range on them and no group is created', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'A', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const mine = new ec2.SecurityGroup(stack, 'Mine', { vpc, allowAllOutbound: false });
    const endpoint = new PrivateLinkResourceEndpoint(stack, 'E', {
      vpc,
      securityGroups: [mine],
      privateDnsEnabled: true,
      resource: PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 8000, portRanges: [{ fromPort: 8000, toPort: 8010 }, { fromPort: 9000 }] }),
    });
    endpoint.allowFrom(ec2.Peer.ipv4('10.1.0.0/16') as unknown as ec2.IConnectable);
    const template = Template.fromStack(stack);
    expect(endpoint.securityGroup).toBeUndefined();
    template.hasResourceProperties(ENDPOINT, { SecurityGroupIds: [groupId(mine)], PrivateDnsEnabled: true });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 8000, ToPort: 8010 }),
        Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 9000, ToPort: 9000 }),
      ],
    });
  });

  test.each([
    ['a configuration ID instead of its ARN', 'rcfg-0123456789abcdef0', /^resource\.resourceConfigurationArn: "rcfg-0123456789abcdef0" is not a resource configuration ARN\. That is the configuration ID: give its ARN\./],
    ['an endpoint service name', 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', /That is an endpoint service name: use PrivateLinkConsumer for it\./],
    ['an RDS ARN', RDS_ARN, /is not a resource configuration ARN\. Use the ARN the provider team sends you \(the provider stack output ResourceConfigurationArn\)/],
  ])('GIVEN %s THEN PrivateLinkConfigError', (_name, arn, message) => {
    const err = configError(
      () => new PrivateLinkResourceEndpoint(newStack(), 'E', { resource: PrivateLinkResource.fromResourceConfigurationArn(arn, { port: 5432 }) }),
    );
    expect(err.problems).toEqual([expect.stringMatching(message)]);
  });

  test('GIVEN a bad port THEN PrivateLinkConfigError naming resource.port', () => {
    const err = configError(
      () => new PrivateLinkResourceEndpoint(newStack(), 'E', { resource: PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 0 }) }),
    );
    expect(err.problems).toEqual(['resource.port: 0 is not a TCP port. Use a whole number from 1 to 65535.']);
  });

  test("GIVEN the resource gateway's own VPC THEN refused: AWS creates no endpoint there", () => {
    const stack = newStack();
    const resource = new PrivateLinkResource(stack, 'R', { target: ResourceTarget.ipAddress('10.0.1.20'), port: 80 });
    const err = configError(() => new PrivateLinkResourceEndpoint(stack, 'E', { resource, vpc: resource.vpc }));
    expect(err.problems).toEqual([expect.stringMatching(/^vpc: the endpoint's VPC is the resource gateway's VPC, where AWS creates no resource endpoint/)]);
  });
});

test('GIVEN two resource endpoints in one stack THEN one DNS lookup function serves both', () => {
  const stack = newStack();
  const resource = PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 5432 });
  const a = new PrivateLinkResourceEndpoint(stack, 'A', { resource });
  const b = new PrivateLinkResourceEndpoint(stack, 'B', { resource, vpc: a.vpc });
  expect(a.dnsLookupFunction).toBe(b.dnsLookupFunction);
  const template = Template.fromStack(stack);
  template.resourceCountIs('Custom::PrivateLinkResourceEndpointDns', 2);
  const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
  expect(functions.filter((f) => f.startsWith('PrivateLinkResourceEndpointDnsFunction'))).toHaveLength(1);
  // (the other function is CDK's own, behind the VPC's restrictDefaultSecurityGroup)
  expect(functions).toHaveLength(2);
});

describe('ConnectivityCheck on a resource endpoint', () => {
  // GIVEN an HTTP resource shared in the same app and an RDS database of another account (built once)
  const app = new App();
  const stack = new Stack(app, 'Consumer');
  const db = new PrivateLinkResourceEndpoint(stack, 'Db', { resource: PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 5432 }) });
  const tcp = new ConnectivityCheck(stack, 'DbCheck', { endpoint: db });
  const web = new PrivateLinkResourceEndpoint(stack, 'Web', {
    resource: PrivateLinkResource.fromResourceConfigurationArn(CONFIG_ARN, { port: 80, protocol: ServiceProtocol.HTTP }),
  });
  const http = new ConnectivityCheck(stack, 'WebCheck', { endpoint: web, expectedBody: 'Hello from ALB!' });
  const template = Template.fromStack(stack);

  test('THEN TCP by default, to the DNS name the custom resource reads, on the resource port', () => {
    expect(tcp.protocol).toBe(CheckProtocol.TCP);
    expect(stack.resolve(tcp.url)).toEqual({ 'Fn::Join': ['', ['tcp://', { 'Fn::GetAtt': [logicalId(db.dnsLookup), 'DnsName'] }, ':5432']] });
  });

  test('THEN HTTP when the resource says it speaks HTTP', () => {
    expect(http.protocol).toBe(CheckProtocol.HTTP);
    expect(stack.resolve(http.url)).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [logicalId(web.dnsLookup), 'DnsName'] }, ':80/']] });
  });

  test("THEN the check's group may reach the endpoint on the port, and the endpoint admits the check only", () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId(db.securityGroup!),
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbCheckSecurityGroup'), 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbCheckSecurityGroup'), 'GroupId'] },
      DestinationSecurityGroupId: groupId(db.securityGroup!),
      FromPort: 5432,
    });
  });
});

test('a refusal names the construct path first', () => {
  const stack = newStack();
  expect(() => new PrivateLinkResource(stack, 'Db', { target: ResourceTarget.ipAddress('nope'), port: 80 })).toThrow(
    /^TestStack\/Db: target: "nope" is not an IP address\./,
  );
});
