#!/usr/bin/env node
// Benchmarks (timings live here, never in pass/fail tests). Run with `npm run bench` (builds first).
//  1. load: 1,000 tool calls through the hub against fixture servers, some failing; every call must be
//     accounted for (ok, tool error, or thrown with a code), or the run exits 1.
//  2. tool search (bench/tool-search.mjs): a search over 10,000 tools, and the per-turn cost of a big catalogue.
//  3. ratios (bench/ratios.mjs): mcpsh against the floor (bench/floor/) path by path; start-up is measured there.
// Arguments go to ratios.mjs (--runs N, --smoke). `--modules` runs bench/modules.mjs (modules per command) instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hub } from '../dist/mcp/hub.js';
import { modules } from './modules.mjs';
import { runRatios } from './ratios.mjs';
import { toolSearchBench } from './tool-search.mjs';

const root = resolve(import.meta.dirname, '..');
const fixture = (name) => join(root, 'test/fixtures/servers', name);

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function server(name, script, extra = {}) {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: [fixture(script)],
    env: {},
    inheritEnv: false,
    cwd: root,
    enabled: true,
    required: false,
    connectTimeoutMs: 15_000,
    callTimeoutMs: 2_000,
    includeTools: [],
    excludeTools: [],
    source: 'bench',
    maxRestarts: 1000,
    breaker: { failures: 1_000_000, cooldownMs: 1 },
    pingIntervalMs: 0,
    ...extra,
  };
}

async function load() {
  const hub = new Hub([server('a', 'basic.mjs'), server('b', 'basic.mjs'), server('dies', 'exit-mid-call.mjs')], {
    env: process.env,
    logDir: mkdtempSync(join(tmpdir(), 'mcpsh-bench-logs-')),
    clientVersion: 'bench',
  });
  await hub.connectAll();
  const dyingTool = hub.get('dies').tools[0].name;
  // A fixed mix: mostly echo, some tool errors, a few calls that kill their server (it is restarted).
  const plan = Array.from({ length: 1000 }, (_, i) => {
    if (i % 100 === 7) return ['dies', dyingTool, {}];
    if (i % 10 === 3) return [i % 2 ? 'a' : 'b', 'fail', { message: `fail ${i}` }];
    if (i % 25 === 0) return ['a', 'slow', { ms: 20 }];
    return [i % 2 ? 'a' : 'b', 'echo', { message: `call ${i}` }];
  });
  const outcome = { ok: 0, toolError: 0, thrown: {} };
  const latencies = [];
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const [srv, tool, args] = plan[next++];
      const t0 = performance.now();
      try {
        const result = await hub.callTool(srv, tool, args);
        if (result.isError) outcome.toolError += 1;
        else outcome.ok += 1;
      } catch (err) {
        const code = err?.code ?? 'UNKNOWN';
        outcome.thrown[code] = (outcome.thrown[code] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  const elapsed = performance.now() - started;
  await hub.close();
  const thrown = Object.values(outcome.thrown).reduce((a, b) => a + b, 0);
  const accounted = outcome.ok + outcome.toolError + thrown;
  latencies.sort((a, b) => a - b);
  console.log('load: 1,000 calls, 20 at a time, 3 stdio servers (one dies on every call to it and is restarted)');
  console.log(
    `  accounted for: ${accounted} of ${plan.length} (ok ${outcome.ok}, tool errors ${outcome.toolError}, thrown ${JSON.stringify(outcome.thrown)})`,
  );
  console.log(
    `  wall ${elapsed.toFixed(0)} ms, ${(plan.length / (elapsed / 1000)).toFixed(0)} calls/s; latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`,
  );
  console.log(`  rss ${(rssBefore / 2 ** 20).toFixed(0)} MB -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  for (const c of hub.connections) console.log(`  ${c.name}: ${JSON.stringify(c.metrics.snapshot())}`);
  if (accounted !== plan.length) {
    console.error('FAIL: calls were lost');
    process.exitCode = 1;
  }
}

const args = process.argv.slice(2);
if (args.includes('--modules')) {
  process.exitCode = await modules(args);
} else {
  await load();
  toolSearchBench();
  console.log('');
  const code = await runRatios(args);
  if (code !== 0) process.exitCode = code;
}
