/**
 * The app's organization settings: CONSUMER_ORGANIZATIONAL_UNITS (the provider's principals from OUs,
 * and with a service name the third stack, PrivateLinkConsumerStackSet) and CONSUMER_REGIONS. Read from
 * env vars and context, validated with messages naming the variable.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../app/config';
import { type ContextLookup } from '../app/settings';
import { buildTemplates } from './support/app';
import { configError } from './support/config-error';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const OU = 'ou-ab12-cdefgh34';
const noContext: ContextLookup = () => undefined;


describe('GIVEN a service name, OUs, accounts and regions', () => {
  const { app, stacks, stackSet, provider } = buildTemplates({
    PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE,
    CONSUMER_ORGANIZATIONAL_UNITS: `${OU},r-ab12`,
    CONSUMER_ACCOUNT_ID: '222222222222',
    CONSUMER_REGIONS: 'eu-west-1',
  });

  test('THEN three stacks: provider, consumer and PrivateLinkConsumerStackSet', () => {
    expect(app.node.children.filter((c) => Stack.isStack(c)).map((c) => c.node.id).sort()).toEqual([
      'PrivateLinkConsumer',
      'PrivateLinkConsumerStackSet',
      'PrivateLinkProvider',
    ]);
  });

  test('THEN the StackSet targets the OUs, narrowed to the accounts, in the regions, with SSM-found VPCs', () => {
    stackSet!.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'PrivateLinkConsumer',
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: [OU, 'r-ab12'], Accounts: ['222222222222'], AccountFilterType: 'INTERSECTION' }, Regions: ['eu-west-1'] },
      ],
    });
    const member = Template.fromJSON(stacks.stackSet!.rollout.memberTemplate);
    member.templateMatches({
      Parameters: {
        VpcId: { Default: '/cdk-privatelink/consumer/vpc-id' },
        SubnetIds: { Default: '/cdk-privatelink/consumer/subnet-ids' },
      },
    });
    member.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: SERVICE });
  });

  test('THEN its output names the StackSet', () => {
    stackSet!.hasOutput('StackSetName', { Value: 'PrivateLinkConsumer' });
  });

  test('THEN the provider allows the OUs through the principal sync, the accounts as static principals', () => {
    provider!.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 0);
    provider!.hasResourceProperties('Custom::PrivateLinkPrincipalSync', { OrganizationalUnits: [OU, 'r-ab12'], StaticPrincipals: '222222222222' });
  });
});

test('GIVEN OUs alone (context) THEN a provider whose principals are the OUs, and no StackSet', () => {
  const { stacks, provider } = buildTemplates({}, (key) => (key === 'consumerOrganizationalUnits' ? [OU] : undefined));
  expect(stacks.consumer).toBeUndefined();
  expect(stacks.stackSet).toBeUndefined();
  provider!.hasResourceProperties('Custom::PrivateLinkPrincipalSync', { OrganizationalUnits: [OU], StaticPrincipals: '' });
});

test("GIVEN a service name and OUs without CONSUMER_REGIONS THEN the StackSet deploys to the service's region", () => {
  const { stackSet } = buildTemplates({ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE, CONSUMER_ORGANIZATIONAL_UNITS: OU });
  stackSet!.hasResourceProperties('AWS::CloudFormation::StackSet', {
    StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1'] }],
  });
});

describe('bad values are refused, naming the variable and the fix', () => {
  test.each<[NodeJS.ProcessEnv, string]>([
    [{ CONSUMER_ORGANIZATIONAL_UNITS: 'o-abcdefghij' }, 'CONSUMER_ORGANIZATIONAL_UNITS: "o-abcdefghij" is not an organizational unit ID or root ID. That is the organization ID'],
    [{ CONSUMER_ORGANIZATIONAL_UNITS: OU, PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE, CONSUMER_REGIONS: 'eu-west-1,moon' }, 'CONSUMER_REGIONS: "moon" is not an AWS region code.'],
    [
      { CONSUMER_ACCOUNT_ID: '222222222222', PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE, CONSUMER_REGIONS: 'eu-west-1' },
      'CONSUMER_REGIONS rolls the consumer side out with a service-managed StackSet, which deploys to OUs, never to a list of accounts alone (CONSUMER_ACCOUNT_ID). Set CONSUMER_ORGANIZATIONAL_UNITS to the OU of those accounts (or the root r-…): CONSUMER_ACCOUNT_ID then narrows the rollout to them.',
    ],
    [{ PROVIDER_VPC_ENDPOINT_SERVICE_NAME: SERVICE, CONSUMER_REGIONS: 'eu-west-1' }, 'CONSUMER_REGIONS is the regions of the consumer StackSet, which deploys to the OUs of CONSUMER_ORGANIZATIONAL_UNITS. Set CONSUMER_ORGANIZATIONAL_UNITS too, or unset it.'],
    [{ CONSUMER_ORGANIZATIONAL_UNITS: OU, CONSUMER_REGIONS: 'eu-west-1' }, 'CONSUMER_REGIONS is the regions of the consumer StackSet, built only with a service name (PROVIDER_VPC_ENDPOINT_SERVICE_NAME).'],
    [{ CONSUMER_ORGANIZATIONAL_UNITS: ' ' }, 'CONSUMER_ORGANIZATIONAL_UNITS is set but empty.'],
  ])('%j', (env, message) => {
    expect(configError(() => readConfig(env, noContext)).message).toContain(message);
  });
});
