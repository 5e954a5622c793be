// Local ESLint rule: no import cycles between our own modules, counting every kind of import.
//
// Why not import-x/no-cycle: it skips `import type` unconditionally (and a declaration whose
// specifiers are all `type`), so the cycles this codebase actually grows (a type imported one way,
// a value or a lazy `import()` the other way) pass it. Here every edge counts: static imports,
// `import type`, `export ... from`, `import()` with a literal path, and `import('x').T` in types.
// A cycle is reported at each import of the file being linted whose target leads back to it.
//
// Only relative specifiers are followed (packages cannot import our files back); `./x.js` is
// looked up as x.ts, x.tsx, x.js, and `./x.mjs` as x.mts, x.mjs, as NodeNext resolution does.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** path -> { mtimeMs, imports: string[] } for files read from disk (not the one being linted). */
const fileCache = new Map();

const CANDIDATES = [
  [/\.js$/, ['.ts', '.tsx', '.js']],
  [/\.mjs$/, ['.mts', '.mjs']],
  [/\.cjs$/, ['.cts', '.cjs']],
];

function resolveRelative(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  for (const [pattern, exts] of CANDIDATES) {
    if (!pattern.test(base)) continue;
    const stem = base.replace(pattern, '');
    for (const ext of exts) if (isFile(stem + ext)) return stem + ext;
    return undefined;
  }
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) if (isFile(base + ext)) return base + ext;
  return undefined;
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The files a module on disk imports (resolved, relative specifiers only), cached by mtime. */
function importsOnDisk(path) {
  let mtimeMs;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return [];
  }
  const cached = fileCache.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.imports;
  let imports = [];
  try {
    const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    imports = info.importedFiles.map((f) => resolveRelative(path, f.fileName)).filter((p) => p !== undefined);
  } catch {
    imports = [];
  }
  fileCache.set(path, { mtimeMs, imports });
  return imports;
}

/** Shortest path from `start` back to `target`, as a list of files (without `target`), or undefined. */
function pathBack(start, target) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const next of importsOnDisk(current)) {
      if (next === target) {
        const chain = [];
        for (let at = current; at !== undefined; at = previous.get(at)) chain.unshift(at);
        return chain;
      }
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between project modules, type-only and dynamic imports included.' },
    schema: [],
    messages: {
      cycle:
        'Import cycle: {{chain}}. Type-only and dynamic imports count too: move what both sides need into a module that imports neither.',
    },
  },
  create(context) {
    const filename = context.physicalFilename;
    const cwd = context.cwd;
    const seen = new Set();
    const show = (path) => relative(cwd, path);

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveRelative(filename, source.value);
      if (target === undefined || target === filename || seen.has(target)) return;
      seen.add(target);
      const chain = pathBack(target, filename);
      if (chain === undefined) return;
      context.report({ node, messageId: 'cycle', data: { chain: [filename, ...chain, filename].map(show).join(' → ') } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : undefined),
      TSImportType: (node) => check(node, node.source ?? (node.argument?.type === 'TSLiteralType' ? node.argument.literal : undefined)),
      TSImportEqualsDeclaration: (node) =>
        check(node, node.moduleReference?.type === 'TSExternalModuleReference' ? node.moduleReference.expression : undefined),
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle } };
