export * from './errors';
export * from './validate';
export * from './provider/backend';
export * from './provider/private-link-provider';
export * from './consumer/private-link-consumer';
export * from './check/connectivity-check';
