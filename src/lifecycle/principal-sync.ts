import { Annotations, CustomResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PrivateLinkConfigError, throwIfProblems } from '../errors';
import { createHandlerFunction } from '../shared/handler-function';
import { checkOrganizationalUnitId } from '../validate-organizations';
import { endpointServiceArn } from './permissions';

/** Properties of a {@link PrincipalSync}. */
export interface PrincipalSyncProps {
  /** The endpoint service ID (`vpce-svc-…`). */
  readonly serviceId: string;

  /**
   * OU IDs (`ou-…`) or the organization's root ID (`r-…`): the root of every active account in them,
   * and in the OUs below them, is allowed.
   */
  readonly allowedOrganizationalUnits: string[];

  /**
   * A role in the management account (or a delegated administrator's) that the sync assumes to read
   * the organization. Its trust policy must let this account's sync function role assume it, and its
   * policy allow `organizations:ListAccountsForParent` and `organizations:ListChildren`.
   * @default - the sync reads the organization with its own role: this account must be the management
   * account, a delegated administrator, or allowed by an Organizations resource-based delegation policy
   */
  readonly organizationsReadRole?: iam.IRole;

  /**
   * Principals allowed whatever the organization holds: 12-digit account IDs, IAM principal ARNs or
   * `*`. More with `addStaticPrincipal()`.
   * @default - none
   */
  readonly allowedPrincipals?: string[];

  /**
   * How often the sync runs besides Organizations events and deployments.
   * @default Duration.minutes(15)
   */
  readonly schedule?: Duration;
}

/** Organizations API calls after which the accounts of an OU may have changed. */
const ORGANIZATIONS_EVENT_NAMES = [
  'CreateAccountResult',
  'MoveAccount',
  'AcceptHandshake',
  'RemoveAccountFromOrganization',
  'LeaveOrganization',
  'CloseAccount',
];

/** Room the static principals may take in the function's environment (Lambda allows 4 KB in all). */
const STATIC_PRINCIPALS_MAX_CHARS = 3500;

/**
 * Keeps an endpoint service's allowed principals equal to the root of every active account in some
 * OUs, plus static principals. A Lambda function lists the OUs' accounts (recursively), adds and removes
 * principals, and reports what it changed; it runs on a schedule, on Organizations account events, and
 * at the deployments that create it or change its inputs (a custom resource, so that the deploy fills
 * the list and fails with the reason when the organization cannot be read). It is the only writer of
 * the list: there is no
 * `AWS::EC2::VPCEndpointServicePermissions` resource beside it. A listing that fails changes nothing.
 *
 * Organizations events reach EventBridge only in us-east-1, in the management account: elsewhere the
 * event rule fires only for events forwarded to this account's default bus, and the schedule does the
 * rest.
 */
export class PrincipalSync extends Construct {
  /** The sync function. */
  public readonly function: lambda.Function;
  /** The custom resource that runs the sync when it is created and when its inputs change. */
  public readonly resource: CustomResource;
  /** The rule that runs it on a schedule. */
  public readonly scheduleRule: events.Rule;
  /** The rule that runs it on Organizations account events. */
  public readonly organizationsRule: events.Rule;

  private readonly statics: string[] = [];

  constructor(scope: Construct, id: string, props: PrincipalSyncProps) {
    super(scope, id);
    const schedule = props.schedule ?? Duration.minutes(15);
    throwIfProblems([
      props.allowedOrganizationalUnits.length === 0
        ? 'allowedOrganizationalUnits: the list is empty. Name at least one OU ID (ou-…) or the root ID (r-…), or leave it unset.'
        : undefined,
      ...props.allowedOrganizationalUnits.map((o, i) => (Token.isUnresolved(o) ? undefined : checkOrganizationalUnitId(`allowedOrganizationalUnits[${i}]`, o))),
      !schedule.isUnresolved() && (schedule.toMinutes({ integral: false }) < 1 || schedule.toMinutes({ integral: false }) > 1440)
        ? `principalSync schedule: ${schedule.toHumanString()} is out of range. Use 1 minute to 1 day.`
        : undefined,
    ], this);
    const ous = [...new Set(props.allowedOrganizationalUnits)];
    const staticPrincipals = Lazy.string({ produce: () => this.statics.join(',') });

    const readRole = props.organizationsReadRole;
    this.function = createHandlerFunction(this, {
      handler: 'principal-sync',
      description: 'cdk-privatelink: keeps the endpoint service allowed principals equal to the accounts of the OUs plus the static ones',
      timeout: Duration.minutes(5),
      statements: [
        new iam.PolicyStatement({
          actions: ['ec2:ModifyVpcEndpointServicePermissions'],
          resources: [endpointServiceArn(this, props.serviceId)],
        }),
        new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointServicePermissions'], resources: ['*'] }),
        readRole
          ? new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [readRole.roleArn] })
          : new iam.PolicyStatement({ actions: ['organizations:ListAccountsForParent', 'organizations:ListChildren'], resources: ['*'] }),
      ],
      wildcardReason:
        'ec2:DescribeVpcEndpointServicePermissions has no resource-level permissions (IAM requires "*")' +
        (readRole ? '' : ", and the OUs' ARNs contain the organization and management account IDs, unknown at synth (organizations:List* only reads)") +
        '; the action that changes anything is scoped to this endpoint service.',
      environment: {
        SERVICE_ID: props.serviceId,
        ORGANIZATIONAL_UNITS: ous.join(','),
        STATIC_PRINCIPALS: staticPrincipals,
        PARTITION: Stack.of(this).partition,
        ...(readRole ? { READ_ROLE_ARN: readRole.roleArn } : {}),
      },
    });
    for (const p of props.allowedPrincipals ?? []) this.addStaticPrincipal(p);

    // At every deployment that changes what the list should be: the sync runs, the deploy waits for it.
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::PrivateLinkPrincipalSync',
      properties: { ServiceId: props.serviceId, OrganizationalUnits: ous, StaticPrincipals: staticPrincipals, ReadRole: readRole?.roleArn ?? '' },
    });

    const target = new targets.LambdaFunction(this.function, { retryAttempts: 2 });
    this.scheduleRule = new events.Rule(this, 'Schedule', {
      description: 'cdk-privatelink: runs the principal sync',
      schedule: events.Schedule.rate(schedule),
      targets: [target],
    });
    this.organizationsRule = new events.Rule(this, 'OrganizationsEvents', {
      description: 'cdk-privatelink: runs the principal sync when an account joins, moves or leaves (us-east-1 of the management account, or forwarded here)',
      eventPattern: {
        source: ['aws.organizations'],
        detailType: ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
        detail: { eventName: ORGANIZATIONS_EVENT_NAMES },
      },
      targets: [target],
    });
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      Annotations.of(this).addWarningV2(
        'cdk-privatelink:organizations-events-region',
        `allowedOrganizationalUnits: Organizations events reach EventBridge only in us-east-1 (of the management account), and this stack is in ${region}: ` +
          `the principal sync runs every ${schedule.toHumanString()} and at deploys that change its inputs, and on account events only if the management account forwards them to this account's default event bus in ${region}.`,
      );
    }
  }

  /**
   * Allows a principal whatever the organization holds: a 12-digit account ID (its root), an IAM
   * principal ARN, or `*`. Validated by the caller.
   */
  public addStaticPrincipal(principal: string): void {
    if (this.statics.includes(principal)) return;
    this.statics.push(principal);
    const literal = this.statics.filter((p) => !Token.isUnresolved(p)).join(',');
    if (literal.length > STATIC_PRINCIPALS_MAX_CHARS) {
      throw new PrivateLinkConfigError([
        `allowedPrincipals: ${this.statics.length} principals (${literal.length} characters) do not fit the principal sync function's environment (${STATIC_PRINCIPALS_MAX_CHARS} characters): ` +
          'with allowedOrganizationalUnits, put these accounts in one of those OUs instead of listing them.',
      ], this.node.path);
    }
  }
}
