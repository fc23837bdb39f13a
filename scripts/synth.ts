// npm run synth: synthesizes both sides offline (no credentials, no network call) and prints a summary.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { readAssembly, summarize } from '../app/summary';

const root = path.join(__dirname, '..');
const outdir = 'cdk.out';
const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const env = {
  ...process.env,
  CDK_DISABLE_CLI_TELEMETRY: '1',
  CDK_DISABLE_VERSION_CHECK: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const result = spawnSync(process.execPath, [cdk, 'synth', '--quiet', '--no-notices', '--output', outdir, ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  process.exit(result.status ?? 1);
}
// Pass warnings through; drop the CLI's own chatter that the summary replaces.
const NOISE = /^(Successfully synthesized|Supply a stack id|\d+ feature flags are not configured|\s*$)/;
const rest = result.stderr.split('\n').filter((line) => !NOISE.test(line));
if (rest.length > 0) process.stderr.write(`${rest.join('\n')}\n\n`);
console.log(summarize(readAssembly(path.join(root, outdir)), outdir));
