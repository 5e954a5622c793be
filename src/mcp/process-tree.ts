// Ending a stdio server's whole process tree. Each server leads its own process group; on exit of
// mcpsh (even through process.exit) every group still alive is killed, so no child outlives us; when mcpsh
// dies without running exit handlers (SIGKILL), the kill guard (kill-guard.ts) ends the groups instead.
import { readdirSync, readFileSync } from 'node:fs';
import { guardGroup, releaseGroup } from './kill-guard.js';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackChild(pid: number): void {
  liveGroups.add(pid);
  guardGroup(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: a plain SIGKILL to each group is all that fits.
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
}

export function untrackChild(pid: number): void {
  liveGroups.delete(pid);
  releaseGroup(pid);
}

/** Sends a signal to the process group led by pid, and to any extra pids (descendants that left the group). */
export function killTree(pid: number, signal: NodeJS.Signals, extra: readonly number[] = []): void {
  signalGroup(pid, signal);
  for (const p of extra) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** How the process table is read (Linux /proc); a test may count the reads through its own reader. */
export interface ProcessTableReader {
  /** The entries of /proc (numeric ones are pids). */
  entries(): string[];
  /** The text of /proc/<pid>/stat. */
  stat(pid: string): string;
}

const procfs: ProcessTableReader = {
  entries: () => readdirSync('/proc'),
  stat: (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8'),
};
let reader = procfs;

/** Reads the process table through `next` from now on; returns a function that puts the previous reader back. */
export function useProcessTableReader(next: ProcessTableReader): () => void {
  const previous = reader;
  reader = next;
  snapshot = undefined;
  return () => {
    reader = previous;
    snapshot = undefined;
  };
}

/**
 * One scan of the process table (parent pid -> child pids) serves every close that starts in the same turn of
 * the event loop: closing N servers at once (Hub.closeAll) reads /proc once, not N times (a scan reads every
 * process's stat file: milliseconds each). The next turn scans afresh, as the table will have changed.
 */
let snapshot: Map<number, number[]> | undefined;

function processTable(): Map<number, number[]> {
  if (snapshot) return snapshot;
  const table = scanProcessTable();
  snapshot = table;
  setImmediate(() => {
    if (snapshot === table) snapshot = undefined;
  }).unref();
  return table;
}

function scanProcessTable(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = reader.entries();
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(entry);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

/** All descendants of pid, from /proc (Linux; elsewhere the process-group kill has to do). See processTable. */
export function descendantPids(pid: number): number[] {
  const children = processTable();
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = reader.stat(pid);
    // The command name (field 2) may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    return Number.isFinite(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}
