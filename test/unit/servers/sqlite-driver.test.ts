// The one seam through which the bundled servers load better-sqlite3 (an optional dependency): when it is
// missing or its addon does not load, `serve sqlite|crm` fail with a CONFIG error that names what to install.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { loadSqliteDriver } from '../../../src/servers/sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'mcpsh-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(specifier: string): Promise<AppError> {
  const err: unknown = await loadSqliteDriver('`mcpsh serve sqlite`', specifier).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('loadSqliteDriver', () => {
  it('returns a working better-sqlite3 where it is installed', async () => {
    const Driver = await loadSqliteDriver('`mcpsh serve sqlite`');
    const db = new Driver(':memory:');
    expect(db.prepare('SELECT 1 + 1 AS n').get()).toEqual({ n: 2 });
    db.close();
  });

  it('names the module and how to install it when the package is missing', async () => {
    const err = await failure('better-sqlite3-not-installed-here');
    expect(err.code).toBe('CONFIG');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('`mcpsh serve sqlite` needs the native module better-sqlite3, which did not install on this machine');
    expect(err.hint).toContain('npm install -g better-sqlite3');
    expect(err.hint).toMatch(/Node version/);
  });

  it('says to rebuild when the package is there but its addon does not load (no binary, another Node ABI)', async () => {
    // Stands in for better-sqlite3 whose native build is absent: the package imports, the first open throws.
    const fake = join(dir, 'broken-driver.mjs');
    writeFileSync(fake, "export default class { constructor() { throw new Error('Could not locate the bindings file.'); } }\n");
    const err = await failure(pathToFileURL(fake).href);
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('better-sqlite3, which is installed but does not load on this Node');
    expect(err.message).toContain('Could not locate the bindings file');
    expect(err.hint).toContain('npm rebuild better-sqlite3');
  });
});
