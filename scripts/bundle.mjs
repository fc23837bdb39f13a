// Bundles every Lambda handler src/runtime/<name>/index.ts into assets/<name>/index.js.
// Runs before `npm run synth`, `npm test` and `npm run build` (the package has no install script: users
// get the bundles in the tarball): keep it fast and dependency-free apart from esbuild.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimeDir = join(root, 'src', 'runtime');

const names = existsSync(runtimeDir)
  ? readdirSync(runtimeDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runtimeDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
  : [];
if (names.length === 0) {
  console.error(`bundle: no handlers found (expected ${relative(root, runtimeDir)}/<name>/index.ts)`);
  process.exit(1);
}

try {
  await Promise.all(names.map((name) => build({
    entryPoints: [join(runtimeDir, name, 'index.ts')],
    outfile: join(root, 'assets', name, 'index.js'),
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    bundle: true,
    minify: true,
    external: ['@aws-sdk/*'], // provided by the Lambda Node.js runtime (SDK v3)
    legalComments: 'none',
    logLevel: 'warning',
  })));
} catch (err) {
  // esbuild has already printed the detailed errors (logLevel); this is the summary.
  console.error(`bundle: failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  process.exit(1);
}

for (const name of names) {
  const out = join(root, 'assets', name, 'index.js');
  console.log(`${relative(root, out)}  ${statSync(out).size} bytes`);
}
