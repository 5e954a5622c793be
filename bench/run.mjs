#!/usr/bin/env node
// Benchmarks (timings live here, never in pass/fail tests). Run with `npm run bench` (builds first).
//  1. start-up: `mcpsh --version`, `mcpsh --help`, and `mcpsh tools` on a one-server config
//  2. load: 1,000 tool calls through the hub against fixture servers, some failing; every call must be
//     accounted for (ok, tool error, or thrown with a code), or the run exits 1.
//  3. tool search (bench/tool-search.mjs): a search over 10,000 tools, and the per-turn cost of a big catalogue.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hub } from '../dist/mcp/hub.js';
import { toolSearchBench } from './tool-search.mjs';

const root = resolve(import.meta.dirname, '..');
const fixture = (name) => join(root, 'test/fixtures/servers', name);
const bin = join(root, 'bin/mcpsh.js');

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function timeCommand(args, cwd, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, MCPSH_CONFIG_DIR: join(cwd, '.cfg'), MCPSH_TRUST: '1' } });
    if (r.status !== 0) throw new Error(`mcpsh ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return `median ${percentile(times, 0.5).toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}, ${runs} runs)`;
}

function startup() {
  const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-bench-'));
  writeFileSync(join(cwd, 'mcp.config.json'), JSON.stringify({ mcpServers: { basic: { command: process.execPath, args: [fixture('basic.mjs')] } } }));
  console.log('start-up');
  console.log(`  mcpsh --version    ${timeCommand(['--version'], cwd)}`);
  console.log(`  mcpsh --help       ${timeCommand(['--help'], cwd)}`);
  console.log(`  mcpsh tools        ${timeCommand(['tools'], cwd)}`);
}

function server(name, script, extra = {}) {
  return {
    name, transport: 'stdio', command: process.execPath, args: [fixture(script)], env: {}, inheritEnv: false, cwd: root,
    enabled: true, required: false, connectTimeoutMs: 15_000, callTimeoutMs: 2_000, includeTools: [], excludeTools: [], source: 'bench',
    maxRestarts: 1000, breaker: { failures: 1_000_000, cooldownMs: 1 }, pingIntervalMs: 0, ...extra,
  };
}

async function load() {
  const hub = new Hub([server('a', 'basic.mjs'), server('b', 'basic.mjs'), server('dies', 'exit-mid-call.mjs')], {
    env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-bench-logs-')), clientVersion: 'bench',
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
  console.log(`  accounted for: ${accounted} of ${plan.length} (ok ${outcome.ok}, tool errors ${outcome.toolError}, thrown ${JSON.stringify(outcome.thrown)})`);
  console.log(`  wall ${elapsed.toFixed(0)} ms, ${(plan.length / (elapsed / 1000)).toFixed(0)} calls/s; latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
  console.log(`  rss ${(rssBefore / 2 ** 20).toFixed(0)} MB -> ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  for (const c of hub.connections) console.log(`  ${c.name}: ${JSON.stringify(c.metrics.snapshot())}`);
  if (accounted !== plan.length) {
    console.error('FAIL: calls were lost');
    process.exitCode = 1;
  }
}

startup();
await load();
toolSearchBench();
