/**
 * ConsumerRollout: one service-managed StackSet whose member template is the consumer side made
 * self-contained (GIVEN props WHEN synthesized THEN the StackSet and the member template). One app per
 * configuration, reused across its assertions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ConsumerRollout, type ConsumerRolloutProps, RolloutCallAs } from '../src/rollout/consumer-rollout';
import { TEMPLATE_BODY_MAX_BYTES, TEMPLATE_URL_MAX_BYTES, templateSource } from '../src/rollout/member-template';
import { RolloutVpc } from '../src/rollout/rollout-vpc';
import { PrivateLinkService } from '../src/service/private-link-service';
import { configError } from './support/config-error';

const SERVICE_NAME = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
const OU = 'ou-ab12-cdefgh34';
const service = PrivateLinkService.fromServiceName(SERVICE_NAME, { allowedRegions: ['eu-west-1'] });

function build(props: Partial<ConsumerRolloutProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Management');
  const rollout = new ConsumerRollout(stack, 'Rollout', {
    service,
    organizationalUnits: [OU],
    regions: ['us-east-1'],
    vpc: RolloutVpc.fromSsmParameters(),
    ...props,
  });
  const template = Template.fromStack(stack);
  const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
  return { app, stack, rollout, template, stackSet, member: Template.fromJSON(rollout.memberTemplate) };
}

describe('GIVEN the defaults (SSM-found VPC, one OU, one region)', () => {
  const { rollout, template, stackSet, member } = build();

  test('THEN one service-managed StackSet with auto-deployment, stacks removed when an account leaves', () => {
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    expect(stackSet.Properties).toMatchObject({
      StackSetName: rollout.stackSetName,
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_IAM'],
      ManagedExecution: { Active: true },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['us-east-1'] }],
    });
    expect(stackSet.Properties.StackInstancesGroup[0].DeploymentTargets.AccountFilterType).toBeUndefined();
    expect(rollout.stackSetName).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
  });

  test('THEN preferences for hundreds of accounts: soft failure tolerance, a quarter at once, regions in parallel', () => {
    expect(stackSet.Properties.OperationPreferences).toEqual({
      ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      MaxConcurrentPercentage: 25,
      FailureTolerancePercentage: 10,
      RegionConcurrencyType: 'PARALLEL',
    });
  });

  test('THEN the member template is the TemplateBody, within its 51,200 bytes', () => {
    const body = stackSet.Properties.TemplateBody as string;
    expect(typeof body).toBe('string');
    expect(stackSet.Properties.TemplateURL).toBeUndefined();
    expect(JSON.parse(body)).toEqual(rollout.memberTemplate);
    expect(Buffer.byteLength(body)).toBe(rollout.memberTemplateBytes);
    expect(rollout.memberTemplateBytes).toBeLessThanOrEqual(TEMPLATE_BODY_MAX_BYTES);
    expect(rollout.memberTemplateByUrl).toBe(false);
  });

  test('THEN the member template has no bootstrap-version parameter or rule, and no asset', () => {
    const t = rollout.memberTemplate as { Parameters?: Record<string, unknown>; Rules?: unknown };
    expect(Object.keys(t.Parameters ?? {})).toEqual(['VpcId', 'SubnetIds']);
    expect(t.Rules).toBeUndefined();
    const body = JSON.stringify(t);
    expect(body).not.toMatch(/BootstrapVersion|cdk-hnb659fds|aws:asset|AssetParameters|S3Bucket/);
    const functions = Object.values(member.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2); // the preflight and the check
    for (const fn of functions) {
      expect(Object.keys(fn.Properties.Code)).toEqual(['ZipFile']);
      expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x' });
    }
  });

  test('THEN the inline code is the bundled handler itself', () => {
    const codes = Object.values(member.findResources('AWS::Lambda::Function')).map((r) => r.Properties.Code.ZipFile);
    for (const name of ['preflight', 'check']) {
      expect(codes).toContain(fs.readFileSync(path.join(__dirname, '..', 'assets', name, 'index.js'), 'utf8'));
    }
  });

  test("THEN the VPC and subnets come from each account's Parameter Store, with the documented default names", () => {
    member.templateMatches({
      Parameters: {
        VpcId: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>', Default: '/cdk-privatelink/consumer/vpc-id' },
        SubnetIds: { Type: 'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>', Default: '/cdk-privatelink/consumer/subnet-ids' },
      },
    });
    member.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: SERVICE_NAME,
      VpcId: { Ref: 'VpcId' },
      SubnetIds: { Ref: 'SubnetIds' },
      ServiceRegion: Match.absent(),
    });
    member.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: { Ref: 'SubnetIds' } } });
    member.resourceCountIs('AWS::EC2::VPC', 0);
  });

  test('THEN the member stack outputs what privatelink check reads', () => {
    member.hasOutput('CheckFunctionName', {});
    member.hasOutput('EndpointId', {});
  });
});

describe('GIVEN accounts, a delegated administrator, kept stacks and own preferences', () => {
  const { stackSet } = build({
    accounts: ['222222222222', '333333333333'],
    callAs: RolloutCallAs.DELEGATED_ADMIN,
    retainStacksOnAccountRemoval: true,
    maxConcurrentPercentage: 50,
    failureTolerancePercentage: 0,
    regionsInParallel: false,
    regions: ['us-east-1', 'eu-west-1'],
    stackSetName: 'PrivateLinkConsumer',
  });
  test('THEN the accounts narrow the OU (INTERSECTION), and the choices are written as given', () => {
    expect(stackSet.Properties).toMatchObject({
      StackSetName: 'PrivateLinkConsumer',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: { MaxConcurrentPercentage: 50, FailureTolerancePercentage: 0, RegionConcurrencyType: 'SEQUENTIAL' },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: ['222222222222', '333333333333'], AccountFilterType: 'INTERSECTION' },
          Regions: ['us-east-1', 'eu-west-1'],
        },
      ],
    });
  });
  test('THEN in a region other than the service\'s, the endpoint and the preflight name the service region (a condition)', () => {
    const member = Template.fromJSON(JSON.parse(stackSet.Properties.TemplateBody));
    member.hasCondition('InServiceRegion', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    const conditional = { 'Fn::If': ['InServiceRegion', { Ref: 'AWS::NoValue' }, 'us-east-1'] };
    member.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: conditional });
    member.hasResourceProperties('Custom::PrivateLinkPreflight', { ServiceRegion: conditional });
  });
});

describe('GIVEN an isolated VPC per account and no check', () => {
  const { member, rollout } = build({ vpc: RolloutVpc.isolated(), check: false });
  test('THEN a new isolated VPC in the member template, no parameter, no check function', () => {
    member.resourceCountIs('AWS::EC2::VPC', 1);
    member.resourceCountIs('AWS::EC2::InternetGateway', 0);
    member.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect((rollout.memberTemplate as { Parameters?: unknown }).Parameters).toBeUndefined();
    member.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('connectivity') }, 0);
  });

  test("THEN the VPC's default security group is stripped by our inline handler (aws-cdk-lib's is an asset)", () => {
    const vpcId = Object.keys(member.findResources('AWS::EC2::VPC'))[0];
    member.hasResourceProperties('Custom::PrivateLinkDefaultSecurityGroup', { SecurityGroupId: { 'Fn::GetAtt': [vpcId, 'DefaultSecurityGroup'] } });
    member.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
    const functions = Object.values(member.findResources('AWS::Lambda::Function'));
    expect(functions.map((f) => f.Properties.Description).sort()).toEqual([
      expect.stringMatching(/^cdk-privatelink: checks, before an endpoint is created/),
      expect.stringMatching(/^cdk-privatelink: removes every rule of the VPC's default security group/),
    ]);
    const code = fs.readFileSync(path.join(__dirname, '..', 'assets', 'default-sg', 'index.js'), 'utf8');
    expect(functions.map((f) => f.Properties.Code.ZipFile)).toContain(code);
  });
});

test('own Parameter Store names are the parameters\' defaults', () => {
  const { member } = build({ vpc: RolloutVpc.fromSsmParameters({ vpcId: '/network/vpc', subnetIds: '/network/private-subnets' }) });
  member.templateMatches({ Parameters: { VpcId: { Default: '/network/vpc' }, SubnetIds: { Default: '/network/private-subnets' } } });
});

describe('the member template size decides TemplateBody or TemplateURL', () => {
  test.each([
    [TEMPLATE_BODY_MAX_BYTES, 'body'],
    [TEMPLATE_BODY_MAX_BYTES + 1, 'url'],
    [TEMPLATE_URL_MAX_BYTES, 'url'],
    [TEMPLATE_URL_MAX_BYTES + 1, 'too-large'],
  ])('%d bytes → %s', (bytes, kind) => {
    expect(templateSource(bytes).kind).toBe(kind);
  });
  test('above 460,800 bytes the message says what to leave out', () => {
    expect(templateSource(500_000)).toEqual({
      kind: 'too-large',
      problem: expect.stringContaining('the member template is 500000 bytes, above the 460800 bytes CloudFormation accepts for a StackSet template. Leave out the connectivity check (check: false)'),
    });
  });
});

describe('bad input is refused at synth, naming the construct path', () => {
  const P = 'Management/Rollout: ';
  test.each<[Partial<ConsumerRolloutProps>, string]>([
    [{ organizationalUnits: [] }, `${P}organizationalUnits: the list is empty. A service-managed StackSet deploys to OUs`],
    [{ organizationalUnits: ['ou-1'] }, `${P}organizationalUnits[0]: "ou-1" is not an organizational unit ID or root ID.`],
    [{ accounts: ['1234'] }, `${P}accounts[0]: "1234" is not an AWS account ID.`],
    [{ accounts: [] }, `${P}accounts: the list is empty, so no account would get the consumer side.`],
    [{ regions: [] }, `${P}regions: the list is empty.`],
    [{ regions: ['mars-1'] }, `${P}regions[0]: "mars-1" is not an AWS region code.`],
    [{ regions: ['us-east-1', 'ap-south-1'] }, `${P}regions: the service in us-east-1 does not accept endpoints from ap-south-1 (its allowedRegions: us-east-1, eu-west-1). Add "ap-south-1" to the provider's allowedRegions`],
    [{ stackSetName: '1-bad' }, `${P}stackSetName: "1-bad" is not a StackSet name.`],
    [{ maxConcurrentPercentage: 0 }, `${P}maxConcurrentPercentage: 0 is not a whole percentage from 1 to 100.`],
    [{ failureTolerancePercentage: 101 }, `${P}failureTolerancePercentage: 101 is not a whole percentage from 0 to 100.`],
    [{ check: false, expectedBody: 'Hello' }, `${P}expectedBody: there is no check (check: false) to expect it.`],
    [{ vpc: RolloutVpc.fromSsmParameters({ vpcId: 'aws/vpc' }) }, `${P}vpc.vpcId: "aws/vpc" is not a Parameter Store parameter name.`],
  ])('%j', (props, message) => {
    expect(configError(() => build(props)).message).toContain(message);
  });

  test('a service whose name is a token (a provider of this app)', () => {
    const app = new App();
    const stack = new Stack(app, 'Management');
    const tokenService = { ...service, serviceName: stack.stackId }; // any token
    expect(
      configError(() => new ConsumerRollout(stack, 'Rollout', { service: tokenService, organizationalUnits: [OU], regions: ['us-east-1'], vpc: RolloutVpc.isolated() }))
        .message,
    ).toContain(`${P}service: its name is known only at deploy`);
  });
});
