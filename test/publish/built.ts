/**
 * The publish tests read what `npm run compile` (jsii) produced: lib/ and the .jsii assembly. `npm test`
 * compiles before jest; run alone, these tests fail with the command to run instead of testing a stale
 * build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const ASSEMBLY = path.join(ROOT, '.jsii');

/** Library sources that jsii compiles (package.json "jsii": src/ less src/runtime, src/connections and src/cli). */
function librarySources(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const rel = path.relative(path.join(ROOT, 'src'), full);
      return rel === 'runtime' || rel === 'cli' || rel === 'connections' ? [] : librarySources(full);
    }
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Throws unless .jsii and lib/ exist and are newer than every library source and README.md. */
export function requireCompiledLibrary(): void {
  const fix = 'Run `npm run compile` (jsii) first; `npm test` does.';
  for (const out of [ASSEMBLY, path.join(ROOT, 'lib', 'index.js')]) {
    if (!fs.existsSync(out)) throw new Error(`${path.relative(ROOT, out)} is missing. ${fix}`);
  }
  const built = fs.statSync(ASSEMBLY).mtimeMs;
  const stale = [...librarySources(), path.join(ROOT, 'README.md')].filter((f) => fs.statSync(f).mtimeMs > built);
  if (stale.length > 0) {
    throw new Error(`.jsii is older than ${stale.map((f) => path.relative(ROOT, f)).join(', ')}. ${fix}`);
  }
}

/**
 * Where the peers (aws-cdk-lib, constructs) of the scratch projects come from: the repo's node_modules
 * (the floor), or the directory `npm run test:newest` installed the newest release into.
 */
const PEERS_DIR = process.env.PRIVATELINK_PEERS_DIR;

/** The aws-cdk-lib version the scratch projects must resolve. */
export const EXPECTED_CDK_VERSION =
  process.env.PRIVATELINK_EXPECTED_CDK ?? (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A fresh directory under scratch/ (gitignored), inside the repo so that Node finds its node_modules;
 * under the newest release's directory when `npm run test:newest` runs, so that its peers are found first.
 */
export function scratchDir(prefix: string): string {
  const parent = PEERS_DIR ?? path.join(ROOT, 'scratch');
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, prefix));
}
