#!/usr/bin/env node
// Runs the MCP conformance suites' client scenarios against the built CLI, one at a time (they are
// timing-sensitive on 2 cores), through test/conformance/adapter.mjs; prints one line per scenario.
//
//   node scripts/conformance.mjs [--suite 0.1|2025-11-25|2026-07-28|all] [--scenario NAME] [name-or-prefix ...]
//        [--no-build] [--timeout MS] [--output DIR] [--summary FILE] [--expected-failures FILE]
//
// --suite 0.1 (default): @modelcontextprotocol/conformance 0.1.13, every client scenario. --suite 2025-11-25 /
// 2026-07-28: the 0.2 suite's requirement set of that revision (required client scenarios plus the extension and
// added-after-release ones), each run alone at that --spec-version with --force, on Node 22 ($MCPSH_NODE22, or
// npx -p node@22); mcpsh itself runs on this Node. A scenario the suite reports SKIPPED counts as failed.
// Exit 0 only when every scenario passed, or failed and is listed in --expected-failures FILE
// ({"<suite>": {"<scenario>": "why"}}, "client" for any suite; a listed scenario that passes is "stale" and fails
// the run too). CI passes no such file. --summary writes the counts as JSON (.ci/run adds them to its closing line).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITES, parseClientList, parseRequirementList, resolveNode22, suitePaths } from '../test/conformance/suites.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ADAPTER = join(ROOT, 'test', 'conformance', 'adapter.mjs');

const opts = parseArgs(process.argv.slice(2));
if (opts.build) buildIfStale();
const expectedFile = opts.expectedFailures ? JSON.parse(readFileSync(opts.expectedFailures, 'utf8')) : {};
const outDir = opts.output ?? mkdtempSync(join(tmpdir(), 'mcpsh-conformance-results-'));
mkdirSync(outDir, { recursive: true });

const suiteIds = opts.suite === 'all' ? Object.keys(SUITES) : [opts.suite];
const summaries = [];
for (const id of suiteIds) summaries.push(await runSuite(id));

const total = {
  passed: sum('passed'),
  failed: sum('failed'),
  expectedFailures: sum('expectedFailures'),
  seconds: Math.round(summaries.reduce((s, x) => s + x.seconds, 0) * 10) / 10,
};
const summary = summaries.length === 1 ? summaries[0] : { ...total, suites: summaries };
if (opts.summary) writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
// Logs of a fully green run are not worth keeping in a temporary folder; --output keeps them always.
if (!opts.output && total.failed === 0 && total.expectedFailures === 0) rmSync(outDir, { recursive: true, force: true });
if (summaries.length > 1) console.log(`conformance (all suites): ${total.passed} passed, ${total.failed} failed in ${total.seconds}s`);
process.exit(total.failed > 0 ? 1 : 0);

function sum(key) {
  return summaries.reduce((s, x) => s + x[key], 0);
}

async function runSuite(id) {
  const suite = SUITES[id];
  const { cli, version } = suitePaths(ROOT, id);
  let node = process.execPath;
  if (suite.node22) {
    const found = resolveNode22();
    if (found.error) {
      console.error(`conformance: suite ${id} needs Node 22: ${found.error}`);
      process.exit(2);
    }
    node = found.path;
  }
  const listed = listScenarios(id, node, cli);
  const scenarios = select(listed);
  if (scenarios.length === 0 && opts.suite === 'all') {
    console.log(`conformance [${id}]: no client scenario matches; skipped`);
    return { suite: id, passed: 0, failed: 0, expectedFailures: 0, seconds: 0, scenarios: [] };
  }
  if (scenarios.length === 0) {
    console.error(
      `conformance: no client scenario of suite ${id} matches ${opts.filters.map((f) => f.name).join(', ')}; there are: ${listed.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const expected = { ...(expectedFile.client ?? {}), ...(expectedFile[id] ?? {}) };
  const dir = join(outDir, id);
  mkdirSync(dir, { recursive: true });
  const nodeNote = suite.node22 ? ` on Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}` : '';
  const at = suite.revision ? ` requirement set ${suite.revision}` : '';
  console.log(
    `conformance [${id}]: ${scenarios.length} client scenario(s) of @modelcontextprotocol/conformance ${version}${at}${nodeNote}, sequentially; logs in ${dir}`,
  );
  const started = performance.now();
  const results = [];
  for (const { name, kind } of scenarios) {
    const t0 = performance.now();
    const run = await runScenario({ id, node, cli, name, dir });
    const seconds = (performance.now() - t0) / 1000;
    const reason = expected[name];
    const outcome = run.passed ? (reason ? 'stale' : 'pass') : reason ? 'expected-failure' : 'fail';
    results.push({ name, kind, outcome, seconds, ...run });
    const tag = kind === 'required' ? '' : ` (${kind})`;
    console.log(
      `${label(outcome)} ${`${name}${tag}`.padEnd(58)} ${`${run.counts.passed}/${run.counts.total} checks`.padEnd(12)} ${seconds.toFixed(1)}s${outcome === 'expected-failure' ? `  (expected: ${reason})` : ''}`,
    );
    if (outcome === 'fail') for (const line of run.problems) console.log(`      ${line}`);
    if (outcome === 'stale') console.log(`      passes now: remove it from ${opts.expectedFailures}`);
  }
  const count = (o) => results.filter((r) => r.outcome === o).length;
  const summary = {
    suite: id,
    passed: count('pass'),
    failed: count('fail') + count('stale'),
    expectedFailures: count('expected-failure'),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    scenarios: results.map(({ name, kind, outcome, seconds, counts, problems }) => ({
      name,
      kind,
      outcome,
      seconds: Math.round(seconds * 10) / 10,
      checks: counts,
      ...(outcome === 'pass' ? {} : { problems }),
    })),
  };
  const xfail = summary.expectedFailures > 0 ? `, ${summary.expectedFailures} expected to fail (${opts.expectedFailures})` : '';
  console.log(`conformance [${id}]: ${summary.passed} passed, ${summary.failed} failed${xfail} in ${summary.seconds}s`);
  return summary;
}

function select(listed) {
  if (opts.filters.length === 0) return listed;
  return listed.filter(({ name }) => opts.filters.some((f) => name === f.name || (!f.exact && name.startsWith(f.name))));
}

/** One scenario through the suite's own CLI: its exit code is the verdict, its checks.json the detail. */
function runScenario({ id, node, cli, name, dir: suiteDir }) {
  const dir = join(suiteDir, name.replace(/[^a-zA-Z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  // The adapter (and so mcpsh) runs on this Node, by absolute path: the suite may be on another one.
  const args = [
    cli,
    'client',
    '--command',
    `${process.execPath} ${ADAPTER}`,
    '--scenario',
    name,
    '--timeout',
    String(opts.timeout),
    '-o',
    dir,
  ];
  // Requirement-set mode, one scenario at a time: the revision's wire, and --force so an extension scenario
  // (not on the spec timeline) runs instead of printing SKIPPED and exiting 0.
  const revision = SUITES[id].revision;
  if (revision) args.push('--spec-version', revision, '--force');
  const env = { ...process.env };
  if (opts.protocolVersion) env.MCPSH_CONFORMANCE_PROTOCOL_VERSION = opts.protocolVersion;
  return new Promise((resolve) => {
    // Its own process group, so a hung scenario can be ended with everything it started.
    const child = spawn(node, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      const problems = bad.map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.details?.message ?? c.description}`);
      const skipped = /^SKIPPED: .*$/m.exec(log);
      if (skipped) problems.unshift(`suite ${skipped[0]}`);
      const exitLine = /CLIENT (EXITED WITH ERROR \(code -?\d+\)|TIMED OUT)/.exec(log);
      if (exitLine) problems.push(`client ${exitLine[1].toLowerCase()}`, ...clientErrors(log));
      const passed = code === 0 && !skipped;
      if (problems.length === 0 && !passed) problems.push(`suite exited ${code}`);
      if (!passed) problems.push(`full log: ${join(dir, 'run.log')}`);
      resolve({ passed, counts: { passed: counted.filter((c) => c.status === 'SUCCESS').length, total: counted.length }, problems });
    });
  });
}

/**
 * Why the client gave up, from its stderr in the suite's log: the adapter's config gaps, and the last mcpsh
 * message before each command that exited non-zero (at most three, deduplicated).
 */
function clientErrors(log) {
  const out = new Set();
  let last;
  for (const line of log.split('\n')) {
    if (line.startsWith('adapter: GAP: ')) out.add(`config gap: ${line.slice('adapter: GAP: '.length)}`);
    else if (line.startsWith('adapter: error: ')) out.add(`client said: ${line.slice('adapter: error: '.length)}`);
    else if (/^mcpsh: (?!note:|Opening the browser)/.test(line)) last = line;
    else if (/^adapter: \$ /.test(line)) last = undefined;
    else if (/^adapter: exit (?!0$)/.test(line) && last) out.add(`client said: ${last.slice('mcpsh: '.length)}`);
  }
  return [...out].slice(0, 3);
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

function listScenarios(id, node, cli) {
  const revision = SUITES[id].revision;
  const args = [cli, 'list', '--client', ...(revision ? ['--requirements', revision] : [])];
  const listed = spawnSync(node, args, { encoding: 'utf8' });
  if (listed.status !== 0) {
    console.error(`conformance: could not list suite ${id}'s scenarios (is npm ci done?):\n${listed.stderr}`);
    process.exit(2);
  }
  const scenarios = revision
    ? parseRequirementList(listed.stdout)
    : parseClientList(listed.stdout).map((name) => ({ name, kind: 'required' }));
  if (scenarios.length === 0 && opts.suite === 'all') {
    console.log(`conformance [${id}]: no client scenario matches; skipped`);
    return { suite: id, passed: 0, failed: 0, expectedFailures: 0, seconds: 0, scenarios: [] };
  }
  if (scenarios.length === 0) {
    console.error(`conformance: suite ${id} listed no client scenario; its output:\n${listed.stdout}`);
    process.exit(2);
  }
  return scenarios;
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
  const o = {
    suite: '0.1',
    filters: [],
    build: true,
    timeout: 30_000,
    output: undefined,
    summary: undefined,
    expectedFailures: undefined,
    protocolVersion: undefined,
  };
  const value = (i, flag) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) usage(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--suite') o.suite = value(++i, a);
    else if (a === '--scenario') o.filters.push({ name: value(++i, a), exact: true });
    else if (a === '--no-build') o.build = false;
    else if (a === '--timeout') o.timeout = Number(value(++i, a));
    else if (a === '--output') o.output = value(++i, a);
    else if (a === '--summary') o.summary = value(++i, a);
    else if (a === '--expected-failures') o.expectedFailures = value(++i, a);
    // Overrides the adapter's protocolVersion (normally the suite's revision), e.g. "auto" to try mcpsh's default.
    else if (a === '--protocol-version') o.protocolVersion = value(++i, a);
    else if (a === '--help' || a === '-h') {
      console.log(
        readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 14)
          .join('\n'),
      );
      process.exit(0);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.filters.push({ name: a, exact: false });
  }
  if (o.suite !== 'all' && !(o.suite in SUITES)) usage(`--suite is one of ${Object.keys(SUITES).join(', ')}, all`);
  if (!Number.isInteger(o.timeout) || o.timeout <= 0) usage('--timeout expects milliseconds');
  if (o.expectedFailures && !existsSync(o.expectedFailures)) usage(`--expected-failures: ${o.expectedFailures} does not exist`);
  return o;
}

function usage(message) {
  console.error(`conformance: ${message}`);
  process.exit(2);
}
