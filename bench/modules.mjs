#!/usr/bin/env node
// Which modules each command loads: `--version`, `tools --json`, `call`, `ask` (one tool call), mcpsh and its
// floor, counted as mcpsh's own (dist/, bin/) against node_modules, per package. ESM imports are seen by a
// resolve hook (lib/modules-hooks.mjs); CommonJS modules, which that hook never sees, come from require's
// cache at exit. Needs a build. Run: npm run bench:modules   (or npm run bench -- --modules)
//   --list   also print every module file, per command
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/measure.mjs';
import { groups } from './lib/paths.mjs';
import { table } from './lib/report.mjs';
import { setUp } from './lib/setup.mjs';

const PROBE = join(ROOT, 'bench/lib/modules-probe.mjs');
const COMMANDS = [
  ['version', 'mcpsh', 'floor', '--version'],
  ['tools', 'mcpsh', 'floor', 'tools --json'],
  ['call', 'mcpsh', 'floor', 'call'],
  ['ask', 'mcpsh1', 'floor1', 'ask, 1 tool call'],
];

function run(args, env, log) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', PROBE, ...args], {
      cwd: ROOT,
      env: { ...env, BENCH_MODLOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The files a run loaded (deduplicated, ESM and CJS together), relative to the project. */
function loaded(log) {
  const files = new Set();
  // No file at all: nothing was loaded (node -e '').
  for (const line of existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []) {
    if (line.startsWith('esm ')) files.add(fileURLToPath(line.slice(4)));
    else if (line.startsWith('cjs ')) files.add(line.slice(4));
  }
  files.delete(PROBE);
  return [...files].map((f) => relative(ROOT, f)).sort();
}

/** 'own' (dist/, bin/), a package name, or 'other' (the bench's own floor, fixtures). */
function owner(file) {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) return file.startsWith('dist/') || file.startsWith('bin/') ? 'own' : 'other';
  const parts = file.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function summary(files) {
  const counts = new Map();
  for (const file of files) counts.set(owner(file), (counts.get(owner(file)) ?? 0) + 1);
  const own = counts.get('own') ?? 0;
  const packages = [...counts]
    .filter(([name]) => name !== 'own' && name !== 'other')
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: files.length, own, deps: packages.reduce((n, [, c]) => n + c, 0), packages };
}

export async function modules(argv = process.argv.slice(2)) {
  const list = argv.includes('--list');
  const ctx = await setUp();
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-bench-modules-'));
  const byName = Object.fromEntries(groups(ctx).map((g) => [g.name, g.variants]));
  const rowsOut = [];
  let failed = 0;
  try {
    for (const [group, mine, floor, label] of COMMANDS) {
      for (const [side, key] of [
        ['mcpsh', mine],
        ['floor', floor],
      ]) {
        const variant = byName[group][key];
        const log = join(dir, `${group}-${side}.log`);
        const result = await run(variant.args, ctx.env, log);
        const problem = variant.check(result);
        if (problem) {
          console.log(`FAILED ${label} (${side}): ${problem}`);
          failed += 1;
          continue;
        }
        const files = loaded(log);
        const s = summary(files);
        rowsOut.push({
          command: label,
          side,
          total: String(s.total),
          own: String(s.own),
          deps: String(s.deps),
          packages: s.packages.map(([name, n]) => `${name} ${n}`).join(', '),
        });
        if (list) console.log(`\n${label} (${side}), ${files.length} modules:\n${files.map((f) => `  ${f}`).join('\n')}`);
      }
    }
  } finally {
    await ctx.tearDown();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nmodules loaded per command (ESM via a resolve hook, CommonJS from require's cache at exit; Node ${process.version})`);
  console.log(
    table(['command', 'side', 'total', 'own (dist/, bin/)', 'node_modules'], rowsOut, ['command', 'side', 'total', 'own', 'deps']),
  );
  console.log('\nper package (modules):');
  for (const r of rowsOut) if (r.packages) console.log(`  ${r.command} (${r.side}): ${r.packages}`);
  console.log(
    "\nThe ESM resolve hook (module.register) does not see require() calls; CommonJS modules are counted from require's cache at exit instead, so each file counts once whichever way it loaded. Node built-ins (node:*) are not counted.",
  );
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await modules();
