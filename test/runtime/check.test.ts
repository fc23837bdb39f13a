import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTlsServer, Server as TlsServer } from 'node:tls';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyError, handler, MAX_BODY_BYTES, runCheck, type CheckResult } from '../../src/runtime/check';

const ROOT = join(__dirname, '..', '..');
const servers: Server[] = [];

/** Starts a server on 127.0.0.1:<ephemeral> and returns its base URL; closed in afterEach. */
async function serve(listener: RequestListener, server: Server = createServer(listener)): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const reply = (status: number, body: string): RequestListener => (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
};

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Runs a check and returns the result with the wall-clock time it took. */
async function timed(p: Promise<CheckResult>): Promise<[CheckResult, number]> {
  const t0 = Date.now();
  const r = await p;
  return [r, Date.now() - t0];
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('runCheck', () => {
  test('success: expected status and body', async () => {
    const url = await serve(reply(200, 'Hello from ALB!'));
    const r = await runCheck({ url, expectedBody: 'Hello from ALB!', timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: true, url, statusCode: 200, body: 'Hello from ALB!' });
    expect(r.error).toBeUndefined();
    expect(Number.isInteger(r.latencyMs)).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test('success without EXPECTED_BODY accepts any body; custom expected status', async () => {
    const url = await serve(reply(204, ''));
    expect((await runCheck({ url, expectedStatus: 204 })).ok).toBe(true);
    expect((await runCheck({ url })).error?.code).toBe('STATUS');
  });

  test('unexpected status → STATUS, with status and body in the result', async () => {
    const url = await serve(reply(500, 'boom'));
    const r = await runCheck({ url, expectedBody: 'boom' });
    expect(r).toMatchObject({ ok: false, statusCode: 500, body: 'boom', error: { code: 'STATUS' } });
    expect(r.error?.message).toContain('500');
    expect(r.error?.message).toContain('expected 200');
  });

  test('body without the expected text → BODY', async () => {
    const url = await serve(reply(200, 'Hello from somewhere else'));
    const r = await runCheck({ url, expectedBody: 'Hello from ALB!' });
    expect(r).toMatchObject({ ok: false, statusCode: 200, error: { code: 'BODY' } });
    expect(r.error?.message).toContain('"Hello from ALB!"');
  });

  test('body read is capped at 64 KiB', async () => {
    const big = 'a'.repeat(200 * 1024) + 'MARKER';
    const url = await serve(reply(200, big));
    const ok = await runCheck({ url, expectedBody: 'aaa' });
    expect(ok.ok).toBe(true);
    expect(ok.body).toHaveLength(MAX_BODY_BYTES);
    const miss = await runCheck({ url, expectedBody: 'MARKER' });
    expect(miss.error?.code).toBe('BODY');
    expect(miss.error?.message).toContain('truncated');
  });

  test('refused connection → CONNECT naming host:port and the errno', async () => {
    const port = await freePort();
    const r = await runCheck({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECT' } });
    expect(r.error?.message).toContain(`127.0.0.1:${port}`);
    expect(r.error?.message).toContain('ECONNREFUSED');
    expect(r.error?.message).toMatch(/security group/);
    expect(r.error?.message).toMatch(/pendingAcceptance/);
  });

  test('server that accepts but never answers → TIMEOUT within the deadline', async () => {
    const url = await serve(() => { /* never respond */ });
    const [r, elapsed] = await timed(runCheck({ url, timeoutMs: 300 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(r.error?.message).toMatch(/300 ms/);
    expect(r.error?.message).toMatch(/response headers/);
    expect(r.latencyMs).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  test('a body that trickles forever still stops at the overall deadline', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const t = setInterval(() => res.write('x'), 50); // keeps the socket busy: an idle timeout alone never fires
      res.on('close', () => clearInterval(t));
    });
    const [r, elapsed] = await timed(runCheck({ url, timeoutMs: 400 }));
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toMatch(/response body/);
    expect(elapsed).toBeLessThan(2000);
  });

  test('unresolvable host → DNS', async () => {
    const [r, elapsed] = await timed(runCheck({ url: 'http://does-not-exist.invalid/', timeoutMs: 4000 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'DNS' } });
    expect(r.error?.message).toContain('does-not-exist.invalid');
    expect(r.error?.message).toMatch(/ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME/);
    expect(elapsed).toBeLessThan(4000);
  });

  describe('TLS', () => {
    let dir: string;
    let key: Buffer;
    let cert: Buffer;

    beforeAll(() => {
      // A throwaway self-signed certificate for localhost, generated per run (needs the openssl CLI).
      dir = mkdtempSync(join(tmpdir(), 'check-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'pipe' });
      key = readFileSync(join(dir, 'key.pem'));
      cert = readFileSync(join(dir, 'cert.pem'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('self-signed certificate → TLS', async () => {
      const base = await serve(reply(200, 'ok'), createHttpsServer({ key, cert }, reply(200, 'ok')));
      const url = base.replace('http:', 'https:');
      const r = await runCheck({ url, timeoutMs: 2000 });
      expect(r).toMatchObject({ ok: false, url, error: { code: 'TLS' } });
      expect(r.error?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(r.error?.message).toMatch(/private DNS name/);
    });

    test('https:// to a plain-HTTP port → TLS (EPROTO)', async () => {
      const url = (await serve(reply(200, 'ok'))).replace('http:', 'https:');
      const r = await runCheck({ url, timeoutMs: 2000 });
      expect(r.error?.code).toBe('TLS');
      expect(r.error?.message).toContain('EPROTO');
    });
  });

  test.each([
    ['not a url', /not a valid URL/],
    ['ftp://example.com/', /unsupported protocol "ftp:"/],
    ['', /not a valid URL/],
  ])('bad url %p → CONFIG', async (url, message) => {
    const r = await runCheck({ url });
    expect(r).toMatchObject({ ok: false, url, error: { code: 'CONFIG' } });
    expect(r.error?.message).toMatch(message);
  });

  test('bad timeout / expected status → CONFIG', async () => {
    expect((await runCheck({ url: 'http://127.0.0.1/', timeoutMs: 0 })).error?.code).toBe('CONFIG');
    expect((await runCheck({ url: 'http://127.0.0.1/', timeoutMs: NaN })).error?.code).toBe('CONFIG');
    expect((await runCheck({ url: 'http://127.0.0.1/', expectedStatus: 999 })).error?.code).toBe('CONFIG');
  });
});

/** Certificates made per run with the openssl CLI, offline: a self-signed one, and a CA with two leaves. */
function makeCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '1', '-subj', '/CN=other.example',
    '-addext', 'subjectAltName=DNS:other.example');
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=check test CA');
  for (const name of ['localhost', 'other.example']) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${name}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  }
  const read = (f: string) => readFileSync(join(dir, f));
  return {
    ca: join(dir, 'ca.pem'),
    selfSigned: { key: read('self.key'), cert: read('self.pem') },
    localhost: { key: read('localhost.key'), cert: read('localhost.pem') },
    otherName: { key: read('other.example.key'), cert: read('other.example.pem') },
  };
}

describe('tcp:// and tls:// (no HTTP)', () => {
  const netServers: NetServer[] = [];
  const sockets: Socket[] = [];
  const children: ReturnType<typeof spawn>[] = [];
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'check-tcp-tls-'));
    certs = makeCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const s of netServers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  /** Listens on 127.0.0.1:<ephemeral>; the server and every socket it accepts are closed after each test. */
  async function listen(server: NetServer): Promise<number> {
    server.on('connection', (socket: Socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    netServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /**
   * A server that accepts connections (completing the TLS handshake, for a TLS server), then never writes
   * and never closes; it counts the connections it accepted and the bytes it received after that.
   */
  async function silentServer(server: NetServer = createNetServer()): Promise<{ port: number; received: () => number; connections: () => number }> {
    let received = 0;
    let connections = 0;
    server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', (socket: Socket) => {
      connections++;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
    });
    return { port: await listen(server), received: () => received, connections: () => connections };
  }

  /** Waits up to 1 s for `condition` (server-side events may trail the client's result). */
  async function eventually(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 50 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /**
   * A blackhole: a listener whose accept queue is full and never drained (its process is blocked), so
   * the kernel drops further SYNs, as a security group that drops the traffic does.
   */
  async function blackhole(): Promise<number> {
    const code = "const s=require('node:net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>{" +
      "process.stdout.write(s.address().port+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0)})";
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    // Fill the queue (backlog 1 holds two connections); the next connection attempt hangs.
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve, reject) => {
        const s = netConnect(port, '127.0.0.1', () => resolve());
        s.on('error', reject);
        sockets.push(s);
      });
    }
    return port;
  }

  test('tcp:// to a server that never speaks → ok: the connection opened, nothing was sent', async () => {
    const server = await silentServer();
    const url = `tcp://127.0.0.1:${server.port}`;
    const r = await runCheck({ url, timeoutMs: 2000 });
    expect(r).toEqual({ ok: true, url, latencyMs: expect.any(Number) });
    await eventually(() => server.connections() > 0);
    expect(server.connections()).toBe(1);
    expect(server.received()).toBe(0);
  });

  test('tcp:// with nothing listening → CONNECT (ECONNREFUSED)', async () => {
    const port = await freePort();
    const r = await runCheck({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, url: `tcp://127.0.0.1:${port}`, error: { code: 'CONNECT' } });
    expect(r.error?.message).toContain(`127.0.0.1:${port} (ECONNREFUSED)`);
  });

  test('tcp:// to a blackhole → TIMEOUT during TCP connect, within the deadline', async () => {
    const port = await blackhole();
    const [r, elapsed] = await timed(runCheck({ url: `tcp://127.0.0.1:${port}`, timeoutMs: 400 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(r.error?.message).toContain('within 400 ms (timed out during TCP connect)');
    expect(r.latencyMs).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2000);
  });

  test('tls:// to the blackhole → TIMEOUT during TCP connect too', async () => {
    const port = await blackhole();
    const r = await runCheck({ url: `tls://127.0.0.1:${port}`, timeoutMs: 300 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toMatch(/during TCP connect/);
  });

  test('tcp:// to an unresolvable name → DNS', async () => {
    const r = await runCheck({ url: 'tcp://does-not-exist.invalid:5432', timeoutMs: 4000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'DNS' } });
    expect(r.error?.message).toContain('does-not-exist.invalid');
  });

  test('tls:// to a TCP server that never speaks → TIMEOUT during the TLS handshake', async () => {
    const server = await silentServer();
    const [r, elapsed] = await timed(runCheck({ url: `tls://127.0.0.1:${server.port}`, timeoutMs: 300 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(r.error?.message).toMatch(/during TLS handshake/);
    expect(elapsed).toBeLessThan(2000);
  });

  test('tls:// to a server that resets the connection → CONNECT (ECONNRESET)', async () => {
    const port = await listen(createNetServer((socket) => socket.resetAndDestroy()));
    const r = await runCheck({ url: `tls://localhost:${port}`, timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECT' } });
    expect(r.error?.message).toContain('ECONNRESET');
  });

  test('tls:// to a self-signed certificate for another name → TLS', async () => {
    const server = await silentServer(createTlsServer(certs.selfSigned));
    const url = `tls://localhost:${server.port}`;
    const r = await runCheck({ url, timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, url, error: { code: 'TLS' } });
    expect(r.error?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(r.statusCode).toBeUndefined();
  });

  test('tls:// to a plain-TCP service that speaks first in clear text → TLS', async () => {
    const port = await listen(createNetServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n')));
    const r = await runCheck({ url: `tls://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(r.error?.code).toBe('TLS');
    expect(r.error?.message).toContain('ERR_SSL_WRONG_VERSION_NUMBER');
  });

  describe('with a trusted CA (NODE_EXTRA_CA_CERTS, read at start-up: the bundled handler in a child process)', () => {
    const bundle = join(ROOT, 'assets', 'check', 'index.js');
    beforeAll(() => {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
    });

    /** Runs the bundled handler with CHECK_URL in a process that trusts the test CA; returns its result. */
    function handlerInChild(url: string): Promise<CheckResult> {
      const code = `require(${JSON.stringify(bundle)}).handler({}).then((r) => process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'))`;
      const child = spawn(process.execPath, ['-e', code], {
        env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certs.ca, CHECK_URL: url, TIMEOUT_MS: '3000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise((resolve, reject) => {
        child.on('close', () => {
          const line = out.split('\n').find((l) => l.startsWith('RESULT '));
          if (line) resolve(JSON.parse(line.slice('RESULT '.length)) as CheckResult);
          else reject(new Error(`no result from the child: ${out}`));
        });
      });
    }

    test('a valid certificate for the host name → ok after the handshake, and no HTTP request was sent', async () => {
      const server = await silentServer(createTlsServer(certs.localhost));
      const url = `tls://localhost:${server.port}`;
      const r = await handlerInChild(url);
      expect(r).toEqual({ ok: true, url, latencyMs: expect.any(Number) });
      await eventually(() => server.connections() > 0);
      expect(server.connections()).toBe(1);
      expect(server.received()).toBe(0);
    }, 15_000);

    test('a valid certificate for ANOTHER name → TLS (ERR_TLS_CERT_ALTNAME_INVALID), the name mismatch reported', async () => {
      const server = await silentServer(createTlsServer(certs.otherName));
      const url = `tls://localhost:${server.port}`;
      const r = await handlerInChild(url);
      expect(r).toMatchObject({ ok: false, url, error: { code: 'TLS' } });
      expect(r.error?.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(r.error?.message).toContain('other.example');
      expect(server.connections()).toBe(0); // the handshake never completed
    }, 15_000);
  });

  test.each([
    ['tcp://127.0.0.1', /has no port: use tcp:\/\/host:port/],
    ['tls://vpce-1.example', /has no port: use tls:\/\/host:port/],
    ['udp://127.0.0.1:53', /unsupported protocol "udp:".*use http:, https:, tcp: or tls:/],
  ])('bad url %p → CONFIG', async (url, message) => {
    const r = await runCheck({ url });
    expect(r).toMatchObject({ ok: false, url, error: { code: 'CONFIG' } });
    expect(r.error?.message).toMatch(message);
  });

  test('EXPECTED_BODY with tcp:// or tls:// → CONFIG (nothing would check it); EXPECTED_STATUS is ignored', async () => {
    const r = await runCheck({ url: 'tcp://127.0.0.1:5432', expectedBody: 'Hello' });
    expect(r.error).toEqual({ code: 'CONFIG', message: expect.stringContaining('EXPECTED_BODY is set, but a tcp:// check reads no body') });
    const server = await silentServer();
    expect((await runCheck({ url: `tcp://127.0.0.1:${server.port}`, expectedStatus: 200 })).ok).toBe(true);
  });
});

describe('classifyError', () => {
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  test.each([
    ['ENOTFOUND', 'DNS'], ['EAI_AGAIN', 'DNS'],
    ['ECONNREFUSED', 'CONNECT'], ['EHOSTUNREACH', 'CONNECT'], ['ENETUNREACH', 'CONNECT'], ['ECONNRESET', 'CONNECT'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS'], ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS'], ['CERT_HAS_EXPIRED', 'TLS'], ['SELF_SIGNED_CERT_IN_CHAIN', 'TLS'],
    ['EPROTO', 'TLS'],
  ])('%s → %s, message names host:port and the code', (code, expected) => {
    const e = classifyError(err(code), 'vpce-0123.example', 443);
    expect(e.code).toBe(expected);
    expect(e.message).toContain(code);
    expect(e.message).toContain(expected === 'DNS' ? 'vpce-0123.example' : 'vpce-0123.example:443');
  });

  test('unknown errors keep the original message', () => {
    const e = classifyError(err('HPE_INVALID_CONSTANT'), 'h', 80);
    expect(e.code).toBe('CONNECT');
    expect(e.message).toContain('boom HPE_INVALID_CONSTANT');
  });
});

describe('handler', () => {
  const ENV = ['CHECK_URL', 'EXPECTED_BODY', 'EXPECTED_STATUS', 'TIMEOUT_MS'] as const;
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    for (const k of ENV) delete process.env[k];
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    jest.restoreAllMocks();
  });

  test('reads CHECK_URL / EXPECTED_BODY from env, logs success with console.log', async () => {
    process.env.CHECK_URL = await serve(reply(200, 'Hello from ALB!'));
    process.env.EXPECTED_BODY = 'Hello from ALB!';
    const r = await handler({});
    expect(r).toMatchObject({ ok: true, statusCode: 200, body: 'Hello from ALB!' });
    expect(log).toHaveBeenCalledWith(JSON.stringify(r));
    expect(error).not.toHaveBeenCalled();
  });

  test('EXPECTED_STATUS from env; failure is returned (not thrown) and logged with console.error', async () => {
    process.env.CHECK_URL = await serve(reply(503, 'no targets'));
    expect((await handler({})).error?.code).toBe('STATUS');
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.parse(error.mock.calls[0][0] as string)).toMatchObject({ ok: false, error: { code: 'STATUS' } });
    process.env.EXPECTED_STATUS = '503';
    expect((await handler({})).ok).toBe(true);
  });

  test('event overrides url and timeoutMs', async () => {
    process.env.CHECK_URL = await serve(reply(200, 'env server'));
    process.env.TIMEOUT_MS = '60000';
    const other = await serve(reply(200, 'event server'));
    expect((await handler({ url: other })).body).toBe('event server');
    const hang = await serve(() => { /* never respond */ });
    const [r, elapsed] = await timed(handler({ url: hang, timeoutMs: 200 }));
    expect(r.error?.code).toBe('TIMEOUT');
    expect(elapsed).toBeLessThan(2000);
  });

  test('TIMEOUT_MS from env bounds the check', async () => {
    process.env.CHECK_URL = await serve(() => { /* never respond */ });
    process.env.TIMEOUT_MS = '200';
    const [r, elapsed] = await timed(handler(null));
    expect(r.error?.message).toMatch(/200 ms/);
    expect(elapsed).toBeLessThan(2000);
  });

  test('missing CHECK_URL → CONFIG', async () => {
    const r = await handler({});
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
    expect(r.error?.message).toMatch(/CHECK_URL is not set/);
    expect(error).toHaveBeenCalledTimes(1);
  });

  test.each([
    ['CHECK_URL', 'vpce-123.example.com'], // no scheme
    ['CHECK_URL', 'udp://vpce-123.example.com:80'],
    ['TIMEOUT_MS', 'soon'],
    ['EXPECTED_STATUS', 'OK'],
  ])('invalid %s=%p → CONFIG naming the variable', async (name, value) => {
    process.env.CHECK_URL = 'http://127.0.0.1:9/';
    process.env[name] = value;
    const r = await handler({});
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
    expect(r.error?.message).toContain(name);
    expect(r.error?.message).toContain(value);
  });
});

describe('bundle', () => {
  const out = join(ROOT, 'assets', 'check', 'index.js');

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });

  // 5 KiB for HTTP and HTTPS; tcp:// and tls:// (issue 10) took it to 5.5 KiB. See BENCHMARKS.md.
  test('assets/check/index.js exists, is < 5.5 KiB and needs only Node built-ins', () => {
    expect(existsSync(out)).toBe(true);
    expect(statSync(out).size).toBeLessThan(5632);
    const src = readFileSync(out, 'utf8');
    const requires = [...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires.length).toBeGreaterThan(0);
    expect(requires.filter((r) => !r.startsWith('node:'))).toEqual([]);
  });

  test('the bundled handler checks a local server', async () => {
    const url = await serve(reply(200, 'Hello from ALB!'));
    const saved = { ...process.env };
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      process.env.CHECK_URL = url;
      process.env.EXPECTED_BODY = 'Hello from ALB!';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundled = require(out) as { handler: typeof handler };
      expect(await bundled.handler({})).toMatchObject({ ok: true, statusCode: 200, body: 'Hello from ALB!' });
    } finally {
      process.env = saved;
      log.mockRestore();
    }
  });
});
