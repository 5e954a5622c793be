// Project trust: records tied to the path as found and the content hash (0600), the loader's gate (an untrusted code
// config is never imported, a JSON one is read but flagged), what `trust` would show, list and revoke.
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHost } from '../../../src/commands/host.js';
import {
  describeForTrust,
  formatTrustDescription,
  hashConfigText,
  isTrusted,
  listTrust,
  projectTrustGate,
  recordTrust,
  revokeTrust,
  trustAllRequested,
  trustStorePath,
  untrustedError,
} from '../../../src/config/trust.js';
import type { Io } from '../../../src/io.js';
import { makeTree, type Tree } from './helpers.js';

let t: Tree;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  t = makeTree();
  env = { MCPSH_DATA_DIR: path.join(t.root, 'data') };
});
afterEach(() => t.cleanup());

const server = { mcpServers: { db: { command: 'node', args: ['db.js', '--demo'], env: { DB_TOKEN: '${DB_TOKEN}' } } } };

describe('trust records', () => {
  it('trust is tied to the content: an edit makes the file untrusted again', () => {
    const file = t.write('mcp.config.json', server);
    expect(isTrusted(file, env)).toBe(false);
    const record = recordTrust(file, env, undefined, new Date('2026-05-01T00:00:00Z'));
    expect(record).toEqual({ path: file, sha256: hashConfigText(readFileSync(file, 'utf8')), trustedAt: '2026-05-01T00:00:00.000Z' });
    expect(isTrusted(file, env)).toBe(true);
    writeFileSync(file, JSON.stringify({ mcpServers: { db: { command: 'rm', args: ['-rf', '/'] } } }));
    expect(isTrusted(file, env)).toBe(false);
    expect(listTrust(env)).toEqual([{ path: file, sha256: record.sha256, trustedAt: record.trustedAt, state: 'changed' }]);
  });

  it('records the content the user reviewed: a file edited between review and record is not trusted', async () => {
    const file = t.write('mcp.config.json', server);
    const reviewed = await t.load('.', { trustGate: projectTrustGate({}, env) });
    writeFileSync(file, JSON.stringify({ mcpServers: { db: { command: 'evil' } } }));
    recordTrust(file, env, reviewed.untrusted?.sha256[file]);
    expect(isTrusted(file, env)).toBe(false);
    writeFileSync(file, JSON.stringify(server, null, 2));
    expect(isTrusted(file, env)).toBe(true);
  });

  it('is keyed by the path as found: a copy or a symlink in another directory is another project', () => {
    const file = t.write('a/mcp.config.json', server);
    const copy = t.write('b/mcp.config.json', server);
    recordTrust(file, env);
    expect(isTrusted(copy, env)).toBe(false);
    const link = path.join(t.root, 'c', 'mcp.config.json');
    mkdirSync(path.dirname(link));
    symlinkSync(file, link);
    expect(isTrusted(link, env)).toBe(false);
    expect(isTrusted(file, env)).toBe(true);
    const err = untrustedError({ files: [link], codeNotRun: false, sha256: { [link]: hashConfigText(readFileSync(file, 'utf8')) } }, env);
    expect(err.message).toBe(
      `${link} is a link to ${file}, which you trusted in its own directory; trust is per directory, because relative paths and cwd resolve where the config is used; its servers were not started`,
    );
    const copyErr = untrustedError(
      { files: [copy], codeNotRun: false, sha256: { [copy]: hashConfigText(readFileSync(copy, 'utf8')) } },
      env,
    );
    expect(copyErr.message).toContain(
      `${copy} is a project config you have not trusted here (the same content is trusted at ${file}; trust is per directory)`,
    );
  });

  it('reads a version 1 store (keyed by real path) and rewrites it as version 2, keeping every record', () => {
    const file = t.write('a/mcp.config.json', server);
    const other = t.write('b/mcp.config.json', { mcpServers: {} });
    const v1 = {
      version: 1,
      files: { [file]: { sha256: hashConfigText(readFileSync(file, 'utf8')), trustedAt: '2025-01-01T00:00:00.000Z' } },
    };
    mkdirSync(path.dirname(trustStorePath(env)), { recursive: true });
    writeFileSync(trustStorePath(env), JSON.stringify(v1));
    expect(isTrusted(file, env)).toBe(true);
    recordTrust(other, env);
    const store = JSON.parse(readFileSync(trustStorePath(env), 'utf8')) as { version: number; files: Record<string, unknown> };
    expect(store.version).toBe(2);
    expect(Object.keys(store.files).sort()).toEqual([file, other].sort());
  });

  it('a store from a newer mcpsh is refused, not overwritten', () => {
    const file = t.write('mcp.config.json', server);
    mkdirSync(path.dirname(trustStorePath(env)), { recursive: true });
    writeFileSync(trustStorePath(env), JSON.stringify({ version: 3, files: {} }));
    expect(() => recordTrust(file, env)).toThrow(/written by a newer mcpsh/);
    expect(JSON.parse(readFileSync(trustStorePath(env), 'utf8'))).toEqual({ version: 3, files: {} });
  });

  it('writes the store with mode 0600 and can revoke', () => {
    const file = t.write('mcp.config.json', server);
    recordTrust(file, env);
    expect(statSync(trustStorePath(env)).mode & 0o777).toBe(0o600);
    expect(revokeTrust(file, env)).toBe(true);
    expect(revokeTrust(file, env)).toBe(false);
    expect(isTrusted(file, env)).toBe(false);
    expect(listTrust(env)).toEqual([]);
  });

  it('a damaged store trusts nothing and says how to recover', () => {
    const file = t.write('mcp.config.json', server);
    recordTrust(file, env);
    writeFileSync(trustStorePath(env), '{ not json');
    expect(() => isTrusted(file, env)).toThrow(/trust records .* are not valid JSON/);
  });

  it('MCPSH_TRUST and --trust trust everything for the run', () => {
    expect(trustAllRequested(true, {})).toBe(true);
    expect(trustAllRequested(undefined, { MCPSH_TRUST: '1' })).toBe(true);
    expect(trustAllRequested(undefined, { MCPSH_TRUST: '0' })).toBe(false);
    expect(trustAllRequested(undefined, {})).toBe(false);
    expect(projectTrustGate({ trust: true }, env)).toBeUndefined();
    expect(projectTrustGate({ configPath: 'x.json' }, env)).toBeUndefined();
    expect(projectTrustGate({}, env)).toBeTypeOf('function');
  });
});

describe('the loader with the trust gate', () => {
  it('never imports an untrusted code config, and imports it once trusted with that content', async () => {
    const marker = path.join(t.root, 'ran');
    const code = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default ${JSON.stringify(server)};\n`;
    const file = t.write('mcp.config.mjs', code);
    const untrusted = await t.load('.', { trustGate: projectTrustGate({}, env) });
    expect(existsSync(marker)).toBe(false);
    expect(untrusted.servers).toEqual([]);
    expect(untrusted.untrusted).toEqual({ files: [file], codeNotRun: true, sha256: { [file]: hashConfigText(code) } });
    expect(untrustedError(untrusted.untrusted ?? { files: [], codeNotRun: false, sha256: {} }, env).message).toBe(
      `${file} is a project config you have not trusted yet; its servers were not started and its code was not run`,
    );

    recordTrust(file, env);
    const trusted = await t.load('.', { trustGate: projectTrustGate({}, env), env: { DB_TOKEN: 'x' } });
    expect(existsSync(marker)).toBe(true);
    expect(trusted.untrusted).toBeUndefined();
    expect(trusted.servers.map((s) => s.name)).toEqual(['db']);
  });

  it('reads an untrusted JSON config (it runs nothing) but flags it; an edit after trust says "changed"', async () => {
    const file = t.write('sub/mcp.config.json', server);
    const loaded = await t.load('sub', { trustGate: projectTrustGate({}, env) });
    expect(loaded.servers.map((s) => s.name)).toEqual(['db']);
    expect(loaded.untrusted).toMatchObject({ files: [file], codeNotRun: false });

    recordTrust(file, env);
    expect((await t.load('sub', { trustGate: projectTrustGate({}, env) })).untrusted).toBeUndefined();
    writeFileSync(file, `${JSON.stringify(server)}\n`);
    const edited = await t.load('sub', { trustGate: projectTrustGate({}, env) });
    expect(edited.untrusted?.files).toEqual([file]);
    const err = untrustedError(edited.untrusted ?? { files: [], codeNotRun: false, sha256: {} }, env);
    expect(err.code).toBe('CONFIG');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`${file} changed since you trusted it; its servers were not started`);
    expect(err.hint).toContain('mcpsh trust');
    expect(err.hint).toContain('--trust');
  });

  it('the user file needs no trust, and a package.json without "mcp" on the way is not part of the config', async () => {
    t.write('user-config/config.json', { mcpServers: { mine: { command: 'mine' } } });
    t.write('a/package.json', { name: 'x' });
    expect((await t.load('a', { trustGate: projectTrustGate({}, env) })).untrusted).toBeUndefined();
    const file = t.write('mcp.config.json', server);
    const loaded = await t.load('a', { trustGate: projectTrustGate({}, env) });
    expect(loaded.untrusted?.files).toEqual([file]);
  });

  it('a code file pulled in with $import is gated on its own', async () => {
    const marker = path.join(t.root, 'imported-ran');
    t.write('extra.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default {};\n`);
    const file = t.write('mcp.config.json', { $import: './extra.mjs', mcpServers: { db: { command: 'x' } } });
    recordTrust(file, env);
    const loaded = await t.load('.', { trustGate: projectTrustGate({}, env) });
    expect(existsSync(marker)).toBe(false);
    expect(loaded.untrusted).toMatchObject({ files: [path.join(t.root, 'extra.mjs')], codeNotRun: true });
  });
});

describe('describeForTrust', () => {
  it("lists what the project config would start, as written (templates, not values), and not the user file's servers", async () => {
    t.write('user-config/config.json', { mcpServers: { mine: { command: 'mine' } } });
    const file = t.write('mcp.config.json', {
      ...server,
      mcpServers: {
        ...server.mcpServers,
        crm: { url: 'http://127.0.0.1:3333/mcp?key=${CRM_KEY}', headers: { Authorization: 'Bearer x' } },
      },
      model: { baseURL: 'http://127.0.0.1:9/v1' },
    });
    const loaded = await t.load('.', { trustGate: () => false, env: { DB_TOKEN: 'dbtok-123', CRM_KEY: 'crmkey-456' } });
    const d = describeForTrust(loaded, {});
    expect(d.files).toEqual([file]);
    expect(d.servers).toEqual([
      {
        name: 'db',
        transport: 'stdio',
        enabled: true,
        command: 'node',
        args: ['db.js', '--demo'],
        cwd: { path: t.root, note: 'the directory you run mcpsh in' },
        env: [{ name: 'DB_TOKEN', value: '${DB_TOKEN}' }],
      },
      {
        name: 'crm',
        transport: 'auto',
        enabled: true,
        url: 'http://127.0.0.1:3333/mcp?key=${CRM_KEY}',
        headers: [{ name: 'Authorization', value: '***', masked: true }],
      },
    ]);
    expect(d.refs.map((r) => [r.variable, r.to, r.flagged])).toEqual([
      ['DB_TOKEN', 'env DB_TOKEN of server db (node)', true],
      ['CRM_KEY', 'URL of server crm', true],
    ]);
    const text = formatTrustDescription(d);
    expect(text).toContain(
      `${file} would start or connect to:\n  server db: runs a program (stdio)\n    command: node\n    args: db.js --demo\n`,
    );
    expect(text).not.toContain('crmkey-456');
    expect(text).not.toContain('dbtok-123');
    expect(text).toContain('Model requests (with your API key) go to: http://127.0.0.1:9/v1');
    expect(text).toContain(
      'warning: your API key ($OPENAI_API_KEY, or model.apiKey of your user config) would be sent to http://127.0.0.1:9/v1, not to api.openai.com',
    );
  });

  it('says a code config cannot be shown without running it', async () => {
    t.write('mcp.config.cjs', 'module.exports = {};');
    const d = describeForTrust(await t.load('.', { trustGate: () => false }));
    expect(d.code).toBe(true);
    expect(formatTrustDescription(d)).toContain('is code: loading it runs it');
  });

  it('refuses to describe a file that changed after it was read (the hash recorded must be of what was shown)', async () => {
    const file = t.write('mcp.config.json', server);
    const loaded = await t.load('.', { trustGate: () => false });
    writeFileSync(file, JSON.stringify({ mcpServers: { db: { command: 'evil' } } }));
    expect(() => describeForTrust(loaded, {})).toThrow(`${file} changed while mcpsh was reading it`);
  });
});

describe('openHost with a trust prompt (the chat passes confirmTrust)', () => {
  const io = (cwd: string): Io => ({
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {
      ...env,
      MCPSH_CONFIG_DIR: t.userDir,
      MCPSH_STATE_DIR: path.join(t.root, 'state'),
      MCPSH_CACHE_DIR: path.join(t.root, 'cache'),
      HOME: t.root,
    },
    cwd,
    signal: new AbortController().signal,
  });

  it('asks once with the description; yes records trust and opens the host, no is the usual error', async () => {
    const file = t.write('mcp.config.json', server);
    const seen: string[] = [];
    const no = openHost({}, io(t.root), {
      confirmTrust: (loaded) => (seen.push(describeForTrust(loaded).servers[0]?.command ?? ''), Promise.resolve(false)),
    });
    await expect(no).rejects.toThrow(`${file} is a project config you have not trusted yet`);
    expect(isTrusted(file, env)).toBe(false);

    const host = await openHost({}, io(t.root), { confirmTrust: () => Promise.resolve(true) });
    await host.close();
    expect(host.hub.connections.map((c) => c.name)).toEqual(['db']);
    expect(isTrusted(file, env)).toBe(true);
    expect(seen).toEqual(['node']);
  });
});
