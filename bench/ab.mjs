#!/usr/bin/env node
// Two builds of mcpsh side by side (a change measured against the code before it): interleaved runs, medians of
// own CPU time, per path (and the median of each round's B/A ratio). Each DIR is a copy of the project's bin/ and dist/ (plus package.json, and a
// node_modules link to the project's): e.g.
//   mkdir -p /tmp/ab/old && cp -r bin dist package.json /tmp/ab/old && ln -s "$PWD/node_modules" /tmp/ab/old/
//   node bench/ab.mjs /tmp/ab/old . [--runs 9] [--paths ask1,ask10,call,tools]
// A report only: exit 1 when a run fails or answers wrong.
import { join, resolve } from 'node:path';
import { cleanupProbes, measure, median } from './lib/measure.mjs';
import { MODEL, answerFor, promptFor, setUp } from './lib/setup.mjs';

function option(argv, name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
}

const argv = process.argv.slice(2);
const dirs = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--'))).map((d) => resolve(d));
if (dirs.length !== 2) throw new Error('usage: node bench/ab.mjs DIR_A DIR_B [--runs N] [--paths ask1,ask10,call,tools]');
const runs = Number(option(argv, 'runs', '9'));
const paths = option(argv, 'paths', 'ask1,ask10,call,tools').split(',');

const ctx = await setUp();
const one = ctx.configs.one;
const args = {
  ask1: ['ask', '--yes', '-o', 'json', '-m', MODEL, '--base-url', ctx.model.baseURL, promptFor(1)],
  ask10: ['ask', '--yes', '-o', 'json', '-m', MODEL, '--base-url', ctx.model.baseURL, promptFor(10)],
  call: ['call', '--json', 'basic', 'echo', '{"message":"bench"}'],
  tools: ['tools', '--json'],
};
const checks = {
  ask1: (out) => JSON.parse(out).answer?.trim() === answerFor(1),
  ask10: (out) => JSON.parse(out).answer?.trim() === answerFor(10),
  call: (out) => JSON.stringify(JSON.parse(out).content).includes('"text":"bench"'),
  tools: (out) => out.includes('echo'),
};

async function once(dir, path) {
  const r = await measure([join(dir, 'bin/mcpsh.js'), '--config', one, ...args[path]], { env: ctx.env });
  let ok = false;
  try {
    ok = r.code === 0 && checks[path](r.stdout);
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`${dir} ${path}: exit ${r.code}\n${r.stdout.slice(0, 400)}\n${r.stderr.slice(-800)}`);
  return r.cpuMs;
}

try {
  for (const path of paths) {
    const samples = [[], []];
    for (const dir of dirs) await once(dir, path); // warm-up: tool-list cache, page cache
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) samples[i].push(await once(dirs[i], path));
    }
    const [a, b] = samples.map(median);
    // Each round's two runs share the machine's load of the moment: the median of their ratios is steadier.
    const paired = median(samples[1].map((v, i) => v / samples[0][i]));
    console.log(
      `${path.padEnd(6)} A ${a.toFixed(1).padStart(7)} ms   B ${b.toFixed(1).padStart(7)} ms   B/A ${(b / a).toFixed(3)}   paired B/A ${paired.toFixed(3)}   (${runs} runs)`,
    );
  }
} finally {
  await ctx.tearDown();
  cleanupProbes();
}
