/**
 * Integ test — the demo: both sides in one account, built by the app's own stacks exactly as
 * `npx cdk deploy --all` builds them in demo mode (the provider allows its own account, acceptance
 * automatic). After the deploy the connectivity check is invoked from inside the consumer VPC and must
 * answer ok with the ALB's fixed response.
 *
 *   npm run integ            verify the committed snapshot offline (part of npm test)
 *   npm run integ:deploy     deploy it on your account, run the assertion, destroy it
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { ConsumerStack, ProviderStack } from '../app/stacks';
import { DEFAULT_RESPONSE_BODY } from '../src/provider/backend';

// No stack traces in the snapshot's metadata: they hold absolute paths of the machine that wrote it.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const provider = new ProviderStack(app, 'PrivateLinkIntegDemoProvider', {
  description: 'cdk-privatelink integ test (demo): provider side',
  consumerAccountIds: [],
  acceptanceRequired: false,
});
const consumer = new ConsumerStack(app, 'PrivateLinkIntegDemoConsumer', {
  description: 'cdk-privatelink integ test (demo): consumer side',
  provider: provider.provider,
});

const integ = new IntegTest(app, 'Demo', {
  testCases: [provider, consumer],
  // The snapshot records the asset hashes too: a change to the check's bundled handler fails
  // `npm run integ` until the snapshot is updated on purpose.
  diffAssets: true,
  // Deploy only the current code (no deploy of the committed snapshot first), and keep the bundles
  // out of the committed snapshot.
  stackUpdateWorkflow: false,
});

// The NLB needs a minute or two to see the ALB target healthy after the deploy: retry until then.
integ.assertions
  .invokeFunction({ functionName: consumer.check.function.functionName })
  .expect(
    ExpectedResult.objectLike({
      Payload: Match.serializedJson(Match.objectLike({ ok: true, statusCode: 200, body: DEFAULT_RESPONSE_BODY })),
    }),
  )
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });

app.synth();
