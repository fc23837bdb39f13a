// Preloaded into a CLI process by test/cli.test.ts (node --require): at exit, writes the paths of every
// module the process loaded to $REPORT_MODULES_TO, so a test can assert what a command did NOT load.
const fs = require('node:fs');
process.on('exit', () => {
  fs.writeFileSync(process.env.REPORT_MODULES_TO, JSON.stringify(Object.keys(require.cache)));
});
