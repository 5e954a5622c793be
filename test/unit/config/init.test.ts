// `mcpsh init`'s starter config: written with comments, loads cleanly, and is never written over by accident.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInit, SHIPPED_SCHEMA } from '../../../src/commands/init.js';
import { isTrusted } from '../../../src/config/trust.js';
import { AppError } from '../../../src/errors.js';
import type { Io } from '../../../src/io.js';
import { makeTree, type Tree } from './helpers.js';

function testIo(cwd: string): Io & { out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  // init records trust: the store must be the test's own, never the machine's.
  const env = {
    MCPSH_DATA_DIR: path.join(cwd, '.mcpsh-data'),
    MCPSH_STATE_DIR: path.join(cwd, '.mcpsh-state'),
    MCPSH_CONFIG_DIR: path.join(cwd, '.mcpsh-config'),
  };
  return { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env, cwd, signal: new AbortController().signal, out: () => text };
}

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

describe('runInit', () => {
  it('writes a commented starter that loads cleanly', async () => {
    const io = testIo(t.root);
    expect(await runInit('mcp.config.json', {}, io)).toBe(0);
    const file = path.join(t.root, 'mcp.config.json');
    expect(io.out()).toBe(
      `wrote ${file} (trusted: it is yours; an edit asks again)\nnext: run \`mcpsh config\` to check it, then \`mcpsh tools\` to list the tools of its servers\n`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\/\/ mcpsh config/);
    expect(text).toContain('// "crm": {');
    expect(text).toContain('"apiKey": "${OPENAI_API_KEY}"');

    const loaded = await t.load();
    expect(loaded.warnings).toEqual([]);
    expect(loaded.servers).toHaveLength(1);
    expect(loaded.servers[0]).toMatchObject({
      name: 'db',
      transport: 'stdio',
      command: 'mcpsh',
      args: ['serve', 'sqlite', 'demo.db', '--demo'],
      callTimeoutMs: 30_000,
    });
    expect(loaded.servers[0]?.configError).toBeUndefined();
    expect(loaded.config.model).toEqual({ name: 'gpt-4.1-mini', baseURL: 'https://api.openai.com/v1', apiKey: '${OPENAI_API_KEY}' });
    // The only open point is the key, which matters only once a model is used.
    expect(loaded.modelProblems).toHaveLength(1);
    expect(loaded.modelProblems[0]).toContain('model.apiKey uses ${OPENAI_API_KEY}, which is not set');

    const withKey = await t.load('.', { env: { OPENAI_API_KEY: 'sk-test-123456' } });
    expect(withKey.modelProblems).toEqual([]);
    expect(withKey.secrets).toContain('sk-test-123456');
  });

  it('points $schema at the schema file shipped in the package', async () => {
    await runInit('mcp.config.json', {}, testIo(t.root));
    const schema = /"\$schema": "([^"]+)"/.exec(readFileSync(path.join(t.root, 'mcp.config.json'), 'utf8'))?.[1] ?? '';
    const resolved = schema.startsWith('file:') ? fileURLToPath(schema) : path.resolve(t.root, schema);
    expect(resolved).toBe(SHIPPED_SCHEMA);
    expect(existsSync(resolved)).toBe(true);
  });

  it('refuses to overwrite an existing file without --force', async () => {
    const file = path.join(t.root, 'mcp.config.json');
    writeFileSync(file, '{"mine": true}');
    const err = await runInit('mcp.config.json', {}, testIo(t.root)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('USAGE');
    expect((err as AppError).exitCode).toBe(2);
    expect((err as AppError).message).toBe(`${file} already exists; not overwriting it`);
    expect((err as AppError).hint).toContain('mcpsh init --force');
    expect(readFileSync(file, 'utf8')).toBe('{"mine": true}');

    expect(await runInit('mcp.config.json', { force: true }, testIo(t.root))).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('"mcpServers"');
  });

  it('trusts the file it wrote, for exactly the text it wrote', async () => {
    const io = testIo(t.root);
    await runInit('mcp.config.json', {}, io);
    const file = path.join(t.root, 'mcp.config.json');
    expect(isTrusted(file, io.env)).toBe(true);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"db"', '"edited"'));
    expect(isTrusted(file, io.env)).toBe(false);
  });

  it('says --config when another config in the folder would be found first', async () => {
    t.write('mcp.config.json', { mcpServers: {} });
    const io = testIo(t.root);
    await runInit('.mcp.json', {}, io);
    expect(io.out()).toContain('next: run `mcpsh --config .mcp.json config` to check it');
  });

  it('tells how to use a file the search would not find', async () => {
    const io = testIo(t.root);
    await runInit('team.json', {}, io);
    expect(io.out()).toContain('next: run `mcpsh --config team.json config` to check it');
    expect((await t.load('.', { configPath: 'team.json' })).servers.map((s) => s.name)).toEqual(['db']);
  });
});
