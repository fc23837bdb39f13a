// npm run bundle:cli: bundles the privatelink CLI (src/cli) into lib/cli/ as ES modules, the AWS SDK
// clients included (the package has no runtime dependencies: the library's users should not install the
// SDK to get the CLI). Code splitting keeps each command's SDK client in its own chunk, loaded only when
// that command runs, so `privatelink --help` loads the small entry chunk alone.
//   node scripts/bundle-cli.mjs [outdir] [--external-packages]      (default lib/cli)
// --external-packages leaves node_modules packages out (resolved at run time): for tests that check
// which SDK clients a command loads.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const external = args.includes('--external-packages');
const outdir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'lib', 'cli'));

rmSync(outdir, { recursive: true, force: true });
try {
  await build({
    entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    ...(external ? { packages: 'external' } : {}),
    // The SDK is CommonJS: give its require() calls of Node built-ins a real require in ES modules.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
} catch (err) {
  console.error(`bundle:cli: failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  process.exit(1);
}
const files = readdirSync(outdir).filter((f) => f.endsWith('.mjs'));
const total = files.reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
console.log(`${relative(root, join(outdir, 'main.mjs'))}  ${statSync(join(outdir, 'main.mjs')).size} bytes (+${files.length - 1} chunks, ${total} bytes in all)`);
