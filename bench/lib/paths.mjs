// The paths the bench compares: each group's variants run interleaved (one of each per round), and each
// variant checks its own output, so a run that "finished" with a wrong answer counts as a failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './measure.mjs';
import { MODEL, answerFor, promptFor } from './setup.mjs';

const BIN = join(ROOT, 'bin/mcpsh.js');
const FLOOR = join(ROOT, 'bench/floor');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

function parse(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

const exitedWell = (r) => (r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr.trim().slice(-600)}`);
const expect = (ok, what) => (ok ? undefined : what);

function toolsCheck(count) {
  return (r) => {
    const names = JSON.stringify(parse(r.stdout) ?? null).match(/"name":"[^"]*__echo"/g) ?? [];
    return (
      exitedWell(r) ??
      expect(
        names.length === count,
        `expected ${count} <server>__echo tool(s) in the JSON, found ${names.length}: ${r.stdout.slice(0, 300)}`,
      )
    );
  };
}

const callCheck = (r) =>
  exitedWell(r) ??
  expect(
    JSON.stringify(parse(r.stdout)?.content ?? null).includes('"text":"bench"'),
    `expected an echo of "bench", got: ${r.stdout.slice(0, 300)}`,
  );

function askCheck(n, json) {
  return (r) => {
    const failed = exitedWell(r);
    if (failed) return failed;
    if (!json) return expect(r.stdout.trim() === answerFor(n), `expected the answer "${answerFor(n)}", got: ${r.stdout.slice(0, 300)}`);
    const doc = parse(r.stdout);
    const ok = doc?.answer?.trim() === answerFor(n) && doc.toolCalls?.length === n && doc.toolCalls.every((c) => c.status === 'ok');
    return expect(ok, `expected the answer "${answerFor(n)}" after ${n} ok tool calls, got: ${r.stdout.slice(0, 400)}`);
  };
}

const mcpsh = (config, ...args) => [BIN, '--config', config, ...args];

/** The groups, given the set-up (setup.mjs); lib/report.mjs decides which numbers each ratio is taken on. */
export function groups(ctx) {
  const { one, twenty, waitingOne } = ctx.configs;
  const askArgs = (n) =>
    mcpsh(one, 'ask', '--yes', '-o', 'json', '-m', MODEL, '--base-url', ctx.model.baseURL, '--max-turns', String(n + 5), promptFor(n));
  const floorAsk = (n) => [
    join(FLOOR, 'ask.mjs'),
    '--config',
    one,
    '--base-url',
    ctx.model.baseURL,
    '--model',
    MODEL,
    '--prompt',
    promptFor(n),
  ];
  return [
    {
      name: 'version',
      variants: {
        mcpsh: {
          args: [BIN, '--version'],
          check: (r) =>
            exitedWell(r) ?? expect(r.stdout.includes(VERSION), `expected ${VERSION} on stdout, got: ${r.stdout.slice(0, 200)}`),
        },
        floor: { args: ['-e', ''], check: exitedWell },
      },
    },
    {
      name: 'tools',
      variants: {
        mcpsh: { args: mcpsh(one, 'tools', '--json'), check: toolsCheck(1) },
        floor: { args: [join(FLOOR, 'tools.mjs'), '--config', one], check: toolsCheck(1) },
      },
    },
    {
      name: 'call',
      variants: {
        mcpsh: { args: mcpsh(one, 'call', '--json', 'basic', 'echo', '{"message":"bench"}'), check: callCheck },
        floor: {
          args: [join(FLOOR, 'call.mjs'), '--config', one, '--server', 'basic', '--tool', 'echo', '--args', '{"message":"bench"}'],
          check: callCheck,
        },
      },
    },
    {
      name: 'ask',
      variants: {
        mcpsh1: { args: askArgs(1), check: askCheck(1, true) },
        floor1: { args: floorAsk(1), check: askCheck(1, false) },
        mcpsh10: { args: askArgs(10), check: askCheck(10, true) },
        floor10: { args: floorAsk(10), check: askCheck(10, false) },
        // For the per-turn row (lib/report.mjs); skipped by --smoke like the reference runs.
        mcpsh50: { args: askArgs(50), check: askCheck(50, true), reference: true },
        floor50: { args: floorAsk(50), check: askCheck(50, false), reference: true },
      },
    },
    {
      name: 'servers20',
      variants: {
        mcpsh20: { args: mcpsh(twenty, 'tools', '--json'), check: toolsCheck(20) },
        mcpsh1: { args: mcpsh(waitingOne, 'tools', '--json'), check: toolsCheck(1) },
        // For reference only (not judged, skipped by --smoke): what the floor does with 20 servers.
        floor20: { args: [join(FLOOR, 'tools.mjs'), '--config', twenty], check: toolsCheck(20), reference: true },
        floor1: { args: [join(FLOOR, 'tools.mjs'), '--config', waitingOne], check: toolsCheck(1), reference: true },
      },
    },
  ];
}
