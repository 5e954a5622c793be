// One measured process: spawned with the CPU probe preloaded (bench/cpu-probe.mjs), so what comes back is the
// process's OWN CPU time (children excluded), its peak RSS, and the wall time from spawn to exit.
// Async spawn on purpose: the scripted model runs inside the bench process and must keep answering.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = join(ROOT, 'bench/cpu-probe.mjs');
const probeDir = mkdtempSync(join(tmpdir(), 'mcpsh-bench-probe-'));
let counter = 0;

/** Removes the probe files' folder (call once at the end). */
export function cleanupProbes() {
  rmSync(probeDir, { recursive: true, force: true });
}

/**
 * Runs `node --import cpu-probe <args>` and resolves { cpuMs, rssMB, wallMs, code, stdout, stderr }.
 * Rejects when the process cannot be run or the probe wrote nothing (it died by a signal).
 */
export function measure(args, { env, cwd = ROOT, timeoutMs = 60_000 } = {}) {
  const file = join(probeDir, `${++counter}.json`);
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', PROBE, ...args], {
      cwd,
      env: { ...env, BENCH_PROBE_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      let probe;
      try {
        probe = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        fail(
          new Error(
            `node ${args.join(' ')} ended by ${signal ?? `exit ${code}`} without writing its CPU probe${timeoutMs && signal === 'SIGKILL' ? ` (killed after ${timeoutMs} ms)` : ''}\n${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      rmSync(file, { force: true });
      done({ cpuMs: (probe.userUs + probe.systemUs) / 1000, rssMB: probe.maxRssKB / 1024, wallMs, code, stdout, stderr });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
