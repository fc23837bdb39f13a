import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CfnVPCEndpoint } from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { PrivateLinkService } from '../src/service/private-link-service';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';
import { logicalId } from './support/template';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const PREFLIGHT = 'Custom::PrivateLinkPreflight';
const ENDPOINT = 'AWS::EC2::VPCEndpoint';
const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef';

function checkUrlOf(template: Template): unknown {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ CHECK_URL: Match.anyValue() }) } },
  });
  return Object.values(fns)[0].Properties.Environment.Variables.CHECK_URL;
}

describe('Several consumers in one stack', () => {
  // GIVEN three consumers of two services in one stack (built once)
  const stack = new Stack(new App(), 'TestStack');
  const other = 'com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210';
  const consumers = [SERVICE_NAME, other, SERVICE_NAME].map(
    (name, i) => new PrivateLinkConsumer(stack, `Consumer${i}`, { service: PrivateLinkService.fromServiceName(name) }),
  );
  const template = Template.fromStack(stack);

  test('THEN they share one preflight function (one per stack), each with its own preflight resource', () => {
    template.resourceCountIs(PREFLIGHT, 3);
    const preflightFunctions = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('before an endpoint is created') },
    });
    expect(Object.keys(preflightFunctions)).toHaveLength(1);
    expect(new Set(consumers.map((c) => c.preflight!.function))).toEqual(new Set([consumers[0].preflight!.function]));
    for (const c of consumers) {
      template.hasResourceProperties(PREFLIGHT, {
        ServiceToken: { 'Fn::GetAtt': [Object.keys(preflightFunctions)[0], 'Arn'] },
        ServiceName: c.serviceName,
        SubnetIds: (c.endpoint.node.defaultChild as CfnVPCEndpoint).subnetIds!.map((id) => stack.resolve(id)),
      });
    }
  });
});

describe('PrivateLinkConsumer preflight (default on)', () => {
  // GIVEN a consumer of a service name (built once)
  const stack = new Stack(new App(), 'TestStack');
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME) });
  const template = Template.fromStack(stack);
  const preflight = consumer.preflight!;

  test("THEN the preflight checks the service name and the endpoint's own subnets, private DNS off", () => {
    template.resourceCountIs(PREFLIGHT, 1);
    const endpoint = Object.values(template.findResources(ENDPOINT))[0];
    template.hasResourceProperties(PREFLIGHT, {
      ServiceToken: { 'Fn::GetAtt': [logicalId(preflight.function), 'Arn'] },
      ServiceName: SERVICE_NAME,
      SubnetIds: endpoint.Properties.SubnetIds,
      PrivateDnsEnabled: 'false',
      ServiceTimeout: '180',
    });
  });

  test('THEN the endpoint is created only after the preflight passed', () => {
    const endpoint = Object.values(template.findResources(ENDPOINT))[0];
    expect(endpoint.DependsOn).toEqual([logicalId(preflight.resource)]);
  });

  test('THEN the preflight function may only describe (services, subnets) and write its logs', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(preflight.function.role!)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalId(preflight.function.node.scope!.node.findChild('LogGroup')), 'Arn'] },
      },
      { Effect: 'Allow', Action: ['ec2:DescribeVpcEndpointServices', 'ec2:DescribeSubnets'], Resource: '*' },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Runtime: 'nodejs24.x',
      Timeout: 60,
      Description: Match.stringLikeRegexp('before an endpoint is created'),
    });
  });

  test('THEN acceptanceRequired and the private DNS name are attributes of the preflight', () => {
    expect(stack.resolve(preflight.acceptanceRequired)).toEqual({ 'Fn::GetAtt': [logicalId(preflight.resource), 'AcceptanceRequired'] });
    expect(stack.resolve(preflight.privateDnsName)).toEqual({ 'Fn::GetAtt': [logicalId(preflight.resource), 'PrivateDnsName'] });
  });

  test('THEN private DNS is off and the consumer has no private DNS name', () => {
    expect(consumer.privateDnsEnabled).toBe(false);
    expect(consumer.privateDnsName).toBeUndefined();
  });
});

describe('preflightEnabled: false', () => {
  test('THEN no preflight resource and no function of ours', () => {
    const stack = new Stack(new App(), 'TestStack');
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME), preflightEnabled: false });
    const template = Template.fromStack(stack);
    expect(consumer.preflight).toBeUndefined();
    template.resourceCountIs(PREFLIGHT, 0);
    expect(
      template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('cdk-privatelink') } }),
    ).toEqual({});
    expect(Object.values(template.findResources(ENDPOINT))[0].DependsOn).toBeUndefined();
  });
});

describe('consumer private DNS with a service name', () => {
  // GIVEN private DNS on and a check (built once)
  const stack = new Stack(new App(), 'TestStack');
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: PrivateLinkService.fromServiceName(SERVICE_NAME, { port: 443 }), privateDnsEnabled: true });
  new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
  const template = Template.fromStack(stack);

  test('THEN the preflight is told private DNS is on and the endpoint enables it', () => {
    template.hasResourceProperties(PREFLIGHT, { PrivateDnsEnabled: 'true' });
    template.hasResourceProperties(ENDPOINT, { PrivateDnsEnabled: true });
  });

  test('THEN the check calls the private DNS name the preflight read, over HTTPS, without a warning', () => {
    expect(checkUrlOf(template)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(consumer.preflight!.resource), 'PrivateDnsName'] }, ':443/']],
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no certificate covers'))).toEqual([]);
  });
});

describe('consumer private DNS with the provider in the same app', () => {
  // GIVEN an HTTPS provider with a private DNS name verified in a zone, a consumer with private DNS on, a check
  const stack = new Stack(new App(), 'TestStack');
  const provider = new PrivateLinkProvider(stack, 'Provider', {
    tls: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN) },
    privateDns: {
      domainName: 'api.example.com',
      publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ'),
    },
  });
  provider.allowAccount(stack.account);
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: provider, privateDnsEnabled: true });
  new ConnectivityCheck(stack, 'Check', { endpoint: consumer, expectedBody: 'Hello from ALB!' });
  const template = Template.fromStack(stack);

  test('THEN the check calls https://api.example.com:443/ (the name on the certificate)', () => {
    expect(consumer.privateDnsName).toBe('api.example.com');
    expect(checkUrlOf(template)).toBe('https://api.example.com:443/');
  });

  test('THEN the preflight runs after the private DNS name is verified, and the endpoint after the preflight', () => {
    const preflight = Object.values(template.findResources(PREFLIGHT))[0];
    expect(preflight.DependsOn).toEqual(expect.arrayContaining([logicalId(provider.privateDnsVerification!.resource)]));
    const endpoint = Object.values(template.findResources(ENDPOINT))[0];
    expect(endpoint.DependsOn).toEqual(expect.arrayContaining([logicalId(consumer.preflight!.resource)]));
  });
});

describe('consumer private DNS errors', () => {
  test('GIVEN privateDnsEnabled and a provider without a private DNS name THEN refused at synth, quoting the deploy error', () => {
    const stack = new Stack(new App(), 'TestStack');
    const provider = new PrivateLinkProvider(stack, 'Provider');
    const err = configError(() => new PrivateLinkConsumer(stack, 'Consumer', { service: provider, privateDnsEnabled: true }));
    expect(withoutPath(err)).toBe(
      'privateDnsEnabled: true, but the provider has no private DNS name: the endpoint would fail at deploy with ' +
        `"Private DNS can't be enabled because the service ... does not provide a private DNS name". Set ` +
        'privateDns on the PrivateLinkProvider (its TXT record must be published and verified), or leave ' +
        'privateDnsEnabled off and call the endpoint by its own DNS name.',
    );
  });

  test('GIVEN privateDnsEnabled, a service name and no preflight THEN the check has no name to call and warns over HTTPS', () => {
    const stack = new Stack(new App(), 'TestStack');
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
      service: PrivateLinkService.fromServiceName(SERVICE_NAME, { port: 443 }),
      privateDnsEnabled: true,
      preflightEnabled: false,
    });
    new ConnectivityCheck(stack, 'Check', { endpoint: consumer });
    expect(consumer.privateDnsName).toBeUndefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no certificate covers'))).toHaveLength(1);
  });
});
