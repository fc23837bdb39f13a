import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { ProviderBackend } from '../src/provider/backend';
import { PrivateLinkProvider, type PrivateLinkProviderProps } from '../src/provider/private-link-provider';
import { DEFAULT_SSL_POLICY } from '../src/provider/tls-defaults';
import { configError, withoutPath } from './support/config-error';
import { logicalId } from './support/template';

const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

function tlsProvider(props: Partial<PrivateLinkProviderProps> = {}, stackProps?: StackProps) {
  const stack = new Stack(new App(), 'TestStack', stackProps);
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
  const provider = new PrivateLinkProvider(stack, 'Provider', { tls: { certificate }, ...props });
  return { stack, provider, certificate };
}

/** Listeners by the load balancer they belong to. */
function listenersOf(template: Template, lb: IConstruct): Record<string, unknown>[] {
  return Object.values(template.findResources(LISTENER))
    .map((r) => r.Properties as Record<string, unknown>)
    .filter((p) => JSON.stringify(p.LoadBalancerArn) === JSON.stringify({ Ref: logicalId(lb) }));
}

describe('PrivateLinkProvider with tls (defaults)', () => {
  // GIVEN a provider with a certificate and nothing else (built once)
  const { stack, provider } = tlsProvider();
  const template = Template.fromStack(stack);
  const alb = provider.applicationLoadBalancer!;
  const albSg = alb.connections.securityGroups[0];
  const nlbSg = provider.loadBalancer.connections.securityGroups[0];

  test('THEN the service port is 443 and TLS is on', () => {
    expect(provider.port).toBe(443);
    expect(provider.tlsEnabled).toBe(true);
  });

  test('THEN the ALB has one listener: HTTPS 443 with the certificate and a TLS 1.3 policy (no plain HTTP)', () => {
    expect(listenersOf(template, alb)).toEqual([
      {
        LoadBalancerArn: { Ref: logicalId(alb) },
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: CERT_ARN }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
        DefaultActions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'Hello from ALB!' } },
        ],
      },
    ]);
    expect(DEFAULT_SSL_POLICY).toBe(elbv2.SslPolicy.TLS13_RES);
  });

  test('THEN the NLB passes TCP 443 through to an alb target group on 443, health-checked over HTTPS', () => {
    expect(listenersOf(template, provider.loadBalancer)).toEqual([
      {
        LoadBalancerArn: { Ref: logicalId(provider.loadBalancer) },
        Port: 443,
        Protocol: 'TCP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: expect.stringMatching(/^ProviderTargetGroup/) } }],
      },
    ]);
    template.resourceCountIs(TARGET_GROUP, 1);
    template.hasResourceProperties(TARGET_GROUP, {
      Port: 443,
      Protocol: 'TCP',
      TargetType: 'alb',
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPort: 'traffic-port',
      Targets: [{ Id: { Ref: logicalId(alb) }, Port: 443 }],
    });
  });

  test('THEN the ALB accepts the NLB on 443 only and the NLB may reach it on 443 only', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress).toEqual([
      {
        GroupId: { 'Fn::GetAtt': [logicalId(albSg), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(nlbSg), 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        Description: 'NLB to backend',
      },
    ]);
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({ FromPort: 443, ToPort: 443, GroupId: { 'Fn::GetAtt': [logicalId(nlbSg), 'GroupId'] } })]);
  });

  test('THEN nothing anywhere listens or forwards on port 80', () => {
    const ports = [...Object.values(template.findResources(LISTENER)), ...Object.values(template.findResources(TARGET_GROUP))].map(
      (r) => r.Properties.Port,
    );
    expect(ports).toEqual([443, 443, 443]);
  });
});

describe('PrivateLinkProvider with tls options', () => {
  test('GIVEN port 8443 THEN HTTPS on 8443 end to end', () => {
    const { stack, provider } = tlsProvider({ port: 8443 });
    const template = Template.fromStack(stack);
    expect(provider.port).toBe(8443);
    template.hasResourceProperties(LISTENER, { Port: 8443, Protocol: 'HTTPS' });
    template.hasResourceProperties(LISTENER, { Port: 8443, Protocol: 'TCP' });
    template.hasResourceProperties(TARGET_GROUP, { Port: 8443, HealthCheckProtocol: 'HTTPS' });
  });

  test('GIVEN sslPolicy THEN the HTTPS listener uses it', () => {
    const stack = new Stack(new App(), 'Policy');
    new PrivateLinkProvider(stack, 'Provider', {
      tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN), sslPolicy: elbv2.SslPolicy.TLS13_13 },
    });
    Template.fromStack(stack).hasResourceProperties(LISTENER, { Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
  });

  test('GIVEN allowPlainHttp THEN HTTP 80 is added beside HTTPS 443 (ALB, NLB, target group, rules) with a warning', () => {
    const stack = new Stack(new App(), 'Plain');
    const provider = new PrivateLinkProvider(stack, 'Provider', {
      tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN), allowPlainHttp: true },
    });
    const template = Template.fromStack(stack);
    const alb = provider.applicationLoadBalancer!;
    expect(listenersOf(template, alb).map((l) => [l.Port, l.Protocol])).toEqual([
      [443, 'HTTPS'],
      [80, 'HTTP'],
    ]);
    expect(listenersOf(template, provider.loadBalancer).map((l) => [l.Port, l.Protocol])).toEqual([
      [443, 'TCP'],
      [80, 'TCP'],
    ]);
    template.hasResourceProperties(TARGET_GROUP, { Port: 80, TargetType: 'alb', HealthCheckProtocol: 'HTTP' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 80, ToPort: 80, Description: 'NLB to backend (plain HTTP)' });
    expect(provider.port).toBe(443);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('tls.allowPlainHttp'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain('unencrypted');
  });

  test('GIVEN an existing HTTPS listener as backend THEN TLS is on and the health check uses HTTPS', () => {
    const stack = new Stack(new App(), 'Existing');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    const listener = alb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN)],
      defaultAction: elbv2.ListenerAction.fixedResponse(200),
    });
    const provider = new PrivateLinkProvider(stack, 'Provider', { vpc, backend: ProviderBackend.applicationListener(listener) });
    expect(provider.tlsEnabled).toBe(true);
    Template.fromStack(stack).hasResourceProperties(TARGET_GROUP, { Port: 443, HealthCheckProtocol: 'HTTPS' });
  });

  test('GIVEN no tls THEN HTTP on 80 as before, health check HTTP, tlsEnabled false', () => {
    const stack = new Stack(new App(), 'Plain');
    const provider = new PrivateLinkProvider(stack, 'Provider');
    expect(provider.tlsEnabled).toBe(false);
    expect(provider.port).toBe(80);
    Template.fromStack(stack).hasResourceProperties(TARGET_GROUP, { Port: 80, HealthCheckProtocol: 'HTTP' });
  });
});

describe('PrivateLinkProvider tls errors', () => {
  test('GIVEN a malformed certificate ARN THEN the error names tls.certificate and the value', () => {
    const stack = new Stack(new App(), 'Bad');
    const err = configError(
      () => new PrivateLinkProvider(stack, 'P', { tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'C', 'cert-123') } }),
    );
    expect(withoutPath(err)).toMatch(/^tls\.certificate: "cert-123" is not an ACM certificate ARN\./);
  });

  test('GIVEN a certificate of another region in a stack with a region THEN the error says where to request it', () => {
    const err = configError(() => tlsProvider({}, { env: { account: '111111111111', region: 'eu-west-1' } }));
    expect(withoutPath(err)).toBe(
      'tls.certificate: the certificate is in us-east-1 but the stack is in eu-west-1. An ALB uses ACM certificates of ' +
        'its own region: request or import the certificate in eu-west-1.',
    );
  });

  test('GIVEN the same region THEN accepted', () => {
    expect(() => tlsProvider({}, { env: { account: '111111111111', region: 'us-east-1' } })).not.toThrow();
  });

  test('GIVEN allowPlainHttp and port 80 THEN refused (the two listeners would clash)', () => {
    const stack = new Stack(new App(), 'Clash');
    const err = configError(
      () =>
        new PrivateLinkProvider(stack, 'P', {
          port: 80,
          tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'C', CERT_ARN), allowPlainHttp: true },
        }),
    );
    expect(withoutPath(err)).toBe(
      'port: 80 is the plain-HTTP port that tls.allowPlainHttp adds. Use another port for HTTPS (443 by default), or remove allowPlainHttp.',
    );
  });

  test('GIVEN tls with an existing listener as backend THEN refused: the certificate belongs on that listener', () => {
    const stack = new Stack(new App(), 'Existing');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const listener = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc }).addListener('L', {
      port: 8080,
      defaultAction: elbv2.ListenerAction.fixedResponse(200),
    });
    const err = configError(
      () =>
        new PrivateLinkProvider(stack, 'P', {
          vpc,
          backend: ProviderBackend.applicationListener(listener),
          tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'C', CERT_ARN) },
        }),
    );
    expect(withoutPath(err)).toBe(
      'tls: the backend is an existing ALB listener (port 8080), which this construct does not change. Put the ' +
        'certificate on that listener (protocol HTTPS) and remove tls: the NLB passes TCP through to it.',
    );
  });
});

describe('a consumer of a TLS provider in the same app', () => {
  // GIVEN a TLS provider without private DNS, a consumer of it and a check (built once)
  const { stack, provider } = tlsProvider();
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: provider });
  const check = new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
  const template = Template.fromStack(stack);

  test('THEN the endpoint opens 443 and the check calls https://…:443', () => {
    expect(consumer.port).toBe(443);
    expect(check.url).toMatch(/^https:\/\/.*:443\/$/);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [logicalId(consumer.securityGroups[0]), 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
  });

  test("THEN a warning says TLS verification will fail on the endpoint's own name", () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no certificate covers'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/TestStack/Check');
  });
});
