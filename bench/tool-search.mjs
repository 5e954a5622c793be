#!/usr/bin/env node
// Tool search benchmark (numbers only, never pass/fail): searches over a 10,000-tool catalogue, and what
// choosing a request's tools costs per turn with 10,000 tools against 10. Run by bench/run.mjs, or alone
// after a build: node bench/tool-search.mjs
import { manyTools } from '../test/fixtures/servers/many-tools.mjs';
import { ToolSearchIndex } from '../dist/agent/tool-search-index.js';
import { ToolSelection } from '../dist/agent/tool-search.js';

const QUERIES = [
  'payment reminder overdue invoice',
  'create deployment',
  'archive security ticket',
  'list webhooks in billing',
  'export dashboard snapshot',
  'sync branch release',
  'delete secret',
  'count alerts',
];

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted.at(-1).toFixed(2)} ms (${times.length} runs)`;
}

function time(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** A ToolHost over generated tools, shaped like the hub's (`<server>__<tool>` names, stable tool objects). */
function host(count) {
  const tools = manyTools(count).map((tool) => ({ name: `many__${tool.name}`, server: 'many', tool }));
  return {
    tools: () => tools.map((t) => ({ ...t })),
    resolve: (name) => tools.find((t) => t.name === name),
    callTool: () => Promise.reject(new Error('not in the bench')),
  };
}

export function toolSearchBench() {
  console.log('tool search');
  const tools = manyTools(10_000);
  const index = new ToolSearchIndex();
  const build = time(() => {
    for (const tool of tools) {
      index.upsert({
        name: `many__${tool.name}`,
        tool: tool.name,
        server: 'many',
        description: tool.description,
        params: Object.keys(tool.inputSchema.properties ?? {}),
      });
    }
  });
  console.log(`  index 10,000 tools      ${build.toFixed(1)} ms (once, and per server that joins)`);
  const searches = [];
  for (let round = 0; round < 25; round++) for (const q of QUERIES) searches.push(time(() => index.search(q, 5)));
  console.log(`  one search, 10,000      ${stats(searches)}`);

  // Per turn: what the session does before each model request (tools re-read, selection, specs).
  const noop = () => undefined;
  for (const count of [10, 10_000]) {
    const selection = new ToolSelection(host(count));
    selection.specs(noop); // the first request indexes the catalogue
    const turns = [];
    for (let i = 0; i < 200; i++) turns.push(time(() => selection.specs(noop)));
    const sent = selection.specs(noop);
    console.log(
      `  per turn, ${String(count).padEnd(6)} tools   ${stats(turns)}; ${sent.length} tools, ${(JSON.stringify(sent).length / 1024).toFixed(1)} KB sent`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) toolSearchBench();
