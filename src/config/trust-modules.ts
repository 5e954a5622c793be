// The local modules a JavaScript/TypeScript config imports, found by reading its text (it must not run before it
// is trusted): trust covers each of them, so an edit to any asks again. Loading mcpsh cannot follow is refused.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';

export interface LocalModule {
  file: string;
  content: string;
}

/** Files whose imports are followed; other local files (JSON) are covered but not read for imports. */
const CODE = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx']);
const TRY_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.tsx', '.jsx'];
/** A config with more local modules than this is not a config: refuse rather than walk a whole tree. */
const MAX_MODULES = 200;

// Module names written as strings: import … from '…', import '…', export … from '…', import('…'), require('…').
const LITERAL = [
  /\bimport\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?(['"])([^'"\n]+)\1/g,
  /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*\(\s*(['"`])([^'"`$\n]+)\1\s*[,)]/g,
  /\brequire\s*\(\s*(['"`])([^'"`$\n]+)\1\s*\)/g,
];
// Loading that names its module at run time: mcpsh cannot know what it would load, so trust could not cover it.
const OPAQUE: Array<[RegExp, string]> = [
  [/\bimport\s*\(\s*(?!(['"`])[^'"`$\n]+\1\s*[,)])/, 'import() with a computed module name'],
  [/\brequire\s*\(\s*(?!(['"`])[^'"`$\n]+\1\s*\))/, 'require() with a computed module name'],
  [/\bcreateRequire\b/, 'createRequire'],
  [/\bmodule\s*\.\s*(?:require|register|registerHooks)\b|\bregisterHooks\b/, 'a module loader hook'],
  [/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/, 'eval or new Function'],
  [/\bWorker\s*\(|\bnode:vm\b|\bprocess\s*\.\s*dlopen\b/, 'a worker, vm or native module'],
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file a relative or absolute specifier names, tried as Node and TypeScript would (extensions, index files). */
function resolvePath(base: string): string | undefined {
  const swapped = /\.(m|c)?js$/.test(base) ? [base.replace(/\.(m|c)?js$/, (_m, k: string | undefined) => `.${k ?? ''}ts`)] : [];
  const candidates = [base, ...swapped, ...TRY_EXTENSIONS.map((e) => base + e), ...TRY_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find(isFile);
}

function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtinModules.includes(spec) || builtinModules.includes(spec.split('/')[0] ?? '');
}

/** Where `spec` imported from `from` lives, when it is part of the project (not a builtin, not an installed package). */
function resolveLocal(spec: string, from: string): string | undefined {
  if (isBuiltin(spec)) return undefined;
  if (spec.startsWith('file:')) return resolvePath(fileURLToPath(spec));
  if (spec.startsWith('.') || path.isAbsolute(spec)) return resolvePath(path.resolve(path.dirname(from), spec));
  let resolved: string;
  try {
    // Bare names and #imports: an installed package is a dependency; a workspace link or the project's own
    // "imports" map points back into the project, so it is covered like a relative import.
    resolved = createRequire(from).resolve(spec);
  } catch {
    return undefined;
  }
  let real = resolved;
  try {
    real = realpathSync(resolved);
  } catch {
    // Keep the path as resolved.
  }
  return real.split(path.sep).includes('node_modules') ? undefined : resolved;
}

/** Refuses code whose loading mcpsh cannot follow; returns the module names written as strings. */
function specifiersOf(file: string, text: string): string[] {
  for (const [pattern, what] of OPAQUE) {
    const m = pattern.exec(text);
    if (m) {
      throw new AppError(
        'CONFIG',
        `${file} uses ${what} (line ${lineOf(text, m.index)}): mcpsh cannot tell which files it would load, so trusting it could not cover them`,
        {
          hint: 'import local modules with a plain string (import x from "./servers.mjs"), or write the config as mcp.config.json',
        },
      );
    }
  }
  const specs: string[] = [];
  for (const pattern of LITERAL) for (const m of text.matchAll(pattern)) if (m[2] !== undefined) specs.push(m[2]);
  return specs;
}

/** Every local module `configFile` imports, directly or through other local modules, with its text; not the config itself. */
export function localModules(configFile: string, content: string): LocalModule[] {
  const seen = new Set([path.resolve(configFile)]);
  const out: LocalModule[] = [];
  const queue: Array<[string, string]> = [[configFile, content]];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [file, text] = next;
    for (const spec of specifiersOf(file, text)) {
      const local = resolveLocal(spec, file);
      if (local === undefined || seen.has(local)) continue;
      seen.add(local);
      const body = readFileSync(local, 'utf8');
      out.push({ file: local, content: body });
      if (out.length > MAX_MODULES) {
        throw new AppError('CONFIG', `${configFile} imports more than ${MAX_MODULES} local modules`, {
          hint: 'keep the config small, or write it as mcp.config.json',
        });
      }
      if (CODE.has(path.extname(local))) queue.push([local, body]);
    }
  }
  return out;
}
