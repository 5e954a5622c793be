// The built CLI against servers of both protocol eras (issue 13): a modern-only server (2026-07-28 only),
// a dual-era server (auto picks modern; pinned legacy speaks 2025) and a legacy server, over stdio and
// Streamable HTTP: tools, calls (progress, x-mcp-header, cancellation), resources, prompts, headless
// elicitation, and `servers --json` naming the era. The fixtures log what reached them (test/helpers/eras.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { methods, startEraServer, type EraServer, type FixtureRecord, type Transport } from '../helpers/eras.js';
import { waitFor } from '../helpers/processes.js';

const MODERN = '2026-07-28';
const TRANSPORTS: Transport[] = ['stdio', 'http'];

interface Case {
  label: string;
  file: string;
  /** The era mcpsh must end up speaking. */
  era: 'modern' | 'legacy';
  /** The per-server `protocolVersion` setting, when the case pins one. */
  pin?: 'legacy' | 'modern';
  /** The fixture has resources, prompts, `confirm`, `progress` and `lookup_region` (basic.mjs has only tools). */
  full: boolean;
}

const CASES: Case[] = [
  { label: 'modern-only', file: 'modern-only.mjs', era: 'modern', full: true },
  { label: 'dual-era (auto)', file: 'dual-era.mjs', era: 'modern', full: true },
  { label: 'dual-era pinned legacy', file: 'dual-era.mjs', era: 'legacy', pin: 'legacy', full: true },
  { label: 'legacy (basic.mjs)', file: 'basic.mjs', era: 'legacy', full: false },
];

const MATRIX = CASES.flatMap((c) => TRANSPORTS.map((transport) => ({ ...c, transport })));

/** The tools/call requests the fixture saw (the HTTP fixtures also log the headers of each). */
const toolCalls = (records: FixtureRecord[], name: string): FixtureRecord[] =>
  records.filter((r) => r.ev === 'message' && r.method === 'tools/call' && r.name === name);

describe.each(MATRIX)('$label over $transport', ({ file, era, pin, full, transport }) => {
  // basic.mjs has only tools: the feature tests are not registered for it (not applicable, rather than skipped).
  const itFull = (name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (full) it(name, fn, timeout);
  };
  let server: EraServer;
  let cwd: string;

  beforeAll(async () => {
    server = await startEraServer(file, transport, [], pin ? { protocolVersion: pin } : {});
    cwd = projectWithConfig({ mcpServers: { s: server.entry }, permissions: { elicitation: 'defaults' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('tools --json lists the tools, annotations and input schemas intact', async () => {
    const r = await runCli(['tools', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      tools: Array<{ name: string; annotations?: unknown; inputSchema: Record<string, unknown> }>;
      failed: unknown[];
    };
    expect(json.failed).toEqual([]);
    const names = json.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['s__echo', 's__add']));
    expect(json.tools.find((t) => t.name === 's__add')?.annotations).toMatchObject({ readOnlyHint: true });
    if (full) {
      // x-mcp-header is part of the schema the server declared: kept verbatim, and the tool is listed.
      const region = json.tools.find((t) => t.name === 's__lookup_region');
      expect(region?.inputSchema).toMatchObject({ properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } });
    }
  });

  it('call: echo, add and a tool that reports progress', async () => {
    const echo = await runCli(['call', 's', 'echo', '{"message":"hi"}'], { cwd });
    expect(echo).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
    const add = await runCli(['call', 's', 'add', '{"a":2,"b":40}', '--json'], { cwd });
    expect(add.code).toBe(0);
    expect((JSON.parse(add.stdout) as { structuredContent: unknown }).structuredContent).toEqual({ sum: 42 });
    if (full) {
      const progress = await runCli(['call', 's', 'progress', '{"steps":3}'], { cwd });
      expect(progress).toMatchObject({ code: 0, stdout: 'done 3 steps\n' });
      // mcpsh puts a progress token on every call; the fixture reported progress against it.
      const reported = server.log().filter((l) => l.ev === 'progress');
      expect(reported.at(-1)).toMatchObject({ era, steps: 3 });
      expect(reported.at(-1)?.token).not.toBeNull();
    } else {
      const slow = await runCli(['call', 's', 'slow', '{"ms":30,"steps":3}'], { cwd });
      expect(slow).toMatchObject({ code: 0, stdout: 'slept 30ms\n' });
    }
  });

  itFull('call: an x-mcp-header argument is mirrored into Mcp-Param-Region only on modern HTTP', async () => {
    const r = await runCli(['call', 's', 'lookup_region', '{"region":"us-west1"}'], { cwd });
    expect(r.code).toBe(0);
    const mirrored = era === 'modern' && transport === 'http' ? 'us-west1' : null;
    expect(JSON.parse(r.stdout)).toEqual({ region: 'us-west1', header: mirrored });
    if (transport === 'http' && era === 'modern') {
      expect(toolCalls(server.log(), 'lookup_region').at(-1)?.headers).toMatchObject({
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'lookup_region',
        'mcp-param-region': 'us-west1',
      });
    }
  });

  itFull('resources, read, prompts and prompt', async () => {
    const resources = await runCli(['resources', 's'], { cwd });
    expect(resources.code).toBe(0);
    expect(resources.stdout).toContain('fixture://readme');
    expect(resources.stdout).toContain('fixture://items/{id}');
    const read = await runCli(['read', 's', 'fixture://readme'], { cwd });
    expect(read).toMatchObject({ code: 0, stdout: expect.stringContaining(`Readme of ${file.replace('.mjs', '')}.`) as unknown });
    const item = await runCli(['read', 's', 'fixture://items/beta'], { cwd });
    expect(item).toMatchObject({ code: 0, stdout: expect.stringContaining('Item beta.') as unknown });
    const prompts = await runCli(['prompts', 's'], { cwd });
    expect(prompts.code).toBe(0);
    expect(prompts.stdout).toMatch(/greet\s+Greet someone\./);
    expect(prompts.stdout).toMatch(/name \(required\)/);
    const prompt = await runCli(['prompt', 's', 'greet', 'name=Ada', 'style=warm'], { cwd });
    expect(prompt).toMatchObject({ code: 0, stdout: expect.stringContaining('Say hello to Ada in a warm way.') as unknown });
  });

  itFull('elicitation is answered headlessly (permissions.elicitation "defaults") through call', async () => {
    const r = await runCli(['call', 's', 'confirm'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'accept', content: { confirm: true, note: 'fine' } });
    expect(r.stderr).toContain(
      'asked for input (form): Proceed with the fixture action?; accepted with the schema defaults (confirm, note)',
    );
    // Modern: an input_required round retried by the client; legacy: an elicitation/create request.
    expect(
      server
        .log()
        .filter((l) => l.ev === 'elicit')
        .at(-1),
    ).toMatchObject({ era, action: 'accept' });
  });

  itFull('a call stopped by --timeout cancels the work on the server', async () => {
    const r = await runCli(['call', 's', 'slow', '{"ms":60000}', '--timeout', '0.5'], { cwd });
    expect(r.code).toBe(7);
    await waitFor(() => server.log().some((l) => l.ev === 'cancelled'), { timeoutMs: 10_000, what: 'the fixture to see the cancellation' });
  });

  it('servers --json names the era and the protocol version', async () => {
    const r = await runCli(['servers', '--json'], { cwd });
    expect(r.code).toBe(0);
    const [status] = (JSON.parse(r.stdout) as { servers: Array<Record<string, unknown>> }).servers;
    expect(status).toMatchObject({ name: 's', state: 'ready', era });
    if (era === 'modern') expect(status?.protocolVersion).toBe(MODERN);
    else expect(status?.protocolVersion).toMatch(/^2025-\d\d-\d\d$/);
  });

  itFull('the server saw the era mcpsh claims', async () => {
    server.clearLog();
    expect((await runCli(['call', 's', 'echo', '{"message":"era"}'], { cwd })).code).toBe(0);
    const seen = server.log();
    const calls = seen.filter((l) => l.ev === 'message' && l.method === 'tools/call');
    expect(calls.length).toBeGreaterThan(0);
    if (era === 'modern') {
      expect(methods(seen)).not.toContain('initialize');
      for (const call of calls) expect(call.protocolVersion).toBe(MODERN);
    } else {
      expect(methods(seen)).toContain('initialize');
      if (pin === 'legacy') expect(methods(seen)).not.toContain('server/discover');
      for (const call of calls) expect(call.protocolVersion).toBeNull();
    }
  });
});
