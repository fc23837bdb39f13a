// The library's public API, compiled by jsii. Pure helpers (src/validate.ts, throwIfProblems) stay
// internal: jsii has no free functions or type aliases; the app and the tests import them by path.
export { PrivateLinkConfigError } from './errors';
export * from './provider/backend';
export * from './provider/private-link-provider';
export * from './consumer/private-link-consumer';
export * from './check/connectivity-check';
export * from './provider/tls';
export * from './provider/private-dns';
export * from './consumer/preflight';
export * from './lifecycle/auto-acceptor';
export * from './lifecycle/notifications';
export * from './lifecycle/teardown';
export * from './lifecycle/principal-sync';
export * from './rollout/consumer-rollout';
export * from './rollout/rollout-vpc';
export * from './service/private-link-service';
export { ServiceProtocol } from './service/protocol';
export * from './consumer/endpoint';
export * from './resource/target';
export * from './resource/gateway';
export * from './resource/private-link-resource';
export * from './resource/private-link-resource-endpoint';
