/**
 * Integ test — PrivateLink for resources: the provider shares the DNS name of an internal ALB (fixed
 * response `Hello from ALB!` on port 80) through a resource gateway, with no NLB and no endpoint service;
 * the consumer, in another VPC of the same account (no RAM share needed), reaches it through a VPC
 * endpoint of type Resource. After the deploy the connectivity check speaks HTTP to the endpoint's DNS
 * name from inside the consumer VPC and must get the ALB's answer.
 *
 *   npm run integ            verify the committed snapshot offline (part of npm test)
 *   npm run integ:deploy     deploy it on your account, run the assertion, destroy it
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ConnectivityCheck } from '../src/check/connectivity-check';
import { DEFAULT_RESPONSE_BODY, ProviderBackend } from '../src/provider/backend';
import { PrivateLinkResource } from '../src/resource/private-link-resource';
import { PrivateLinkResourceEndpoint } from '../src/resource/private-link-resource-endpoint';
import { ResourceTarget } from '../src/resource/target';
import { ServiceProtocol } from '../src/service/protocol';
import { createIsolatedVpc } from '../src/shared/vpc';

// No stack traces in the snapshot's metadata: they hold absolute paths of the machine that wrote it.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });

const provider = new Stack(app, 'PrivateLinkIntegResourceProvider', {
  description: 'cdk-privatelink integ test (resource): an internal ALB shared by DNS name through a resource gateway',
});
const vpc = createIsolatedVpc(provider, 'Vpc');
// The library's own fixed-response ALB (what PrivateLinkProvider builds by default), on port 80.
const alb = ProviderBackend.fixedResponse().bind(provider, { vpc, vpcSubnets: {}, port: 80 });
const resource = new PrivateLinkResource(provider, 'SharedAlb', {
  vpc,
  target: ResourceTarget.dnsName(alb.applicationLoadBalancer!.loadBalancerDnsName),
  port: 80,
  protocol: ServiceProtocol.HTTP,
});
// The gateway may reach the ALB on 80, and the ALB admits the gateway (and nothing else).
resource.connections.allowTo(alb.connections!, ec2.Port.tcp(80), 'resource gateway to the ALB');

const consumer = new Stack(app, 'PrivateLinkIntegResourceConsumer', {
  description: 'cdk-privatelink integ test (resource): resource endpoint and connectivity check',
});
const endpoint = new PrivateLinkResourceEndpoint(consumer, 'Endpoint', { resource });
const check = new ConnectivityCheck(consumer, 'Check', { endpoint, expectedBody: DEFAULT_RESPONSE_BODY });

const integ = new IntegTest(app, 'Resource', {
  testCases: [provider, consumer],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

// The gateway resolves the ALB's name and the association settles after the deploy: retry until then.
integ.assertions
  .invokeFunction({ functionName: check.function.functionName })
  .expect(
    ExpectedResult.objectLike({
      Payload: Match.serializedJson(Match.objectLike({ ok: true, statusCode: 200, body: DEFAULT_RESPONSE_BODY })),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });

app.synth();
