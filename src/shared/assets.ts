import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Where `scripts/bundle.mjs` writes the pre-bundled Lambda handlers (same depth from src/ and lib/). */
const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/**
 * A context key: every handler function under a construct whose context sets it to `true` gets its code
 * inline (in the template) instead of as an asset. For templates deployed where there is no asset
 * bucket: the member template of a StackSet (`ConsumerRollout`).
 */
export const INLINE_HANDLERS_CONTEXT = 'cdk-privatelink:inlineHandlers';

/**
 * The pre-bundled code of one runtime handler (`src/runtime/<name>`), as a Lambda asset, or `inline`, as
 * the bundle's text in the template (`index.js` is CommonJS: what inline Node.js code must be). No
 * bundling happens at synth: the package ships the bundles, and a source checkout builds them on `npm ci`.
 */
export function handlerCode(name: string, options: { inline?: boolean } = {}): lambda.Code {
  const dir = path.join(ASSETS_DIR, name);
  const file = path.join(dir, 'index.js');
  if (!fs.existsSync(file)) {
    throw new Error(
      `cdk-privatelink: the bundled Lambda handler "${name}" is missing at ${dir}. ` +
        'In a source checkout run "npm run bundle" (npm ci runs it for you).',
    );
  }
  return options.inline ? lambda.Code.fromInline(fs.readFileSync(file, 'utf8')) : lambda.Code.fromAsset(dir);
}
