// What `mcpsh sessions` reads of each saved chat: first prompt, counts, size, newest first, bounded reads.
import { appendFileSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranscriptStore } from '../../../src/agent/transcript-store.js';
import { FIRST_PROMPT_CHARS, listTranscripts } from '../../../src/agent/transcript-summary.js';

const noRedact = (s: string): string => s;

async function chatIn(dir: string, ...messages: Parameters<TranscriptStore['append']>[0][]): Promise<TranscriptStore> {
  const store = TranscriptStore.start(dir, { cwd: '/w', agent: 'analyst', model: 'm' }, noRedact);
  for (const m of messages) store.append(m);
  await store.flush();
  return store;
}

describe('listTranscripts', () => {
  it('summarises each chat, newest first, within the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-sum-'));
    const old = await chatIn(
      dir,
      { role: 'user', content: 'first  question\nover two lines' },
      { role: 'assistant', content: 'a' },
      { role: 'user', content: 'again' },
    );
    utimesSync(old.file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const attached = await chatIn(dir, {
      role: 'user',
      content: [
        { type: 'text', text: 'read @docs:a.md' },
        { type: 'text', text: 'the attached text' },
      ],
    });
    const empty = await chatIn(dir);
    utimesSync(empty.file, new Date(2019, 0, 1), new Date(2019, 0, 1));

    const all = listTranscripts(dir);
    expect(all.total).toBe(3);
    expect(all.sessions.map((s) => s.id)).toEqual([attached.meta.id, old.meta.id, empty.meta.id]);
    expect(all.sessions[1]).toEqual({
      id: old.meta.id,
      startedAt: old.meta.startedAt,
      updatedAt: new Date(2020, 0, 1).toISOString(),
      cwd: '/w',
      agent: 'analyst',
      model: 'm',
      firstPrompt: 'first question over two lines',
      messages: 3,
      userMessages: 2,
      bytes: statSync(old.file).size,
    });
    expect(all.sessions[0]?.firstPrompt).toBe('read @docs:a.md');
    expect(all.sessions[2]).toMatchObject({ firstPrompt: null, messages: 0 });
    expect(listTranscripts(dir, 1)).toMatchObject({ total: 3, sessions: [{ id: attached.meta.id }] });
  });

  it('cuts a long first prompt, reads a megabyte-long one only in part, and ignores a line cut short by a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-sum-'));
    const store = await chatIn(dir, { role: 'user', content: `say "hi" ${'é'.repeat(2_000_000)}` });
    appendFileSync(store.file, '{"kind":"message","at":"2026-01-01T00:00:00Z","message":{"role":"user","con');
    const [s] = listTranscripts(dir).sessions;
    expect(s?.firstPrompt).toBe(`say "hi" ${'é'.repeat(FIRST_PROMPT_CHARS - 10)}…`);
    expect(s?.messages).toBe(1);
  });

  it('lists a chat whose first line is damaged, without its metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-sum-'));
    writeFileSync(join(dir, 'x.jsonl'), '{"kind":"meta","me\n{"kind":"message","at":"t","message":{"role":"user","content":"q"}}\n');
    expect(listTranscripts(dir).sessions[0]).toMatchObject({ id: 'x', startedAt: null, cwd: null, firstPrompt: 'q', messages: 1 });
  });
});
