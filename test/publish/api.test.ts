/**
 * The jsii side of the public API: API.md is what jsii-docgen makes of the current assembly (so the
 * committed reference cannot rot), and everything the package exports reaches the other languages,
 * apart from the few TypeScript-only exports listed here with their reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ASSEMBLY, requireCompiledLibrary, ROOT, scratchDir } from './built';
import * as library from '../../src';

/** Exports that jsii cannot carry to other languages, each with the reason. */
const TYPESCRIPT_ONLY: Record<string, string> = {
  PrivateLinkConfigError: 'jsii cannot model a subclass of Error; other languages get the runtime exception with the same message',
  DEFAULT_RESPONSE_BODY: 'a module-level constant (jsii has none); the value is documented as the default of FixedResponseBackendOptions.body',
};

let assembly: { types: Record<string, { name: string; docs?: { summary?: string } }> };

beforeAll(() => {
  requireCompiledLibrary();
  assembly = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
});

test('API.md is what jsii-docgen generates from the current assembly (run `npm run docgen` after an API change)', () => {
  const dir = scratchDir('api-');
  try {
    const fresh = path.join(dir, 'API.md');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'docgen.mjs'), fresh], { cwd: ROOT, stdio: 'pipe' });
    expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8')).toBe(fs.readFileSync(fresh, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('every runtime export of the library is in the jsii assembly, or TypeScript-only for a stated reason', () => {
  const inAssembly = new Set(Object.values(assembly.types).map((t) => t.name));
  const missing = Object.keys(library).filter((name) => !inAssembly.has(name) && !(name in TYPESCRIPT_ONLY));
  expect(missing).toEqual([]);
});

test('the TypeScript-only list names real exports that really are missing from the assembly', () => {
  const inAssembly = new Set(Object.values(assembly.types).map((t) => t.name));
  for (const name of Object.keys(TYPESCRIPT_ONLY)) {
    expect(Object.keys(library)).toContain(name);
    expect(inAssembly.has(name)).toBe(false);
  }
});

test('the constructs and their props are in the assembly with documentation', () => {
  for (const name of ['PrivateLinkProvider', 'PrivateLinkProviderProps', 'PrivateLinkConsumer', 'PrivateLinkConsumerProps', 'ConnectivityCheck', 'ConnectivityCheckProps', 'ProviderBackend', 'CheckProtocol']) {
    expect(assembly.types[`cdk-privatelink.${name}`]?.docs?.summary).toEqual(expect.any(String));
  }
});
