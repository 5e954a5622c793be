#!/usr/bin/env node
// Thin shim, CommonJS (bin/package.json) so that starting mcpsh needs no ES module loader. The program is the
// bundle in dist/, run by dist/bundle-loader.cjs with V8's code cache (both built by `npm run build`).
// `mcpsh --version` alone is answered here, before anything is loaded: scripts and shells ask it often.
'use strict';
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  let loader;
  try {
    loader = require('../dist/bundle-loader.cjs');
  } catch (err) {
    if (err?.code !== 'MODULE_NOT_FOUND') throw err;
    process.stderr.write('mcpsh: dist/ is missing or incomplete: run `npm run build` in the mcpsh folder\n');
    process.exit(1);
  }
  loader.runBundle(args).then(
    (code) => {
      process.exitCode = code;
    },
    // Only what happens before the program runs (it reports its own errors): e.g. a missing dist/mcpsh.cjs.
    (err) => {
      process.stderr.write(
        `mcpsh: cannot start: ${err instanceof Error ? err.message : String(err)}\n  hint: run \`npm run build\` in the mcpsh folder\n`,
      );
      process.exitCode = 1;
    },
  );
}
