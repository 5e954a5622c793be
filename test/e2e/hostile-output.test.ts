// Terminal escapes from a hostile server and a hostile model never reach the terminal: every text command
// of the built CLI runs against test/fixtures/servers/hostile-escapes.mjs (escapes in every protocol field)
// and the scripted model (escapes in its answer, split across stream chunks, and in its errors). stdout and
// stderr must hold no control character but \n and \t, and no bidi control; JSON keeps the exact strings.
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../fixtures/openai/scripted-server.mjs';
import { EVIL, evil } from '../fixtures/servers/hostile-payload.mjs';
import { projectWithConfig, runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';
import { scaled } from '../helpers/time.js';

const hostile = fixturePath('hostile-escapes.mjs');
const CONFIG = {
  mcpServers: {
    hostile: { command: process.execPath, args: [hostile] },
    // Fails at start after writing escapes on stderr: its error message quotes them.
    'hostile-crash': { command: process.execPath, args: [hostile, '--crash'] },
  },
  permissions: { allow: ['hostile__*'] },
};

/** What a terminal would act on: C0 (but \n, \t), DEL, C1, and the bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** How the payload looks once made visible: the clear-screen CSI and the title OSC as symbols. */
const SHOWN = '<␛[2J␛[H␛]0;PWNED-TITLE␇';

const models = scriptedModels('hostile output e2e');
afterEach(() => models.closeAll());

let cwd: string | undefined;
function project(): string {
  cwd ??= projectWithConfig(CONFIG);
  return cwd;
}

function expectInert(r: CliResult, what: string): void {
  for (const [name, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    const match = UNSAFE.exec(text);
    if (match) {
      const at = match.index;
      throw new Error(
        `${what}: ${name} has U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`,
      );
    }
  }
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { cwd: project(), env, timeoutMs: 30_000 });
  expectInert(r, `mcpsh ${args.join(' ')}`);
  return r;
}

describe('text commands against a server with escapes in every field', () => {
  it(
    'tools, tools --schema, servers, doctor: names, titles, descriptions, schemas, serverInfo, start-up errors',
    async () => {
      const tools = await cli(['tools']);
      expect(tools.code).toBe(0);
      expect(tools.stdout).toContain(`description${SHOWN}`);
      expect(tools.stderr).toContain(`dying${SHOWN}`);

      const schema = await cli(['tools', 'hostile', '--schema']);
      expect(schema.code).toBe(0);
      expect(schema.stdout).toContain(`description${SHOWN}`);
      expect(schema.stdout).toContain('property description<\\u001b[2J');

      const servers = await cli(['servers']);
      expect(servers.stdout).toContain(`dying${SHOWN}`);

      const doctor = await cli(['doctor']);
      expect(doctor.code).toBe(9);
      expect(doctor.stdout).toContain(`server name${SHOWN}`);
      expect(doctor.stdout).toContain(`warning: tool name${SHOWN}`);
    },
    scaled(60_000),
  );

  it(
    'call: every content type on stdout, isError text and thrown errors on stderr, an evil-named tool',
    async () => {
      const everything = await cli(['call', 'hostile', 'everything']);
      expect(everything.code).toBe(0);
      for (const label of [
        'result text',
        '[image: image/png',
        '[audio: audio/wav',
        '[resource link: link name',
        'file:///link',
        '--- resource memo://embedded',
        'embedded text',
      ]) {
        expect(everything.stdout).toContain(`${label}${SHOWN}`);
      }
      // 8-bit forms, bidi controls and the characters that move the cursor are visible too.
      expect(everything.stdout).toContain(
        '␛[2J␛]0;PWNED-8BIT␇␛]52;c;cHduZWQ=␛\\␛Pdcs8␛\\<U+202E>evil<U+202C><U+2066>iso<U+2069><U+200F>␇␈␀␡safe␍OVER␛]0;UNTERMINATED>',
      );

      const fails = await cli(['call', 'hostile', 'fails']);
      expect(fails.code).toBe(5);
      expect(fails.stderr).toContain(`error result${SHOWN}`);

      const thrown = await cli(['call', 'hostile', 'throws']);
      expect(thrown.code).toBe(5);
      expect(thrown.stderr).toContain(`thrown error${SHOWN}`);

      const list = JSON.parse((await cli(['tools', 'hostile', '--json'])).stdout) as { tools: Array<{ name: string; tool: string }> };
      const evilTool = list.tools.find((t) => t.tool === evil('name'));
      expect(evilTool).toBeDefined();
      const named = await cli(['call', 'hostile', evilTool?.name ?? '']);
      expect(named.stdout).toContain(`evil-named result${SHOWN}`);
    },
    scaled(60_000),
  );

  it(
    'logs <server>: the server stderr and its log notifications',
    async () => {
      await cli(['call', 'hostile', 'everything']);
      const logs = await cli(['logs', 'hostile']);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toContain(`hostile stderr line${SHOWN}`);
      expect(logs.stdout).toContain(`logger${SHOWN}`);
    },
    scaled(60_000),
  );

  it(
    'resources, read, prompts, prompt',
    async () => {
      const resources = await cli(['resources', 'hostile']);
      expect(resources.stdout).toContain(`resource name${SHOWN}`);
      expect(resources.stdout).toContain('memo://evil-uri<␛[2J');
      const read = await cli(['read', 'hostile', 'memo://note']);
      expect(read.stdout).toContain(`resource text${SHOWN}`);
      expect(read.stdout).toContain('image/png<␛[2J');
      const prompts = await cli(['prompts', 'hostile']);
      expect(prompts.stdout).toContain(`prompt description${SHOWN}`);
      expect(prompts.stdout).toContain('prompt name<␛[2J');
      const prompt = await cli(['prompt', 'hostile', 'greet']);
      expect(prompt.stdout).toContain(`prompt message${SHOWN}`);
      expect(prompt.stdout).toContain('prompt resource<␛[2J');
    },
    scaled(60_000),
  );

  it(
    '--json keeps the exact strings (C1 and bidi escaped as \\u, so the bytes are inert too)',
    async () => {
      const call = JSON.parse((await cli(['call', 'hostile', 'everything', '--json'])).stdout) as {
        content: Array<Record<string, string>>;
        structuredContent: { value: string };
      };
      expect(call.content[0]?.text).toBe(evil('result text'));
      expect(call.content[1]?.mimeType).toBe(evil('image/png'));
      expect(call.content[3]).toMatchObject({ name: evil('link name'), uri: evil('file:///link'), description: evil('link description') });
      expect(call.structuredContent.value).toBe(evil('structured'));

      const tools = JSON.parse((await cli(['tools', 'hostile', '--json'])).stdout) as { tools: Array<Record<string, unknown>> };
      expect(tools.tools.find((t) => t.tool === 'everything')).toMatchObject({ title: evil('title'), description: evil('description') });
      expect(tools.tools.map((t) => t.tool)).toContain(evil('name'));

      const doctor = JSON.parse((await cli(['doctor', '--json'])).stdout) as {
        servers: Array<{ serverInfo: { name: string; version: string } | null }>;
      };
      expect(doctor.servers[0]?.serverInfo).toEqual({ name: evil('server name'), version: evil('9.9') });
    },
    scaled(60_000),
  );
});

describe('ask against a model that answers with escapes', () => {
  // The escapes of the answer are split across stream chunks, and it ends on a lone ESC.
  const answer = [
    'Done: ',
    '\u001b',
    ']0;MODEL-TITLE\u0007 then ',
    '\u001b[2',
    'J and ',
    '\u009b',
    '31m',
    evil('model answer'),
    ' end \u001b',
  ];
  const script = (): Step[] => [
    {
      text: ['Let me look ', '\u001b]52;c;', 'cHduZWQ=\u0007'],
      toolCalls: [
        { id: 'c1', name: 'hostile__everything', arguments: { note: evil('model argument') } },
        { id: 'c2', name: 'hostile__throws', arguments: {} },
        { id: 'c3', name: 'hostile__fails', arguments: {} },
      ],
    },
    { text: answer },
  ];

  it(
    'text mode with --verbose: the answer on stdout, tool activity (arguments, progress, errors) on stderr',
    async () => {
      const model = await models.scripted(script());
      const r = await cli(['ask', 'look', '--verbose', '--server', 'hostile'], modelEnv(model));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Let me look ␛]52;c;cHduZWQ=␇');
      expect(r.stdout).toContain(`Done: ␛]0;MODEL-TITLE␇ then ␛[2J and ␛[31mmodel answer${SHOWN}`);
      expect(r.stdout).toMatch(/ end ␛\n$/);
      // Arguments are shown as JSON: its escapes are inert text.
      expect(r.stderr).toContain('model argument<\\u001b[2J\\u001b[H\\u001b]0;PWNED-TITLE\\u0007');
      expect(r.stderr).toContain(`progress${SHOWN}`);
      expect(r.stderr).toContain(`thrown error${SHOWN}`);
      expect(r.stderr).toContain(`error result${SHOWN}`);
    },
    scaled(60_000),
  );

  it(
    'a model error quoting escapes is shown inert',
    async () => {
      const model = await models.scripted([{ error: { status: 400, message: evil('model error') } }]);
      const r = await cli(['ask', 'hi', '--server', 'hostile'], modelEnv(model));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`model error${SHOWN}`);
    },
    scaled(60_000),
  );

  it(
    '-o json and -o stream-json keep the answer exact',
    async () => {
      const json = await cli(['ask', 'look', '-o', 'json', '--server', 'hostile'], modelEnv(await models.scripted(script())));
      const summary = JSON.parse(json.stdout) as { answer: string; toolCalls: Array<{ args: unknown }> };
      expect(summary.answer).toBe(answer.join(''));
      expect(summary.toolCalls[0]?.args).toEqual({ note: evil('model argument') });

      const stream = await cli(['ask', 'look', '-o', 'stream-json', '--server', 'hostile'], modelEnv(await models.scripted(script())));
      const events = stream.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; text?: string; content?: Array<{ text?: string }> });
      const deltas = events
        .filter((e) => e.type === 'text_delta')
        .map((e) => e.text ?? '')
        .join('');
      expect(deltas).toBe(`Let me look \u001b]52;c;cHduZWQ=\u0007${answer.join('')}`);
      const results = events.filter((e) => e.type === 'tool_result').map((e) => e.content?.[0]?.text);
      expect(results).toContain(evil('result text'));
      expect(EVIL.length).toBeGreaterThan(0);
    },
    scaled(60_000),
  );
});
