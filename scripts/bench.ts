// npm run bench: the whole app's `cdk synth` (both stacks, demo mode) against the floor — the same CLI
// synthesizing an app that only loads aws-cdk-lib and one empty stack — measured in the same run,
// alternating, median of RUNS each. Also the size of every bundled Lambda handler.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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
fs.rmSync(cliScratch, { recursive: true, force: true });
const hc = median(helpCompiled);
const fmtMs = (ms: number) => `${Math.round(ms)} ms`;
console.log(`cli    privatelink --help (bundle)        ${fmtMs(hc)}   [${helpCompiled.map(fmtMs).join(', ')}]  (target < ${HELP_TARGET_MS} ms: ${hc < HELP_TARGET_MS ? 'met' : 'NOT met'})`);
if (sourceMode) {
  console.log(`cli    privatelink --help (source, tsx)   ${fmtMs(median(helpSource))}   [${helpSource.map(fmtMs).join(', ')}]`);
}
