#!/usr/bin/env node
// Thin shim: the real program lives in dist/ (built by `npm run build`). `mcpsh --version` alone is answered
// here, before the program (commander, the config and I/O layers) is loaded: it is the one question asked
// often enough by scripts and shells for its start-up to matter (docs/performance.md).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('../dist/main.js');
  process.exitCode = await run(args);
}
