#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what bin/mcpsh.js runs. The entry is dist/main.js (written over
// with the bundle); every command's module, loaded with import() when its command runs, becomes a chunk of its
// own in dist/, and code shared by several commands goes to shared chunks, so each of mcpsh's modules exists
// once (one list of secrets to redact, one set of cleanups) and a command still loads only what it uses.
// Measured (docs/performance.md): a hundred and more small modules cost Node's ESM loader more than a few
// files holding the same code, and Ink alone brings about 500.
//
// Packages stay in node_modules, imported as they are, except the chat's Ink, marked and marked-terminal,
// which are bundled with everything they import (tree-shaken) apart from React, which the components share
// with Ink. Ink imports react-devtools-core only under DEV=true; it is not installed, so it is an empty module.
// The rest of dist/ (tsc's output) stays for the tests and the bench, which import single modules.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const MARK = '// mcpsh: bundled by scripts/bundle.mjs';
const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'main.js');
const BUNDLED_PACKAGES = new Set(['ink', 'marked', 'marked-terminal']);
const SHARED_PACKAGES = new Set(['react', 'react-reconciler', 'scheduler']);

if (readFileSync(entry, 'utf8').startsWith(MARK)) {
  console.error(`bundle: ${entry} is already a bundle; run tsc first (npm run build does)`);
  process.exit(1);
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const packagesOutside = {
  name: 'packages-outside',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { connectToDevTools() {} };', loader: 'js' }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (SHARED_PACKAGES.has(name)) return { path: args.path, external: true };
      // Inside a bundled package: bundle what it imports too. From mcpsh's own code: only the chat's packages.
      const fromPackage = args.importer.includes(`${path.sep}node_modules${path.sep}`);
      return fromPackage || BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: [entry],
  outdir: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Chunks sit in dist/ itself, one level below the package root like every tsc module (src/package-root.ts).
  chunkNames: '[name]-[hash]',
  // ESM builds first: UMD "main" files resolve modules at run time, which a bundle cannot follow.
  mainFields: ['module', 'main'],
  // Class and function names stay as written: errors are told apart by name (e.g. CommanderError, AbortError).
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: `${MARK}\nimport { createRequire as __mcpshCreateRequire } from 'node:module';\nconst require = __mcpshCreateRequire(import.meta.url);`,
  },
  plugins: [packagesOutside],
});
