/**
 * PrivateLinkProvider with allowedOrganizationalUnits: the PrincipalSync function is the only writer of
 * the allowed principals (GIVEN props WHEN synthesized THEN resources, least-privilege policy, rules).
 */
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivateLinkProvider, type PrivateLinkProviderProps } from '../src/provider/private-link-provider';
import { configError } from './support/config-error';
import { newStack } from './support/template';

const OU = 'ou-ab12-cdefgh34';
const ROOT = 'r-ab12';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/OrganizationsRead';

function build(props: PrivateLinkProviderProps, env?: { account?: string; region?: string }) {
  const stack = newStack(env ? { env } : undefined);
  const provider = new PrivateLinkProvider(stack, 'Provider', props);
  return { stack, provider };
}

function syncFunction(template: Template) {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^cdk-privatelink: keeps the endpoint service allowed principals') } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.values(fns)[0];
}

function statementsOf(template: Template, fn: ReturnType<Template['findResources']>[string]): unknown[] {
  const role = template.toJSON().Resources[fn.Properties.Role['Fn::GetAtt'][0]];
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  return role.Properties.Policies[0].PolicyDocument.Statement;
}

describe('GIVEN allowedOrganizationalUnits and static principals', () => {
  const { stack, provider } = build({ allowedOrganizationalUnits: [OU, ROOT, OU], allowedPrincipals: ['222222222222', 'arn:aws:iam::333333333333:role/Caller'] });
  provider.allowPrincipal('444444444444');
  provider.allowPrincipal('arn:aws:iam::222222222222:root'); // the same principal as the account ID
  const template = Template.fromStack(stack);

  test('THEN no CloudFormation permissions resource: the sync is the only writer', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 0);
    expect(provider.principalSync).toBeDefined();
  });

  test('THEN the function knows the service, the OUs once each, and every static principal (accounts as IDs)', () => {
    const env = syncFunction(template).Properties.Environment.Variables;
    expect(env).toEqual({
      SERVICE_ID: { Ref: expect.stringMatching(/^ProviderEndpointService/) },
      ORGANIZATIONAL_UNITS: `${OU},${ROOT}`,
      STATIC_PRINCIPALS: '222222222222,arn:aws:iam::333333333333:role/Caller,444444444444',
      PARTITION: { Ref: 'AWS::Partition' },
    });
  });

  test('THEN a custom resource runs the sync at deploy, with what the list depends on as properties', () => {
    template.hasResourceProperties('Custom::PrivateLinkPrincipalSync', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProviderPrincipalSyncFunction'), 'Arn'] },
      OrganizationalUnits: [OU, ROOT],
      StaticPrincipals: '222222222222,arn:aws:iam::333333333333:role/Caller,444444444444',
    });
  });

  test('THEN it runs every 15 minutes and on Organizations account events', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.organizations'],
        'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
        detail: { eventName: Match.arrayWith(['CreateAccountResult', 'MoveAccount', 'RemoveAccountFromOrganization', 'CloseAccount']) },
      },
    });
  });

  test('THEN its role may modify this service only, and read the organization and the permissions', () => {
    expect(statementsOf(template, syncFunction(template))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'ec2:ModifyVpcEndpointServicePermissions', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }) }),
        expect.objectContaining({ Action: 'ec2:DescribeVpcEndpointServicePermissions', Resource: '*' }),
        expect.objectContaining({ Action: ['organizations:ListAccountsForParent', 'organizations:ListChildren'], Resource: '*' }),
      ]),
    );
  });

  test('THEN an environment-agnostic stack gets no region warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('GIVEN organizationsReadRole', () => {
  const { stack } = build({
    allowedOrganizationalUnits: [OU],
    organizationsReadRole: iam.Role.fromRoleArn(new Stack(), 'Read', ROLE_ARN),
  });
  const template = Template.fromStack(stack);
  test('THEN the function assumes that role and has no Organizations permission of its own', () => {
    const fn = syncFunction(template);
    expect(fn.Properties.Environment.Variables.READ_ROLE_ARN).toBe(ROLE_ARN);
    const statements = JSON.stringify(statementsOf(template, fn));
    expect(statements).toContain(`"Action":"sts:AssumeRole","Effect":"Allow","Resource":"${ROLE_ARN}"`);
    expect(statements).not.toContain('organizations:');
    template.hasResourceProperties('Custom::PrivateLinkPrincipalSync', { ReadRole: ROLE_ARN });
  });
});

describe('regions: Organizations events reach EventBridge only in us-east-1', () => {
  test('GIVEN a stack in eu-west-1 THEN a warning says the schedule does the work', () => {
    const { stack } = build({ allowedOrganizationalUnits: [OU] }, { region: 'eu-west-1' });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Provider/PrincipalSync',
      Match.stringLikeRegexp('Organizations events reach EventBridge only in us-east-1 .* this stack is in eu-west-1: the principal sync runs every 15 minutes'),
    );
  });
  test('GIVEN a stack in us-east-1 THEN no warning', () => {
    const { stack } = build({ allowedOrganizationalUnits: [OU] }, { region: 'us-east-1' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('GIVEN no allowedOrganizationalUnits', () => {
  test('THEN the permissions resource as before, and no sync', () => {
    const { stack, provider } = build({ allowedPrincipals: ['222222222222'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
    template.resourceCountIs('Custom::PrivateLinkPrincipalSync', 0);
    expect(provider.principalSync).toBeUndefined();
  });
});

describe('bad input is refused at synth', () => {
  test.each([
    [{ allowedOrganizationalUnits: ['ou-1'] }, 'TestStack/Provider/PrincipalSync: allowedOrganizationalUnits[0]: "ou-1" is not an organizational unit ID or root ID. Use an OU ID such as "ou-ab12-cdefgh34" or the root ID such as "r-ab12"'],
    [{ allowedOrganizationalUnits: ['o-abcdefghij'] }, 'TestStack/Provider/PrincipalSync: allowedOrganizationalUnits[0]: "o-abcdefghij" is not an organizational unit ID or root ID. That is the organization ID; the whole organization is its root ID (r-…'],
    [{ allowedOrganizationalUnits: ['222222222222'] }, 'That is an account ID: name the OU it is in'],
    [{ allowedOrganizationalUnits: [] }, 'TestStack/Provider/PrincipalSync: allowedOrganizationalUnits: the list is empty. Name at least one OU ID (ou-…) or the root ID (r-…), or leave it unset.'],
  ])('%j', (props, message) => {
    expect(configError(() => build(props)).message).toContain(message);
  });

  test('organizationsReadRole without allowedOrganizationalUnits', () => {
    const role = iam.Role.fromRoleArn(new Stack(), 'Read', ROLE_ARN);
    expect(configError(() => build({ organizationsReadRole: role, allowedPrincipals: ['222222222222'] })).message).toContain(
      'TestStack/Provider: organizationsReadRole: it is used only to read the accounts of allowedOrganizationalUnits, which is not set. Set allowedOrganizationalUnits, or remove organizationsReadRole.',
    );
  });

  test('more static principals than the function environment holds', () => {
    const accounts = Array.from({ length: 300 }, (_, i) => String(100000000000 + i));
    expect(configError(() => build({ allowedOrganizationalUnits: [OU], allowedPrincipals: accounts })).message).toMatch(
      /^TestStack\/Provider\/PrincipalSync: allowedPrincipals: 270 principals \(3509 characters\) do not fit the principal sync function's environment \(3500 characters\): with allowedOrganizationalUnits, put these accounts in one of those OUs/,
    );
  });
});

test('GIVEN allowedOrganizationalUnits THEN any account may be allowed (known only at deploy): autoAcceptAccounts of the OUs are accepted', () => {
  const { stack, provider } = build({ allowedOrganizationalUnits: [OU], autoAcceptAccounts: ['333333333333'] });
  expect(provider.allowsAccount('333333333333')).toBe(true);
  Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 0);
});
