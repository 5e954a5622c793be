import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranscriptStore } from '../../../src/agent/transcript-store.js';

const noRedact = (s: string): string => s;

describe('TranscriptStore', () => {
  it('appends every message as it happens and reads the conversation back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tr-'));
    const store = TranscriptStore.start(dir, { cwd: '/w', agent: 'analyst', model: 'm' }, noRedact);
    store.append({ role: 'user', content: 'hello' });
    store.append({ role: 'assistant', content: 'hi there' });
    await store.flush();
    expect(readFileSync(store.file, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const back = TranscriptStore.load(dir, store.meta.id);
    expect(back.meta).toMatchObject({ id: store.meta.id, agent: 'analyst', cwd: '/w' });
    expect(back.messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi there' },
    ]);
    expect(TranscriptStore.load(dir).meta.id).toBe(store.meta.id); // the newest, with no id
  });

  it('survives a crash mid-line and closes tool calls that never got a result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tr-'));
    const store = TranscriptStore.start(dir, { cwd: '/', agent: null, model: null }, noRedact);
    store.append({ role: 'user', content: 'q' });
    store.append({
      role: 'assistant',
      content: '',
      toolCalls: [
        { id: 'a', name: 'x__y', arguments: '{}' },
        { id: 'b', name: 'x__z', arguments: '{}' },
      ],
    });
    store.append({ role: 'tool', toolCallId: 'a', content: 'done' });
    await store.flush();
    appendFileSync(store.file, '{"kind":"message","at":"2026-01-01T00:00:00Z","mess');
    const back = TranscriptStore.load(dir);
    expect(back.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(back.messages[3]).toEqual({ role: 'tool', toolCallId: 'b', content: 'The session ended before this call finished.' });
  });

  it('redacts secrets before they reach the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tr-'));
    const store = TranscriptStore.start(dir, { cwd: '/', agent: null, model: null }, (s) => s.replaceAll('sk-secret-value', '***'));
    store.append({ role: 'user', content: 'my key is sk-secret-value' });
    await store.flush();
    expect(readFileSync(store.file, 'utf8')).toContain('my key is ***');
    expect(readFileSync(store.file, 'utf8')).not.toContain('sk-secret-value');
  });

  it('says what there is when an id is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tr-'));
    expect(() => TranscriptStore.load(dir)).toThrow('there is no saved chat to resume yet');
    const store = TranscriptStore.start(dir, { cwd: '/', agent: null, model: null }, noRedact);
    expect(() => TranscriptStore.load(dir, 'nope')).toThrow('no saved chat with id nope');
    expect(TranscriptStore.list(dir).map((t) => t.id)).toEqual([store.meta.id]);
  });
});
