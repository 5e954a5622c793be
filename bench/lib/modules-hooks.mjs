// Module hooks for bench/modules.mjs (registered by modules-probe.mjs): every ESM import that resolves to a
// file is appended to the log file. Runs on Node's hooks thread; CJS require() calls never come here.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (log && result.url.startsWith('file:')) appendFileSync(log, `esm ${result.url}\n`);
  return result;
}
