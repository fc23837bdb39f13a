/**
 * How the provider writes its allowed principals into the one AWS::EC2::VPCEndpointServicePermissions
 * resource. Internal: not exported from the package.
 */
import { Token } from 'aws-cdk-lib';

/** One allowed principal: its ARN (or a token), and the account when it was given as an account ID. */
export interface AllowedPrincipal {
  readonly arn: string;
  readonly rootOf?: string;
}

/** Above this many principals, the account roots are written compactly, in one Fn::Sub. */
export const COMPACT_PRINCIPALS_ABOVE = 100;
/** Separates the principals of the compact form: no account ID, ARN or IAM name contains it. */
const COMPACT_SEPARATOR = '|';

/**
 * The AllowedPrincipals value. An account root is `arn:<partition>:iam::ID:root`; where the partition
 * is known only at deploy, it is written directly as the intrinsic that CDK's `arn:${Aws.PARTITION}:…`
 * resolves to. Above COMPACT_PRINCIPALS_ABOVE principals, the roots go into one Fn::Sub string
 * (`${Iam}ID:root|…`, Iam = `arn:<partition>:iam::`) that CloudFormation splits into the list:
 * resolving a thousand intrinsics would double the stack's synth time, and the compact form keeps
 * 1,000 accounts under CloudFormation's 51,200-byte limit for templates uploaded directly.
 */
export function renderPrincipals(principals: readonly AllowedPrincipal[], partition: string): unknown {
  const knownPartition = !Token.isUnresolved(partition);
  const roots = principals.filter((p) => p.rootOf !== undefined);
  if (principals.length <= COMPACT_PRINCIPALS_ABOVE || roots.length === 0) {
    return principals.map((p) =>
      p.rootOf === undefined || knownPartition
        ? p.arn
        : { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${p.rootOf}:root`]] },
    );
  }
  const iam = knownPartition ? `arn:${partition}:iam::` : { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::']] };
  const sub = { 'Fn::Sub': [roots.map((p) => `\${Iam}${p.rootOf}:root`).join(COMPACT_SEPARATOR), { Iam: iam }] };
  const others = principals.filter((p) => p.rootOf === undefined).map((p) => p.arn);
  const joined = others.length === 0 ? sub : { 'Fn::Join': [COMPACT_SEPARATOR, [sub, ...others]] };
  return { 'Fn::Split': [COMPACT_SEPARATOR, joined] };
}
