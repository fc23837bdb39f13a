import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * HTTPS for the provider's service. TLS ends at the ALB (its HTTPS listener holds the certificate); the NLB
 * passes TCP through unchanged, since an NLB target group of type `alb` only speaks TCP.
 */
export interface TlsOptions {
  /**
   * The ACM certificate of the ALB's HTTPS listener, in the provider's region. It must cover the name
   * consumers call: the service's private DNS name (the endpoint's own `vpce-…` names are never on it).
   */
  readonly certificate: acm.ICertificate;

  /**
   * The HTTPS listener's security policy.
   * @default elbv2.SslPolicy.TLS13_RES - TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Also serve plain HTTP on port 80 (a second NLB listener and ALB listener), for clients that cannot
   * use TLS yet. The consumer must open port 80 itself (`consumer.connections.allowFrom(peer, Port.tcp(80))`).
   * @default false - HTTPS only
   */
  readonly allowPlainHttp?: boolean;
}
