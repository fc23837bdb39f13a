#!/usr/bin/env node
// Launcher of the `privatelink` CLI: the compiled lib/cli/main.js when the package is built (npm
// install, npm run build), otherwise the TypeScript source through tsx (a source checkout).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).run();
} else {
  // tsx registers both loaders: require() of .ts and the CLI's lazy import() of its command modules.
  import('tsx').then(
    () => require(path.join(__dirname, '..', 'src', 'cli', 'main.ts')).run(),
    (err) => {
      process.stderr.write(`privatelink: lib/cli/main.js is missing and tsx is not available (${err.message}). Run "npm run build".\n`);
      process.exitCode = 1;
    },
  );
}
