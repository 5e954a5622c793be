// A tiny tmpfs for full-disk tests: mounting needs root (or CAP_SYS_ADMIN); where it is not permitted the
// tests that need it are skipped with a visible notice rather than silently passing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function probe(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether this run may mount a small tmpfs; prints why not when it cannot. */
export const CAN_MOUNT_TMPFS = probe();
if (!CAN_MOUNT_TMPFS) {
  console.warn('NOTICE: full-disk tests are SKIPPED: mounting a small tmpfs needs root on Linux (run the suite as root to cover them).');
}

/** Mounts a tmpfs of `sizeKb` at a new temp dir; returns it and the function that unmounts it. */
export function mountTmpfs(sizeKb = 64): { dir: string; unmount: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system holding `dir` until a write fails with ENOSPC. */
export function fillDisk(dir: string): void {
  const chunk = Buffer.alloc(4096, 120);
  for (let i = 0; ; i += 1) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
      throw err;
    }
  }
  // The last partial block: smaller writes until not even one byte fits.
  for (let i = 0; ; i += 1) {
    try {
      writeFileSync(join(dir, `tail-${i}`), 'x');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw err;
    }
  }
}
