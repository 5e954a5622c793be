// ${VAR} interpolation: the grammar, and where an unresolved reference goes (server, model, or error).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interpolateString, interpolateTree } from '../../../src/config/interpolate.js';
import { makeTree, type Tree } from './helpers.js';

describe('interpolateString', () => {
  const env = { HOST: 'db.local', PORT: '5432', EMPTY: '' };
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['${HOST}:${PORT}', 'db.local:5432'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-used-when-empty}', 'used-when-empty'],
    ['[${EMPTY}]', '[]'],
    ['${MISSING:-}', ''],
    ['${MISSING:-${HOST}}', 'db.local'],
    ['${MISSING:-a:-b}', 'a:-b'],
    ['cost: $$5', 'cost: $5'],
    ['literal $${HOST}', 'literal ${HOST}'],
    ['$$${HOST}', '$db.local'],
    ['$HOST stays', '$HOST stays'],
    ['lone $ sign', 'lone $ sign'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => {
      const r = interpolateString(input, env);
      expect(r.problems).toEqual([]);
      expect(r.value).toBe(expected);
    });
  }

  it('records every value taken from the environment (not defaults)', () => {
    expect(interpolateString('${HOST}/${MISSING:-x}/${PORT}', env).fromEnv).toEqual(['db.local', '5432']);
  });

  it('reports unset variables and bad references, keeping the original text', () => {
    expect(interpolateString('Bearer ${TOKEN}', env)).toEqual({
      value: 'Bearer ${TOKEN}',
      fromEnv: [],
      problems: [{ ref: '${TOKEN}', variable: 'TOKEN', reason: '${TOKEN} is not set' }],
    });
    expect(interpolateString('${input:api-key}', env).problems[0]?.reason).toBe(
      '${input:api-key} is not a supported reference (use ${VAR} or ${VAR:-default}; write $$ for a literal $)',
    );
    expect(interpolateString('x ${HOST', env).problems[0]?.reason).toBe('"${HOST" has no closing "}"');
  });

  it('walks values but not keys', () => {
    const r = interpolateTree({ '${HOST}': ['${PORT}', 1, true, null] }, env);
    expect(r.value).toEqual({ '${HOST}': ['5432', 1, true, null] });
  });
});

describe('unresolved references in a config', () => {
  let t: Tree;
  beforeEach(() => {
    t = makeTree();
  });
  afterEach(() => t.cleanup());

  it('marks only the affected server, naming server, field and variable', async () => {
    const file = t.write('mcp.config.json', {
      mcpServers: {
        crm: { url: 'http://127.0.0.1:3333/mcp', headers: { Authorization: 'Bearer ${CRM_TOKEN}' } },
        remote: { url: '${REMOTE_URL}' },
        ok: { command: 'node', args: ['${SCRIPT:-server.js}'] },
        off: { command: '${NOT_NEEDED}', enabled: false },
      },
    });
    const loaded = await t.load();
    const by = Object.fromEntries(loaded.servers.map((s) => [s.name, s]));
    expect(by.crm?.configError).toBe(
      `server "crm": mcpServers.crm.headers.Authorization uses \${CRM_TOKEN}, which is not set; set CRM_TOKEN or write \${CRM_TOKEN:-default} (in ${file})`,
    );
    // The url is not a URL until the variable is set; that is the same problem, not a second one.
    expect(by.remote?.configError).toBe(
      `server "remote": mcpServers.remote.url uses \${REMOTE_URL}, which is not set; set REMOTE_URL or write \${REMOTE_URL:-default} (in ${file})`,
    );
    expect(by.ok?.configError).toBeUndefined();
    expect(by.ok).toMatchObject({ args: ['server.js'] });
    expect(by.off?.configError).toBeUndefined();
    // The unresolved reference is kept visible, not treated as a secret.
    expect(loaded.secrets).not.toContain('Bearer ${CRM_TOKEN}');
  });

  it('sends model problems to modelProblems, not to an error', async () => {
    const file = t.write('mcp.config.json', { model: { name: 'gpt', apiKey: '${OPENAI_API_KEY}' }, mcpServers: {} });
    const loaded = await t.load();
    expect(loaded.modelProblems).toEqual([
      `model.apiKey uses \${OPENAI_API_KEY}, which is not set; set OPENAI_API_KEY or write \${OPENAI_API_KEY:-default} (in ${file})`,
    ]);
  });

  it('fails the load for an unresolved reference anywhere else', async () => {
    const file = t.write('mcp.config.json', { agents: { analyst: { instructions: 'You work for ${COMPANY}.' } } });
    const err = await t.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toBe(
      `invalid config in ${file}:\n  - agents.analyst.instructions (line 4): \${COMPANY} is not set; set COMPANY or write \${COMPANY:-default}`,
    );
  });

  it('still reports a real type error in a server that also lacks a variable', async () => {
    t.write('mcp.config.json', { mcpServers: { s: { command: '${CMD}', args: 'not-an-array' } } });
    const err = await t.loadError();
    expect(err.message).toContain('mcpServers.s.args (line 5): expected an array of strings, found a string "not-an-array"');
  });

  it('collects env values, credential headers and env entries, and the API key as secrets', async () => {
    t.write('mcp.config.json', {
      model: { apiKey: 'sk-literal-key', headers: { 'X-Org': 'org-visible', 'X-Api-Key': 'model-header-key' } },
      mcpServers: {
        gh: { command: 'gh', env: { GITHUB_TOKEN: 'ghp_literal', LOG_LEVEL: 'debug', HOME_DIR: '${HOME_DIR}' } },
        crm: {
          url: 'http://127.0.0.1:1/mcp',
          headers: { Authorization: 'Bearer jwt.token.value', Cookie: 'sid=abcdef', Accept: 'text/plain' },
        },
      },
    });
    const loaded = await t.load('.', { env: { HOME_DIR: '/home/someone' } });
    expect(new Set(loaded.secrets)).toEqual(
      new Set([
        '/home/someone',
        'sk-literal-key',
        'model-header-key',
        'ghp_literal',
        'Bearer jwt.token.value',
        'jwt.token.value',
        'sid=abcdef',
      ]),
    );
  });
});
