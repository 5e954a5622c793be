#!/usr/bin/env node
// Runs the MCP conformance suite's client scenarios against the built CLI, one at a time (they are
// timing-sensitive on 2 cores), through test/conformance/adapter.mjs; prints one line per scenario.
//
//   node scripts/conformance.mjs [name-or-prefix ...] [--strict] [--no-build] [--timeout MS] [--output DIR] [--summary FILE]
//
// Exit 0 only when every scenario passed or is listed in test/conformance/expected-failures.json, an
// optional file ({"client": {"<scenario>": "why"}}) for known failures; a listed scenario that passes is
// "stale" and fails the run too. --strict ignores that list. --summary writes the counts as JSON (.ci/run adds them to its closing line).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const ADAPTER = join(ROOT, 'test', 'conformance', 'adapter.mjs');
const EXPECTED = join(ROOT, 'test', 'conformance', 'expected-failures.json');

const opts = parseArgs(process.argv.slice(2));
if (opts.build) buildIfStale();

const all = listClientScenarios();
const scenarios = opts.filters.length === 0 ? all : all.filter((name) => opts.filters.some((f) => name === f || name.startsWith(f)));
if (scenarios.length === 0) {
  console.error(`conformance: no client scenario matches ${opts.filters.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const expected = opts.strict ? {} : readExpected();
const outDir = opts.output ?? mkdtempSync(join(tmpdir(), 'mcpsh-conformance-results-'));
mkdirSync(outDir, { recursive: true });

console.log(`conformance: ${scenarios.length} client scenario(s) of @modelcontextprotocol/conformance ${suiteVersion()}, sequentially; logs in ${outDir}`);
const started = performance.now();
const results = [];
for (const name of scenarios) {
  const t0 = performance.now();
  const run = await runScenario(name);
  const seconds = (performance.now() - t0) / 1000;
  const reason = expected[name];
  const outcome = run.passed ? (reason ? 'stale' : 'pass') : reason ? 'expected-failure' : 'fail';
  results.push({ name, outcome, seconds, ...run });
  console.log(`${label(outcome)} ${name.padEnd(44)} ${`${run.counts.passed}/${run.counts.total} checks`.padEnd(12)} ${seconds.toFixed(1)}s${outcome === 'expected-failure' ? `  (expected: ${reason})` : ''}`);
  if (outcome === 'fail') for (const line of run.problems) console.log(`      ${line}`);
  if (outcome === 'stale') console.log(`      passes now: remove it from test/conformance/expected-failures.json`);
}

const count = (o) => results.filter((r) => r.outcome === o).length;
const summary = {
  passed: count('pass'),
  failed: count('fail') + count('stale'),
  expectedFailures: count('expected-failure'),
  seconds: Math.round((performance.now() - started) / 100) / 10,
  scenarios: results.map(({ name, outcome, seconds, counts }) => ({ name, outcome, seconds: Math.round(seconds * 10) / 10, checks: counts })),
};
if (opts.summary) writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
// Logs of a fully green run are not worth keeping in a temporary folder; --output keeps them always.
if (!opts.output && results.every((r) => r.outcome === 'pass')) rmSync(outDir, { recursive: true, force: true });
const xfail = summary.expectedFailures > 0 ? `, ${summary.expectedFailures} expected to fail (test/conformance/expected-failures.json)` : '';
console.log(`conformance: ${summary.passed} passed, ${summary.failed} failed${xfail} in ${summary.seconds}s`);
process.exit(summary.failed > 0 ? 1 : 0);

/** One scenario through the suite's own CLI: its exit code is the verdict, its checks.json the detail. */
function runScenario(name) {
  const dir = join(outDir, name.replace(/[^a-zA-Z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const args = [SUITE, 'client', '--command', `${process.execPath} ${ADAPTER}`, '--scenario', name, '--timeout', String(opts.timeout), '-o', dir];
  return new Promise((resolve) => {
    // Its own process group, so a hung scenario can be ended with everything it started.
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    child.stdout.on('data', (d) => (log += d.toString()));
    child.stderr.on('data', (d) => (log += d.toString()));
    const guard = setTimeout(() => {
      log += `\nconformance runner: no verdict after ${opts.timeout + 30_000}ms; killed\n`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, opts.timeout + 30_000);
    child.once('close', (code) => {
      clearTimeout(guard);
      writeFileSync(join(dir, 'run.log'), log);
      const checks = readChecks(dir);
      const counted = checks.filter((c) => c.status === 'SUCCESS' || c.status === 'FAILURE');
      const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
      const problems = bad.map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
      const exitLine = /CLIENT (EXITED WITH ERROR \(code -?\d+\)|TIMED OUT)/.exec(log);
      if (exitLine) problems.push(`client ${exitLine[1].toLowerCase()}`);
      if (problems.length === 0 && code !== 0) problems.push(`suite exited ${code}; see ${join(dir, 'run.log')}`);
      if (code !== 0) problems.push(`full log: ${join(dir, 'run.log')}`);
      resolve({ passed: code === 0, counts: { passed: counted.filter((c) => c.status === 'SUCCESS').length, total: counted.length }, problems });
    });
  });
}

function readChecks(dir) {
  // The suite writes <dir>/<scenario>-<timestamp>/checks.json (the scenario name may hold a slash).
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'checks.json') found.push(p);
    }
  };
  walk(dir);
  if (found.length === 0) return [];
  try {
    return JSON.parse(readFileSync(found[0], 'utf8'));
  } catch {
    return [];
  }
}

function listClientScenarios() {
  const listed = spawnSync(process.execPath, [SUITE, 'list', '--client'], { encoding: 'utf8' });
  if (listed.status !== 0) {
    console.error(`conformance: could not list the suite's scenarios (is npm ci done?):\n${listed.stderr}`);
    process.exit(2);
  }
  return listed.stdout
    .split('\n')
    .map((l) => /^\s+-\s+(\S+)/.exec(l)?.[1])
    .filter((n) => n !== undefined);
}

function readExpected() {
  if (!existsSync(EXPECTED)) return {};
  const parsed = JSON.parse(readFileSync(EXPECTED, 'utf8'));
  return parsed.client ?? {};
}

function suiteVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'package.json'), 'utf8')).version;
}

/** `npm run build` when dist/ is missing or older than any file under src/. */
function buildIfStale() {
  const built = join(ROOT, 'dist', 'main.js');
  if (existsSync(built) && newestMtime(join(ROOT, 'src')) <= statSync(built).mtimeMs) return;
  console.log('conformance: building the CLI (npm run build)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  // tsc emits even when it reports type errors; only a missing CLI stops the run.
  if (!existsSync(built)) {
    console.error(`conformance: the build did not produce ${built} (exit ${r.status})`);
    process.exit(2);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function label(outcome) {
  return { pass: 'PASS ', fail: 'FAIL ', stale: 'STALE', 'expected-failure': 'XFAIL' }[outcome];
}

function parseArgs(argv) {
  const o = { filters: [], strict: false, build: true, timeout: 30_000, output: undefined, summary: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') o.strict = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--output') o.output = argv[++i];
    else if (a === '--summary') o.summary = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 9).join('\n'));
      process.exit(0);
    } else if (a.startsWith('--')) {
      console.error(`conformance: unknown option ${a}`);
      process.exit(2);
    } else o.filters.push(a);
  }
  if (!Number.isInteger(o.timeout) || o.timeout <= 0) {
    console.error('conformance: --timeout expects milliseconds');
    process.exit(2);
  }
  return o;
}
