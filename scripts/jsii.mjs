// npm run compile: jsii compiles the library (src/ without src/runtime and src/cli, see package.json
// "jsii") into lib/ and writes the .jsii assembly that Python, Java, .NET and Go bindings are made from.
// Warnings fail the build, so the public API stays jsii-clean; one is silenced, with its reason below.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jsii = join(root, 'node_modules', 'jsii', 'bin', 'jsii');

const result = spawnSync(process.execPath, [
  jsii,
  // jsii writes the tsconfig it compiles with; keep it apart from the project's own tsconfig.json.
  '--generate-tsconfig', 'tsconfig.jsii.json',
  '--fail-on-warnings',
  // JSII6 wants the constructs devDependency pinned to the lowest peer version (10.5.1) to test against
  // it; the lock installs 10.8.1, which aws-cdk-lib 2.257.0 needs too.
  '--silence-warnings', 'JSII6',
], {
  cwd: root,
  stdio: 'inherit',
  // This machine runs Node 20, which jsii 6 no longer supports officially; the compile works and the
  // banner would drown the output. Other Node versions still print jsii's notices.
  env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
});
process.exit(result.status ?? 1);
