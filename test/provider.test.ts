import { Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DEFAULT_RESPONSE_BODY, ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider, type PrivateLinkProviderProps } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';
import { logicalId, newStack } from './support/template';

const PERMISSIONS = 'AWS::EC2::VPCEndpointServicePermissions';
const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

/** A fresh app and stack: each synthesized stack gets its own app (an app synthesizes once). */
/** `${Aws.PARTITION}` root ARN of an account as the template writes it in an env-agnostic stack. */
function rootArn(account: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] };
}

function securityGroupId(construct: IConstruct): unknown {
  return { 'Fn::GetAtt': [logicalId(construct), 'GroupId'] };
}

/** Resources of one type in a template, by logical ID. */
function resources(template: Template, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

describe('PrivateLinkProvider with defaults', () => {
  // GIVEN a stack WHEN a provider is created with no props (built once, shared by every test below)
  const stack = newStack();
  const provider = new PrivateLinkProvider(stack, 'Provider');
  const template = Template.fromStack(stack);
  const json = JSON.stringify(template.toJSON());
  const nlbSg = provider.loadBalancer.connections.securityGroups[0];
  const albSg = provider.applicationLoadBalancer!.connections.securityGroups[0];

  test('THEN a new VPC with only isolated subnets in 2 AZs, no internet gateway, no NAT', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    const subnets = Object.values(resources(template, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
      expect(subnet.Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Isolated' });
    }
    expect(subnets.map((s) => s.Properties.AvailabilityZone)).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    ]);
  });

  test('THEN the default security group of the VPC is restricted by the custom resource', () => {
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': [logicalId(provider.vpc), 'DefaultSecurityGroup'] },
    });
  });

  test('THEN VPC flow logs of all traffic go to a log group kept 30 days', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: { Ref: logicalId(provider.vpc) },
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('THEN an internal ALB with an HTTP listener on 80 answering 200 "Hello from ALB!"', () => {
    expect(DEFAULT_RESPONSE_BODY).toBe('Hello from ALB!');
    template.hasResourceProperties(LOAD_BALANCER, { Type: 'application', Scheme: 'internal' });
    template.hasResourceProperties(LISTENER, {
      LoadBalancerArn: { Ref: logicalId(provider.applicationLoadBalancer!) },
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'Hello from ALB!' },
        },
      ],
    });
  });

  test('THEN an internal NLB with a security group that does not filter PrivateLink traffic', () => {
    template.resourceCountIs(LOAD_BALANCER, 2);
    template.hasResourceProperties(LOAD_BALANCER, {
      Type: 'network',
      Scheme: 'internal',
      SecurityGroups: [securityGroupId(nlbSg)],
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
    });
    for (const lb of Object.values(resources(template, LOAD_BALANCER))) {
      expect(lb.Properties.Scheme).toBe('internal');
    }
  });

  test('THEN the NLB listens on TCP 80 and forwards to a TCP target group of type alb on 80', () => {
    template.hasResourceProperties(LISTENER, {
      LoadBalancerArn: { Ref: logicalId(provider.loadBalancer) },
      Port: 80,
      Protocol: 'TCP',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.resourceCountIs(TARGET_GROUP, 1);
    template.hasResourceProperties(TARGET_GROUP, {
      TargetType: 'alb',
      Protocol: 'TCP',
      Port: 80,
      Targets: [{ Id: { Ref: logicalId(provider.applicationLoadBalancer!) }, Port: 80 }],
    });
  });

  test('THEN NLB listener port = target group port = ALB listener port', () => {
    const listenerPorts = Object.values(resources(template, LISTENER)).map((l) => l.Properties.Port);
    const targetGroupPorts = Object.values(resources(template, TARGET_GROUP)).map((t) => t.Properties.Port);
    expect(listenerPorts).toEqual([80, 80]);
    expect(targetGroupPorts).toEqual([80]);
    expect(provider.port).toBe(80);
  });

  test('THEN the ALB security group admits only the NLB security group, on 80, and has no egress', () => {
    const ingress = Object.values(resources(template, 'AWS::EC2::SecurityGroupIngress'));
    expect(ingress).toEqual([
      {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: {
          Description: 'NLB to backend',
          GroupId: securityGroupId(albSg),
          SourceSecurityGroupId: securityGroupId(nlbSg),
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
        },
      },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^cdk-privatelink ALB'),
      SecurityGroupIngress: Match.absent(),
      // CDK's placeholder that matches no traffic: the ALB has no real egress.
      SecurityGroupEgress: [
        { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 },
      ],
    });
  });

  test('THEN the NLB security group has no ingress and its only egress is to the ALB security group on 80', () => {
    const sg = resources(template, 'AWS::EC2::SecurityGroup')[logicalId(nlbSg)];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(sg.Properties.SecurityGroupEgress).toBeUndefined();
    const ingressToNlb = Object.values(resources(template, 'AWS::EC2::SecurityGroupIngress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(securityGroupId(nlbSg)),
    );
    expect(ingressToNlb).toEqual([]);
    const egress = Object.values(resources(template, 'AWS::EC2::SecurityGroupEgress'));
    expect(egress.map((e) => e.Properties)).toEqual([
      {
        Description: 'NLB to backend',
        GroupId: securityGroupId(nlbSg),
        DestinationSecurityGroupId: securityGroupId(albSg),
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
      },
    ]);
  });

  test('THEN no rule anywhere in the template is open to the internet (0.0.0.0/0 or ::/0)', () => {
    expect(json).not.toContain('0.0.0.0/0');
    expect(json).not.toContain('::/0');
  });

  test('THEN the endpoint service requires acceptance and points at the NLB', () => {
    expect(provider.acceptanceRequired).toBe(true);
    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: [{ Ref: logicalId(provider.loadBalancer) }],
    });
  });

  test('THEN with no principal there is no permissions resource', () => {
    template.resourceCountIs(PERMISSIONS, 0);
  });

  test('THEN nothing is logged to S3 (no access log attribute, no bucket)', () => {
    expect(json).not.toContain('access_logs.s3');
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('THEN it exposes serviceId, serviceName, loadBalancer and endpointService', () => {
    const serviceLogicalId = Object.keys(resources(template, 'AWS::EC2::VPCEndpointService'))[0];
    expect(stack.resolve(provider.serviceId)).toEqual({ Ref: serviceLogicalId });
    expect(stack.resolve(provider.endpointService.vpcEndpointServiceId)).toEqual({ Ref: serviceLogicalId });
    expect(stack.resolve(provider.serviceName)).toEqual({
      'Fn::Join': ['.', ['com.amazonaws.vpce', { Ref: 'AWS::Region' }, { Ref: serviceLogicalId }]],
    });
    expect(provider.loadBalancer).toBeInstanceOf(elbv2.NetworkLoadBalancer);
    expect(logicalId(provider.loadBalancer)).toMatch(/^ProviderNlb/);
    expect(provider.endpointService).toBeInstanceOf(ec2.VpcEndpointService);
  });
});

describe('PrivateLinkProvider default VPC in a region with 3 AZs', () => {
  test('GIVEN an env-aware stack whose region has 3 AZs WHEN created THEN the VPC still spans only 2', () => {
    const account = '123456789012';
    const region = 'us-east-1';
    const stack = newStack(
      { env: { account, region } },
      { [`availability-zones:account=${account}:region=${region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
    );
    new PrivateLinkProvider(stack, 'Provider');
    const subnets = Object.values(resources(Template.fromStack(stack), 'AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b']);
  });
});

describe('PrivateLinkProvider principals and acceptance', () => {
  // GIVEN one account in props, then allowPrincipal calls that repeat it (as ID and as root ARN),
  // a role ARN, and allowAccount(Aws.ACCOUNT_ID); acceptance off
  const stack = newStack();
  const provider = new PrivateLinkProvider(stack, 'Provider', {
    allowedPrincipals: ['123456789012'],
    acceptanceRequired: false,
  });
  provider.allowPrincipal('arn:aws:iam::123456789012:root');
  provider.allowPrincipal('arn:aws:iam::210987654321:role/Consumer');
  provider.allowPrincipal('123456789012');
  provider.allowPrincipal('arn:aws:iam::210987654321:role/Consumer');
  provider.allowAccount(Aws.ACCOUNT_ID);
  const template = Template.fromStack(stack);

  test('THEN acceptance is off when acceptanceRequired is false', () => {
    expect(provider.acceptanceRequired).toBe(false);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: false });
  });

  test('THEN one permissions resource holds the union, each principal once, account IDs as partition root ARNs', () => {
    template.resourceCountIs(PERMISSIONS, 1);
    template.hasResourceProperties(PERMISSIONS, {
      ServiceId: { Ref: Object.keys(resources(template, 'AWS::EC2::VPCEndpointService'))[0] },
      AllowedPrincipals: [
        rootArn('123456789012'),
        'arn:aws:iam::210987654321:role/Consumer',
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
      ],
    });
  });
});

describe('PrivateLinkProvider account IDs in a known partition', () => {
  test('GIVEN a stack in cn-north-1 with partition literals WHEN an account ID is allowed THEN arn:aws-cn:iam::ID:root', () => {
    const stack = newStack({ env: { region: 'cn-north-1' } }, { '@aws-cdk/core:enablePartitionLiterals': true });
    new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['123456789012'] });
    Template.fromStack(stack).hasResourceProperties(PERMISSIONS, {
      AllowedPrincipals: ['arn:aws-cn:iam::123456789012:root'],
    });
  });
});

describe('PrivateLinkProvider allowPrincipal across three calls', () => {
  test('GIVEN no principal in props WHEN allowPrincipal is called 3 times THEN one permissions resource with the 3', () => {
    const stack = newStack();
    const provider = new PrivateLinkProvider(stack, 'Provider');
    provider.allowPrincipal('111111111111');
    provider.allowPrincipal('222222222222');
    provider.allowPrincipal('arn:aws:iam::333333333333:user/ops');
    const template = Template.fromStack(stack);
    template.resourceCountIs(PERMISSIONS, 1);
    template.hasResourceProperties(PERMISSIONS, {
      AllowedPrincipals: [rootArn('111111111111'), rootArn('222222222222'), 'arn:aws:iam::333333333333:user/ops'],
    });
  });

  test('GIVEN allowAnyPrincipal WHEN "*" is allowed THEN the permissions list "*"', () => {
    const stack = newStack();
    new PrivateLinkProvider(stack, 'Provider', { allowedPrincipals: ['*'], allowAnyPrincipal: true });
    Template.fromStack(stack).hasResourceProperties(PERMISSIONS, { AllowedPrincipals: ['*'] });
  });
});

describe('PrivateLinkProvider with a custom port', () => {
  // GIVEN port 8080 (built once)
  const stack = newStack();
  const provider = new PrivateLinkProvider(stack, 'Provider', { port: 8080 });
  const template = Template.fromStack(stack);

  test('THEN the ALB listener, the target group and the NLB listener all use 8080', () => {
    expect(provider.port).toBe(8080);
    template.hasResourceProperties(LISTENER, { Protocol: 'HTTP', Port: 8080 });
    template.hasResourceProperties(LISTENER, { Protocol: 'TCP', Port: 8080 });
    template.hasResourceProperties(TARGET_GROUP, { Port: 8080, Protocol: 'TCP', TargetType: 'alb' });
    const ports = [
      ...Object.values(resources(template, LISTENER)).map((l) => l.Properties.Port),
      ...Object.values(resources(template, TARGET_GROUP)).map((t) => t.Properties.Port),
    ];
    expect(ports).toEqual([8080, 8080, 8080]);
  });

  test('THEN the security group rules NLB → ALB are on 8080', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 8080, ToPort: 8080 });
  });
});

/** A user's own VPC and ALB with one listener (HTTP on 8443 unless told otherwise). */
function userAlb(
  stack: Stack,
  { port = 8443, protocol = elbv2.ApplicationProtocol.HTTP } = {},
): { vpc: ec2.Vpc; listener: elbv2.ApplicationListener } {
  const vpc = new ec2.Vpc(stack, 'UserVpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'UserAlb', { vpc, internetFacing: false });
  const listener = alb.addListener('UserListener', {
    port,
    protocol,
    open: false,
    certificates:
      protocol === elbv2.ApplicationProtocol.HTTPS
        ? [elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:111111111111:certificate/0b4c9a8e-1111-2222-3333-444455556666')]
        : undefined,
    defaultAction: elbv2.ListenerAction.fixedResponse(200, { messageBody: 'user service' }),
  });
  return { vpc, listener };
}

describe('PrivateLinkProvider in front of an existing ALB listener', () => {
  // GIVEN a user VPC and ALB with an HTTP listener on 8443 (built once)

  const stack = newStack();
  const { vpc, listener } = userAlb(stack);
  const provider = new PrivateLinkProvider(stack, 'Provider', {
    vpc,
    backend: ProviderBackend.applicationListener(listener),
  });
  const template = Template.fromStack(stack);

  test('THEN no VPC and no ALB are created: the user ones are used', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs(LOAD_BALANCER, 2);
    expect(provider.applicationLoadBalancer).toBe(listener.loadBalancer);
    expect(provider.vpc).toBe(vpc);
  });

  test('THEN the port is the listener port 8443 for the NLB listener and the target group', () => {
    expect(provider.port).toBe(8443);
    template.hasResourceProperties(LISTENER, { LoadBalancerArn: { Ref: logicalId(provider.loadBalancer) }, Protocol: 'TCP', Port: 8443 });
    template.hasResourceProperties(TARGET_GROUP, {
      TargetType: 'alb',
      Protocol: 'TCP',
      Port: 8443,
      VpcId: { Ref: logicalId(vpc) },
      Targets: [{ Id: { Ref: logicalId(listener.loadBalancer) }, Port: 8443 }],
    });
  });

  test('THEN the user ALB security group is opened from the NLB security group on 8443 only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: securityGroupId(listener.loadBalancer.connections.securityGroups[0]),
      SourceSecurityGroupId: securityGroupId(provider.loadBalancer.connections.securityGroups[0]),
      FromPort: 8443,
      ToPort: 8443,
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
  });

  test('GIVEN a port that differs from the listener port WHEN created THEN an error naming port and both values', () => {
    const other = newStack();
    const backend = userAlb(other);
    const err = configError(
      () =>
        new PrivateLinkProvider(other, 'Provider', {
          vpc: backend.vpc,
          backend: ProviderBackend.applicationListener(backend.listener),
          port: 80,
        }),
    );
    expect(withoutPath(err)).toMatch(/^port: 80 differs from the backend listener's port 8443\./);
    expect(err.message).toContain('leave port unset or set it to the listener port');
  });

  test('GIVEN the listener port given as port WHEN created THEN accepted', () => {
    const other = newStack();
    const backend = userAlb(other);
    const p = new PrivateLinkProvider(other, 'Provider', {
      vpc: backend.vpc,
      backend: ProviderBackend.applicationListener(backend.listener),
      port: 8443,
    });
    expect(p.port).toBe(8443);
  });
});

describe('PrivateLinkProvider and the VPC of an existing ALB listener', () => {
  test('GIVEN no vpc WHEN the backend is an existing listener THEN the NLB goes in the ALB VPC (no new VPC)', () => {
    const stack = newStack();
    const { vpc, listener } = userAlb(stack, { port: 443 });
    new PrivateLinkProvider(stack, 'Provider', { backend: ProviderBackend.applicationListener(listener) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties(TARGET_GROUP, { VpcId: { Ref: logicalId(vpc) } });
  });

  test('GIVEN a vpc other than the ALB VPC THEN an error naming vpc and the fix', () => {
    const stack = newStack();
    const { listener } = userAlb(stack, { port: 443 });
    const other = new ec2.Vpc(stack, 'OtherVpc', { natGateways: 0 });
    const err = configError(
      () => new PrivateLinkProvider(stack, 'Provider', { vpc: other, backend: ProviderBackend.applicationListener(listener) }),
    );
    expect(withoutPath(err)).toMatch(/^vpc: the backend's load balancer is in another VPC\..*leave vpc unset/);
  });

  test('GIVEN an HTTPS listener THEN the NLB health check speaks HTTPS to it', () => {
    const stack = newStack();
    const { listener } = userAlb(stack, { port: 443, protocol: elbv2.ApplicationProtocol.HTTPS });
    new PrivateLinkProvider(stack, 'Provider', { backend: ProviderBackend.applicationListener(listener) });
    Template.fromStack(stack).hasResourceProperties(TARGET_GROUP, { Port: 443, HealthCheckProtocol: 'HTTPS' });
  });

  test('GIVEN an access log bucket THEN refused: the user ALB is left alone, its logs are the user\'s to set', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const { listener } = userAlb(stack, { port: 443 });
    const err = configError(
      () =>
        new PrivateLinkProvider(stack, 'Provider', {
          backend: ProviderBackend.applicationListener(listener),
          accessLogBucket: new s3.Bucket(stack, 'Logs'),
        }),
    );
    expect(withoutPath(err)).toMatch(/^accessLogBucket: only the ALB that the provider creates .* leave accessLogBucket unset\.$/);
  });
});

describe('PrivateLinkProvider rejects bad input', () => {
  // Validation runs before any resource is created: these never synthesize.
  const create = (props: PrivateLinkProviderProps) => () => new PrivateLinkProvider(newStack(), 'Provider', props);

  test('GIVEN an 11-digit account ID THEN the message names allowedPrincipals[0], the value and the fix', () => {
    const err = configError(create({ allowedPrincipals: ['12345678901'] }));
    expect(err.name).toBe('PrivateLinkConfigError');
    expect(err.problems).toHaveLength(1);
    expect(withoutPath(err)).toMatch(/^allowedPrincipals\[0\]: "12345678901" is not an AWS account ID\. It has 11 digits/);
    expect(err.message).toContain('Use the 12-digit ID of the account');
  });

  test('GIVEN "*" without allowAnyPrincipal THEN refused with a message mentioning allowAnyPrincipal', () => {
    const err = configError(create({ allowedPrincipals: ['123456789012', '*'] }));
    expect(withoutPath(err)).toMatch(/^allowedPrincipals\[1\]: "\*" lets every AWS account connect/);
    expect(err.message).toContain('allowAnyPrincipal: true');
  });

  test('GIVEN "*" through allowPrincipal() without opt-in THEN refused', () => {
    const provider = new PrivateLinkProvider(newStack(), 'Provider');
    const err = configError(() => provider.allowPrincipal('*'));
    expect(withoutPath(err)).toMatch(/^allowPrincipal\(\): "\*" lets every AWS account connect/);
    expect(err.message).toContain('allowAnyPrincipal');
  });

  test('GIVEN a non-IAM ARN THEN the message shows it and the accepted forms', () => {
    const err = configError(create({ allowedPrincipals: ['arn:aws:s3:::bucket'] }));
    expect(withoutPath(err)).toBe(
      'allowedPrincipals[0]: "arn:aws:s3:::bucket" is not an account ID or an IAM principal ARN. ' +
        'Use a 12-digit account ID ("123456789012") or an ARN such as "arn:aws:iam::123456789012:root" ' +
        'or "arn:aws:iam::123456789012:role/NAME".',
    );
  });

  test('GIVEN a bad ARN through allowPrincipal() THEN the message names allowPrincipal()', () => {
    const provider = new PrivateLinkProvider(newStack(), 'Provider');
    const err = configError(() => provider.allowPrincipal('arn:aws:iam::123:root'));
    expect(withoutPath(err)).toMatch(/^allowPrincipal\(\): "arn:aws:iam::123:root" is not an account ID or an IAM principal ARN/);
  });

  test.each([0, 70000])('GIVEN port %d THEN the message names port and the range', (port) => {
    const err = configError(create({ port }));
    expect(withoutPath(err)).toBe(`port: ${port} is not a TCP port. Use a whole number from 1 to 65535.`);
  });

  test('GIVEN several problems THEN one error reports them all, one per line', () => {
    const err = configError(create({ port: 0, allowedPrincipals: ['123', '*', '123456789012', 'nobody'] }));
    expect(err.problems).toHaveLength(4);
    expect(err.problems[0]).toMatch(/^port: 0 /);
    expect(err.problems[1]).toMatch(/^allowedPrincipals\[0\]: "123" is not an AWS account ID/);
    expect(err.problems[2]).toMatch(/^allowedPrincipals\[1\]: "\*"/);
    expect(err.problems[3]).toMatch(/^allowedPrincipals\[3\]: "nobody"/);
    expect(err.message.split('\n')[0]).toBe('TestStack/Provider: 4 configuration problems:');
    expect(err.message.split('\n')).toHaveLength(5);
  });

  test('GIVEN problems of the props and of the backend together THEN one error lists them all, before anything is created', () => {
    const stack = newStack();
    const { listener } = userAlb(stack);
    const err = configError(
      () =>
        new PrivateLinkProvider(stack, 'Provider', {
          backend: ProviderBackend.applicationListener(listener),
          port: 80,
          allowedPrincipals: ['123'],
          accessLogBucket: new s3.Bucket(stack, 'Logs'),
          tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef') },
        }),
    );
    expect(err.problems.map((p) => p.split(':')[0])).toEqual(['allowedPrincipals[0]', 'tls', 'port', 'accessLogBucket']);
    // The provider added nothing: no VPC, no load balancer, no security group.
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('TestStack/Provider/'))).toEqual([]);
  });

  test('GIVEN a bad input THEN nothing was added to the stack', () => {
    const stack = newStack();
    expect(() => new PrivateLinkProvider(stack, 'Provider', { port: 0 })).toThrow(/^TestStack\/Provider: port: 0 is not a TCP port/);
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources ?? {})).toEqual([]);
  });
});

describe('PrivateLinkProvider access logs', () => {
  // GIVEN a stack with a region and a bucket (built once)
  const stack = newStack({ env: { region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Logs');
  new PrivateLinkProvider(stack, 'Provider', { accessLogBucket: bucket });
  const template = Template.fromStack(stack);

  test('THEN the built-in ALB logs to the bucket under the default prefix, and the TCP NLB does not', () => {
    const lbs = Object.values(resources(template, LOAD_BALANCER));
    const alb = lbs.find((lb) => lb.Properties.Type === 'application');
    const nlb = lbs.find((lb) => lb.Properties.Type === 'network');
    expect(alb?.Properties.LoadBalancerAttributes).toEqual(
      expect.arrayContaining([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: logicalId(bucket) } },
        { Key: 'access_logs.s3.prefix', Value: 'privatelink' },
      ]),
    );
    // NLB access logs are only written for TLS listeners: enabling them on a TCP NLB would do nothing.
    expect(nlb).toBeDefined();
    expect(JSON.stringify(nlb?.Properties.LoadBalancerAttributes ?? [])).not.toContain('access_logs');
  });

  test('THEN the bucket policy lets the ELB log delivery write under the prefix', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:PutObject', Principal: { Service: 'delivery.logs.amazonaws.com' } }),
        ]),
      }),
    });
  });

  test('GIVEN an env-agnostic stack WHEN a bucket is given THEN synthesis refuses (a region is needed)', () => {
    const agnostic = newStack();
    expect(
      () => new PrivateLinkProvider(agnostic, 'Provider', { accessLogBucket: new s3.Bucket(agnostic, 'Logs') }),
    ).toThrow(/accessLogBucket: ELB access logging needs the stack's region.*env: \{ region: "us-east-1" \}/);
  });
});
