#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what bin/mcpsh.js runs into one CommonJS file, dist/mcpsh.cjs,
// which src/bundle-loader.ts compiles with V8's code cache (docs/performance.md). Measured: most of a short
// command's own CPU went to compiling JavaScript (mcpsh's, the MCP SDK's, zod's, openai's) and to Node's
// module loader walking a few hundred files; one file whose compiled code is cached costs a fraction of that.
//
// Every command's module is in the bundle, but evaluated only when its command runs: esbuild turns each
// `import()` into a lazy initialiser, so `tools` or `ask` never evaluates React or Ink, and each of mcpsh's
// modules exists once (one list of secrets to redact, one set of cleanups).
//
// Left outside, loaded from node_modules when needed: OpenTelemetry (only with an OTLP endpoint, and CommonJS
// already), better-sqlite3 (native, loaded by name) and typescript (cosmiconfig's loader for mcp.config.ts).
// Ink imports yoga-layout, whose module waits for its WebAssembly with a top-level await, which CommonJS cannot
// express: the bundle gets a stand-in that starts the same load and resolves src/ui/yoga-ready.ts's promise,
// which the chat awaits before its first render. The few changes made to packages' text are in PATCHES.
// The rest of dist/ (tsc's output) stays for the tests and the bench, which import single modules.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const outfile = path.join(dist, 'mcpsh.cjs');
const OUTSIDE = [/^node:/, /^@opentelemetry\//, /^better-sqlite3$/, /^typescript$/];
// The name the wrapper in src/bundle-loader.ts gives the bundle's own file: URL (import.meta.url in ESM).
const URL_PARAMETER = '__mcpshBundleUrl';
// And the loader's import(), for modules named at run time (src/dynamic-import.ts and cosmiconfig's loaders).
const IMPORT_PARAMETER = '__mcpshImport';

// Textual changes to two packages' files, each checked: the build fails when the text is no longer there.
const PATCHES = [
  {
    // Ink's reconciler awaits its devtools (react-devtools-core, not installed: an empty module here) and its
    // package.json only under DEV=true, with top-level awaits, which CommonJS cannot express: not awaited here.
    file: /[\\/]ink[\\/]build[\\/]reconciler\.js$/,
    edits: [
      ["await import('./devtools.js')", "import('./devtools.js')"],
      ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
    ],
  },
  {
    // cosmiconfig imports a code config (mcp.config.mjs, .js, .ts) and typescript with import(), which has no
    // module loader in the bundle's node:vm code: the loader's import() does it.
    file: /[\\/]cosmiconfig[\\/]dist[\\/]loaders\.js$/,
    edits: [
      ['await import(href)', `await ${IMPORT_PARAMETER}(href)`],
      ["await import('typescript')", `await ${IMPORT_PARAMETER}('typescript')`],
    ],
  },
  {
    // Emscripten's loader fetches its own base64 data: URL with fetch() when there is one, which loads Node's
    // fetch (undici) before the chat's first frame; without it, it decodes the same bytes itself.
    file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    edits: [['"function"!=typeof fetch?', '"function"!=typeof undefined?']],
  },
];

// Ink measures every line it draws with string-width, whose module compiles Unicode property regular
// expressions (\p{RGI_Emoji} and others) and whose slow path segments text with Intl.Segmenter: about 40 ms
// before the chat's first frame, for lines of box-drawing characters. In the bundle, a front answers for text
// whose every character both versions Ink uses measure as one column on its own (checked here, at build time)
// and that holds no character that joins others (combining marks, joiners, variation selectors are never
// one column); anything else, or any options, goes to the real module, loaded then.
const NARROW_CANDIDATES = [
  [0xa1, 0xff],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2190, 0x21ff],
  [0x2500, 0x25ff],
  [0x2700, 0x27bf],
  [0x2800, 0x28ff],
];

// The two copies Ink uses: its own (8) and wrap-ansi's (7). Only these get the front.
const STRING_WIDTHS = ['string-width', 'wrap-ansi/node_modules/string-width'].map((dir) =>
  path.join(root, 'node_modules', dir, 'index.js'),
);

async function narrowCharacters() {
  const widths = await Promise.all(STRING_WIDTHS.map(async (file) => (await import(pathToFileURL(file).href)).default));
  const ranges = [];
  for (const [from, to] of NARROW_CANDIDATES) {
    for (let cp = from; cp <= to; cp++) {
      const one = String.fromCodePoint(cp);
      if (!widths.every((width) => width(one) === 1 && width(one + one) === 2)) continue;
      const last = ranges.at(-1);
      if (last && last[1] === cp - 1) last[1] = cp;
      else ranges.push([cp, cp]);
    }
  }
  const hex = (cp) => `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u0020-\\u007e${ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}`;
}

function stringWidthFront(realFile, narrow) {
  return [
    "import stripAnsi from 'strip-ansi';",
    `const NARROW = /^[${narrow}]*$/;`,
    'let real;',
    'export default function stringWidth(text, options) {',
    "  if (typeof text === 'string' && options === undefined) {",
    "    const visible = text.includes('\\u001b') || text.includes('\\u009b') ? stripAnsi(text) : text;",
    '    if (NARROW.test(visible)) return visible.length;',
    '  }',
    `  real ??= require(${JSON.stringify(realFile)}).default;`,
    '  return real(text, options);',
    '}',
  ].join('\n');
}

const narrow = await narrowCharacters();

const standIns = {
  name: 'stand-ins',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stand-in' }));
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'stand-in' }));
    b.onResolve({ filter: /[\\/]yoga-ready\.js$/ }, () => ({ path: 'yoga-ready', namespace: 'stand-in' }));
    b.onResolve({ filter: /[\\/]dynamic-import\.js$/ }, () => ({ path: 'dynamic-import', namespace: 'stand-in' }));
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData?.real) return undefined;
      const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      // Only the copies checked above; any other (cli-table3's CommonJS 4 is required, not imported) is left alone.
      return STRING_WIDTHS.includes(real.path) ? { path: path.relative(root, real.path), namespace: 'string-width-front' } : real;
    });
    b.onLoad({ filter: /.*/, namespace: 'string-width-front' }, (args) => ({
      contents: stringWidthFront(path.join(root, args.path), narrow),
      resolveDir: path.dirname(path.join(root, args.path)),
      loader: 'js',
    }));
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      OUTSIDE.some((re) => re.test(args.path)) ? { path: args.path, external: true } : undefined,
    );
    for (const patch of PATCHES) {
      b.onLoad({ filter: patch.file }, (args) => {
        let contents = readFileSync(args.path, 'utf8');
        for (const [from, to] of patch.edits) {
          if (!contents.includes(from)) throw new Error(`bundle: ${args.path} no longer says ${from}; see PATCHES`);
          contents = contents.replaceAll(from, to);
        }
        return { contents, loader: 'js' };
      });
    }
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
      resolveDir: root,
      loader: 'js',
      contents: {
        'react-devtools-core': 'export default { connectToDevTools() {} };',
        'yoga-layout': [
          "import { loadYoga } from 'yoga-layout/load';",
          'let yoga;',
          'export const yogaReady = loadYoga().then((loaded) => { yoga = loaded; });',
          'export default new Proxy({}, {',
          '  get(_target, key) {',
          "    if (yoga === undefined) throw new Error('mcpsh bundle: yoga-layout was used before its WebAssembly loaded (await yogaReady)');",
          '    return yoga[key];',
          '  },',
          '});',
        ].join('\n'),
        'yoga-ready': "export { yogaReady } from 'yoga-layout';",
        'dynamic-import': `export function importModule(specifier) { return ${IMPORT_PARAMETER}(specifier); }`,
      }[args.path],
    }));
  },
};

const result = await build({
  entryPoints: [path.join(dist, 'main.js')],
  outfile,
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // ESM builds first: UMD "main" files resolve modules at run time, which a bundle cannot follow.
  mainFields: ['module', 'main'],
  conditions: ['import', 'node'],
  // Class and function names stay as written: errors are told apart by name (e.g. CommanderError, AbortError).
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  // React and its reconciler in their production builds, as every published Ink application runs them.
  define: { 'import.meta.url': URL_PARAMETER, 'process.env.NODE_ENV': '"production"' },
  plugins: [standIns],
});

// ASCII only, so the loader reads it as latin1: decoding UTF-8 cost more CPU than compiling with the cache.
// esbuild escapes strings, templates and regular expressions itself; what is left is in comments.
const text = result.outputFiles[0].text;
const code = Buffer.from(text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
// An import() left in the bundle would fail at run time ("A dynamic import callback was not specified"): the
// only one allowed is pkce-challenge's fallback for a Node without globalThis.crypto, never taken on Node 20.
const dynamicImports = text
  .split('\n')
  .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
  .flatMap((line) => line.match(/(?<![\w$.'"`])import\([^)]*\)/g) ?? [])
  .filter((call) => call !== 'import("node:crypto")');
if (dynamicImports.length > 0)
  throw new Error(`bundle: import() left in the bundle: ${dynamicImports.join(', ')}; route it through ${IMPORT_PARAMETER}`);
// The first line names this build: the code cache is kept per build (V8 checks only the source's length).
const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
// The file is one function expression, a CommonJS module's wrapper plus the bundle's URL (import.meta.url in
// it): the loader compiles the text as it is read, with no copy of its megabytes to wrap it.
const head = `// mcpsh bundle ${id}\n(function (exports, require, module, __filename, __dirname, ${URL_PARAMETER}, ${IMPORT_PARAMETER}) {`;
writeFileSync(outfile, Buffer.concat([Buffer.from(head), code, Buffer.from('\n})\n')]));
// The loader (src/bundle-loader.ts) as CommonJS too, with the few modules it imports: bin/mcpsh.js requires it.
const LOADER_URL = '__mcpshLoaderUrl';
await build({
  entryPoints: [path.join(dist, 'bundle-loader.js')],
  outfile: path.join(dist, 'bundle-loader.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': LOADER_URL },
  banner: { js: `const ${LOADER_URL} = require('node:url').pathToFileURL(__filename).href;` },
});
if (!text.includes(URL_PARAMETER)) throw new Error('bundle: no module reads import.meta.url any more; drop URL_PARAMETER');
