// Atomic writes and the cross-process lock (src/files): real child processes racing on one file, a stale lock
// left by a dead process, and a full disk (a small tmpfs, root only) that must leave the old file intact.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/config.js';
import { runNode } from '../helpers/processes.js';
import { CAN_MOUNT_TMPFS, fillDisk, mountTmpfs } from '../helpers/tmpfs.js';
import { scaled } from '../helpers/time.js';

const ATOMIC = join(ROOT, 'dist/files/atomic.js');
if (!existsSync(ATOMIC)) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json`');
type AtomicModule = typeof import('../../src/files/atomic.js');
const { writeFileAtomicSync, updateFileLockedSync } = (await import(pathToFileURL(ATOMIC).href)) as AtomicModule;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomicSync', () => {
  it('creates new files 0600, keeps an existing file mode, and writes through a symlink', () => {
    const file = join(dir, 'a.json');
    writeFileAtomicSync(file, 'one');
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    chmodSync(file, 0o640);
    writeFileAtomicSync(file, 'two');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    writeFileAtomicSync(file, 'three', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const link = join(dir, 'link.json');
    symlinkSync(file, link);
    writeFileAtomicSync(link, 'four');
    expect(statSync(link).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('four');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'link.json']);
  });
});

describe('updateFileLockedSync', () => {
  it(
    'loses no update when processes increment one counter at the same time',
    async () => {
      const file = join(dir, 'counter.txt');
      const code = `
      import { updateFileLockedSync } from ${JSON.stringify(pathToFileURL(ATOMIC).href)};
      for (let i = 0; i < 20; i++) updateFileLockedSync(${JSON.stringify(file)}, (t) => String(Number(t ?? '0') + 1));
    `;
      const results = await Promise.all([1, 2, 3, 4].map(() => runNode(code)));
      for (const r of results) expect(r.stderr).toBe('');
      expect(readFileSync(file, 'utf8')).toBe('80');
      expect(readdirSync(dir)).toEqual(['counter.txt']);
    },
    scaled(60_000),
  );

  it('takes over a lock left by a process that died', () => {
    const file = join(dir, 'state.json');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(dead).toBeGreaterThan(0);
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: dead, host: hostname(), time: Date.now(), token: 'x' }));
    // A long stale age: only the dead pid can make the lock free within the short wait.
    updateFileLockedSync(file, () => 'taken', { lockTimeoutMs: 3_000, staleMs: 600_000 });
    expect(readFileSync(file, 'utf8')).toBe('taken');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits a bounded time for a live holder, then says the file was not changed', () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), token: 'y' }));
    expect(() => updateFileLockedSync(file, () => 'new', { lockTimeoutMs: 200 })).toThrow(
      /was not changed: another mcpsh process \(pid \d+\) holds its lock/,
    );
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('writes nothing when the update returns undefined', () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old');
    const before = statSync(file).mtimeMs;
    expect(updateFileLockedSync(file, () => undefined)).toBeUndefined();
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe.skipIf(!CAN_MOUNT_TMPFS)('on a full disk (tmpfs)', () => {
  it('leaves the old file intact, removes the temp file and says the disk is full', () => {
    const fs = mountTmpfs(64);
    try {
      const file = join(fs.dir, 'config.json');
      const old = `${JSON.stringify({ permissions: { deny: ['db__drop'] } }, null, 2)}\n`;
      writeFileSync(file, old);
      fillDisk(fs.dir);
      const big = 'x'.repeat(20_000);
      expect(() => writeFileAtomicSync(file, big)).toThrow(/config\.json was not changed: the disk is full \(ENOSPC\)/);
      expect(() => updateFileLockedSync(file, (t) => `${t ?? ''}${big}`)).toThrow(/was not changed: the disk is full/);
      expect(readFileSync(file, 'utf8')).toBe(old);
      expect(readdirSync(fs.dir).filter((n) => n.includes('config.json'))).toEqual(['config.json']);
    } finally {
      fs.unmount();
    }
  });
});
