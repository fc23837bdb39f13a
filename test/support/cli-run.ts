/**
 * Running the `privatelink` CLI in tests: as a spawned process (the launcher over a CLI bundle, or the
 * source through tsx), or in this process through `main()` with the command modules imported
 * statically (a spawned process pays ~1 s to load the EC2 client). Shared by the CLI and doctor tests.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as acceptShareCommand from '../../src/cli/commands/accept-share';
import * as checkCommand from '../../src/cli/commands/check';
import * as decideCommand from '../../src/cli/commands/decide';
import * as doctorCommand from '../../src/cli/commands/doctor';
import * as permissionsCommand from '../../src/cli/commands/permissions';
import * as rolloutStatusCommand from '../../src/cli/commands/rollout-status';
import * as statusCommand from '../../src/cli/commands/status';
import * as teardownCommand from '../../src/cli/commands/teardown';
import { type CommandModule, main } from '../../src/cli/main';
import type { CommandName } from '../../src/cli/spec';

const ROOT = path.join(__dirname, '..', '..');
export const SOURCE_BIN = path.join(ROOT, 'bin', 'privatelink.js');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr lines written by the CLI itself (not runtime warnings of Node or the SDK). */
  readonly reasons: string[];
  /** Modules the process loaded, when asked for. */
  readonly modules?: string[];
}

/** Env of a process that must not reach anything: a closed loopback port and fake credentials. */
export const OFFLINE_ENV = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Runs `node <bin> ...args` with `env` added (AWS_PROFILE removed), from the package directory of `bin`. */
export function spawnCli(bin: string, args: string[], env: Record<string, string>, options: { reportModules?: boolean } = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.AWS_PROFILE;
  let report: string | undefined;
  const nodeArgs: string[] = [];
  if (options.reportModules) {
    report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-modules-')), 'modules.json');
    childEnv.REPORT_MODULES_TO = report;
    nodeArgs.push('--require', path.join(__dirname, 'report-modules.js'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { cwd: path.dirname(path.dirname(bin)), env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const modules = report ? (JSON.parse(fs.readFileSync(report, 'utf8')) as string[]) : undefined;
      const reasons = stderr.split('\n').filter((l) => l.startsWith('privatelink'));
      resolve({ code, stdout, stderr, reasons, modules });
    });
  });
}

const STATIC_COMMANDS: Record<CommandName, CommandModule> = {
  status: statusCommand,
  accept: decideCommand,
  reject: decideCommand,
  allow: permissionsCommand,
  revoke: permissionsCommand,
  check: checkCommand,
  doctor: doctorCommand,
  teardown: teardownCommand,
  'rollout-status': rolloutStatusCommand,
  'accept-share': acceptShareCommand,
};

/** `main()` in this process, with `env` set while it runs (an undefined value unsets the variable). */
export async function inProcess(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const saved = { ...process.env };
  delete process.env.AWS_PROFILE;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, async (c) => STATIC_COMMANDS[c]);
    return { code, stdout, stderr, reasons: stderr.split('\n').filter((l) => l.startsWith('privatelink')) };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Runs scripts/bundle-cli.mjs (what `npm run build` runs) into `outdir`. */
function bundleCli(outdir: string, ...flags: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'bundle-cli.mjs'), outdir, ...flags], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`bundle-cli failed (${code}): ${stderr}`))));
  });
}

/** A package layout around a CLI bundle: bin/ (the real launcher), lib/cli/, package.json. Returns the launcher. */
export async function packageWithBundle(dir: string, ...flags: string[]): Promise<string> {
  await bundleCli(path.join(dir, 'lib', 'cli'), ...flags);
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.copyFileSync(SOURCE_BIN, path.join(dir, 'bin', 'privatelink.js'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return path.join(dir, 'bin', 'privatelink.js');
}
