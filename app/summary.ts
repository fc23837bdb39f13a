/**
 * The summary `npm run synth` prints: read from the synthesized cloud assembly (what was really
 * synthesized), not from the configuration. Pure apart from reading the assembly files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mode } from './config';
import { estimateMonthlyCost, formatCostEstimate } from '../src/cost/estimate';
import { CONSUMER_STACK, CONSUMER_STACK_SET_STACK, OUTPUTS, PROVIDER_STACK } from '../src/stack-names';

interface Template {
  Metadata?: { 'cdk-privatelink'?: { mode?: Mode } };
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: unknown }>;
}

export interface StackSummary {
  readonly name: string;
  readonly templateFile: string;
  readonly resourceCount: number;
  readonly template: Template;
}

/** Reads every stack template of a cloud assembly directory (cdk.out). */
export function readAssembly(dir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([name, a]) => {
      const templateFile = path.join(dir, a.properties!.templateFile!);
      const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as Template;
      return { name, templateFile, resourceCount: Object.keys(template.Resources ?? {}).length, template };
    });
}

/** Renders a CloudFormation value for people: literals as they are, references by what they mean. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  if (json.includes('"Fn::ImportValue"')) return '(imported from the provider stack)';
  if (json.includes('"AWS::AccountId"')) return "(this account's root)";
  return '(known after deploy)';
}

function resourcesOf(stacks: StackSummary[], type: string) {
  return stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).filter((r) => r.Type === type));
}

const MODE_TEXT: Record<Mode, string> = {
  demo: 'demo — both sides in one account; the consumer is wired to the provider directly',
  provider: 'provider — the endpoint service for the consumer accounts',
  consumer: 'consumer — an interface endpoint to the provider service',
  'provider+consumer': 'provider + consumer — both sides, each from its own setting',
};

/** The same, for PrivateLink for resources (RESOURCE_TARGET / RESOURCE_CONFIGURATION_ARN). */
const RESOURCE_MODE_TEXT: Record<Mode, string> = {
  demo: 'demo — a resource shared in one account; the resource endpoint wired to the provider\'s configuration',
  provider: 'provider — a resource shared with the consumer accounts (PrivateLink for resources)',
  consumer: 'consumer — a resource endpoint to a shared resource (PrivateLink for resources)',
  'provider+consumer': 'provider + consumer — both sides, each from its own setting',
};

/** The text printed after a successful synth. */
export function summarize(stacks: StackSummary[], outdir: string): string {
  const mode = stacks.map((s) => s.template.Metadata?.['cdk-privatelink']?.mode).find((m) => m !== undefined);
  const lines: string[] = [];
  lines.push(`cdk-privatelink: synthesized ${stacks.length} stack(s) offline into ${outdir}/`);
  const sharesResources = stacks.some((s) =>
    Object.values(s.template.Resources ?? {}).some(
      (r) => r.Type === 'AWS::VpcLattice::ResourceConfiguration' || (r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties?.VpcEndpointType === 'Resource'),
    ),
  );
  if (mode) lines.push(`Mode: ${(sharesResources ? RESOURCE_MODE_TEXT : MODE_TEXT)[mode]}`);
  lines.push('');
  for (const s of stacks) {
    lines.push(`  ${s.name.padEnd(22)} ${String(s.resourceCount).padStart(3)} resources  ${path.relative(process.cwd(), s.templateFile)}`);
  }

  const service = resourcesOf(stacks, 'AWS::EC2::VPCEndpointService')[0];
  if (service) {
    const principals = resourcesOf(stacks, 'AWS::EC2::VPCEndpointServicePermissions').flatMap(
      (r) => (r.Properties?.AllowedPrincipals as unknown[] | undefined) ?? [],
    );
    const acceptance = service.Properties?.AcceptanceRequired === false ? 'automatic' : 'manual (the provider accepts each request)';
    lines.push('');
    const sync = resourcesOf(stacks, 'Custom::PrivateLinkPrincipalSync')[0]?.Properties;
    if (!sync) lines.push(`Provider: allowed principals ${principals.map(describeValue).join(', ') || '(none yet)'}; acceptance ${acceptance}`);
    else {
      lines.push(`Provider: acceptance ${acceptance}`);
      const statics = String(sync.StaticPrincipals ?? '');
      lines.push(
        `Provider: principals kept in sync with the accounts of ${(sync.OrganizationalUnits as string[]).join(', ')}${statics ? `, plus ${statics}` : ''} (the principal sync)`,
      );
    }
    const https = resourcesOf(stacks, 'AWS::ElasticLoadBalancingV2::Listener').find((r) => r.Properties?.Protocol === 'HTTPS');
    if (https) lines.push(`Provider: HTTPS on port ${String(https.Properties?.Port)} (TLS at the ALB, TCP through the NLB)`);
    const dns = resourcesOf(stacks, 'Custom::PrivateLinkPrivateDnsName')[0]?.Properties;
    if (dns) {
      const how = dns.HostedZoneId
        ? `verified during the deploy (TXT record in ${describeValue(dns.HostedZoneId)})`
        : `publish the TXT record of the ${OUTPUTS.privateDnsTxtName}/${OUTPUTS.privateDnsTxtValue} outputs, then verify`;
      lines.push(`Provider: private DNS name ${describeValue(dns.DomainName)}, ${how}`);
    }
  }
  const configuration = resourcesOf(stacks, 'AWS::VpcLattice::ResourceConfiguration')[0];
  if (configuration) lines.push('', ...describeResource(stacks, configuration.Properties ?? {}));
  const stackSet = resourcesOf(stacks, 'AWS::CloudFormation::StackSet')[0]?.Properties;
  if (stackSet) {
    const group = (stackSet.StackInstancesGroup as Array<{ DeploymentTargets: { OrganizationalUnitIds: string[]; Accounts?: string[] }; Regions: string[] }>)[0];
    const member = typeof stackSet.TemplateBody === 'string' ? (JSON.parse(stackSet.TemplateBody) as Template) : undefined;
    const perAccount = member ? estimateMonthlyCost([member]).monthly : undefined;
    lines.push(
      `Consumer StackSet ${String(stackSet.StackSetName)}: every account of ${group.DeploymentTargets.OrganizationalUnitIds.join(', ')}` +
        `${group.DeploymentTargets.Accounts ? ` among ${group.DeploymentTargets.Accounts.join(', ')}` : ''}, in ${group.Regions.join(', ')}` +
        `${perAccount !== undefined ? `; about $${perAccount.toFixed(2)}/month per account and region` : ''}`,
    );
  }
  const endpoint = resourcesOf(stacks, 'AWS::EC2::VPCEndpoint')[0];
  const resourceEndpoint = endpoint?.Properties?.VpcEndpointType === 'Resource';
  if (endpoint && resourceEndpoint) {
    lines.push(`Consumer: resource endpoint to ${describeValue(endpoint.Properties?.ResourceConfigurationArn)}; the check connects over TCP`);
  } else if (endpoint) {
    lines.push(`Consumer: endpoint to ${describeValue(endpoint.Properties?.ServiceName)}, private DNS ${endpoint.Properties?.PrivateDnsEnabled ? 'on' : 'off'}`);
  }

  lines.push('');
  lines.push(...formatCostEstimate(estimateMonthlyCost(stacks.map((s) => s.template))));

  lines.push('');
  lines.push('Stack outputs after deploy:');
  for (const s of stacks) {
    for (const [key, output] of Object.entries(s.template.Outputs ?? {})) {
      if (output.Export) continue; // cross-stack plumbing
      lines.push(`  ${`${s.name}.${key}`.padEnd(40)} ${output.Description ?? ''}`);
    }
  }

  lines.push('');
  lines.push('Next:');
  const names = stacks.map((s) => s.name);
  if (mode === 'demo') {
    lines.push('  npx cdk deploy --all                 # both sides in the current account');
  } else {
    for (const name of names) lines.push(`  npx cdk deploy ${name}`);
  }
  if (names.includes(PROVIDER_STACK) && mode !== 'demo' && configuration) {
    lines.push(`  # then send the ${OUTPUTS.resourceConfigurationArn} and ${OUTPUTS.resourcePort} outputs to the consumer team (RESOURCE_CONFIGURATION_ARN, RESOURCE_PORT)`);
    lines.push('  npx privatelink status               # the share and each account\'s status');
  } else if (names.includes(PROVIDER_STACK) && mode !== 'demo') {
    lines.push(`  # then send the ${OUTPUTS.serviceName} output to the consumer team (PROVIDER_VPC_ENDPOINT_SERVICE_NAME)`);
    lines.push('  npx privatelink status               # their connection request, then: npx privatelink accept --account <id>');
  }
  if (resourceEndpoint && mode !== 'demo') {
    lines.push('  # before deploying the consumer, if the provider is outside your organization:');
    lines.push(`  npx privatelink accept-share ${describeValue(endpoint.Properties?.ResourceConfigurationArn)}`);
  }
  if (names.includes(CONSUMER_STACK_SET_STACK)) {
    lines.push('  npx privatelink rollout-status       # the StackSet\'s instances by account and region, failures first');
  }
  if (names.includes(CONSUMER_STACK)) {
    lines.push(`  npx privatelink check                # or: aws lambda invoke --function-name <${OUTPUTS.checkFunctionName} output> out.json`);
  }
  return lines.join('\n');
}

/** The provider lines of a shared resource (PrivateLink for resources). */
function describeResource(stacks: StackSummary[], props: Record<string, unknown>): string[] {
  const definition = (props.ResourceConfigurationDefinition ?? {}) as {
    IpResource?: unknown;
    DnsResource?: { DomainName?: unknown };
    ArnResource?: unknown;
  };
  const what =
    definition.IpResource !== undefined
      ? `the IP address ${describeValue(definition.IpResource)}`
      : definition.DnsResource !== undefined
        ? `the DNS name ${describeValue(definition.DnsResource.DomainName)}`
        : `${describeValue(definition.ArnResource)}`;
  const ports = Array.isArray(props.PortRanges) ? `port ${props.PortRanges.map(describeValue).join(', ')}` : "the database's port";
  const share = resourcesOf(stacks, 'AWS::RAM::ResourceShare')[0]?.Properties;
  const principals = ((share?.Principals as unknown[] | undefined) ?? []).map(describeValue).join(', ');
  return [
    `Provider: shares ${what} on ${ports} through a resource gateway (no load balancer, no endpoint service)`,
    share
      ? `Provider: RAM share with ${principals}; ${share.AllowExternalPrincipals ? 'accounts outside the organization accept the invitation (privatelink accept-share)' : 'within the organization only'}`
      : 'Provider: no RAM share (only this account reaches the resource)',
  ];
}
