import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { type PrivateDnsOptions } from '../src/provider/private-dns';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { configError, withoutPath } from './support/config-error';
import { logicalId } from './support/template';

const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const RESOURCE = 'Custom::PrivateLinkPrivateDnsName';

function build(options: (stack: Stack) => PrivateDnsOptions) {
  const stack = new Stack(new App(), 'TestStack');
  const provider = new PrivateLinkProvider(stack, 'Provider', { privateDns: options(stack) });
  return { stack, provider, template: Template.fromStack(stack) };
}

/** The inline policy statements of the role of `fn`'s construct. */
function statementsOf(template: Template, roleConstruct: IConstruct): unknown[] {
  const role = template.findResources('AWS::IAM::Role')[logicalId(roleConstruct)];
  return role.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement);
}

const SERVICE_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ec2:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':vpc-endpoint-service/',
      { Ref: expect.stringMatching(/^ProviderEndpointService/) },
    ],
  ],
};
const ZONE_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${ZONE_ID}`]] };

describe('privateDnsName with a public hosted zone', () => {
  // GIVEN a provider whose name is verified in a zone (built once)
  const { stack, provider, template } = build((s) => ({
    domainName: 'api.example.com',
    publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneId(s, 'Zone', ZONE_ID),
  }));
  const dns = provider.privateDnsVerification!;

  test('THEN the provider exposes the name', () => {
    expect(provider.privateDnsName).toBe('api.example.com');
    expect(dns.domainName).toBe('api.example.com');
  });

  test('THEN one custom resource gets the service, the name, the zone and the bounded wait', () => {
    template.resourceCountIs(RESOURCE, 1);
    template.hasResourceProperties(RESOURCE, {
      ServiceToken: { 'Fn::GetAtt': [logicalId(dns.function), 'Arn'] },
      ServiceId: { Ref: logicalId(provider.endpointService.node.findChild('EndpointService')) },
      DomainName: 'api.example.com',
      HostedZoneId: ZONE_ID,
      VerificationTimeoutSeconds: '600',
      // The function runs 60 s past the 10 min wait; CloudFormation gives up 60 s after that.
      ServiceTimeout: '720',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 660,
      Description: Match.stringLikeRegexp('private DNS name'),
    });
  });

  test('THEN the role may change the service only, read the zone, and upsert/delete TXT records in that zone only', () => {
    expect(statementsOf(template, dns.function.role!)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ProviderPrivateDnsNameLogGroup/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['ec2:ModifyVpcEndpointServiceConfiguration', 'ec2:StartVpcEndpointServicePrivateDnsVerification'],
        Resource: SERVICE_ARN,
      },
      { Effect: 'Allow', Action: ['ec2:DescribeVpcEndpointServiceConfigurations', 'route53:GetChange'], Resource: '*' },
      { Effect: 'Allow', Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], Resource: ZONE_ARN },
      {
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: ZONE_ARN,
        Condition: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
          },
        },
      },
    ]);
  });

  test('THEN the role has no managed policy', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(dns.function.role!)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('THEN the attributes are read from the custom resource', () => {
    const resolve = (v: string) => stack.resolve(v);
    const id = logicalId(dns.resource);
    expect(resolve(dns.verificationState)).toEqual({ 'Fn::GetAtt': [id, 'VerificationState'] });
    expect(resolve(dns.verificationRecordName)).toEqual({ 'Fn::GetAtt': [id, 'VerificationRecordName'] });
    expect(resolve(dns.verificationRecordValue)).toEqual({ 'Fn::GetAtt': [id, 'VerificationRecordValue'] });
  });
});

describe('privateDnsName without a hosted zone', () => {
  const { provider, template } = build(() => ({ domainName: 'api.example.com', verificationTimeout: Duration.minutes(14) }));

  test('THEN no zone is passed and the role has no Route 53 permission', () => {
    const props = Object.values(template.findResources(RESOURCE))[0].Properties;
    expect(props.HostedZoneId).toBeUndefined();
    expect(props.VerificationTimeoutSeconds).toBe('840');
    const json = JSON.stringify(statementsOf(template, provider.privateDnsVerification!.function.role!));
    expect(json).not.toContain('route53:');
    expect(json).toContain('ec2:ModifyVpcEndpointServiceConfiguration');
  });

  test('THEN a 14-minute wait gets the 15-minute Lambda maximum', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900 });
  });
});

describe('privateDnsName errors', () => {
  test.each([
    ['*.example.com', 'privateDnsName.domainName: "*.example.com" is a wildcard.'],
    ['example', 'privateDnsName.domainName: "example" is not a DNS name (it has a single label).'],
  ])('GIVEN domainName %s THEN refused naming the prop', (domainName, message) => {
    const err = configError(() => build(() => ({ domainName })));
    expect(err.message).toContain(message);
  });

  test('GIVEN a malformed zone ID THEN refused naming privateDnsName.publicHostedZone', () => {
    const err = configError(() =>
      build((s) => ({ domainName: 'api.example.com', publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneId(s, 'Z', 'zone-1') })),
    );
    expect(withoutPath(err)).toMatch(/^privateDnsName\.publicHostedZone: "zone-1" is not a Route 53 hosted zone ID\./);
  });

  test.each([Duration.seconds(30), Duration.minutes(15)])('GIVEN verificationTimeout %s THEN out of range', (timeout) => {
    const err = configError(() => build(() => ({ domainName: 'api.example.com', verificationTimeout: timeout })));
    expect(withoutPath(err)).toBe(
      `privateDnsName.verificationTimeout: ${timeout.toHumanString()} is out of range. Use a duration from 1 to 14 minutes ` +
        '(the wait runs in one Lambda invocation).',
    );
  });

  test('GIVEN several bad values THEN one error lists them', () => {
    const err = configError(() =>
      build((s) => ({
        domainName: 'api.example.com.',
        publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneId(s, 'Z', '/hostedzone/Z123'),
        verificationTimeout: Duration.hours(1),
      })),
    );
    expect(err.problems).toHaveLength(3);
  });
});
