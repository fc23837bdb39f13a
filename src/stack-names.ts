/**
 * The names the app gives its stacks and their outputs, defined once: the app writes them, the synth
 * summary reads them, and the CLI uses the stack names as its defaults. Plain constants (no aws-cdk-lib):
 * the CLI bundle imports this file.
 */

/** The provider stack of the app. */
export const PROVIDER_STACK = 'PrivateLinkProvider';
/** The consumer stack of the app. */
export const CONSUMER_STACK = 'PrivateLinkConsumer';

/** The stack of the app that holds the consumer StackSet (management or delegated-admin account). */
export const CONSUMER_STACK_SET_STACK = 'PrivateLinkConsumerStackSet';

/** Output keys of the app's stacks. */
export const OUTPUTS = {
  serviceName: 'ServiceName',
  serviceId: 'ServiceId',
  availabilityZoneIds: 'AvailabilityZoneIds',
  privateDnsName: 'PrivateDnsName',
  privateDnsState: 'PrivateDnsState',
  privateDnsTxtName: 'PrivateDnsTxtName',
  privateDnsTxtValue: 'PrivateDnsTxtValue',
  endpointId: 'EndpointId',
  endpointDnsName: 'EndpointDnsName',
  checkFunctionName: 'CheckFunctionName',
  acceptanceRequired: 'AcceptanceRequired',
  stackSetName: 'StackSetName',
  stackSetCallAs: 'StackSetCallAs',
} as const;
