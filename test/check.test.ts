import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IpTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CheckProtocol, ConnectivityCheck, type ConnectivityCheckProps } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { type IPrivateLinkService, PrivateLinkService } from '../src/service/private-link-service';
import { ServiceProtocol } from '../src/service/protocol';
import { configError } from './support/config-error';
import { PrivateLinkConfigError } from '../src/errors';
import { groupId, logicalId } from './support/template';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const FUNCTION = 'AWS::Lambda::Function';

/** The CHECK_URL the template holds for `scheme://<endpoint regional DNS name>:port/path`. */
function urlOfEndpoint(consumer: PrivateLinkConsumer, scheme: string, suffix: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        `${scheme}://`,
        {
          'Fn::Select': [
            1,
            { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalId(consumer.endpoint), 'DnsEntries'] }] }] },
          ],
        },
        suffix,
      ],
    ],
  };
}

interface FunctionProps {
  readonly Runtime: string;
  readonly Timeout: number;
  readonly VpcConfig: { SubnetIds: unknown[]; SecurityGroupIds: unknown[] };
  readonly LoggingConfig: unknown;
  readonly Environment: { Variables: Record<string, unknown> };
}

/** The properties of the check's function in the template. */
function functionProps(template: Template, check: ConnectivityCheck): FunctionProps {
  return template.findResources(FUNCTION)[logicalId(check.function)].Properties as FunctionProps;
}

describe('ConnectivityCheck on an HTTP endpoint (port 80)', () => {
  // GIVEN a consumer on 80 and a check expecting "Hello from ALB!" within 10 s, plus an HTTPS-forced
  // check on the same port (built once)
  const stack = new Stack(new App(), 'TestStack');
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) });
  const check = new ConnectivityCheck(stack, 'Check', {
    endpoint: consumer,
    expectedBody: 'Hello from ALB!',
    timeout: Duration.seconds(10),
  });
  const tlsCheck = new ConnectivityCheck(stack, 'TlsCheck', { endpoint: consumer, protocol: CheckProtocol.HTTPS });
  const template = Template.fromStack(stack);
  const checkSg = check.connections.securityGroups[0];
  const props = functionProps(template, check);

  test('THEN the function runs in the consumer VPC subnets with its own security group', () => {
    const consumerSubnets = Object.keys(template.findResources('AWS::EC2::Subnet')).map((id) => ({ Ref: id }));
    expect(consumerSubnets).toHaveLength(2);
    expect(props.VpcConfig).toEqual({ SubnetIds: consumerSubnets, SecurityGroupIds: [groupId(checkSg)] });
  });

  test('THEN the runtime is nodejs24.x with the bundled handler', () => {
    template.hasResourceProperties(FUNCTION, {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [logicalId(check.node.findChild('Role')), 'Arn'] },
    });
    expect(props.Runtime).toBe('nodejs24.x');
  });

  test('THEN the check security group has no inline rule and its only egress is to the endpoint SG on 80', () => {
    const sg = template.findResources('AWS::EC2::SecurityGroup')[logicalId(checkSg)];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(sg.Properties.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .map((r) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(groupId(checkSg)));
    expect(egress).toEqual([
      {
        Description: 'to the PrivateLink endpoint',
        GroupId: groupId(checkSg),
        DestinationSecurityGroupId: groupId(consumer.securityGroups[0]),
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
      },
    ]);
  });

  test('THEN the endpoint security group admits the check security group on 80', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId(consumer.securityGroups[0]),
      SourceSecurityGroupId: groupId(checkSg),
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
    });
    // Nobody else: one ingress rule per check, each from that check.
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
  });

  test('THEN the function logs to an explicit log group kept 30 days', () => {
    const logGroup = check.node.findChild('LogGroup') as logs.LogGroup;
    expect(props.LoggingConfig).toEqual({ LogGroup: { Ref: logicalId(logGroup) } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(template.findResources('AWS::Logs::LogGroup')[logicalId(logGroup)].Properties.RetentionInDays).toBe(30);
  });

  test('THEN the environment holds the URL, the expected body and status, and the timeout', () => {
    expect(props.Environment.Variables).toEqual({
      CHECK_URL: urlOfEndpoint(consumer, 'http', ':80/'),
      EXPECTED_BODY: 'Hello from ALB!',
      EXPECTED_STATUS: '200',
      TIMEOUT_MS: '10000',
    });
    expect(stack.resolve(check.url)).toEqual(urlOfEndpoint(consumer, 'http', ':80/'));
  });

  test('THEN the Lambda timeout is the check timeout + 5 s', () => {
    expect(props.Timeout).toBe(15);
  });

  test('THEN the role has no managed policy and may write logs only to its log group', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(check.node.findChild('Role'))];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const statements = role.Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: Array<Record<string, unknown>> } }) => p.PolicyDocument.Statement,
    );
    const logStatements = statements.filter((s: { Action: string | string[] }) =>
      [s.Action].flat().some((a) => a.startsWith('logs:')),
    );
    expect(logStatements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(check.node.findChild('LogGroup')), 'Arn'] },
      },
    ]);
    // The only unscoped statement is the VPC network-interface set, without logs actions.
    for (const s of statements.filter((st: { Resource: unknown }) => st.Resource === '*')) {
      expect([s.Action].flat().every((a: string) => a.startsWith('ec2:'))).toBe(true);
    }
  });

  test('THEN no role in the check uses a managed policy', () => {
    for (const c of [check, tlsCheck]) {
      const role = template.findResources('AWS::IAM::Role')[logicalId(c.node.findChild('Role'))];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('GIVEN protocol HTTPS on port 80 THEN CHECK_URL is https on 80, with no expected body and the 5 s default', () => {
    const tls = functionProps(template, tlsCheck);
    expect(tls.Environment.Variables).toEqual({
      CHECK_URL: urlOfEndpoint(consumer, 'https', ':80/'),
      EXPECTED_STATUS: '200',
      TIMEOUT_MS: '5000',
    });
    expect(tls.Timeout).toBe(10);
  });
});

describe('ConnectivityCheck on an HTTPS endpoint (port 443)', () => {
  // GIVEN a consumer on 443, a default check and one with a host name, path, status, short timeout and
  // one-week logs (built once)
  const stack = new Stack(new App(), 'TestStack');
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { port: 443 }) });
  const byDefault = new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
  const named = new ConnectivityCheck(stack, 'Named', {
    endpoint: consumer,
    hostname: 'api.example.com',
    path: '/health',
    expectedStatus: 204,
    timeout: Duration.millis(1500),
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  const template = Template.fromStack(stack);

  test('THEN the default protocol for 443 is HTTPS', () => {
    expect(functionProps(template, byDefault).Environment.Variables.CHECK_URL).toEqual(
      urlOfEndpoint(consumer, 'https', ':443/'),
    );
  });

  test('THEN the check security group egress and the endpoint ingress are on 443', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: groupId(byDefault.connections.securityGroups[0]),
      DestinationSecurityGroupId: groupId(consumer.securityGroups[0]),
      FromPort: 443,
      ToPort: 443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId(consumer.securityGroups[0]),
      SourceSecurityGroupId: groupId(byDefault.connections.securityGroups[0]),
      FromPort: 443,
      ToPort: 443,
    });
  });

  test('GIVEN a hostname, a path and a status THEN CHECK_URL uses them and EXPECTED_STATUS is set', () => {
    const props = functionProps(template, named);
    expect(named.url).toBe('https://api.example.com:443/health');
    expect(props.Environment.Variables).toEqual({
      CHECK_URL: 'https://api.example.com:443/health',
      EXPECTED_STATUS: '204',
      TIMEOUT_MS: '1500',
    });
  });

  test('GIVEN a sub-second part in the timeout THEN the Lambda timeout is rounded up to whole seconds + 5 s', () => {
    expect(functionProps(template, named).Timeout).toBe(7);
  });

  test('GIVEN logRetention ONE_WEEK THEN the log group keeps 7 days', () => {
    const logGroup = named.node.findChild('LogGroup');
    expect(template.findResources('AWS::Logs::LogGroup')[logicalId(logGroup)].Properties.RetentionInDays).toBe(7);
  });
});

describe('ConnectivityCheck rejects bad input', () => {
  // Validation happens before any resource: one consumer stack serves every case (new ids each time).
  const stack = new Stack(new App(), 'TestStack');
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) });
  let n = 0;
  const create = (props: Omit<ConnectivityCheckProps, 'endpoint'>) => () =>
    new ConnectivityCheck(stack, `Check${n++}`, { endpoint: consumer, ...props });

  test.each([99, 600, 200.5])('GIVEN expectedStatus %d THEN the message names it and the range', (status) => {
    expect(create({ expectedStatus: status })).toThrow(PrivateLinkConfigError);
    expect(create({ expectedStatus: status })).toThrow(
      `expectedStatus: ${status} is not an HTTP status code. Use a whole number from 100 to 599, e.g. 200.`,
    );
  });

  test.each([
    [Duration.millis(50), '50 millis'],
    [Duration.minutes(2), '2 minutes'],
    [Duration.seconds(61), '1 minute 1 second'],
  ])('GIVEN timeout %s THEN the message names timeout, the value and the range', (timeout, shown) => {
    expect(create({ timeout })).toThrow(
      new RegExp(`^TestStack/Check\\d+: timeout: ${shown} is out of range\\. Use a duration from 100 ms to 60 s\\.$`),
    );
  });

  test.each([Duration.millis(100), Duration.seconds(60)])('GIVEN timeout %s at the bounds THEN accepted', (timeout) => {
    expect(create({ timeout })).not.toThrow();
  });

  test('GIVEN a path without a leading slash THEN the message shows it and an example', () => {
    expect(create({ path: 'health' })).toThrow('path: "health" must start with "/". Use e.g. "/health".');
  });

  test('GIVEN several problems THEN they are reported together', () => {
    let error: PrivateLinkConfigError | undefined;
    try {
      create({ expectedStatus: 0, timeout: Duration.minutes(5), path: 'x' })();
    } catch (err) {
      error = err as PrivateLinkConfigError;
    }
    expect(error).toBeInstanceOf(PrivateLinkConfigError);
    expect(error!.problems).toHaveLength(3);
    expect(error!.problems.map((p) => p.split(':')[0])).toEqual(['expectedStatus', 'timeout', 'path']);
  });
});

describe('ConnectivityCheck default protocol follows what the service speaks', () => {
  // GIVEN providers of each kind and services known by name, each with a consumer and a default check (built once)
  const app = new App();
  const stack = new Stack(app, 'Defaults', { env: { account: '111111111111', region: 'us-east-1' } });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef');
  const checkOf = (id: string, service: IPrivateLinkService, props: Partial<ConnectivityCheckProps> = {}) => {
    const consumer = new PrivateLinkConsumer(stack, `${id}Consumer`, { service });
    return new ConnectivityCheck(stack, `${id}Check`, { endpoint: consumer, ...props });
  };
  const principals = ['111111111111'];
  const tls8443 = checkOf('Tls8443', new PrivateLinkProvider(stack, 'Tls8443', { allowedPrincipals: principals, tls: { certificate }, port: 8443 }));
  const http443 = checkOf('Http443', new PrivateLinkProvider(stack, 'Http443', { allowedPrincipals: principals, port: 443 }));
  const http80 = checkOf('Http80', new PrivateLinkProvider(stack, 'Http80', { allowedPrincipals: principals }));
  const vpc = new ec2.Vpc(stack, 'DbVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const nlbTargets = checkOf(
    'Db',
    new PrivateLinkProvider(stack, 'Db', { vpc, port: 5432, allowedPrincipals: principals, backend: ProviderBackend.networkTargets([new IpTarget('10.0.1.20')]) }),
  );
  const byName = (id: string, options: object) =>
    checkOf(id, PrivateLinkService.fromServiceName(`com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcde${id.length}${id.length}`, options));
  const name443 = byName('N443', { port: 443 });
  const name80 = byName('N80x', { port: 80 });
  const name5432 = byName('N5432x', { port: 5432 });
  const nameTls = byName('NTls5432', { port: 5432, tls: true });
  const nameTcp = byName('NTcp', { port: 6379, protocol: ServiceProtocol.TCP });
  const forced = byName('Forced', { port: 9000, protocol: ServiceProtocol.TCP });
  const forcedCheck = new ConnectivityCheck(stack, 'ForcedHttp', { endpoint: forced.node.scope!.node.findChild('ForcedConsumer') as PrivateLinkConsumer, protocol: CheckProtocol.HTTP, path: '/ready' });
  const warnings = Annotations.fromStack(stack);

  test.each([
    ['a TLS provider on 8443', CheckProtocol.HTTPS, () => tls8443],
    ['a plain-HTTP ALB provider on 443', CheckProtocol.HTTP, () => http443],
    ['the built-in ALB on 80', CheckProtocol.HTTP, () => http80],
    ['direct NLB targets', CheckProtocol.TCP, () => nlbTargets],
    ['a service known by name on 443', CheckProtocol.HTTPS, () => name443],
    ['a service known by name on 80', CheckProtocol.HTTP, () => name80],
    ['a service known by name on 5432', CheckProtocol.TCP, () => name5432],
    ['a service known by name with tls on 5432', CheckProtocol.TLS, () => nameTls],
    ['a service known by name as TCP', CheckProtocol.TCP, () => nameTcp],
  ])('GIVEN %s THEN the check speaks %s', (_name, protocol, check) => {
    expect(check().protocol).toBe(protocol);
    expect(check().url.startsWith(`${protocol}://`) || JSON.stringify(stack.resolve(check().url)).includes(`${protocol}://`)).toBe(true);
  });

  test('THEN TCP and TLS URLs have no path and no status to expect, HTTP ones do', () => {
    expect(JSON.stringify(stack.resolve(nameTls.url))).toMatch(/^\{"Fn::Join":\["",\["tls:\/\/",.*":5432"\]\]\}$/);
    expect(JSON.stringify(stack.resolve(nlbTargets.url))).toMatch(/"tcp:\/\/",.*":5432"\]/);
    expect(JSON.stringify(stack.resolve(http80.url))).toMatch(/":80\/"\]/);
    // Only an HTTP check gets a status to expect.
    const template = Template.fromStack(stack);
    expect(functionProps(template, nameTls).Environment.Variables.EXPECTED_STATUS).toBeUndefined();
    expect(functionProps(template, nlbTargets).Environment.Variables.EXPECTED_STATUS).toBeUndefined();
    expect(functionProps(template, http80).Environment.Variables.EXPECTED_STATUS).toBe('200');
  });

  test('THEN only the service of unknown protocol on an unusual port warns, saying how to choose', () => {
    const found = warnings.findWarning('*', Match.stringLikeRegexp('What the service speaks on port'));
    expect(found.map((w) => w.id)).toEqual(['/Defaults/N5432xCheck']);
    expect(JSON.stringify(found[0].entry.data)).toContain('PrivateLinkService.fromServiceName(name, { protocol })');
  });

  test('GIVEN an explicit protocol THEN it wins', () => {
    expect(forcedCheck.protocol).toBe(CheckProtocol.HTTP);
    expect(JSON.stringify(stack.resolve(forcedCheck.url))).toMatch(/"http:\/\/",.*":9000\/ready"\]/);
  });

  test.each([
    ['path', { path: '/x' }],
    ['expectedBody', { expectedBody: 'ok' }],
    ['expectedStatus', { expectedStatus: 204 }],
  ])('GIVEN %s with a TCP check THEN refused: nothing would use it', (input, props) => {
    const err = configError(() => new ConnectivityCheck(stack, `Bad${input}`, { endpoint: nameTcp.node.scope!.node.findChild('NTcpConsumer') as PrivateLinkConsumer, ...props }));
    expect(err.message).toBe(
      `Defaults/Bad${input}: ${input}: the check speaks TCP (no HTTP request), so ${input} would be ignored. Set protocol: CheckProtocol.HTTP or HTTPS, or remove it.`,
    );
  });
});

describe('ConnectivityCheck on an imported endpoint', () => {
  // GIVEN an endpoint made elsewhere, imported with its security group (built once)
  const stack = new Stack(new App(), 'TestStack');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'] });
  const endpoint = PrivateLinkConsumer.fromEndpointAttributes(stack, 'Imported', {
    vpc,
    endpointId: 'vpce-0123456789abcdef0',
    dnsName: 'vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
    port: 443,
    privateDnsName: 'api.example.com',
    tls: true,
    securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0', { mutable: true })],
  });
  const check = new ConnectivityCheck(stack, 'Check', { endpoint });
  const template = Template.fromStack(stack);

  test('THEN it calls HTTPS on the private DNS name, in the imported VPC, and the imported group admits it on the port', () => {
    expect(check.url).toBe('https://api.example.com:443/');
    expect(functionProps(template, check).VpcConfig.SubnetIds).toEqual(['subnet-0123456789abcdef0']);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0',
      SourceSecurityGroupId: groupId(check.connections.securityGroups[0]),
      FromPort: 443,
      ToPort: 443,
    });
  });

  test.each([
    ['endpointId', { endpointId: 'vpce-svc-0123456789abcdef0' }, /^TestStack\/Bad: endpointId: "vpce-svc-0123456789abcdef0" is not a VPC endpoint ID\. .*not the service's vpce-svc-/],
    ['port', { port: 0 }, /^TestStack\/Bad: port: 0 is not a TCP port/],
    ['securityGroups', { securityGroups: [] }, /^TestStack\/Bad: securityGroups: the list is empty\. Give the endpoint's security groups/],
    ['tls', { tls: false, protocol: ServiceProtocol.HTTPS }, /^TestStack\/Bad: tls: false contradicts protocol HTTPS/],
  ])('GIVEN a bad %s THEN refused by message', (_input, attrs, message) => {
    const base = { vpc, endpointId: 'vpce-0123456789abcdef0', dnsName: 'x.example.com', port: 443, securityGroups: endpoint.connections.securityGroups };
    const err = configError(() => PrivateLinkConsumer.fromEndpointAttributes(stack, 'Bad', { ...base, ...attrs }));
    expect(err.message).toMatch(message);
    stack.node.tryRemoveChild('Bad');
  });
});
