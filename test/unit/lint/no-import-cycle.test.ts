// The local lint rule for import cycles (eslint-rules/no-import-cycle.js), on real files in a temp
// dir: it must see cycles made of type-only and dynamic imports, which import-x/no-cycle skips.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import local from '../../../eslint-rules/no-import-cycle.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-cycle-'));
  mkdirSync(join(dir, 'src/sub'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function lint(name: string): string[] {
  const linter = new Linter({ cwd: dir });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser },
      plugins: { local },
      rules: { 'local/no-import-cycle': 'error' },
    },
  ];
  const path = join(dir, name);
  return linter.verify(readFileSync(path, 'utf8'), config, { filename: path }).map((m) => `${m.line}: ${m.message}`);
}

describe('local/no-import-cycle', () => {
  it('reports a cycle made only of type-only imports, at the import, naming the chain', () => {
    write({
      'src/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'src/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
    });
    expect(lint('src/a.ts')).toEqual([expect.stringMatching(/^1: Import cycle: src\/a\.ts → src\/b\.ts → src\/a\.ts\./)]);
    expect(lint('src/b.ts')).toEqual([expect.stringMatching(/^1: Import cycle: src\/b\.ts → src\/a\.ts → src\/b\.ts\./)]);
  });

  it('follows dynamic import(), export-from and import("x").T, through a folder and a .tsx file', () => {
    write({
      'src/cli.ts': "export async function run(): Promise<unknown> {\n  return import('./sub/cmd.js');\n}\n",
      'src/sub/cmd.ts': "export { view } from './view.js';\n",
      'src/sub/view.tsx': "export const view = (o: import('../cli.js').Opts | undefined): unknown => o;\n",
    });
    writeFileSync(join(dir, 'src/cli.ts'), readFileSync(join(dir, 'src/cli.ts'), 'utf8') + 'export interface Opts { x?: number }\n');
    expect(lint('src/cli.ts')).toEqual([
      expect.stringContaining('2: Import cycle: src/cli.ts → src/sub/cmd.ts → src/sub/view.tsx → src/cli.ts.'),
    ]);
    expect(lint('src/sub/view.tsx')).toHaveLength(1);
  });

  it('stays quiet when the imports only go one way, and ignores packages', () => {
    write({
      'src/types.ts': 'export interface Shared { n: number }\n',
      'src/a.ts':
        "import type { Shared } from './types.js';\nimport { join } from 'node:path';\nexport const a = (s: Shared): string => join(String(s.n));\n",
      'src/b.ts': "import { a } from './a.js';\nimport type { Shared } from './types.js';\nexport const b = (s: Shared): string => a(s);\n",
    });
    expect(lint('src/a.ts')).toEqual([]);
    expect(lint('src/b.ts')).toEqual([]);
    expect(lint('src/types.ts')).toEqual([]);
  });
});
