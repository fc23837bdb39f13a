// npm run bench: the whole app's `cdk synth` (both stacks, demo mode) against the floor — the same CLI
// synthesizing an app that only loads aws-cdk-lib and one empty stack — measured in the same run,
// alternating, median of RUNS each. Also the size of every bundled Lambda handler, and the start-up of
// privatelink --help and privatelink doctor.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { benchPrincipals } from './bench-principals';
import { benchRollout } from './bench-rollout';

const root = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_RATIO = 2.0;
const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' };
// Demo mode: no configuration at all.
for (const key of ['CONSUMER_ACCOUNT_ID', 'PROVIDER_VPC_ENDPOINT_SERVICE_NAME', 'ACCEPTANCE', 'REJECT_CONNECTIONS_ON_DELETE', 'CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION']) {
  delete env[key];
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-bench-'));

function timeSynth(appCommand: string | undefined, out: string): number {
  const args = [cdk, 'synth', '--quiet', '--no-notices', '--output', path.join(scratch, out)];
  if (appCommand) args.push('--app', appCommand);
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`cdk synth failed (${appCommand ?? 'the app'}):\n${result.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const floor: number[] = [];
const app: number[] = [];
timeSynth(undefined, 'warmup'); // first run pays for tsx's transform cache and the disk cache
for (let i = 0; i < RUNS; i++) {
  floor.push(timeSynth('node bench/floor-app.js', 'floor'));
  app.push(timeSynth(undefined, 'app'));
}
fs.rmSync(scratch, { recursive: true, force: true });

const f = median(floor);
const a = median(app);
const ratio = a / f;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`runs: ${RUNS} each, alternating; medians`);
console.log(`floor  (cdk synth, empty stack)        ${fmt(f)}   [${floor.map(fmt).join(', ')}]`);
console.log(`app    (cdk synth, both stacks, demo)  ${fmt(a)}   [${app.map(fmt).join(', ')}]`);
console.log(`ratio  ${ratio.toFixed(2)}×  (target ≤ ${TARGET_RATIO.toFixed(1)}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`);

const assets = path.join(root, 'assets');
for (const name of fs.existsSync(assets) ? fs.readdirSync(assets).sort() : []) {
  const file = path.join(assets, name, 'index.js');
  if (!fs.existsSync(file)) continue;
  const code = fs.readFileSync(file);
  console.log(`bundle ${name.padEnd(12)} ${code.length} bytes, ${gzipSync(code).length} bytes gzipped`);
}

console.log('');
benchPrincipals(RUNS);
console.log('');
benchRollout(RUNS);

// privatelink --help: as npm users run it (the launcher over the CLI bundle of `npm run build`, here in
// a scratch package so the checkout is untouched), and from a source checkout through tsx. Median of RUNS.
const HELP_TARGET_MS = 300;
console.log('');
const cliScratch = fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-bench-cli-'));
const bundled = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle-cli.mjs'), path.join(cliScratch, 'lib', 'cli')], { cwd: root, encoding: 'utf8' });
if (bundled.status !== 0) throw new Error(`bundle-cli failed:\n${bundled.stdout}${bundled.stderr}`);
fs.mkdirSync(path.join(cliScratch, 'bin'));
fs.copyFileSync(path.join(root, 'bin', 'privatelink.js'), path.join(cliScratch, 'bin', 'privatelink.js'));
function timeHelp(bin: string): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, '--help'], { cwd: root, env, stdio: 'ignore' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${bin} --help exited ${result.status}`);
  return ms;
}
const helpCompiled: number[] = [];
const helpSource: number[] = [];
const sourceMode = !fs.existsSync(path.join(root, 'lib', 'cli', 'main.mjs'));
timeHelp(path.join(cliScratch, 'bin', 'privatelink.js'));
if (sourceMode) timeHelp(path.join(root, 'bin', 'privatelink.js'));
for (let i = 0; i < RUNS; i++) {
  helpCompiled.push(timeHelp(path.join(cliScratch, 'bin', 'privatelink.js')));
  if (sourceMode) helpSource.push(timeHelp(path.join(root, 'bin', 'privatelink.js')));
}
const hc = median(helpCompiled);
const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
console.log(`cli    privatelink --help (bundle)        ${fmtMs(hc)}   [${helpCompiled.map(fmtMs).join(', ')}]  (target < ${HELP_TARGET_MS} ms: ${hc < HELP_TARGET_MS ? 'met' : 'NOT met'})`);
if (sourceMode) {
  console.log(`cli    privatelink --help (source, tsx)   ${fmtMs(median(helpSource))}   [${helpSource.map(fmtMs).join(', ')}]`);
}

// privatelink doctor: start-up of the command that loads the most (the EC2, ELB and CloudFormation
// clients), from launch to its first answers and exit: against a loopback endpoint that says neither
// stack exists, so that it ends at once with "nothing to diagnose" (exit 1). The bundle, median of RUNS.
const DOCTOR_TARGET_MS = 1000;
const noStacks = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end('<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>'
      + '<Code>ValidationError</Code><Message>Stack with id X does not exist</Message></Error><RequestId>bench</RequestId></ErrorResponse>');
  });
});
function timeDoctor(bin: string, endpoint: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [bin, 'doctor'], {
    cwd: root,
    env: { ...env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 1 || !stderr.includes('nothing to diagnose')) reject(new Error(`privatelink doctor exited ${code}: ${stderr}`));
      else resolve(ms);
    }),
  );
}
void (async () => {
  await new Promise<void>((resolve) => noStacks.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(noStacks.address() as AddressInfo).port}`;
  const bin = path.join(cliScratch, 'bin', 'privatelink.js');
  const doctor: number[] = [];
  await timeDoctor(bin, endpoint);
  for (let i = 0; i < RUNS; i++) doctor.push(await timeDoctor(bin, endpoint));
  noStacks.close();
  fs.rmSync(cliScratch, { recursive: true, force: true });
  const d = median(doctor);
  console.log(`cli    privatelink doctor (bundle)        ${fmtMs(d)}   [${doctor.map(fmtMs).join(', ')}]  (target < ${DOCTOR_TARGET_MS} ms: ${d < DOCTOR_TARGET_MS ? 'met' : 'NOT met'})`);
})().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
