// Preload for bench/modules.mjs (node --import ./bench/lib/modules-probe.mjs ...): registers the resolve hook
// (modules-hooks.mjs) with the log file named by BENCH_MODLOG, and at exit adds every CommonJS module in
// require's cache, which the ESM hook cannot see (Node 20 has no synchronous registerHooks).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.BENCH_MODLOG;
delete process.env.BENCH_MODLOG;

if (log) {
  register('./modules-hooks.mjs', import.meta.url, { data: { log } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const cached = Object.keys(require('node:module')._cache);
    if (cached.length > 0) appendFileSync(log, cached.map((path) => `cjs ${path}\n`).join(''));
  });
}
