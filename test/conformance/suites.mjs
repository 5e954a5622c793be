// The conformance suites scripts/conformance.mjs can run: where each lives, which Node runs it, and how
// its scenario list is read. Pure parts (list parsing) are exported for test/conformance/adapter.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

/**
 * `0.1`: @modelcontextprotocol/conformance 0.1.13 (runs on Node 20), every client scenario.
 * The two dated ones: the 0.2 suite (npm alias `conformance-next`, needs Node 22), one requirement set each.
 */
export const SUITES = {
  0.1: { pkg: 'conformance', node22: false, revision: undefined },
  '2025-11-25': { pkg: 'conformance-next', node22: true, revision: '2025-11-25' },
  '2026-07-28': { pkg: 'conformance-next', node22: true, revision: '2026-07-28' },
};

/** The not-scored groups of a requirement set that still hold client scenarios the issue wants green. */
const NOT_SCORED_GROUPS = new Set(['extension', 'added-after-release']);

export function suitePaths(root, id) {
  const dir = join(root, 'node_modules', '@modelcontextprotocol', SUITES[id].pkg);
  return { cli: join(dir, 'dist', 'index.js'), version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

/** Names listed by `list --client` (0.1.13): every `  - name` line. */
export function parseClientList(text) {
  return text
    .split('\n')
    .map((l) => /^\s+-\s+(\S+)/.exec(l)?.[1])
    .filter((n) => n !== undefined);
}

/**
 * `list --client --requirements REV` (0.2): the required client scenarios, then the `[client]` entries of the
 * "Run and reported, but never scored" block's extension and added-after-release groups (pending ones are not
 * written yet). Each entry says which kind it is, for the report.
 */
export function parseRequirementList(text) {
  const out = [];
  let section = '';
  let group = '';
  for (const line of text.split('\n')) {
    if (/^\S.*:\s*$/.test(line)) {
      section = line.startsWith('Client scenarios') ? 'required' : line.startsWith('Run and reported') ? 'not-scored' : 'other';
      group = '';
      continue;
    }
    const heading = /^\s+([a-z-]+) \(\d+\):\s*$/.exec(line);
    if (heading) {
      group = heading[1];
      continue;
    }
    const item = /^\s+-\s+(\S+)(?:\s+\[([a-z]+)\])?\s*$/.exec(line);
    if (!item) continue;
    if (section === 'required') out.push({ name: item[1], kind: 'required' });
    else if (section === 'not-scored' && item[2] === 'client' && NOT_SCORED_GROUPS.has(group)) out.push({ name: item[1], kind: group });
  }
  return out;
}

/**
 * A Node >= 22 binary for the 0.2 suite: $MCPSH_NODE22, this Node if it is new enough, else the `node`
 * package from the npm registry through npx (cached after the first run). mcpsh itself stays on this Node.
 */
export function resolveNode22(env = process.env) {
  const candidates = [];
  if (env.MCPSH_NODE22) candidates.push({ path: env.MCPSH_NODE22, from: 'MCPSH_NODE22' });
  else if (major(process.versions.node) >= 22) candidates.push({ path: process.execPath, from: 'this Node' });
  else {
    const npx = spawnSync('npx', ['-y', '-p', 'node@22', '-c', 'node -p process.execPath'], {
      encoding: 'utf8',
      env: { ...env, npm_config_update_notifier: 'false' },
    });
    const path = npx.stdout?.trim().split('\n').pop();
    if (npx.status !== 0 || !path) return { error: `npx -p node@22 failed (exit ${npx.status}): ${(npx.stderr ?? '').trim().slice(-400)}` };
    candidates.push({ path, from: 'npx -p node@22' });
  }
  const { path, from } = candidates[0];
  if (!existsSync(path)) return { error: `${from}: ${path} does not exist` };
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (major(version.replace(/^v/, '')) < 22)
    return { error: `${from}: ${path} is Node ${version || '(unknown)'}; the 0.2 suite needs 22 or newer` };
  return { path, version, from };
}

function major(version) {
  return Number.parseInt(String(version).split('.')[0] ?? '', 10) || 0;
}
