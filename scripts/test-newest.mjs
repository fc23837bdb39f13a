// npm run test:newest: the library's test suite on the newest aws-cdk-lib in the npm registry, where
// `npm test` runs on the floor we support (the devDependency, 2.257.0). aws-cdk-lib and constructs are
// installed into scratch/newest-cdk/; jest maps every import of them there, and the packed-tarball tests
// (test/publish) install the tarball beside them, so the scratch app and the README examples are
// typechecked and synthesized against the newest release too. The integ snapshots stay on the floor
// (integ-runner reads cloud-assembly schema ≤ 53): they are not run here. CI runs this after `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'scratch', 'newest-cdk');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'newest-cdk', version: '0.0.0', private: true }));
execFileSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--no-package-lock', 'aws-cdk-lib@latest', `constructs@${pkg.peerDependencies.constructs}`],
  { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_update_notifier: 'false' } },
);
const modules = join(dir, 'node_modules');
const version = JSON.parse(readFileSync(join(modules, 'aws-cdk-lib', 'package.json'), 'utf8')).version;
console.log(`test:newest: aws-cdk-lib ${version} (floor ${pkg.devDependencies['aws-cdk-lib']})`);

const base = (await import(join(root, 'jest.config.js'))).default;
const config = {
  ...base,
  rootDir: root,
  moduleNameMapper: {
    '^aws-cdk-lib$': join(modules, 'aws-cdk-lib'),
    '^aws-cdk-lib/(.*)$': join(modules, 'aws-cdk-lib', '$1'),
    '^constructs$': join(modules, 'constructs'),
  },
};
const result = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRIVATELINK_PEERS_DIR: dir, PRIVATELINK_EXPECTED_CDK: version },
});
process.exit(result.status ?? 1);
