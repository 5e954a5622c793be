#!/usr/bin/env node
// Self time of a V8 CPU profile (node --cpu-prof) added up by where the code lives: mcpsh's own dist/ files,
// each node_modules package, Node's internals, and V8's own entries ((garbage collector), (idle), ...).
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--files]   (--files: by file, not by package)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (file === undefined) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--files]');
  process.exit(2);
}
const top = Number(args[args.indexOf('--top') + 1] ?? 20) || 20;
const byFile = args.includes('--files');

const profile = JSON.parse(readFileSync(file, 'utf8'));

// The bundle (dist/mcpsh.cjs) holds every module; esbuild starts each with a comment naming its source file
// (`// node_modules/zod/v4/core/core.js`, `// dist/cli.js`), so a line of the bundle is put back where it came from.
const bundles = new Map();
function bundleSource(url, line) {
  let starts = bundles.get(url);
  if (starts === undefined) {
    starts = [];
    readFileSync(fileURLToPath(url), 'latin1')
      .split('\n')
      .forEach((text, i) => {
        const m = /^\/\/ (?:[\w-]+:)?((?:node_modules|dist)\/\S+)$/.exec(text);
        if (m) starts.push([i, m[1]]);
      });
    bundles.set(url, starts);
  }
  let lo = 0;
  let hi = starts.length - 1;
  let found = 'dist/(bundle helpers)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid][0] <= line) {
      found = starts[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // The same shape as an unbundled file's URL, so the rest of place() sorts it as before.
  return `file:///bundle/${found}`;
}
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

function place(frame) {
  const url = frame.url;
  // V8's own entries are already named in brackets: (program), (idle), (garbage collector).
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : `(${frame.functionName || 'anonymous'})`;
  const at = url.lastIndexOf('/node_modules/');
  if (at !== -1) {
    const rest = url.slice(at + '/node_modules/'.length);
    if (byFile) return rest;
    const parts = rest.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.endsWith('/dist/mcpsh.cjs')) return place({ ...frame, url: bundleSource(url, frame.lineNumber) });
  const dist = url.indexOf('/dist/');
  if (dist !== -1) return byFile ? url.slice(dist + 1) : 'mcpsh dist/';
  return url.startsWith('node:') && !byFile ? url.split('/').slice(0, 2).join('/') : url;
}

const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = nodes.get(id);
  const us = profile.timeDeltas[i] ?? 0;
  const key = place(node.callFrame);
  self.set(key, (self.get(key) ?? 0) + us);
  if (key !== '(idle)') total += us;
});
console.log(`self time, ${(total / 1000).toFixed(1)} ms busy (idle not counted in the share):`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  const share = key === '(idle)' ? '' : ` ${((us / total) * 100).toFixed(1)} %`;
  console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms${share.padStart(8)}  ${key}`);
}
