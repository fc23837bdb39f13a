import { Aws, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { CheckProtocol, ConnectivityCheck } from '../src/check/connectivity-check';
import { PrivateLinkConsumer } from '../src/consumer/private-link-consumer';
import { DEFAULT_RESPONSE_BODY } from '../src/provider/backend';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';
import { PrivateLinkService } from '../src/service/private-link-service';
import type { ConsumerConfig, ProviderConfig } from './config';
import type { CheckProtocolName } from './side-settings';
import { OUTPUTS } from '../src/stack-names';

/** The provider stack takes the provider side of the app's configuration as it is. */
export interface ProviderStackProps extends StackProps, ProviderConfig {}

/** The provider side: endpoint service in front of the ALB. */
export class ProviderStack extends Stack {
  public readonly provider: PrivateLinkProvider;

  constructor(scope: Construct, id: string, props: ProviderStackProps) {
    super(scope, id, props);
    this.provider = new PrivateLinkProvider(this, 'Provider', {
      allowedPrincipals: props.consumerAccountIds,
      acceptanceRequired: props.acceptanceRequired,
      allowedRegions: props.allowedRegions,
      supportedIpAddressTypes: props.ipAddressType === 'dualstack' ? [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6] : undefined,
      tls: props.certificateArn
        ? { certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) }
        : undefined,
      privateDns: props.privateDnsName
        ? {
            domainName: props.privateDnsName,
            publicHostedZone: props.hostedZoneId
              ? route53.PublicHostedZone.fromPublicHostedZoneId(this, 'HostedZone', props.hostedZoneId)
              : undefined,
          }
        : undefined,
      rejectConnectionsOnDelete: props.rejectConnectionsOnDelete,
      allowedOrganizationalUnits: props.organizationalUnits,
    });
    if (props.consumerAccountIds.length === 0 && props.organizationalUnits === undefined) {
      this.provider.allowAccount(Aws.ACCOUNT_ID);
    }
    new CfnOutput(this, OUTPUTS.serviceName, {
      value: this.provider.serviceName,
      description: 'Send this to the consumer team: PROVIDER_VPC_ENDPOINT_SERVICE_NAME',
    });
    new CfnOutput(this, OUTPUTS.serviceId, { value: this.provider.serviceId, description: 'Endpoint service ID' });
    const zoneIds = this.provider.availabilityZoneIdsText();
    if (zoneIds) {
      new CfnOutput(this, OUTPUTS.availabilityZoneIds, {
        value: zoneIds,
        description: 'AZ IDs the NLB serves: send them with the service name (SERVICE_AVAILABILITY_ZONE_IDS)',
      });
    }
    const dns = this.provider.privateDnsVerification;
    if (dns) {
      new CfnOutput(this, OUTPUTS.privateDnsName, {
        value: dns.domainName,
        description: 'The private DNS name consumers call once private DNS is enabled on their endpoint',
      });
      new CfnOutput(this, OUTPUTS.privateDnsState, {
        value: dns.verificationState,
        description: 'verified, or pendingVerification until the TXT record below is published and verified',
      });
      new CfnOutput(this, OUTPUTS.privateDnsTxtName, {
        value: dns.verificationRecordName,
        description: props.hostedZoneId
          ? 'The TXT record published in HOSTED_ZONE_ID to prove ownership of the name'
          : 'Publish a TXT record with this name (or this label under a parent domain) in public DNS, ...',
      });
      new CfnOutput(this, OUTPUTS.privateDnsTxtValue, {
        value: dns.verificationRecordValue,
        description: props.hostedZoneId
          ? 'Its value'
          : '... with this value, then: aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id <ServiceId>',
      });
    }
  }
}

/** The consumer stack takes the consumer side of the configuration, or the provider itself (demo). */
export interface ConsumerStackProps extends StackProps, ConsumerConfig {
  /** The provider of this app, when the consumer is wired to it directly (demo: no serviceName). */
  readonly provider?: PrivateLinkProvider;
}

/** CHECK_PROTOCOL's values and the check's protocols. */
const CHECK_PROTOCOL: Record<CheckProtocolName, CheckProtocol> = {
  http: CheckProtocol.HTTP,
  https: CheckProtocol.HTTPS,
  tcp: CheckProtocol.TCP,
  tls: CheckProtocol.TLS,
};

/** The consumer side: interface endpoint and the connectivity check. */
export class ConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;
  public readonly check: ConnectivityCheck;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    const service =
      props.provider ??
      PrivateLinkService.fromServiceName(props.serviceName!, {
        port: props.port,
        availabilityZoneIds: props.serviceAvailabilityZoneIds,
        supportedIpAddressTypes: props.ipAddressType === 'dualstack' ? [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6] : undefined,
      });
    this.consumer = new PrivateLinkConsumer(this, 'Consumer', {
      service,
      serviceRegion: props.serviceRegion,
      ipAddressType: props.ipAddressType === 'dualstack' ? ec2.VpcEndpointIpAddressType.DUALSTACK : undefined,
      privateDnsEnabled: props.privateDnsEnabled,
    });
    const protocol = props.checkProtocol ? CHECK_PROTOCOL[props.checkProtocol] : undefined;
    this.check = new ConnectivityCheck(this, 'Check', {
      endpoint: this.consumer,
      protocol,
      // The demo's ALB answers this body; a TCP or TLS check reads none.
      expectedBody: props.provider && (protocol === undefined || protocol === CheckProtocol.HTTP || protocol === CheckProtocol.HTTPS) ? DEFAULT_RESPONSE_BODY : undefined,
      schedule: props.checkScheduleMinutes !== undefined ? Duration.minutes(props.checkScheduleMinutes) : undefined,
    });
    new CfnOutput(this, OUTPUTS.endpointId, { value: this.consumer.endpointId, description: 'Interface VPC endpoint ID' });
    new CfnOutput(this, OUTPUTS.endpointDnsName, {
      value: this.consumer.dnsName,
      description: 'Regional DNS name of the endpoint',
    });
    new CfnOutput(this, OUTPUTS.checkFunctionName, {
      value: this.check.function.functionName,
      description: 'aws lambda invoke --function-name <this> out.json',
    });
    if (this.consumer.preflight) {
      new CfnOutput(this, OUTPUTS.acceptanceRequired, {
        value: this.consumer.preflight.acceptanceRequired,
        description: 'true: the provider must accept the endpoint connection before traffic flows',
      });
    }
  }
}
