/**
 * The HTTPS and private DNS settings (CERTIFICATE_ARN, PRIVATE_DNS_NAME, HOSTED_ZONE_ID,
 * CONSUMER_PRIVATE_DNS, SERVICE_PORT), read and checked against the sides the configuration builds. Pure.
 */
import { ContextLookup, read, readBoolean, readChecked, readPort, SETTINGS } from './settings';
import { checkCertificateArn, checkDomainName, checkHostedZoneId } from '../src/validate';

/** The HTTPS and private DNS settings (issue 3), read and checked against the mode. */
export function readTlsAndDns(
  env: NodeJS.ProcessEnv,
  context: ContextLookup,
  sides: { provider: boolean; consumer: boolean; demo: boolean },
  problems: string[],
) {
  const certRaw = read(SETTINGS.certificateArn, env, context, problems);
  const dnsRaw = read(SETTINGS.privateDnsName, env, context, problems);
  const zoneRaw = read(SETTINGS.hostedZoneId, env, context, problems);
  const consumerDnsRaw = read(SETTINGS.consumerPrivateDns, env, context, problems);
  const portRaw = read(SETTINGS.servicePort, env, context, problems);
  const certificateArn = readChecked(certRaw, checkCertificateArn, problems);
  const privateDnsName = readChecked(dnsRaw, checkDomainName, problems);
  const hostedZoneId = readChecked(zoneRaw, checkHostedZoneId, problems);
  const privateDnsEnabled = readBoolean(consumerDnsRaw, problems);
  const port = readPort(portRaw, problems);

  if (zoneRaw && !dnsRaw) {
    problems.push(
      `${zoneRaw.source} is set but ${SETTINGS.privateDnsName.env} (context ${SETTINGS.privateDnsName.context}) is not: ` +
        'the hosted zone is where the private DNS name is verified. Set the name too, or unset the zone.',
    );
  }
  if (!sides.provider) {
    for (const raw of [certRaw, dnsRaw, zoneRaw]) {
      if (raw) {
        problems.push(
          `${raw.source} is a provider setting, but no provider stack is synthesized (${SETTINGS.consumerAccountIds.env} ` +
            'is not set). Set the consumer accounts to build the provider, or unset it.',
        );
      }
    }
  }
  if (!sides.consumer) {
    for (const raw of [consumerDnsRaw, portRaw]) {
      if (raw) {
        problems.push(
          `${raw.source} is a consumer setting, but no consumer stack is synthesized ` +
            `(${SETTINGS.serviceName.env} is not set). Set the service name to build the consumer, or unset it.`,
        );
      }
    }
  }
  if (sides.demo && portRaw) {
    problems.push(
      `${portRaw.source}: in demo mode the consumer uses the provider's port (443 with ${SETTINGS.certificateArn.env}, ` +
        'else 80). Unset it.',
    );
  }
  if (sides.demo && privateDnsEnabled && !dnsRaw) {
    problems.push(
      `${consumerDnsRaw!.source}=true needs a private DNS name on the provider: set ${SETTINGS.privateDnsName.env} ` +
        `(and ${SETTINGS.hostedZoneId.env} to verify it during the deploy), or unset it. Without one the endpoint ` +
        `fails with "Private DNS can't be enabled because the service ... does not provide a private DNS name".`,
    );
  }
  return { certificateArn, privateDnsName, hostedZoneId, privateDnsEnabled, port };
}

