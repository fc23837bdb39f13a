import * as fs from 'node:fs';
import * as path from 'node:path';
import { Aws, BootstraplessSynthesizer, CfnCondition, CfnOutput, CfnResource, Fn, Names, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { ConnectivityCheck } from '../check/connectivity-check';
import { PrivateLinkConsumer } from '../consumer/private-link-consumer';
import { throwIfProblems } from '../errors';
import { IPrivateLinkService } from '../service/private-link-service';
import { INLINE_HANDLERS_CONTEXT } from '../shared/assets';
import { OUTPUTS } from '../stack-names';
import { checkAccountId, checkRegion } from '../validate';
import { checkOrganizationalUnitId } from '../validate-organizations';
import { templateSource } from './member-template';
import { RolloutVpc } from './rollout-vpc';

/** Who creates the StackSet: the management account itself, or a delegated administrator. */
export enum RolloutCallAs {
  /** The organization's management account. */
  SELF = 'SELF',
  /** A member account registered as delegated administrator for StackSets. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/** Properties of a {@link ConsumerRollout}. */
export interface ConsumerRolloutProps {
  /**
   * The service every member account connects to. Its name must be known at synth
   * (`PrivateLinkService.fromServiceName()`): the member template deploys in other accounts.
   */
  readonly service: IPrivateLinkService;

  /**
   * The OUs to deploy to: OU IDs (`ou-…`) or the organization's root ID (`r-…`). Accounts in child OUs
   * are included; the management account never is (StackSets does not deploy to it).
   */
  readonly organizationalUnits: string[];

  /**
   * Narrow the rollout to these accounts of the OUs (`AccountFilterType: INTERSECTION`).
   * @default - every account of the OUs
   */
  readonly accounts?: string[];

  /** The regions to deploy the consumer side to, in every account. */
  readonly regions: string[];

  /** The VPC of each member account: `RolloutVpc.fromSsmParameters()` or `RolloutVpc.isolated()`. */
  readonly vpc: RolloutVpc;

  /**
   * Include the connectivity check (a VPC Lambda that calls the endpoint) in every member account.
   * @default true
   */
  readonly check?: boolean;

  /**
   * What the check expects in the response body.
   * @default - any body
   */
  readonly expectedBody?: string;

  /**
   * Who creates the StackSet: the management account (`SELF`) or a delegated administrator.
   * @default RolloutCallAs.SELF
   */
  readonly callAs?: RolloutCallAs;

  /**
   * Keep an account's stack (and so its endpoint) when the account leaves the OUs.
   * @default false - the stack is deleted
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * The StackSet's name (letters, digits and hyphens, starting with a letter).
   * @default - derived from the construct path
   */
  readonly stackSetName?: string;

  /**
   * How many accounts deploy at once, in percent of the accounts in each region. Applies to deploys of
   * the StackSet, not to auto-deployment (which AWS paces itself).
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * How many accounts may fail, in percent, before an operation stops (soft failure tolerance: the
   * concurrency is kept while failures stay under it).
   * @default 10
   */
  readonly failureTolerancePercentage?: number;

  /**
   * Deploy to the regions in parallel.
   * @default true
   */
  readonly regionsInParallel?: boolean;
}

/**
 * The consumer side rolled out to every account of some OUs, in several regions, by one service-managed
 * CloudFormation StackSet with auto-deployment: accounts that join the OUs later get it too. Deploy it in
 * the organization's management account or a delegated administrator (`callAs`).
 *
 * The member template is the consumer side made self-contained: `PrivateLinkConsumer` (and the
 * `ConnectivityCheck`), synthesized in a stage of its own with no bootstrap-version parameter and no
 * asset (the handlers' code inline), so that it deploys in accounts that were never bootstrapped. It is
 * synthesized when the rollout is constructed: `memberTemplate` holds it.
 */
export class ConsumerRollout extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The StackSet's name. */
  public readonly stackSetName: string;
  /** The stack whose template is the member template (in a stage of its own). */
  public readonly memberStack: Stack;
  /** The member template, as deployed in each account. */
  public readonly memberTemplate: Record<string, unknown>;
  /** The member template's size in bytes (compact JSON), and how the StackSet carries it. */
  public readonly memberTemplateBytes: number;
  /** True when the member template is uploaded and given by TemplateURL (above 51,200 bytes). */
  public readonly memberTemplateByUrl: boolean;

  constructor(scope: Construct, id: string, props: ConsumerRolloutProps) {
    super(scope, id);
    const service = props.service;
    const accounts = props.accounts ?? [];
    const percent = (input: string, value: number | undefined, min: number) =>
      value === undefined || Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= 100)
        ? undefined
        : `${input}: ${value} is not a whole percentage from ${min} to 100.`;
    throwIfProblems(
      [
        Token.isUnresolved(service.serviceName)
          ? 'service: its name is known only at deploy (a PrivateLinkProvider of this app?), and the member template deploys in other accounts. ' +
            "Use PrivateLinkService.fromServiceName('com.amazonaws.vpce.…') with the provider's ServiceName output."
          : undefined,
        props.organizationalUnits.length === 0
          ? 'organizationalUnits: the list is empty. A service-managed StackSet deploys to OUs: name at least one OU ID (ou-…) or the root ID (r-…).'
          : undefined,
        ...props.organizationalUnits.map((o, i) => (Token.isUnresolved(o) ? undefined : checkOrganizationalUnitId(`organizationalUnits[${i}]`, o))),
        ...accounts.map((a, i) => (Token.isUnresolved(a) ? undefined : checkAccountId(`accounts[${i}]`, a))),
        props.accounts !== undefined && accounts.length === 0
          ? 'accounts: the list is empty, so no account would get the consumer side. Name the accounts to narrow to, or leave it unset (every account of the OUs).'
          : undefined,
        props.regions.length === 0 ? 'regions: the list is empty. Name the regions to deploy the consumer side to, e.g. ["us-east-1"].' : undefined,
        ...props.regions.map((r, i) => (Token.isUnresolved(r) ? undefined : checkRegion(`regions[${i}]`, r))),
        ...this.crossRegionProblems(service, props.regions),
        props.stackSetName !== undefined && !Token.isUnresolved(props.stackSetName) && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(props.stackSetName)
          ? `stackSetName: ${JSON.stringify(props.stackSetName)} is not a StackSet name. Use up to 128 letters, digits and hyphens, starting with a letter.`
          : undefined,
        percent('maxConcurrentPercentage', props.maxConcurrentPercentage, 1),
        percent('failureTolerancePercentage', props.failureTolerancePercentage, 0),
        props.expectedBody !== undefined && props.check === false ? 'expectedBody: there is no check (check: false) to expect it. Remove expectedBody, or keep the check.' : undefined,
        ...props.vpc._problems(),
      ],
      this,
    );

    this.memberStack = this.buildMemberStack(id, props);
    const stage = Stage.of(this.memberStack)!;
    const assembly = stage.synth();
    const artifact = assembly.getStackArtifact(this.memberStack.artifactId);
    this.memberTemplate = artifact.template;
    const body = JSON.stringify(this.memberTemplate);
    this.memberTemplateBytes = Buffer.byteLength(body);
    const source = templateSource(this.memberTemplateBytes);
    if (source.kind === 'too-large') throwIfProblems([source.problem], this);
    this.memberTemplateByUrl = source.kind === 'url';
    let templateUrl: string | undefined;
    if (this.memberTemplateByUrl) {
      // An S3 object in this (bootstrapped) account's asset bucket: CloudFormation reads it with the
      // caller's credentials when it creates or updates the StackSet.
      const dir = fs.mkdtempSync(path.join(assembly.directory, 'member-template-'));
      fs.writeFileSync(path.join(dir, 'template.json'), body);
      templateUrl = new s3assets.Asset(this, 'MemberTemplate', { path: path.join(dir, 'template.json') }).httpUrl;
    }

    this.stackSetName = props.stackSetName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }).replace(/^[^A-Za-z]+/, 'S');
    const callAs = props.callAs ?? RolloutCallAs.SELF;
    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: this.stackSetName,
      description: `cdk-privatelink: the consumer side of ${service.serviceName} in every account of the OUs`,
      permissionModel: 'SERVICE_MANAGED',
      callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false },
      // The member template creates IAM roles (the handlers' own), without names.
      capabilities: ['CAPABILITY_IAM'],
      // Operations queue instead of failing when one is still running (a deploy during auto-deployment).
      managedExecution: { Active: true },
      operationPreferences: {
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
        regionConcurrencyType: props.regionsInParallel === false ? 'SEQUENTIAL' : 'PARALLEL',
      },
      stackInstancesGroup: [
        {
          deploymentTargets: {
            organizationalUnitIds: [...new Set(props.organizationalUnits)],
            ...(accounts.length > 0 ? { accounts: [...new Set(accounts)], accountFilterType: 'INTERSECTION' } : {}),
          },
          regions: [...new Set(props.regions)],
        },
      ],
      ...(templateUrl !== undefined ? { templateUrl } : { templateBody: body }),
    });
  }

  private buildMemberStack(id: string, props: ConsumerRolloutProps): Stack {
    const root = Stage.of(this);
    if (!root) throw new Error('ConsumerRollout must be inside an App or Stage');
    const stage = new Stage(root, `${Names.uniqueId(this)}Member`);
    const stack = new Stack(stage, `${id}Member`, {
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
      description: `cdk-privatelink: the consumer side of ${props.service.serviceName} (StackSet member)`,
    });
    stack.node.setContext(INLINE_HANDLERS_CONTEXT, true);
    const { vpc } = props.vpc._bind(stack);
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { service: props.service, vpc });
    this.crossRegion(stack, consumer, props.service.region, props.regions);
    new CfnOutput(stack, OUTPUTS.endpointId, { value: consumer.endpointId });
    new CfnOutput(stack, OUTPUTS.endpointDnsName, { value: consumer.dnsName });
    if (props.check ?? true) {
      const check = new ConnectivityCheck(stack, 'Check', { endpoint: consumer, expectedBody: props.expectedBody });
      new CfnOutput(stack, OUTPUTS.checkFunctionName, { value: check.function.functionName });
    }
    return stack;
  }

  /**
   * The member template serves every region: where the region differs from the service's, the endpoint
   * (and the preflight) name the service's region (cross-region PrivateLink), chosen by a condition.
   */
  private crossRegion(stack: Stack, consumer: PrivateLinkConsumer, serviceRegion: string, regions: string[]): void {
    if (Token.isUnresolved(serviceRegion) || regions.every((r) => r === serviceRegion)) return;
    const inServiceRegion = new CfnCondition(stack, 'InServiceRegion', { expression: Fn.conditionEquals(Aws.REGION, serviceRegion) });
    const value = Fn.conditionIf(inServiceRegion.logicalId, Aws.NO_VALUE, serviceRegion);
    (consumer.endpoint.node.defaultChild as ec2.CfnVPCEndpoint).addPropertyOverride('ServiceRegion', value);
    const preflight = consumer.preflight?.resource.node.defaultChild as CfnResource | undefined;
    preflight?.addPropertyOverride('ServiceRegion', value);
  }

  private crossRegionProblems(service: IPrivateLinkService, regions: string[]): string[] {
    const allowed = service.allowedRegions;
    if (Token.isUnresolved(service.region) || allowed === undefined || Token.isUnresolved(allowed)) return [];
    return regions
      .filter((r) => !Token.isUnresolved(r) && checkRegion('', r) === undefined && r !== service.region && !allowed.includes(r))
      .map(
        (r) =>
          `regions: the service in ${service.region} does not accept endpoints from ${r} (its allowedRegions: ${allowed.join(', ') || `${service.region} only`}). ` +
          `Add "${r}" to the provider's allowedRegions (and to fromServiceName's allowedRegions), or leave ${r} out.`,
      );
  }
}
