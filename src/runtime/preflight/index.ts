// Custom resource: the consumer's preflight, run before the interface endpoint is created.
//
// It asks EC2 what this account can see of the provider's service (DescribeVpcEndpointServices) and
// fails the deployment with a precise message when the endpoint could not work: the service is not
// visible to this account, private DNS is asked for but the service has no verified private DNS name,
// or the endpoint's subnets are in AZs the service does not serve. It reports whether the provider
// must accept the connection. Read-only: Delete does nothing.
import {
  DescribeSubnetsCommand,
  DescribeVpcEndpointServicesCommand,
  EC2Client,
  ServiceDetail,
} from '@aws-sdk/client-ec2';
import {
  Clock,
  CustomResourceEvent,
  errorName,
  LambdaContext,
  Outcome,
  realClock,
  runCustomResource,
  withThrottlingRetries,
} from '../shared/custom-resource';
import { regionOfServiceName } from '../../validate';

/** The custom resource's properties (CloudFormation passes values as strings). */
export interface PreflightProperties {
  readonly ServiceName: string;
  readonly SubnetIds?: string[];
  /** 'true' when the endpoint will have private DNS enabled. */
  readonly PrivateDnsEnabled?: string;
  /** The service's region, for a cross-region endpoint. */
  readonly ServiceRegion?: string;
}

export interface Deps {
  readonly ec2: EC2Client;
  readonly clock: Clock;
}

interface Subnet {
  readonly id: string;
  readonly az?: string;
  readonly azId?: string;
}

export function physicalIdOf(props: PreflightProperties): string {
  return `preflight/${props.ServiceName}`;
}

/** The account, partition and region the function runs in, from its ARN. */
function whereAmI(context: LambdaContext): { partition: string; region: string; account: string } {
  const [, partition = 'aws', , region = process.env.AWS_REGION ?? '', account = ''] = context.invokedFunctionArn.split(':');
  return { partition, region, account };
}

async function describeService(
  deps: Deps,
  serviceName: string,
  serviceRegion: string | undefined,
): Promise<ServiceDetail | undefined> {
  // A service of another region is only listed when that region is asked for.
  const regions = serviceRegion ? { ServiceRegions: [serviceRegion] } : {};
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const out = await withThrottlingRetries(
        () => deps.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName], NextToken: token, ...regions })),
        deps.clock,
      );
      const found = out.ServiceDetails?.find((d) => d.ServiceName === serviceName);
      if (found) return found;
      nextToken = out.NextToken;
    } while (nextToken);
  } catch (err) {
    if (errorName(err) === 'InvalidServiceName') return undefined;
    throw err;
  }
  return undefined;
}

async function describeSubnets(deps: Deps, subnetIds: string[]): Promise<Subnet[]> {
  const subnets: Subnet[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const out = await withThrottlingRetries(
      () => deps.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds, NextToken: token })),
      deps.clock,
    );
    for (const s of out.Subnets ?? []) {
      subnets.push({ id: s.SubnetId ?? '?', az: s.AvailabilityZone, azId: s.AvailabilityZoneId });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return subnets;
}

function notVisible(serviceName: string, where: { partition: string; region: string; account: string }): Error {
  const serviceRegion = regionOfServiceName(serviceName);
  const regionHint =
    serviceRegion && where.region && serviceRegion !== where.region
      ? ` The service is in ${serviceRegion} and this stack in ${where.region}: an endpoint reaches a service of ` +
        'another region only when the provider supports this region and the endpoint names the service region.'
      : '';
  return new Error(
    `Preflight: the endpoint service ${serviceName} is not visible to account ${where.account} in ${where.region}, ` +
      'so no endpoint can be created to it. Either the service name is wrong, or the provider has not allowed this ' +
      `account yet: send the provider team the account ID ${where.account} (they add it to the service's allowed ` +
      `principals, i.e. arn:${where.partition}:iam::${where.account}:root), then deploy again.${regionHint} If the ` +
      'provider allows only specific IAM roles rather than the account, this check cannot see the service: turn it ' +
      'off with preflight: false.',
  );
}

/** Runs the checks; throws one message listing every problem found. */
export async function run(
  event: CustomResourceEvent<PreflightProperties>,
  context: LambdaContext,
  deps: Deps,
): Promise<Outcome> {
  const props = event.ResourceProperties;
  const physicalResourceId = event.PhysicalResourceId ?? physicalIdOf(props);
  if (event.RequestType === 'Delete') return { physicalResourceId };

  const where = whereAmI(context);
  const name = props.ServiceName;
  const detail = await describeService(deps, name, props.ServiceRegion);
  if (!detail) throw notVisible(name, where);

  const problems: string[] = [];
  if (props.PrivateDnsEnabled === 'true') {
    const state = detail.PrivateDnsNameVerificationState;
    if (!detail.PrivateDnsName) {
      problems.push(
        `private DNS is enabled on the endpoint, but the service ${name} has no private DNS name ("Private DNS ` +
          "can't be enabled because the service does not provide a private DNS name\"). Ask the provider to set " +
          'and verify one (PrivateLinkProvider privateDnsName), or turn private DNS off on the endpoint.',
      );
    } else if (state !== undefined && state !== 'verified') {
      problems.push(
        `private DNS is enabled on the endpoint, but the service's private DNS name ${detail.PrivateDnsName} is ` +
          `${state}, not verified. The provider must publish its TXT verification record in public DNS and verify it ` +
          '(aws ec2 start-vpc-endpoint-service-private-dns-verification), then deploy again.',
      );
    }
  }

  const crossRegion = props.ServiceRegion !== undefined && props.ServiceRegion !== where.region;
  const subnets =
    !crossRegion && props.SubnetIds && props.SubnetIds.length > 0 ? await describeSubnets(deps, props.SubnetIds) : [];
  let azCheck = 'checked by AZ ID';
  const serviceAzIds = detail.AvailabilityZoneIds ?? [];
  if (crossRegion) {
    // The service's AZs are in its own region; AWS carries cross-region traffic from any AZ here.
    azCheck = 'skipped: cross-region endpoint';
  } else if (serviceAzIds.length > 0) {
    const outside = subnets.filter((s) => !s.azId || !serviceAzIds.includes(s.azId));
    if (outside.length > 0) {
      problems.push(
        `the endpoint's subnets ${outside.map((s) => `${s.id} (${s.azId ?? 'unknown AZ ID'})`).join(', ')} are in ` +
          `AZs the service does not serve. The service serves the AZ IDs ${serviceAzIds.join(', ')} (compare AZ IDs: ` +
          "AZ names differ between accounts). Put the endpoint in subnets of those AZ IDs, or ask the provider to " +
          "add these AZs to its load balancer.",
      );
    }
  } else if (detail.Owner === where.account && (detail.AvailabilityZones ?? []).length > 0) {
    // Same account: AZ names mean the same AZs on both sides.
    azCheck = 'checked by AZ name (same account)';
    const serviceAzs = detail.AvailabilityZones ?? [];
    const outside = subnets.filter((s) => !s.az || !serviceAzs.includes(s.az));
    if (outside.length > 0) {
      problems.push(
        `the endpoint's subnets ${outside.map((s) => `${s.id} (${s.az ?? 'unknown AZ'})`).join(', ')} are in AZs ` +
          `the service does not serve. The service serves ${serviceAzs.join(', ')}. Put the endpoint in subnets of ` +
          'those AZs, or add these AZs to the load balancer.',
      );
    }
  } else {
    azCheck = 'skipped: the service did not report its AZ IDs';
  }

  if (problems.length > 0) {
    const lines = problems.length === 1 ? problems[0] : problems.map((p, i) => `(${i + 1}) ${p}`).join(' ');
    throw new Error(`Preflight for ${name} failed: ${lines}`);
  }
  return {
    physicalResourceId,
    data: {
      ServiceId: detail.ServiceId ?? '',
      AcceptanceRequired: String(detail.AcceptanceRequired ?? true),
      PrivateDnsName: detail.PrivateDnsName ?? '',
      PrivateDnsNameVerificationState: detail.PrivateDnsNameVerificationState ?? '',
      ServiceAvailabilityZoneIds: serviceAzIds.join(','),
      AvailabilityZoneCheck: azCheck,
    },
  };
}

let defaultDeps: Deps | undefined;

export async function handler(event: CustomResourceEvent<PreflightProperties>, context: LambdaContext): Promise<void> {
  defaultDeps ??= { ec2: new EC2Client({}), clock: realClock };
  const deps = defaultDeps;
  await runCustomResource(event, physicalIdOf(event.ResourceProperties), () => run(event, context, deps));
}
