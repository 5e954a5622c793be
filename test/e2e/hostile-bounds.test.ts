// Hostile data and hostile endpoints stay bounded (issue 12, class 4), through the built CLI: JSON nested
// 100,000 deep from a server (result, schema, notifications) or from a model (arguments, chunks, error
// bodies) is refused with a clear message and the run goes on; a model stream that never ends is cut at
// model.responseTimeout; and stderr carries nothing but mcpsh's own lines, even with OPENAI_LOG=debug.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRequestBody, Step } from '../fixtures/openai/scripted-server.mjs';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath, startHttpFixture } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const node = process.execPath;
const models = scriptedModels('hostile bounds e2e');
afterEach(() => models.closeAll());

const TOO_DEEP = 'JSON nested deeper than 256 levels';
const DEPTH = 100_000;
const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const deepServer = { deep: { command: node, args: [fixturePath('deep-json.mjs')] } };
const basicServer = { basic: { command: node, args: [fixturePath('basic.mjs')] } };
const SKIP_LINE = `mcpsh: server deep: tool deep_schema left out: its definition is ${TOO_DEEP}\n`;

/** Every line on stderr is mcpsh's own: `mcpsh: …` or the `  hint: …` under it. */
function onlyMcpshLines(stderr: string): void {
  for (const line of stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^(mcpsh: | {2}hint: )/);
}

function chunk(delta: Record<string, unknown>, extra = '', finish: string | null = null): string {
  const head = JSON.stringify({
    id: 'chatcmpl-raw',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'scripted-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  return `data: ${extra === '' ? head : `${head.slice(0, -1)},"extra":${extra}}`}\n\n`;
}

describe('deep JSON from a server', () => {
  it('tools --json lists the normal tools and names the skipped one; exit 0', async () => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const r = await runCli(['tools', '--json'], { cwd, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { tools: Array<{ name: string }>; failed: unknown[]; skipped: unknown[] };
    expect(json.tools.map((t) => t.name)).toEqual(['deep__echo', 'deep__deep_result', 'deep__deep_content']);
    expect(json.failed).toEqual([]);
    expect(json.skipped).toEqual([{ server: 'deep', tool: 'deep_schema', reason: `its definition is ${TOO_DEEP}` }]);
  });

  it.each([[['tools']], [['tools', '--schema']]])('%j lists the normal tools, with a notice for the skipped one', async (args) => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const r = await runCli(args, { cwd, timeoutMs: 60_000 });
    expect(r.stderr).toBe(SKIP_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deep__echo');
    expect(r.stdout).not.toContain('deep__deep_schema');
  });

  it.each([['deep_result'], ['deep_content']])('call --json %s: a tool error (exit 5), not a crash', async (tool) => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const r = await runCli(['call', '--json', 'deep', tool, '{}'], { cwd, timeoutMs: 60_000 });
    const message = `deep › ${tool} failed: the server's answer is ${TOO_DEEP}; mcpsh refused it`;
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'TOOL_ERROR', message } });
    expect(r.stderr).toBe(`mcpsh: ${message}\n`);
  });

  it('call in text mode says the same; the normal tool beside it still works', async () => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const bad = await runCli(['call', 'deep', 'deep_result', '{}'], { cwd, timeoutMs: 60_000 });
    expect(bad.code).toBe(5);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`mcpsh: deep › deep_result failed: the server's answer is ${TOO_DEEP}; mcpsh refused it\n`);
    const good = await runCli(['call', 'deep', 'echo', '{"message":"still fine"}'], { cwd, timeoutMs: 60_000 });
    expect(good.stderr).toBe('');
    expect(good.stdout).toBe('still fine\n');
    expect(good.code).toBe(0);
  });

  it('call on the skipped tool says why it cannot be called (exit 5)', async () => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const r = await runCli(['call', 'deep', 'deep_schema', '{}'], { cwd, timeoutMs: 60_000 });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `mcpsh: deep › deep_schema cannot be called: its definition is ${TOO_DEEP}\n  hint: mcpsh left it out of the tool list; the server must send a simpler definition\n`,
    );
  });

  it('call with arguments nested too deep is a usage error, not a crash', async () => {
    const cwd = projectWithConfig({ mcpServers: deepServer });
    const r = await runCli(['call', 'deep', 'echo', '-'], { cwd, input: `{"message":${deepArray}}`, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid arguments for deep › echo:\n  - the arguments are ${TOO_DEEP}\n`);
  });
});

describe('deep JSON from a server over Streamable HTTP', () => {
  it('the same guard holds: the deep tool is skipped, the deep answer is a tool error', async () => {
    const http = await startHttpFixture('deep-json.mjs', [String(DEPTH), '--http']);
    try {
      const cwd = projectWithConfig({ mcpServers: { deep: { url: http.url } } });
      const list = await runCli(['tools', '--json'], { cwd, timeoutMs: 60_000 });
      expect(list.code).toBe(0);
      const json = JSON.parse(list.stdout) as { tools: Array<{ name: string }>; skipped: Array<{ tool: string }> };
      expect(json.tools.map((t) => t.name)).toEqual(['deep__echo', 'deep__deep_result', 'deep__deep_content']);
      expect(json.skipped.map((s) => s.tool)).toEqual(['deep_schema']);
      const call = await runCli(['call', '--json', 'deep', 'deep_result', '{}'], { cwd, timeoutMs: 60_000 });
      expect(call.code).toBe(5);
      expect(call.stderr).toBe(`mcpsh: deep › deep_result failed: the server's answer is ${TOO_DEEP}; mcpsh refused it\n`);
    } finally {
      await http.close();
    }
  });
});

describe('deep JSON in ask', () => {
  const callDeepTool: Step[] = [{ toolCalls: [{ id: 'c1', name: 'deep__deep_result', arguments: {} }] }, { text: 'Recovered.' }];

  /** The tool message the model got back in its second request. */
  function toolMessage(body: ChatRequestBody | undefined): Record<string, unknown> | undefined {
    return body?.messages.find((m) => m.role === 'tool');
  }

  it.each([['text'], ['json'], ['stream-json']])(
    '-o %s: the deep result becomes an error result for the model and the run completes',
    async (format) => {
      const model = await models.scripted(callDeepTool);
      const cwd = projectWithConfig({ mcpServers: deepServer });
      const r = await runCli(['ask', '--yes', '-o', format, 'use the deep tool'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      onlyMcpshLines(r.stderr);
      const second = model.chatRequests()[1]?.body;
      expect(toolMessage(second)?.content).toBe(`Error: deep › deep_result failed: the server's answer is ${TOO_DEEP}; mcpsh refused it`);
      // The skipped tool is not offered to the model; the others are.
      expect(second?.tools?.map((t) => t.function.name)).toEqual(['deep__echo', 'deep__deep_result', 'deep__deep_content']);
      if (format === 'text') expect(r.stdout).toBe('Recovered.\n');
      if (format === 'json')
        expect((JSON.parse(r.stdout) as { toolCalls: Array<{ status: string }> }).toolCalls.map((c) => c.status)).toEqual(['error']);
      if (format === 'stream-json') {
        const events = r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; isError?: boolean });
        expect(events.filter((e) => e.type === 'tool_result').map((e) => e.isError)).toEqual([true]);
        expect(events.at(-1)?.type).toBe('result');
      }
    },
  );

  it.each([['text'], ['stream-json']])(
    '-o %s: a model sending arguments nested too deep gets an error result and the run goes on',
    async (format) => {
      const model = await models.scripted([
        { toolCalls: [{ id: 'c1', name: 'deep__echo', arguments: `{"message":${deepArray}}` }] },
        { text: 'Recovered.' },
      ]);
      const cwd = projectWithConfig({ mcpServers: deepServer });
      const r = await runCli(['ask', '--yes', '-o', format, 'go'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      onlyMcpshLines(r.stderr);
      const second = model.chatRequests()[1]?.body;
      expect(String(toolMessage(second)?.content)).toMatch(/^Error: /);
      // The model sees why, in its own call: the arguments were replaced by the refusal.
      expect(JSON.stringify(second?.messages)).toContain(`mcpsh refused these arguments: they were ${TOO_DEEP}`);
    },
  );
});

describe('a hostile model endpoint', () => {
  it.each<[string, Step]>([
    ['deep JSON beside the content of a chunk', { raw: [chunk({ content: 'hi' }, deepArray), 'data: [DONE]\n\n'] }],
    [
      'deep JSON as object-valued tool-call arguments',
      {
        raw: [
          chunk({
            tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'deep__echo', arguments: { a: '@' } } }],
          }).replace('"@"', deepArray),
          'data: [DONE]\n\n',
        ],
      },
    ],
    ['a deep error event', { raw: [`data: {"error":${deepArray}}\n\n`] }],
  ])('%s: a clear model error (exit 6), stderr only mcpsh', async (_label, step) => {
    const model = await models.scripted([step]);
    const cwd = projectWithConfig({ mcpServers: basicServer });
    const r = await runCli(['ask', '-o', 'json', 'go'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
    expect(r.code).toBe(6);
    const message = `the model endpoint sent ${TOO_DEEP}; mcpsh stopped reading the response`;
    expect((JSON.parse(r.stdout) as { error: { message: string } }).error.message).toBe(message);
    expect(r.stderr).toContain(`mcpsh: ${message}\n`);
    onlyMcpshLines(r.stderr);
  });

  it('a deep JSON error body: a clear model error (exit 6)', async () => {
    const model = await models.scripted([{ raw: [`{"error":${deepArray}}`], status: 400, contentType: 'application/json' }]);
    const cwd = projectWithConfig({ mcpServers: basicServer });
    const r = await runCli(['ask', 'go'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(
      new RegExp(
        `^mcpsh: the model endpoint rejected the request \\(400, [^\\n]+\\): 400 the model endpoint sent ${TOO_DEEP}; mcpsh stopped reading the response\\n`,
      ),
    );
    onlyMcpshLines(r.stderr);
  });

  it.each<[string, string[]]>([
    ['a data line that is not JSON', [chunk({ content: 'hi' }), 'data: {not json, "raw": "\u001b]0;PWNED\u0007"\n\n']],
    [
      'a thread event that is not JSON',
      ['event: thread.message.delta\ndata: {not json\n\n', chunk({ content: 'hi' }, '', 'stop'), 'data: [DONE]\n\n'],
    ],
  ])('%s: the openai client prints nothing, even with OPENAI_LOG=debug', async (_label, raw) => {
    const model = await models.scripted([{ raw }]);
    const cwd = projectWithConfig({ mcpServers: basicServer });
    const r = await runCli(['ask', 'go'], { cwd, env: { ...modelEnv(model), OPENAI_LOG: 'debug' }, timeoutMs: 60_000 });
    expect(r.code).toBe(6);
    onlyMcpshLines(r.stderr);
    expect(r.stderr).not.toContain('Could not parse');
    expect(r.stderr).not.toContain('PWNED');
  });

  it('a well-formed answer with OPENAI_LOG=debug: stdout is the answer, stderr is empty', async () => {
    const model = await models.scripted([{ text: 'Fine.' }]);
    const cwd = projectWithConfig({ mcpServers: basicServer });
    const r = await runCli(['ask', 'go'], { cwd, env: { ...modelEnv(model), OPENAI_LOG: 'debug' }, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Fine.\n');
    expect(r.stderr).toBe('');
  });

  it.each([['text'], ['stream-json']])('-o %s: a stream that never ends is cut at model.responseTimeout (exit 7)', async (format) => {
    const model = await models.scripted([{ forever: true, text: '.' }]);
    const cwd = projectWithConfig({ model: { responseTimeout: 1 }, mcpServers: basicServer });
    const r = await runCli(['ask', '-o', format, 'go'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(
      "mcpsh: the model's response took longer than 1s (model.responseTimeout), so it was cut off\n  hint: raise model.responseTimeout (seconds) in the config if answers this long are expected\n",
    );
    onlyMcpshLines(r.stderr);
    if (format === 'stream-json') {
      const done = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; error?: { code: string } })
        .find((e) => e.type === 'done');
      expect(done?.error?.code).toBe('TIMEOUT');
    }
  });
});
