/**
 * Names defined once: the app's stacks and their outputs (the app writes them, the synth summary reads
 * them, the CLI defaults to the stack names) and the marker the CLI finds a check function by. Plain
 * constants (no aws-cdk-lib): the CLI bundle imports this file.
 */

/** The provider stack of the app. */
export const PROVIDER_STACK = 'PrivateLinkProvider';
/** The consumer stack of the app. */
export const CONSUMER_STACK = 'PrivateLinkConsumer';

/** The stack of the app that holds the consumer StackSet (management or delegated-admin account). */
export const CONSUMER_STACK_SET_STACK = 'PrivateLinkConsumerStackSet';
/** The StackSet that the app's `CONSUMER_STACK_SET_STACK` rolls out (named like the consumer stack it replaces). */
export const CONSUMER_STACK_SET = 'PrivateLinkConsumer';

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
  // PrivateLink for resources
  resourceConfigurationArn: 'ResourceConfigurationArn',
  resourceConfigurationId: 'ResourceConfigurationId',
  resourceShareArn: 'ResourceShareArn',
  resourcePort: 'ResourcePort',
} as const;

/**
 * The CloudFormation metadata that `ConnectivityCheck` writes on its function, so that the CLI tells it
 * from a stack's other functions (the preflight, the acceptor, the user's own).
 */
export const CHECK_FUNCTION_METADATA = { key: 'cdk-privatelink:role', value: 'connectivity-check' } as const;
