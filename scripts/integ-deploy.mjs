// npm run integ:deploy: deploys every integ test (integ/integ.*.ts) on YOUR AWS account with the
// credentials of your shell, runs its assertions, then destroys its stacks (also when an assertion
// fails). Costs money while the stacks exist: see README "Prove it on your account".
//   npm run integ:deploy                      every test, in $AWS_REGION
//   npm run integ:deploy -- integ.demo.ts     one test
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  console.error('integ:deploy: set AWS_REGION (e.g. AWS_REGION=us-east-1 npm run integ:deploy); the account must be bootstrapped there (npx cdk bootstrap).');
  process.exit(1);
}
const runner = join(root, 'node_modules', '@aws-cdk', 'integ-runner', 'bin', 'integ-runner');
const result = spawnSync(process.execPath, [
  runner,
  '--force', // deploy even when the snapshot is unchanged: the point is to run it for real
  '--parallel-regions', region, // one region, yours (integ-runner would otherwise spread over three)
  ...process.argv.slice(2),
], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
