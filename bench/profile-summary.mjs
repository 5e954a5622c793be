#!/usr/bin/env node
// Self time of a V8 CPU profile (node --cpu-prof) added up by where the code lives: mcpsh's own dist/ files,
// each node_modules package, Node's internals, and V8's own entries ((garbage collector), (idle), ...).
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--files]   (--files: by file, not by package)
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (file === undefined) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--files]');
  process.exit(2);
}
const top = Number(args[args.indexOf('--top') + 1] ?? 20) || 20;
const byFile = args.includes('--files');

const profile = JSON.parse(readFileSync(file, 'utf8'));
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
