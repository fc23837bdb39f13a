// Defaults of the TLS options, kept out of the public API (jsii exports no constants): the docs of
// `TlsOptions` state them.
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * The security policy of the built-in ALB's HTTPS listener unless `TlsOptions.sslPolicy` says otherwise:
 * TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only.
 */
export const DEFAULT_SSL_POLICY = elbv2.SslPolicy.TLS13_RES;

/** The port of the plain-HTTP listener that `TlsOptions.allowPlainHttp` adds. */
export const PLAIN_HTTP_PORT = 80;
