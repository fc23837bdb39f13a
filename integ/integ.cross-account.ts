/**
 * Integ test — the cross-account shape, with the library's public API: a provider stack and a consumer
 * stack that only knows the provider's endpoint service name, with manual acceptance (the default for
 * two accounts). Both stacks deploy into the one account integ-runner uses, which stands in for the
 * consumer account; nothing else differs from two accounts (the consumer stack takes the service name
 * as a value, and the provider allows an account's root principal).
 *
 * The assertions do what the two teams do by hand (README "Two accounts"): the provider accepts the
 * pending connection, then the consumer's connectivity check must reach the service.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { ConnectivityCheck, PrivateLinkConsumer, PrivateLinkProvider, PrivateLinkService } from '../src';

const BODY = 'Hello from ALB!';
// No stack traces in the snapshot's metadata: they hold absolute paths of the machine that wrote it.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });

// Provider account.
const providerStack = new Stack(app, 'PrivateLinkIntegCrossAccountProvider', {
  description: 'cdk-privatelink integ test (cross-account shape): provider side',
});
const provider = new PrivateLinkProvider(providerStack, 'Service', { acceptanceRequired: true });
provider.allowAccount(Aws.ACCOUNT_ID); // the consumer account's ID in a real two-account setup

// Consumer account: given the service name only (here a cross-stack reference; in two accounts, the
// string the provider team sends).
const consumerStack = new Stack(app, 'PrivateLinkIntegCrossAccountConsumer', {
  description: 'cdk-privatelink integ test (cross-account shape): consumer side',
});
const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', {
  service: PrivateLinkService.fromServiceName(provider.serviceName, { port: provider.port, protocol: provider.protocol }),
});
const check = new ConnectivityCheck(consumerStack, 'Check', { endpoint: consumer, expectedBody: BODY });
new CfnOutput(consumerStack, 'CheckFunctionName', { value: check.function.functionName });

const integ = new IntegTest(app, 'CrossAccount', {
  testCases: [providerStack, consumerStack],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

// Provider side: accept the consumer's pending connection.
const accept = integ.assertions.awsApiCall('EC2', 'acceptVpcEndpointConnections', {
  ServiceId: provider.serviceId,
  VpcEndpointIds: [consumer.endpointId],
});
// Consumer side: the check reaches the service once the connection is available and the NLB's target
// is healthy.
const invoke = integ.assertions
  .invokeFunction({ functionName: check.function.functionName })
  .expect(
    ExpectedResult.objectLike({
      Payload: Match.serializedJson(Match.objectLike({ ok: true, statusCode: 200, body: BODY })),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });
accept.next(invoke);

app.synth();
