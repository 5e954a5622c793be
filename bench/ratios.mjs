#!/usr/bin/env node
// mcpsh against the floor (bench/floor/: the openai client and the MCP SDK client, nothing else), path by path:
// interleaved runs (one of each variant per round, the order turned every round), medians, OWN CPU time of the
// measured process (bench/cpu-probe.mjs), peak RSS, and the chat's time to prompt in a pty. A report, never a
// pass/fail test: exit 0 whatever the ratios; exit 1 only when a path failed to run or gave a wrong answer.
//   node bench/ratios.mjs [--runs N]   (default 9)        node bench/ratios.mjs --smoke   (1 run each, no verdicts)
// Needs a build (npm run build); `npm run bench` builds first.
import { cleanupProbes, measure } from './lib/measure.mjs';
import { groups } from './lib/paths.mjs';
import { infoRows, rows, table } from './lib/report.mjs';
import { chatPromptTime } from './lib/chat-prompt.mjs';
import { setUp } from './lib/setup.mjs';

function parseArgs(argv) {
  const smoke = argv.includes('--smoke');
  const i = argv.indexOf('--runs');
  const runs = smoke ? 1 : i === -1 ? 9 : Number(argv[i + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number of runs (1 or more), got "${argv[i + 1]}"`);
  return { smoke, runs };
}

/** Runs one variant and checks its output; returns the measurement or throws with what went wrong. */
async function runChecked(group, name, variant, env) {
  const result = await measure(variant.args, { env });
  const problem = variant.check(result);
  if (problem) throw new Error(`${group} / ${name}: ${problem}`);
  return result;
}

export async function runRatios(argv = process.argv.slice(2)) {
  const { smoke, runs } = parseArgs(argv);
  const ctx = await setUp();
  const failures = [];
  const samples = {};
  const chat = [];
  const started = performance.now();
  try {
    for (const group of groups(ctx)) {
      samples[group.name] = Object.fromEntries(Object.keys(group.variants).map((k) => [k, []]));
      const entries = Object.entries(group.variants).filter(([, variant]) => !(smoke && variant.reference));
      try {
        // One unmeasured run of each first: mcpsh's tool-list cache is warm, the files are in the page cache.
        // The smoke run skips it: it only checks that every path runs and answers right.
        if (!smoke) for (const [name, variant] of entries) await runChecked(group.name, name, variant, ctx.env);
        for (let round = 0; round < runs; round++) {
          const order = round % 2 === 0 ? entries : [...entries].reverse();
          for (const [name, variant] of order) samples[group.name][name].push(await runChecked(group.name, name, variant, ctx.env));
        }
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
      process.stderr.write(`bench: ${group.name} done\n`);
    }
    try {
      if (!smoke) await chatPromptTime(ctx.configs.one, ctx.chatEnv); // warm-up
      for (let round = 0; round < runs; round++) chat.push(await chatPromptTime(ctx.configs.one, ctx.chatEnv));
    } catch (err) {
      failures.push(`chat: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.stderr.write('bench: chat done\n');
  } finally {
    await ctx.tearDown();
    cleanupProbes();
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `mcpsh against the floor: medians of ${runs} interleaved run(s), own CPU unless marked; Node ${process.version}, ${seconds} s`,
  );
  if (failures.length > 0) {
    console.log(`\nFAILED: ${failures.length} path(s) did not run or gave a wrong answer:`);
    for (const f of failures) console.log(`  - ${f}`);
    return 1;
  }
  const judged = rows(samples, chat);
  const shown = judged.map((r) => ({ ...r, verdict: smoke ? '(smoke)' : r.over ? 'OVER' : 'within' }));
  console.log(
    `\n${table(['path', 'mcpsh', 'floor', 'ratio', 'goal', smoke ? 'verdict (not judged in smoke)' : 'verdict'], shown, ['path', 'mcpsh', 'floor', 'ratio', 'goal', 'verdict'])}`,
  );
  console.log(
    `\nfor reference (not judged):\n${table(['path', 'mcpsh', 'floor', 'ratio'], infoRows(samples), ['path', 'mcpsh', 'floor', 'ratio'])}`,
  );
  if (smoke)
    console.log(
      '\nsmoke run: every path ran and answered right; one cold run each (no warm-up, reference runs skipped) is too few to judge ratios.',
    );
  else {
    const over = judged.filter((r) => r.over).map((r) => r.path);
    console.log(over.length === 0 ? '\nall paths within their goals.' : `\nOVER the goal (${over.length}): ${over.join('; ')}`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await runRatios();
