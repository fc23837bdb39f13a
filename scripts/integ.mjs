// npm run integ          verifies every integ snapshot (integ/*.snapshot/) offline: each integ app is
//                        synthesized and compared with its snapshot, asset hashes included.
// npm run integ:update   rewrites the snapshots that differ (or are new), offline: no deploy. Review
//                        and commit the diff.
// Settings (directory, how to run a .ts app) are in integ.config.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');
const runner = join(root, 'node_modules', '@aws-cdk', 'integ-runner', 'bin', 'integ-runner');
const args = update ? ['--dry-run', '--update-on-failed'] : [];
const extra = process.argv.slice(2).filter((a) => a !== '--update');
const result = spawnSync(process.execPath, [runner, ...args, ...extra], { cwd: root, stdio: 'inherit' });

if (update) {
  // integ-runner keeps the assertion stack's 2 MB handler bundle in each snapshot; verification needs
  // only the templates and manifests, so drop it (it is gitignored anyway).
  const integ = join(root, 'integ');
  for (const snap of readdirSync(integ).filter((d) => d.endsWith('.snapshot'))) {
    for (const entry of readdirSync(join(integ, snap)).filter((e) => e.startsWith('asset.'))) {
      rmSync(join(integ, snap, entry), { recursive: true, force: true });
    }
  }
} else if (result.status !== 0) {
  // integ-runner's own hint ("integ-runner --update-on-failed") would DEPLOY to AWS: point to the offline update.
  console.error('\nintegration snapshots differ from what the integ apps synthesize now. If the change is intended, run\n' +
    '`npm run integ:update` (offline, no deploy), review the snapshot diff and commit it.');
}
process.exit(result.status ?? 1);
