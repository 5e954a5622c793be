// A chat's transcript survives the process ending right after the last message was added (process.exit, as the
// signal handlers end a chat): the messages still queued for the background writer are written at exit.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/config.js';
import { runNode } from '../helpers/processes.js';

const STORE = join(ROOT, 'dist/agent/transcript-store.js');
if (!existsSync(STORE)) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json`');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('transcript at exit', () => {
  it('has every message added before process.exit, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tr-exit-'));
    dirs.push(dir);
    const result = await runNode(`
      const { TranscriptStore } = await import(${JSON.stringify(pathToFileURL(STORE).href)});
      const store = TranscriptStore.start(${JSON.stringify(dir)}, { cwd: '/', agent: null, model: null }, (s) => s);
      for (let i = 0; i < 300; i++) store.append({ role: i % 2 ? 'assistant' : 'user', content: 'message ' + i });
      process.exit(0);
    `);
    expect(result).toEqual({ code: 0, stderr: '' });
    const [file] = readdirSync(dir);
    const saved = readFileSync(join(dir, file as string), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; message?: { content: string } });
    expect(saved[0]?.kind).toBe('meta');
    expect(saved.slice(1).map((l) => l.message?.content)).toEqual(Array.from({ length: 300 }, (_, i) => `message ${i}`));
  });
});
