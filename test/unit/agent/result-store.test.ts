// Big results kept on disk: private files, redacted, read back in pages on character boundaries, and the
// shortened text the model gets lines up byte for byte with the kept file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES, ResultStore } from '../../../src/agent/result-store.js';
import { spillingCall, withResultTool } from '../../../src/agent/result-tool.js';
import { toModelContent } from '../../../src/agent/tool-result.js';
import type { AgentEvent } from '../../../src/agent/events.js';
import type { ToolHost } from '../../../src/agent/tool-runner.js';
import { contextWindowFor } from '../../../src/model/context-windows.js';

const root = (): string => join(mkdtempSync(join(tmpdir(), 'mcpsh-results-')), 'results');
// 1-, 2-, 3- and 4-byte characters, so any cut can land inside one.
const TEXT = Array.from({ length: 5_000 }, (_, i) => `${i} a é ✓ 𝄞\n`).join('');
const NO_HOST: ToolHost = { tools: () => [], resolve: () => undefined, callTool: () => Promise.reject(new Error('no tools')) };

describe('ResultStore', () => {
  it('keeps the text redacted in a 0600 file inside 0700 directories, made only with the first result, removed on close', () => {
    const dir = root();
    const store = new ResultStore(dir, (t) => t.replaceAll('sk-secret-value', '***'));
    expect(() => statSync(dir)).toThrow();
    const saved = store.save(`token sk-secret-value and more`, 'a__b');
    expect(saved).toMatchObject({ handle: 'r1', tool: 'a__b', kept: 'token *** and more', bytes: 18 });
    expect(readFileSync(saved.file, 'utf8')).toBe('token *** and more');
    expect(statSync(saved.file).mode & 0o777).toBe(0o600);
    expect(statSync(store.directory as string).mode & 0o777).toBe(0o700);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(store.save('second', 'a__b').handle).toBe('r2');
    store.close();
    expect(readdirSync(dir)).toEqual([]);
    expect(() => store.save('after', 'a__b')).toThrow(/closed/);
  });

  it('reads pages on whole UTF-8 characters, bounded in size, that cover the text exactly', () => {
    const store = new ResultStore(root());
    const { handle, bytes } = store.save(TEXT, 't');
    const whole = Buffer.from(TEXT);
    for (const offset of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1_001, bytes - 5]) {
      for (const length of [1, 2, 3, 5, 7, 100]) {
        const page = store.read(handle, offset, length);
        expect(page.text).toBe(whole.subarray(page.start, page.end).toString());
        expect(page.text).not.toContain('\uFFFD');
        expect(page.start - offset).toBeLessThan(4);
        expect(page.end - page.start).toBeLessThanOrEqual(Math.max(length, 4));
        expect(page.end).toBeGreaterThan(page.start);
      }
    }
    // Following "next" from 0 gives the whole text back, page by page.
    let offset = 0;
    let joined = '';
    while (offset < bytes) {
      const page = store.read(handle, offset, 4_999);
      joined += page.text;
      offset = page.end;
    }
    expect(joined).toBe(TEXT);
    expect(store.read(handle, 0, 10 * MAX_PAGE_BYTES).end).toBeGreaterThan(MAX_PAGE_BYTES - 4);
    expect(store.read(handle, 0, 10 * MAX_PAGE_BYTES).end).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    expect(() => store.read('../r1', 0, 10)).toThrow(/no kept result/);
    expect(store.get('r9')).toBeUndefined();
  });

  it('sweeps directories of processes of this host that are gone, and keeps its own and others', () => {
    const dir = root();
    const first = new ResultStore(dir);
    first.save('one', 't');
    const own = first.directory as string;
    const tag = own.split('/').at(-1)?.split('-')[0] as string;
    mkdirSync(join(dir, `${tag}-999999999-dead`), { recursive: true });
    mkdirSync(join(dir, `00000000-999999999-other`), { recursive: true });
    new ResultStore(dir).save('two', 't');
    const left = readdirSync(dir);
    expect(left).toContain(own.split('/').at(-1));
    expect(left).toContain('00000000-999999999-other');
    expect(left).not.toContain(`${tag}-999999999-dead`);
  });
});

describe('spilled tool results', () => {
  it('the model gets a prefix and a suffix of the kept file and the byte offset where the rest starts', () => {
    const store = new ResultStore(root());
    const events: AgentEvent[] = [];
    const { budget, emit } = spillingCall(
      store,
      { maxChars: 10_001, images: true, maxImageBytes: 1 },
      { id: 'c1', name: 'srv__big' },
      (e) => events.push(e),
    );
    const out = toModelContent({ content: [{ type: 'text', text: TEXT }] }, budget);
    const text = (out.content[0] as { text: string }).text;
    const match = /mcpsh_read_result \{"handle":"r1","offset":(\d+)\}/.exec(text);
    expect(match).not.toBeNull();
    const offset = Number(match?.[1]);
    const whole = Buffer.from(TEXT);
    const head = whole.subarray(0, offset).toString();
    expect(text.startsWith(head)).toBe(true);
    expect(head).not.toContain('\uFFFD');
    expect(out.truncated?.originalChars).toBe(TEXT.length);
    // The page at that offset continues exactly where the head stopped.
    expect(store.read('r1', offset, 20).text).toBe(whole.subarray(offset, offset + 20).toString());
    emit({ type: 'tool_result', callId: 'c1', isError: false, content: [], durationMs: 1 });
    expect(events[1]).toMatchObject({
      type: 'notice',
      message: expect.stringMatching(/^the full result of srv__big \(.*\) is kept in .*r1\.txt as r1 until the session ends/),
    });
  });

  it('a result that cannot be kept is cut as before, and the model is told why', () => {
    const store = new ResultStore(root());
    store.close();
    const { budget } = spillingCall(store, { maxChars: 1_000, images: true, maxImageBytes: 1 }, { id: 'c', name: 't' }, () => undefined);
    const text = (toModelContent({ content: [{ type: 'text', text: TEXT }] }, budget).content[0] as { text: string }).text;
    expect(text).toContain('[output truncated:');
    expect(text).toMatch(/\[the whole result could not be kept for reading in pages: the result store of this session is closed\]$/);
  });

  it('the read tool is offered once a result is kept, and answers unknown handles and offsets past the end', async () => {
    const store = new ResultStore(root());
    const host = withResultTool(NO_HOST, store, 500);
    expect(host.tools()).toEqual([]);
    store.save(TEXT, 'srv__big');
    const tool = host.resolve('mcpsh_read_result');
    expect(tool?.tool.annotations?.readOnlyHint).toBe(true);
    const page = await tool?.call?.({ handle: 'r1', offset: 3, length: 10_000 }, {});
    expect((page?.content[0] as { text: string }).text).toMatch(/^\[r1 \(srv__big, [^)]+\): bytes 3–503 of \d+; next offset 503\]\n/);
    expect(await tool?.call?.({ handle: 'r7' }, {})).toMatchObject({
      isError: true,
      content: [{ text: 'there is no kept result "r7" in this session (kept: r1).' }],
    });
    expect(await tool?.call?.({ handle: 'r1', offset: 10 ** 9 }, {})).toMatchObject({ isError: true });
  });
});

describe('context windows', () => {
  it('the configured window wins; well-known models are known; anything else gets the conservative default', () => {
    expect(contextWindowFor('gpt-4.1-mini')).toBe(1_047_576);
    expect(contextWindowFor('openai/gpt-4o-mini')).toBe(128_000);
    expect(contextWindowFor('gpt-5')).toBe(400_000);
    expect(contextWindowFor('o3')).toBe(200_000);
    expect(contextWindowFor('o4-mini')).toBe(200_000);
    expect(contextWindowFor('llama3.1:8b')).toBe(128_000);
    expect(contextWindowFor('my-local-model')).toBe(32_000);
    expect(contextWindowFor('gpt-4.1', 8_192)).toBe(8_192);
  });
});
