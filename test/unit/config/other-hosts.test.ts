// Other hosts' project files (Claude Code, VS Code, Cursor): found without --config in a documented order,
// and VS Code's variables (${workspaceFolder}, ${userHome}, ${env:NAME}, ${input:id}) as VS Code reads them.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { interpolateString, type RefContext } from '../../../src/config/interpolate.js';
import { collectRefs } from '../../../src/config/trust-refs.js';
import { makeTree, type Tree } from './helpers.js';

const one = (name: string) => ({ mcpServers: { [name]: { command: 'node', args: ['server.js'] } } });
const vscode = (name: string, extra: object = {}) => ({
  ...extra,
  servers: { [name]: { type: 'stdio', command: 'node', args: ['server.js'] } },
});

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

const names = async (rel = '.', env: NodeJS.ProcessEnv = {}): Promise<string[]> => (await t.load(rel, { env })).servers.map((s) => s.name);

describe('discovery of other hosts files', () => {
  it('finds .mcp.json, .vscode/mcp.json and .cursor/mcp.json alone', async () => {
    t.write('a/.mcp.json', one('claude'));
    t.write('b/.vscode/mcp.json', vscode('code'));
    t.write('c/.cursor/mcp.json', one('cursor'));
    expect(await names('a')).toEqual(['claude']);
    expect(await names('b')).toEqual(['code']);
    expect(await names('c/deeper/still')).toEqual(['cursor']);
  });

  it('in one folder: mcpsh own file, then .mcp.json, then .vscode, then .cursor; no warning for the shadowed ones', async () => {
    t.write('.cursor/mcp.json', one('cursor'));
    expect(await names()).toEqual(['cursor']);
    t.write('.vscode/mcp.json', vscode('code'));
    expect(await names()).toEqual(['code']);
    t.write('.mcp.json', one('claude'));
    expect(await names()).toEqual(['claude']);
    t.write('mcp.config.json', one('own'));
    const loaded = await t.load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['own']);
    expect(loaded.warnings).toEqual([]);
  });

  it('a nearer folder wins whatever kind of file each holds', async () => {
    t.write('mcp.config.json', one('own-top'));
    t.write('sub/.vscode/mcp.json', vscode('code-near'));
    expect(await names('sub/x')).toEqual(['code-near']);
  });

  it('uses the same trust rules: an untrusted .mcp.json is reported, not used', async () => {
    const file = t.write('.mcp.json', one('claude'));
    const loaded = await loadConfig({ cwd: t.root, env: {}, userConfigDir: t.userDir, stopDir: t.root, trustGate: () => false });
    expect(loaded.untrusted?.files).toEqual([file]);
  });
});

describe('VS Code variables', () => {
  const ctx = (answers: Record<string, string | undefined> = {}, password = false): RefContext => ({
    workspaceFolder: '/proj',
    userHome: '/home/u',
    input: (id) =>
      id === 'key'
        ? { ...(answers.key !== undefined ? { value: answers.key } : {}), variable: 'MCPSH_INPUT_KEY', secret: password }
        : undefined,
  });

  it('${workspaceFolder} and ${userHome}', () => {
    expect(interpolateString('${workspaceFolder}/a:${userHome}/b', {}, ctx()).value).toBe('/proj/a:/home/u/b');
  });

  it('${env:NAME} reads the environment; unset is a problem naming the variable', () => {
    const r = interpolateString('x=${env:FOO}', { FOO: 'bar' }, ctx());
    expect([r.value, r.fromEnv]).toEqual(['x=bar', ['bar']]);
    const missing = interpolateString('${env:FOO}', {}, ctx());
    expect(missing.problems).toEqual([{ ref: '${env:FOO}', variable: 'FOO', reason: '${env:FOO} is not set' }]);
  });

  it('${input:id}: its value, a secret when a password; undeclared and unanswered are problems', () => {
    expect(interpolateString('k=${input:key}', {}, ctx({ key: 'v' })).value).toBe('k=v');
    expect(interpolateString('${input:key}', {}, ctx({ key: 'pw' }, true)).fromEnv).toEqual(['pw']);
    expect(interpolateString('${input:key}', {}, ctx({ key: 'plain' }, false)).fromEnv).toEqual([]);
    expect(interpolateString('${input:key}', {}, ctx()).problems[0]).toMatchObject({ input: 'key', variable: 'MCPSH_INPUT_KEY' });
    expect(interpolateString('${input:other}', {}, ctx()).problems[0]?.reason).toContain('names no input');
  });

  it('in a .vscode/mcp.json: workspace is the folder holding .vscode; inputs come from MCPSH_INPUT_<ID>', async () => {
    t.write('.vscode/mcp.json', {
      inputs: [{ id: 'api-key', type: 'promptString', description: 'API key', password: true }],
      servers: {
        s: {
          type: 'stdio',
          command: 'node',
          args: ['${workspaceFolder}/s.js'],
          env: { K: '${input:api-key}', H: '${userHome}', E: '${env:FOO}' },
        },
      },
    });
    const loaded = await t.load('.', { env: { HOME: '/home/u', FOO: 'foo-value', MCPSH_INPUT_API_KEY: 'sk-input-secret' } });
    const s = loaded.servers[0];
    expect(s?.transport === 'stdio' && [s.args, s.env]).toEqual([
      [path.join(t.root, 's.js')],
      { K: 'sk-input-secret', H: '/home/u', E: 'foo-value' },
    ]);
    expect(loaded.secrets).toContain('sk-input-secret');
  });

  it('an input with no value is a CONFIG error naming the input and its variable, pointing at the file', async () => {
    const file = t.write('.vscode/mcp.json', vscode('s', { inputs: [{ id: 'tok', type: 'promptString' }] }));
    const doc = JSON.parse(JSON.stringify(vscode('s', { inputs: [{ id: 'tok', type: 'promptString' }] }))) as {
      servers: { s: { env?: object } };
    };
    doc.servers.s.env = { T: '${input:tok}' };
    t.write('.vscode/mcp.json', doc);
    const err = await t.loadError('.', { env: {} });
    expect(err.message).toContain(file);
    expect(err.message).toContain('input "tok" (${input:tok}) has no value: set MCPSH_INPUT_TOK');
    expect(err.hint).toContain('mcpsh config');
  });

  it('asks the chat prompt only for inputs the environment does not answer', async () => {
    t.write('.vscode/mcp.json', {
      inputs: [
        { id: 'a', type: 'promptString', password: true },
        { id: 'b', type: 'promptString' },
        { id: 'unused', type: 'promptString' },
      ],
      servers: { s: { type: 'stdio', command: 'node', env: { A: '${input:a}', B: '${input:b}' } } },
    });
    const asked: string[] = [];
    const loaded = await loadConfig({
      cwd: t.root,
      env: { MCPSH_INPUT_B: 'from-env' },
      userConfigDir: t.userDir,
      stopDir: t.root,
      askInputs: (inputs) => {
        asked.push(...inputs.map((i) => i.id));
        return Promise.resolve({ a: 'typed-secret' });
      },
    });
    expect(asked).toEqual(['a']);
    const s = loaded.servers[0];
    expect(s?.transport === 'stdio' && s.env).toEqual({ A: 'typed-secret', B: 'from-env' });
    expect(loaded.secrets).toContain('typed-secret');
  });

  it('the trust review names the variables these references read', () => {
    const refs = collectRefs({ a: '${env:GH_TOKEN}', b: '${input:api-key}', c: '${workspaceFolder}/${userHome}/${PLAIN}' });
    expect(refs.map((r) => r.variable)).toEqual(['GH_TOKEN', 'MCPSH_INPUT_API_KEY', 'PLAIN']);
  });
});
