// The shape of src/ui (src/ui/README.md): state/ and text/ reach no React or Ink, not even through another
// module, and nothing in src/ui imports src/commands (commands start the chat, never the other way round).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');
const UI = path.join(SRC, 'ui');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return filesUnder(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

/** Every module `file` imports (static, type-only and dynamic), as written. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
  return ['.ts', '.tsx'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
}

const REACT = /^(react|ink)(\/|$)|^ink-/;

/** The chain of imports from `start` to a module that imports React or Ink, or undefined if there is none. */
function pathToReact(start: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | undefined => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (REACT.test(spec)) return [...chain, `${path.relative(SRC, file)} imports ${spec}`];
      const next = resolveLocal(file, spec);
      if (next) {
        const found = walk(next, [...chain, path.relative(SRC, file)]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(start, []);
}

describe('src/ui layout', () => {
  const uiFiles = filesUnder(UI);

  it('finds the sub-folders it checks', () => {
    for (const dir of ['state', 'text', 'components', 'dialogs', 'input']) expect(existsSync(path.join(UI, dir)), dir).toBe(true);
    expect(uiFiles.length).toBeGreaterThan(40);
  });

  it('state/ and text/ reach no React or Ink, directly or through another module', () => {
    const offenders = ['state', 'text']
      .flatMap((dir) => filesUnder(path.join(UI, dir)))
      .map((file) => pathToReact(file))
      .filter((chain): chain is string[] => chain !== undefined)
      .map((chain) => chain.join(' -> '));
    expect(offenders).toEqual([]);
  });

  it('nothing in src/ui imports src/commands', () => {
    const commands = path.join(SRC, 'commands') + path.sep;
    const offenders = uiFiles.flatMap((file) =>
      specifiers(file)
        .filter((spec) => spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(commands))
        .map((spec) => `${path.relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
