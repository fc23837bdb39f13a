/**
 * What a service speaks on its port, and the two rules about TLS that the service, an imported endpoint
 * and a resource endpoint share. The helpers are internal: `src/index.ts` exports only the enum.
 */

/** What a service speaks on its port, as far as a client (and the connectivity check) is concerned. */
export enum ServiceProtocol {
  /** Plain HTTP (an ALB listener without a certificate). */
  HTTP = 'http',
  /** HTTPS (an ALB listener with a certificate). */
  HTTPS = 'https',
  /** TLS of a protocol other than HTTP (a database with TLS, a TLS NLB listener). */
  TLS = 'tls',
  /** Plain TCP of any protocol (a database, a direct NLB backend). */
  TCP = 'tcp',
}

/** Whether a service of this protocol speaks TLS on its port (HTTPS or TLS). */
export function speaksTls(protocol: ServiceProtocol | undefined): boolean {
  return protocol === ServiceProtocol.HTTPS || protocol === ServiceProtocol.TLS;
}

/** `tls` and `protocol` given together must agree. */
export function tlsProtocolProblem(tls: boolean | undefined, protocol: ServiceProtocol | undefined): string | undefined {
  if (tls === undefined || protocol === undefined || tls === speaksTls(protocol)) return undefined;
  return (
    `tls: ${tls} contradicts protocol ${protocol.toUpperCase()}. Give one of them, or make them agree ` +
    '(tls: true with HTTPS or TLS, tls: false with HTTP or TCP).'
  );
}
