// A 20 MB tool result read back in pages: the built CLI (`ask`), a fixture server returning 20 MB, and the
// scripted model reading the part it was not given with mcpsh_read_result, page after page.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ReceivedRequest, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { bigResultText } from '../fixtures/servers/big-result-text.mjs';
import { isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv } from '../helpers/scripted-models.js';
import { scaled } from '../helpers/time.js';

const models: ScriptedModel[] = [];
afterEach(async () => {
  await Promise.all(models.splice(0).map((m) => m.close()));
});

/** The text of the tool message answering `callId` in a request. */
function toolText(request: ReceivedRequest, callId: string): string {
  const message = request.body.messages.find((m) => m.role === 'tool' && m.tool_call_id === callId);
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? '').join('');
  throw new Error(`no tool message for ${callId}`);
}

/** A page as mcpsh_read_result gives it: a header line, then the text. */
function parsePage(text: string): { start: number; end: number; total: number; next: number | undefined; body: string } {
  const match = /^\[r1 \(big__dump, [^)]*\): bytes (\d+)–(\d+) of (\d+); (?:next offset (\d+)|this is the end)\]\n/.exec(text);
  if (!match) throw new Error(`not a page: ${text.slice(0, 200)}`);
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: Number(match[3]),
    next: match[4] === undefined ? undefined : Number(match[4]),
    body: text.slice(match[0].length),
  };
}

describe('big tool results in pages', () => {
  it(
    'the model gets head, tail and a handle, and reads a 20 MB result back in pages that match the original bytes',
    async () => {
      const original = Buffer.from(bigResultText(20));
      const cwd = projectWithConfig({
        mcpServers: { big: { command: process.execPath, args: [fixturePath('big-result.mjs')] } },
        permissions: { allow: ['big__dump'] },
      });
      const stateDir = isolatedEnv(cwd).MCPSH_STATE_DIR as string;
      const seenWhileRunning: { fileMode?: number; dirMode?: number; size?: number; file?: string } = {};
      let firstOffset = 0;
      let secondOffset = 0;
      const script = (request: ReceivedRequest, index: number): Step | undefined => {
        if (index === 0) return { toolCalls: [{ id: 'dump', name: 'big__dump', arguments: { mb: 20 } }] };
        if (index === 1) {
          // The notice names the handle and where the part left out starts.
          const notice = /mcpsh_read_result (\{"handle":"r1","offset":(\d+)\})/.exec(toolText(request, 'dump'));
          if (!notice) throw new Error('the shortened result names no handle');
          firstOffset = Number(notice[2]);
          const dir = readdirSync(join(stateDir, 'results')).map((d) => join(stateDir, 'results', d))[0] as string;
          Object.assign(seenWhileRunning, {
            file: join(dir, 'r1.txt'),
            dirMode: statSync(dir).mode & 0o777,
            fileMode: statSync(join(dir, 'r1.txt')).mode & 0o777,
            size: statSync(join(dir, 'r1.txt')).size,
          });
          return { toolCalls: [{ id: 'page1', name: 'mcpsh_read_result', arguments: { handle: 'r1', offset: firstOffset } }] };
        }
        if (index === 2) {
          const page = parsePage(toolText(request, 'page1'));
          // Mid-file, and not on a character boundary: the page moves to the next whole character.
          secondOffset = (page.next ?? 0) + 10_000_001;
          return {
            toolCalls: [{ id: 'page2', name: 'mcpsh_read_result', arguments: { handle: 'r1', offset: secondOffset, length: 5_000 } }],
          };
        }
        if (index === 3) return { text: 'read it' };
        return undefined;
      };
      const model = await startScriptedModel(script, { name: 'big results e2e' });
      models.push(model);

      const r = await runCli(['ask', 'dump it and read on'], { cwd, env: modelEnv(model), timeoutMs: 120_000 });
      // The one line on stderr says where the whole result was while the run went on.
      expect(r.stderr).toBe(
        `mcpsh: note: the full result of big__dump (20.0 MB) is kept in ${seenWhileRunning.file} as r1 until the session ends; the model got its start and end and reads the rest with mcpsh_read_result\n`,
      );
      expect(r).toMatchObject({ code: 0, stdout: 'read it\n' });

      const requests = model.chatRequests();
      expect(requests).toHaveLength(4);
      // Kept whole (the fixture's text has no secrets, so redaction changed nothing), private, while the run went on.
      expect(seenWhileRunning).toMatchObject({ dirMode: 0o700, fileMode: 0o600, size: original.length });
      // What the model was given first is exactly a prefix and a suffix of the result.
      const shortened = toolText(requests[1] as ReceivedRequest, 'dump');
      expect(original.subarray(0, firstOffset).toString()).toBe(shortened.slice(0, original.subarray(0, firstOffset).toString().length));
      expect(
        shortened.endsWith(
          original
            .subarray(original.length - 2_000)
            .toString()
            .slice(-1_000),
        ),
      ).toBe(true);

      const page1 = parsePage(toolText(requests[2] as ReceivedRequest, 'page1'));
      expect(page1.start).toBe(firstOffset);
      expect(page1.total).toBe(original.length);
      expect(page1.end - page1.start).toBeGreaterThan(30_000);
      expect(page1.body).toBe(original.subarray(page1.start, page1.end).toString());

      const page2 = parsePage(toolText(requests[3] as ReceivedRequest, 'page2'));
      expect(page2.start).toBeGreaterThanOrEqual(secondOffset);
      expect(page2.start - secondOffset).toBeLessThan(4);
      expect(page2.end - page2.start).toBeLessThanOrEqual(5_000);
      expect(page2.body).toBe(original.subarray(page2.start, page2.end).toString());
      expect(page2.body).not.toContain('\uFFFD');

      // No request carries more than the budget of one result plus a page, however big the result was.
      for (const request of requests) expect(JSON.stringify(request.body).length).toBeLessThan(200_000);
      // The session's results went with it.
      expect(readdirSync(join(stateDir, 'results'))).toEqual([]);
    },
    scaled(180_000),
  );

  it(
    'a deny rule for mcpsh_read_result wins over its default allow',
    async () => {
      const cwd = projectWithConfig({
        mcpServers: { big: { command: process.execPath, args: [fixturePath('big-result.mjs')] } },
        permissions: { allow: ['big__dump'], deny: ['mcpsh_read_result'] },
      });
      const model = await startScriptedModel([
        { toolCalls: [{ id: 'dump', name: 'big__dump', arguments: { mb: 1 } }] },
        { toolCalls: [{ id: 'page', name: 'mcpsh_read_result', arguments: { handle: 'r1', offset: 0 } }] },
        { text: 'denied then' },
      ]);
      models.push(model);
      const r = await runCli(['ask', 'go', '-o', 'json'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      expect(toolText(model.chatRequests()[2] as ReceivedRequest, 'page')).toMatch(
        /permission rules did not allow this call: denied by the permission rule "mcpsh_read_result"/,
      );
      const results = join(isolatedEnv(cwd).MCPSH_STATE_DIR as string, 'results');
      expect(existsSync(results) && readdirSync(results)).toEqual([]);
    },
    scaled(90_000),
  );
});
