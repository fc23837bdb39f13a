import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Where `scripts/bundle.mjs` writes the pre-bundled Lambda handlers (same depth from src/ and lib/). */
const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/**
 * The pre-bundled code of one runtime handler (`src/runtime/<name>`), as a Lambda asset. No bundling
 * happens at synth: the package ships the bundles, and a source checkout builds them on `npm ci`.
 */
export function handlerCode(name: string): lambda.Code {
  const dir = path.join(ASSETS_DIR, name);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(
      `cdk-privatelink: the bundled Lambda handler "${name}" is missing at ${dir}. ` +
        'In a source checkout run "npm run bundle" (npm ci runs it for you).',
    );
  }
  return lambda.Code.fromAsset(dir);
}
