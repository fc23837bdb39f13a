/**
 * The publish tests read what `npm run compile` (jsii) produced: lib/ and the .jsii assembly. `npm test`
 * compiles before jest; run alone, these tests fail with the command to run instead of testing a stale
 * build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const ASSEMBLY = path.join(ROOT, '.jsii');

/** Library sources that jsii compiles (package.json "jsii": src/ less src/runtime and src/cli). */
function librarySources(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const rel = path.relative(path.join(ROOT, 'src'), full);
      return rel === 'runtime' || rel === 'cli' ? [] : librarySources(full);
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

/** A fresh directory under scratch/ (gitignored), inside the repo so that Node finds its node_modules. */
export function scratchDir(prefix: string): string {
  fs.mkdirSync(path.join(ROOT, 'scratch'), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, 'scratch', prefix));
}
