// The parts of the trust review: visible escaping, ${VAR} references and their sinks, secret names, the model
// endpoint check, and the local modules a code config imports (found from its text, never by running it).
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeForTrust, formatTrustDescription } from '../../../src/config/trust.js';
import { localModules } from '../../../src/config/trust-modules.js';
import { isSecretVariable, refsInString } from '../../../src/config/trust-refs.js';
import { shown, visible } from '../../../src/config/trust-visible.js';
import { makeTree, type Tree } from './helpers.js';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

describe('visible', () => {
  it.each([
    ['\u001b[2J', '\\u001b[2J'],
    ['a\rb\nc\td', 'a\\rb\\nc\\td'],
    ['\u009b31m', '\\u009b31m'],
    ['\u007f', '\\u007f'],
    ['x\u202ey\u2066z\u200fw', 'x\\u202ey\\u2066z\\u200fw'],
    ['zero\u200bwidth\ufeff', 'zero\\u200bwidth\\ufeff'],
    ['tag\u{e0041}', 'tag\\u{e0041}'],
    ['nb\u00a0sp\u2028', 'nb\\u00a0sp\\u2028'],
    ['\u05d0bc', '\\u05d0bc'],
    ['"\u0338', '\\"\\u0338'],
    ['lone\ud800', 'lone\\ud800'],
    ['back\\slash "q"', 'back\\\\slash \\"q\\"'],
    ['café 日本', 'café 日本'],
  ])('%j becomes %j', (input, out) => {
    expect(visible(input)).toBe(out);
  });

  it('escapes every non-ASCII character where a look-alike letter would run something else', () => {
    expect(visible('nоde', { ascii: true })).toBe('n\\u043ede');
    expect(shown('nоde', { ascii: true })).toBe('"n\\u043ede"');
  });

  it('leaves plain tokens bare and quotes anything else', () => {
    expect(shown('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shown('${HOME}/x')).toBe('${HOME}/x');
    expect(shown('two words')).toBe('"two words"');
    expect(shown('')).toBe('""');
    expect(shown('a|b')).toBe('"a|b"');
  });
});

describe('references', () => {
  it('finds every variable, defaults included, and skips $$', () => {
    expect(refsInString('$${NOT} ${A}-${B:-x${C:-${D}}}').map((r) => [r.variable, r.fallback])).toEqual([
      ['A', false],
      ['B', false],
      ['C', true],
      ['D', true],
    ]);
    expect(refsInString('${1BAD} ${OK}')).toEqual([]);
  });

  it.each([
    ['OPENAI_API_KEY', true],
    ['ANTHROPIC_API_KEY', true],
    ['GITHUB_TOKEN', true],
    ['AWS_ACCESS_KEY_ID', true],
    ['AWS_SESSION', true],
    ['MY_SECRET', true],
    ['DB_PASSWORD', true],
    ['DATABASE_URL', true],
    ['GH_PAT', true],
    ['OPENAI_BASE_URL', false],
    ['AWS_REGION', false],
    ['HOME', false],
    ['BUILD_ID', false],
  ])('%s is a secret: %s', (name, secret) => {
    expect(isSecretVariable(name)).toBe(secret);
  });
});

describe('the model endpoint', () => {
  const config = { model: { baseURL: 'http://127.0.0.1:9/v1', headers: { 'X-Org': '${GITHUB_TOKEN}' } } };

  it('flags your key and secret headers going to a project endpoint, unless OPENAI_BASE_URL wins', async () => {
    t.write('mcp.config.json', config);
    const loaded = await t.load('.', { trustGate: () => false, env: { GITHUB_TOKEN: 'x' } });
    const d = describeForTrust(loaded, {});
    expect(d.model).toMatchObject({ nonDefault: true, yourKey: true });
    expect(d.refs.map((r) => [r.to, r.flagged])).toEqual([['header X-Org of the model endpoint http://127.0.0.1:9/v1', true]]);
    const overridden = describeForTrust(loaded, { OPENAI_BASE_URL: 'https://api.openai.com/v1' });
    expect(overridden.model).toMatchObject({ nonDefault: false, yourKey: false });
    expect(formatTrustDescription(overridden)).not.toContain('warning:');
  });

  it("a key written in the file is the project's own: not flagged as yours, and masked", async () => {
    t.write('mcp.config.json', { model: { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-project-own' } });
    const d = describeForTrust(await t.load('.', { trustGate: () => false }), {});
    expect(d.model).toMatchObject({ yourKey: false, apiKey: { value: '***', masked: true } });
    expect(formatTrustDescription(d)).not.toContain('sk-project-own');
  });
});

describe('oauth settings', () => {
  it('say which commands run and which files are read, and mask credentials written in the file, nested ones too', async () => {
    t.write('mcp.config.json', {
      mcpServers: {
        corp: {
          url: 'https://mcp.example.com/mcp',
          oauth: {
            grantType: 'enterprise',
            clientId: 'mcpsh',
            clientSecret: 'cs-literal-secret',
            idp: {
              issuer: 'https://idp.example.com',
              clientId: 'idp-client',
              clientSecret: 'idp-literal-secret',
              idTokenCommand: 'get-id-token --for corp',
            },
          },
        },
        wif: { url: 'https://wif.example.com/mcp', oauth: { grantType: 'jwt-bearer', assertion: 'eyJ.literal.jwt' } },
        file: { url: 'https://f.example.com/mcp', oauth: { grantType: 'jwt-bearer', assertionFile: '/var/run/token' } },
      },
    });
    const text = formatTrustDescription(describeForTrust(await t.load('.', { trustGate: () => false }), {}));
    for (const secret of ['cs-literal-secret', 'idp-literal-secret', 'eyJ.literal.jwt']) expect(text).not.toContain(secret);
    expect(text).toContain('oauth idp.idTokenCommand (a shell command mcpsh runs) = "get-id-token --for corp"');
    expect(text).toContain('oauth assertionFile (a file mcpsh reads) = /var/run/token');
    expect(text).toContain('oauth idp.clientSecret = *** (written in the file)');
    expect(text).toContain('oauth idp.clientId = idp-client');
  });
});

describe('localModules', () => {
  it('follows relative, TypeScript-style, JSON and workspace imports; not installed packages or builtins', () => {
    const text =
      "import fs from 'node:fs';\nimport { a } from './lib/a.js';\nexport * from \"./lib/b\";\nimport dep from 'dep';\nimport ws from 'ws-local';\nexport default {};\n";
    const cfg = t.write('mcp.config.ts', text);
    const a = t.write('lib/a.ts', "import data from '../data.json' with { type: 'json' };\nexport const a = require('./c.cjs');\n");
    const b = t.write('lib/b.mjs', 'export const b = 1;\n');
    const c = t.write('lib/c.cjs', 'module.exports = 1;\n');
    const data = t.write('data.json', '{}');
    t.write('node_modules/dep/package.json', { name: 'dep', main: 'index.js' });
    t.write('node_modules/dep/index.js', "require('./evil-but-installed.js');\n");
    // A workspace package linked into node_modules is the project's own code: covered.
    const ws = t.write('packages/ws-local/index.js', 'export {};\n');
    t.write('packages/ws-local/package.json', { name: 'ws-local', main: 'index.js' });
    symlinkSync(path.join(t.root, 'packages/ws-local'), path.join(t.root, 'node_modules/ws-local'));
    expect(
      localModules(cfg, text)
        .map((m) => m.file)
        .sort(),
    ).toEqual([a, b, c, data, ws].sort());
  });

  it.each([
    ['const m = "./x.mjs"; await import(m);', 'import() with a computed module name (line 1)'],
    ['const x = require(name);', 'require() with a computed module name'],
    ["import { createRequire } from 'node:module';", 'createRequire'],
    ['eval("1")', 'eval or new Function'],
    ['const f = `./${n}.mjs`; import(`./${n}.mjs`);', 'import() with a computed module name'],
  ])('refuses loading it cannot follow: %s', (code, what) => {
    mkdirSync(path.join(t.root, 'x'), { recursive: true });
    const cfg = t.write('x/mcp.config.mjs', code);
    expect(() => localModules(cfg, code)).toThrow(`uses ${what}`);
  });
});
