// The built CLI's resources, read, prompts and prompt commands: exact stdout, stderr and exit codes.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVERYTHING } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { projectWithConfig, runCli } from '../helpers/cli.js';

const node = process.execPath;
const servers = {
  paged: { command: node, args: [fixturePath('paged-resources.mjs')] },
  basic: { command: node, args: [fixturePath('basic.mjs')] },
};

describe('mcpsh resources and read', () => {
  it('lists every page per server; servers without resources are left out', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const r = await runCli(['resources'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = Array.from({ length: 12 }, (_, i) => {
      const n = String(i).padStart(2, '0');
      return `  fixture://res/${n}     res_${n}  ${i === 0 ? 'application/octet-stream' : 'text/plain'}`;
    });
    const templates = [0, 1, 2].map((i) => `  fixture://tpl${i}/{id}  tpl_${i}   (template)`);
    expect(r.stdout).toBe(`paged (12 resources, 3 templates)\n${[...rows, ...templates].join('\n')}\n`);
  });

  it('--json gives uri, name and mimeType per server', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const r = await runCli(['resources', 'paged', '--json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.resources).toHaveLength(12);
    expect(json.resources[3]).toEqual({ server: 'paged', uri: 'fixture://res/03', name: 'res_03', mimeType: 'text/plain' });
    expect(json.templates[2]).toEqual({ server: 'paged', uriTemplate: 'fixture://tpl2/{id}', name: 'tpl_2' });
    expect(json.failed).toEqual([]);
  });

  it('read prints text; a blob is a size notice unless --out saves it', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const text = await runCli(['read', 'paged', 'fixture://res/05'], { cwd });
    expect([text.code, text.stdout, text.stderr]).toEqual([0, 'content of res_05\n', '']);
    const blob = await runCli(['read', 'paged', 'fixture://res/00'], { cwd });
    expect(blob.stdout).toBe('(binary content fixture://res/00, application/octet-stream: 5 bytes; save it with --out FILE)\n');
    const saved = await runCli(['read', 'paged', 'fixture://res/00', '--out', 'out.bin'], { cwd });
    expect([saved.code, saved.stdout, saved.stderr]).toEqual([0, '', `mcpsh: wrote 5 bytes to ${join(cwd, 'out.bin')}\n`]);
    expect([...readFileSync(join(cwd, 'out.bin'))]).toEqual([0, 1, 2, 3, 255]);
    const raw = await runCli(['read', 'paged', 'fixture://res/05', '--json'], { cwd });
    expect(JSON.parse(raw.stdout)).toEqual({ contents: [{ uri: 'fixture://res/05', mimeType: 'text/plain', text: 'content of res_05' }] });
  });

  it('an unknown uri is exit 5, a server without resources 5, an unknown server 2', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const unknown = await runCli(['read', 'paged', 'fixture://zzz'], { cwd });
    expect([unknown.code, unknown.stdout]).toEqual([5, '']);
    expect(unknown.stderr).toBe(
      'mcpsh: paged: reading fixture://zzz failed: MCP error -32002: resource not found: fixture://zzz\n  hint: list its resources with: mcpsh resources paged\n',
    );
    const none = await runCli(['read', 'basic', 'x://y'], { cwd });
    expect([none.code, none.stderr]).toEqual([
      5,
      'mcpsh: server basic does not offer resources (it did not declare the resources capability)\n  hint: servers that do are listed by: mcpsh resources\n',
    ]);
    const nobody = await runCli(['resources', 'pagd'], { cwd });
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('mcpsh: no server named "pagd" in the config (did you mean "paged"?)');
  });

  it('a server that cannot start is exit 4', async () => {
    const cwd = projectWithConfig({ mcpServers: { broken: { command: node, args: [fixturePath('crash-at-start.mjs')] } } });
    const r = await runCli(['read', 'broken', 'x://y'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcpsh: server broken could not start: /);
  });
});

describe('mcpsh prompts and prompt', () => {
  it('lists prompts with their arguments and required flags', async () => {
    const cwd = projectWithConfig({ mcpServers: { everything: { command: node, args: [EVERYTHING, 'stdio'] }, basic: servers.basic } });
    const r = await runCli(['prompts'], { cwd });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(
      [
        'everything (4 prompts)',
        '  simple-prompt              A prompt with no arguments',
        '  args-prompt                A prompt with two arguments, one required and one optional',
        '    city (required)          Name of the city',
        '    state',
        '  completable-prompt         First argument choice narrows values for second argument.',
        '    department (required)    Choose the department.',
        '    name (required)          Choose a team member to lead the selected department.',
        '  resource-prompt            A prompt that includes an embedded resource reference',
        '    resourceType (required)  Type of resource to fetch',
        '    resourceId (required)    ID of the text resource to fetch',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runCli(['prompts', 'everything', '--json'], { cwd })).stdout);
    expect(json.prompts[1]).toEqual({
      server: 'everything',
      name: 'args-prompt',
      title: 'Arguments Prompt',
      description: 'A prompt with two arguments, one required and one optional',
      arguments: [
        { name: 'city', description: 'Name of the city', required: true },
        { name: 'state', description: null, required: false },
      ],
    });
  });

  it('prompt prints the messages by role, other content as notices; --json is raw', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const r = await runCli(['prompt', 'paged', 'prompt_6', 'topic=owls', 'tone=calm'], { cwd });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      '[user]\nTell me about owls (calm).\n\n[assistant]\n(image: image/png, 3 bytes)\n',
      '',
    ]);
    const raw = await runCli(['prompt', 'paged', 'prompt_6', 'topic=owls', '--json'], { cwd });
    expect(JSON.parse(raw.stdout).messages[0]).toEqual({ role: 'user', content: { type: 'text', text: 'Tell me about owls.' } });
  });

  it('a missing required argument is a usage error naming it; an unknown prompt suggests one', async () => {
    const cwd = projectWithConfig({ mcpServers: servers });
    const missing = await runCli(['prompt', 'paged', 'prompt_1', 'tone=calm'], { cwd });
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toBe(
      'mcpsh: prompt prompt_1 of paged needs the argument topic\n  hint: usage: mcpsh prompt paged prompt_1 topic=… [tone=…]\n',
    );
    const unknown = await runCli(['prompt', 'paged', 'prompt_99'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('server paged has no prompt "prompt_99"');
    const noPrompts = await runCli(['prompts', 'basic'], { cwd });
    expect([noPrompts.code, noPrompts.stderr]).toEqual([
      5,
      'mcpsh: server basic does not offer prompts (it did not declare the prompts capability)\n  hint: servers that do are listed by: mcpsh prompts\n',
    ]);
  });
});

describe('roots and logging from the config', () => {
  it('offers the project directory (never the working directory) and the config roots; sends logLevel; logs land in the server log', async () => {
    const cwd = projectWithConfig({ roots: ['data', '/srv/shared'], mcpServers: { paged: { ...servers.paged, logLevel: 'notice' } } });
    // Run from a subdirectory: the project directory (where the config is) comes first, not the working
    // directory; config roots are relative to the file.
    const sub = join(cwd, 'work');
    mkdirSync(sub);
    const roots = await runCli(['call', 'paged', 'roots'], { cwd: sub });
    expect(roots.code).toBe(0);
    expect(JSON.parse(roots.stdout)).toEqual([
      { uri: pathToFileURL(cwd).href, name: basename(cwd) },
      { uri: pathToFileURL(join(cwd, 'data')).href, name: 'data' },
      { uri: 'file:///srv/shared', name: 'shared' },
    ]);
    const level = await runCli(['call', 'paged', 'level'], { cwd });
    expect(level.stdout).toBe('notice\n');
    const logged = await runCli(['call', 'paged', 'log', '--arg', 'text=cache rebuilt', '--arg', 'level=notice'], { cwd });
    expect(logged.code).toBe(0);
    const log = readFileSync(join(cwd, '.mcpsh-home', 'state', 'logs', 'paged.log'), 'utf8');
    expect(log).toMatch(/\n\d{4}-\d\d-\d\dT[\d:.]+Z \[notice\] fixture: cache rebuilt\n/);
  });

  it('a bad logLevel is a config error', async () => {
    const cwd = projectWithConfig({ mcpServers: { paged: { ...servers.paged, logLevel: 'loud' } } });
    const r = await runCli(['resources'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('logLevel');
  });
});
