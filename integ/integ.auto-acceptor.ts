/**
 * Integ test — the auto-acceptor: a provider that requires acceptance and lists the account among its
 * `autoAcceptAccounts`, and a consumer in that account. Nobody accepts by hand: the acceptor, driven by
 * the service's connection notifications, must accept the endpoint's request, so the endpoint becomes
 * available and the connectivity check reaches the service.
 *
 *   npm run integ            verify the committed snapshot offline (part of npm test)
 *   npm run integ:deploy     deploy it on your account, run the assertions, destroy it
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { ConnectivityCheck, PrivateLinkConsumer, PrivateLinkProvider } from '../src';

const BODY = 'Hello from ALB!';
// No stack traces in the snapshot's metadata: they hold absolute paths of the machine that wrote it.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });

const providerStack = new Stack(app, 'PrivateLinkIntegAcceptorProvider', {
  description: 'cdk-privatelink integ test (auto-acceptor): provider side',
});
const provider = new PrivateLinkProvider(providerStack, 'Service', {
  acceptanceRequired: true,
  autoAcceptAccounts: [Aws.ACCOUNT_ID], // the consumer account, here the one integ-runner deploys to
});
provider.allowAccount(Aws.ACCOUNT_ID);

const consumerStack = new Stack(app, 'PrivateLinkIntegAcceptorConsumer', {
  description: 'cdk-privatelink integ test (auto-acceptor): consumer side',
});
const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', { service: provider });
const check = new ConnectivityCheck(consumerStack, 'Check', { endpoint: consumer, expectedBody: BODY });

const integ = new IntegTest(app, 'AutoAcceptor', {
  testCases: [providerStack, consumerStack],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

// The request was accepted by the acceptor, not by hand: the endpoint is available.
const accepted = integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [consumer.endpointId] })
  .expect(ExpectedResult.objectLike({ VpcEndpoints: [Match.objectLike({ VpcEndpointId: consumer.endpointId, State: 'available' })] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });
// And traffic flows once the NLB sees its ALB target healthy.
const invoke = integ.assertions
  .invokeFunction({ functionName: check.function.functionName })
  .expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ ok: true, statusCode: 200, body: BODY })) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });
accepted.next(invoke);

app.synth();
