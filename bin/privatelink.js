#!/usr/bin/env node
// Launcher of the `privatelink` CLI: the bundle in lib/cli/ when the package is built (npm run build, and
// every published package), otherwise the TypeScript source through tsx (a source checkout).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.join(__dirname, '..');
const bundled = path.join(root, 'lib', 'cli', 'main.mjs');
const args = process.argv.slice(2);
const fail = (err) => {
  process.stderr.write(`privatelink: could not start (${err.message}). In a source checkout run "npm ci"; or "npm run build".\n`);
  process.exitCode = 1;
};
if (fs.existsSync(bundled)) {
  import(pathToFileURL(bundled).href).then((cli) => cli.run(args, root), fail);
} else {
  // tsx registers both loaders: require() of .ts and the CLI's lazy import() of its command modules.
  import('tsx').then(() => require(path.join(root, 'src', 'cli', 'main.ts')).run(args, root), fail);
}
