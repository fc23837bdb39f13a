// npm run docgen: API.md from the jsii assembly (.jsii, written by `npm run compile`).
//   node scripts/docgen.mjs [OUTFILE]     default: API.md
// jsii-docgen collects every .jsii below the directory it is given, so it gets a directory holding only
// this assembly and its dependencies': a copy under scratch/ (the packed-tarball test) or an old build
// can never stand in for the current one.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Documentation, Language } from 'jsii-docgen';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = resolve(process.argv[2] ?? join(root, 'API.md'));
const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'privatelink-docgen-'));
try {
  mkdirSync(join(dir, assembly.name));
  copyFileSync(join(root, '.jsii'), join(dir, assembly.name, '.jsii'));
  for (const dep of Object.keys(assembly.dependencies ?? {})) {
    symlinkSync(join(root, 'node_modules', dep), join(dir, dep.replace('/', '__')), 'dir');
  }
  const docs = await Documentation.forAssembly(assembly.name, dir);
  const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, allSubmodules: true });
  writeFileSync(output, markdown.render());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
