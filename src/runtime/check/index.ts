// Connectivity check Lambda: calls the endpoint URL and reports what happened. http:// and https:// send
// a GET and judge status and body; tcp:// passes when the connection opens (nothing is sent); tls:// when
// the TLS handshake completes with a certificate valid for the host name (no HTTP).
// Node built-ins only (no aws-cdk-lib, no npm dependencies): bundled by scripts/bundle.mjs.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect, isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';

export interface CheckOptions {
  /** `http://`, `https://`, `tcp://host:port` or `tls://host:port`. */
  readonly url: string;
  /** When set, the response body must contain this text (HTTP and HTTPS only). */
  readonly expectedBody?: string;
  /** Default 200 (HTTP and HTTPS only). */
  readonly expectedStatus?: number;
  /** One deadline for DNS + connect + TLS + headers + body. Default 5000. */
  readonly timeoutMs?: number;
}

export interface CheckError { code: string; message: string }

export interface CheckResult {
  ok: boolean;
  url: string;
  statusCode?: number;
  body?: string;
  latencyMs: number;
  error?: CheckError;
}

/** Optional ad-hoc overrides passed as the invoke payload; `{}` uses the environment. */
export interface CheckEvent { url?: string; timeoutMs?: number }

export const MAX_BODY_BYTES = 64 * 1024;
const DNS_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA'];
const CONNECT_CODES = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ECONNABORTED', 'EPIPE'];
const TLS_CODE = /CERT|UNABLE_TO_|^ERR_(TLS|SSL)_|^EPROTO$/;

/** Maps a Node request error to a CheckError with an actionable message. */
export function classifyError(err: NodeJS.ErrnoException, host: string, port: number): CheckError {
  const code = err.code ?? 'UNKNOWN';
  const target = `${host}:${port}`;
  if (DNS_CODES.includes(code)) {
    return { code: 'DNS', message: `DNS lookup of ${host} failed (${code}): the endpoint DNS name did not resolve. `
      + 'The endpoint may not be available yet, or this is a private DNS name and private DNS is not enabled '
      + 'on the endpoint (or the VPC lacks DNS support/hostnames).' };
  }
  if (TLS_CODE.test(code)) {
    return { code: 'TLS', message: `TLS handshake with ${target} failed (${code}: ${err.message}). `
      + 'The certificate must be valid and match the DNS name used: the vpce-... names are not on the '
      + "provider's certificate, so use the private DNS name." };
  }
  const known = CONNECT_CODES.includes(code);
  return { code: 'CONNECT', message: `Could not connect to ${target} (${code}${known ? '' : `: ${err.message}`}). `
    + 'Check that the endpoint connection is accepted (not pendingAcceptance), that the endpoint security group '
    + `allows inbound TCP ${port} from the check's security group, and that the provider NLB listens on port ${port}.` };
}

/** Calls `options.url` once; never rejects and never runs past `timeoutMs`. */
export function runCheck(options: CheckOptions): Promise<CheckResult> {
  const start = performance.now();
  const { url, expectedBody, expectedStatus = 200, timeoutMs = 5000 } = options;
  const result = (r: Omit<CheckResult, 'url' | 'latencyMs'>): CheckResult =>
    ({ ...r, url, latencyMs: Math.round(performance.now() - start) });
  const config = (message: string) => Promise.resolve(result({ ok: false, error: { code: 'CONFIG', message } }));

  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return config(`CHECK_URL / url is not a valid URL: ${JSON.stringify(url)}. Expected e.g. http://vpce-....amazonaws.com:80/`);
  }
  const scheme = target.protocol.slice(0, -1);
  const http = scheme === 'http' || scheme === 'https';
  if (!http && scheme !== 'tcp' && scheme !== 'tls') {
    return config(`CHECK_URL / url has unsupported protocol ${JSON.stringify(target.protocol)} in ${url}: use http:, https:, tcp: or tls:`);
  }
  if (!http && !target.port) return config(`CHECK_URL / url ${url} has no port: use ${scheme}://host:port`);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return config(`TIMEOUT_MS / timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  if (http && (!Number.isInteger(expectedStatus) || expectedStatus < 100 || expectedStatus > 599)) {
    return config(`EXPECTED_STATUS must be an HTTP status code (100-599), got ${expectedStatus}`);
  }
  if (!http && expectedBody !== undefined) {
    return config(`EXPECTED_BODY is set, but a ${scheme}:// check reads no body: unset it, or use http: or https:`);
  }

  const tls = scheme === 'https' || scheme === 'tls';
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port) || (tls ? 443 : 80);
  return new Promise((resolve) => {
    let phase = isIP(host) ? 'TCP connect' : 'DNS lookup';
    let settled = false;
    const finish = (r: Omit<CheckResult, 'url' | 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A socket that passed is closed politely (the TLS client Finished and close_notify flushed first).
      if (r.ok && conn instanceof Socket) conn.end(() => conn.destroy());
      else conn.destroy();
      resolve(result(r));
    };
    const timeout = () => finish({ ok: false, error: { code: 'TIMEOUT', message:
      `No response from ${host}:${port} within ${timeoutMs} ms (timed out during ${phase}). Likely causes: the endpoint `
      + 'connection is still pendingAcceptance, security group rules drop the traffic (endpoint SG inbound, check SG '
      + "egress), or an AZ mismatch (endpoint subnets in AZs the provider NLB does not serve)." } });
    const failed = (err: Error) => finish({ ok: false, error: classifyError(err, host, port) });
    const watch = (socket: Socket) => {
      socket.once('lookup', () => { phase = 'TCP connect'; });
      socket.once('connect', () => { phase = tls ? 'TLS handshake' : 'response headers'; });
      socket.once('secureConnect', () => { phase = 'response headers'; });
    };

    let conn: { destroy(): void } | Socket;
    if (!http) {
      // tcp:// passes once connected, tls:// once the handshake verified the certificate for the host name
      // (servername: SNI and the name checked; an IP is checked against the certificate's IP addresses).
      const socket = tls
        ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host }, () => finish({ ok: true }))
        : tcpConnect({ host, port }, () => finish({ ok: true }));
      watch(socket);
      socket.on('error', failed);
      conn = socket;
    } else {
      const req = (tls ? httpsRequest : httpRequest)(target, {
        method: 'GET', agent: false, headers: { 'user-agent': 'cdk-privatelink-check' },
      }, (res) => {
        phase = 'response body';
        const chunks: Buffer[] = [];
        let size = 0;
        const evaluate = () => {
          const statusCode = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
          if (statusCode !== expectedStatus) {
            finish({ ok: false, statusCode, body, error: { code: 'STATUS', message:
              `${host}:${port} answered HTTP ${statusCode}, expected ${expectedStatus}`
              + (statusCode >= 502 && statusCode <= 504 ? ' (the load balancer has no healthy target or the backend failed).' : '.') } });
          } else if (expectedBody !== undefined && !body.includes(expectedBody)) {
            finish({ ok: false, statusCode, body, error: { code: 'BODY', message:
              `Response body from ${host}:${port} (HTTP ${statusCode}, ${size} bytes${size > MAX_BODY_BYTES ? ', truncated' : ''}) `
              + `does not contain the expected text ${JSON.stringify(expectedBody)}.` } });
          } else {
            finish({ ok: true, statusCode, body });
          }
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size > MAX_BODY_BYTES) evaluate(); // cap the read: stop here and judge the first 64 KiB
        });
        res.on('end', evaluate);
        res.on('error', (err) => finish({ ok: false, statusCode: res.statusCode, error: classifyError(err, host, port) }));
      });
      req.on('socket', watch);
      req.setTimeout(timeoutMs, timeout);
      req.on('error', failed);
      req.end();
      conn = req;
    }
    const timer = setTimeout(timeout, timeoutMs); // the overall deadline: DNS + connect + TLS + headers + body
  });
}

function envInt(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Lambda entry point. Config from env (CHECK_URL: http(s)://, tcp:// or tls://; EXPECTED_BODY, EXPECTED_STATUS, TIMEOUT_MS); the event may override url/timeoutMs. */
export async function handler(event?: CheckEvent | null): Promise<CheckResult> {
  const url = (typeof event?.url === 'string' && event.url) || process.env.CHECK_URL?.trim() || '';
  let result: CheckResult;
  if (!url) {
    result = { ok: false, url, latencyMs: 0, error: { code: 'CONFIG', message:
      'CHECK_URL is not set: set it to the endpoint URL, e.g. http://vpce-....amazonaws.com:80/ (or pass {"url": ...} in the event)' } };
  } else {
    try {
      result = await runCheck({
        url,
        expectedBody: process.env.EXPECTED_BODY || undefined,
        expectedStatus: envInt('EXPECTED_STATUS'),
        timeoutMs: event?.timeoutMs ?? envInt('TIMEOUT_MS'),
      });
    } catch (err) {
      result = { ok: false, url, latencyMs: 0, error: { code: 'CONFIG', message: (err as Error).message } };
    }
  }
  (result.ok ? console.log : console.error)(JSON.stringify(result));
  // Custom CloudWatch metrics as one Embedded Metric Format log line (no SDK call: the function has no
  // route to the CloudWatch API). EMF holds the `_aws` metadata (namespace, dimensions, metric names) as
  // the construct wrote it, with the dimension's value; this adds the timestamp and the two values.
  const emf = process.env.EMF;
  if (emf) {
    const m = JSON.parse(emf);
    m._aws.Timestamp = Date.now();
    console.log(JSON.stringify({ ...m, Success: +result.ok, Latency: result.latencyMs }));
  }
  return result;
}

