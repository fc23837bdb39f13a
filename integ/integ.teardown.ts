/**
 * Integ test — teardown while a consumer is connected: a provider with `rejectConnectionsOnDelete` and
 * a consumer whose endpoint is connected to it. The assertions delete the provider stack itself while
 * the connection is available: its teardown custom resource must reject the connection and wait until
 * nothing is active, so that the endpoint service and the NLB delete cleanly (without it, the delete
 * fails with "Service has existing active VPC Endpoint connections!").
 *
 * The consumer reads the service name from an SSM parameter (a dynamic reference, resolved at deploy)
 * instead of a cross-stack export: CloudFormation refuses to delete a stack whose export is imported.
 *
 *   npm run integ            verify the committed snapshot offline (part of npm test)
 *   npm run integ:deploy     deploy it on your account, run the assertions, destroy it
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ConnectivityCheck, PrivateLinkConsumer, PrivateLinkProvider, PrivateLinkService } from '../src';

const BODY = 'Hello from ALB!';
const PARAMETER = '/cdk-privatelink/integ/teardown/service-name';
// No stack traces in the snapshot's metadata: they hold absolute paths of the machine that wrote it.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });

const providerStack = new Stack(app, 'PrivateLinkIntegTeardownProvider', {
  description: 'cdk-privatelink integ test (teardown): provider side',
});
const provider = new PrivateLinkProvider(providerStack, 'Service', {
  acceptanceRequired: false, // connected at once: the connection is active when the stack is deleted
  rejectConnectionsOnDelete: true,
});
provider.allowAccount(Aws.ACCOUNT_ID);
new ssm.StringParameter(providerStack, 'ServiceNameParameter', { parameterName: PARAMETER, stringValue: provider.serviceName });

const consumerStack = new Stack(app, 'PrivateLinkIntegTeardownConsumer', {
  description: 'cdk-privatelink integ test (teardown): consumer side',
});
consumerStack.addDependency(providerStack);
const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', {
  service: PrivateLinkService.fromServiceName(ssm.StringParameter.valueForStringParameter(consumerStack, PARAMETER), {
    port: provider.port,
    protocol: provider.protocol,
  }),
});
const check = new ConnectivityCheck(consumerStack, 'Check', { endpoint: consumer, expectedBody: BODY });

const integ = new IntegTest(app, 'Teardown', {
  testCases: [providerStack, consumerStack],
  diffAssets: true,
  stackUpdateWorkflow: false,
});

// 1. The consumer is connected and traffic flows.
const connected = integ.assertions
  .invokeFunction({ functionName: check.function.functionName })
  .expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ ok: true, statusCode: 200, body: BODY })) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });

// 2. Delete the provider stack while the connection is active, with the bootstrap's deploy role (as
//    `cdk destroy` would).
const deployRole = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-hnb659fds-cfn-exec-role-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
const destroy = integ.assertions.awsApiCall('CloudFormation', 'deleteStack', { StackName: providerStack.stackName, RoleARN: deployRole });
destroy.provider.addToRolePolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [deployRole] }));

// 3. The delete completed: the teardown rejected the connection first.
const deleted = integ.assertions
  .awsApiCall('CloudFormation', 'listStacks', { StackStatusFilter: ['DELETE_COMPLETE', 'DELETE_FAILED'] })
  .expect(ExpectedResult.objectLike({ StackSummaries: Match.arrayWith([Match.objectLike({ StackName: providerStack.stackName, StackStatus: 'DELETE_COMPLETE' })]) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
const rejected = integ.assertions
  .awsApiCall('EC2', 'describeVpcEndpoints', { VpcEndpointIds: [consumer.endpointId] })
  .expect(ExpectedResult.objectLike({ VpcEndpoints: [Match.objectLike({ State: 'rejected' })] }));
connected.next(destroy).next(deleted).next(rejected);

app.synth();
