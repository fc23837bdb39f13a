/**
 * Wires the connection lifecycle into a PrivateLinkProvider: notifications, the auto-acceptor and the
 * teardown custom resource, from the provider's props. Kept here so the provider only calls two functions.
 */
import { Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Problem } from '../errors';
import { checkAccountId } from '../validate';
import { AutoAcceptor } from './auto-acceptor';
import { ConnectionNotificationOptions, ConnectionNotifications } from './notifications';
import { ConnectionTeardown } from './teardown';

/** The lifecycle props of PrivateLinkProviderProps. */
export interface LifecycleProps {
  readonly acceptanceRequired?: boolean;
  readonly autoAcceptAccounts?: string[];
  readonly notifications?: ConnectionNotificationOptions;
  readonly rejectConnectionsOnDelete?: boolean;
}

/** What was built. */
export interface Lifecycle {
  readonly notificationTopic?: sns.ITopic;
  readonly autoAcceptor?: AutoAcceptor;
  readonly connectionTeardown?: ConnectionTeardown;
}

/** Problems with the lifecycle props, for the provider's one throwIfProblems. */
export function lifecycleProblems(props: LifecycleProps): Problem[] {
  const accounts = props.autoAcceptAccounts ?? [];
  return [
    accounts.length > 0 && props.acceptanceRequired === false
      ? 'autoAcceptAccounts: acceptanceRequired is false, so every allowed principal is accepted at once and the list would do nothing. ' +
        'Remove acceptanceRequired: false (the acceptor then accepts these accounts and leaves others pending), or remove autoAcceptAccounts.'
      : undefined,
    ...accounts.map((a, i) => (Token.isUnresolved(a) ? undefined : checkAccountId(`autoAcceptAccounts[${i}]`, a))),
    props.notifications?.topic && !Token.isUnresolved(props.notifications.topic.fifo) && props.notifications.topic.fifo
      ? 'notifications.topic: a FIFO topic cannot receive endpoint connection notifications. Give a standard topic, or none (one is created).'
      : undefined,
  ];
}

/** Builds what the props ask for, under `scope`. Call after lifecycleProblems() found nothing. */
export function addLifecycle(scope: Construct, serviceId: string, props: LifecycleProps): Lifecycle {
  const accounts = [...new Set(props.autoAcceptAccounts ?? [])];
  let notifications: ConnectionNotifications | undefined;
  // The acceptor is driven by the notifications: it needs a topic even when notifications were not asked for.
  if (props.notifications !== undefined || accounts.length > 0) {
    notifications = new ConnectionNotifications(scope, 'Notifications', { serviceId, topic: props.notifications?.topic });
  }
  const autoAcceptor =
    accounts.length > 0 && notifications
      ? new AutoAcceptor(scope, 'AutoAcceptor', { serviceId, accounts, topic: notifications.topic })
      : undefined;
  const connectionTeardown = props.rejectConnectionsOnDelete
    ? new ConnectionTeardown(scope, 'ConnectionTeardown', { serviceId })
    : undefined;
  return { notificationTopic: notifications?.topic, autoAcceptor, connectionTeardown };
}
