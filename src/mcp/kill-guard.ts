// A watchdog that ends stdio servers when mcpsh dies in a way its own exit handlers never see (SIGKILL, OOM kill,
// a crash in native code): a tiny /bin/sh, in its own session, reading server process-group ids from a pipe.
// When the pipe hits EOF (mcpsh is gone, however it went), it sends SIGTERM, then SIGKILL, to the groups left.
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The whole guard. Lines are `+PGID` (a server started) and `-PGID` (it ended normally). On EOF: SIGTERM to
 * every group left, up to ~2 s for them to go, then SIGKILL. Plain POSIX sh, so it costs a fork, not a Node start.
 */
const SCRIPT = `
trap '' INT HUP TERM PIPE
groups=''
while IFS= read -r line; do
  id=\${line#?}
  case "$id" in ''|*[!0-9]*) continue ;; esac
  case "$line" in
    +*) groups="$groups $id" ;;
    -*) rest=''; for g in $groups; do [ "$g" = "$id" ] || rest="$rest $g"; done; groups=$rest ;;
  esac
done
[ -n "$groups" ] || exit 0
for g in $groups; do kill -TERM -$g 2>/dev/null; done
n=0
while [ $n -lt 10 ]; do
  alive=''
  for g in $groups; do kill -0 -$g 2>/dev/null && alive="$alive $g"; done
  groups=$alive
  [ -n "$groups" ] || exit 0
  sleep 0.2 2>/dev/null || sleep 1
  n=$((n + 1))
done
for g in $groups; do kill -KILL -$g 2>/dev/null; done
exit 0
`;

/** The guard's $0: lets people (and tests) find it in `ps` next to the mcpsh pid it watches. */
export const GUARD_NAME = 'mcpsh-kill-guard';

let guard: ChildProcess | undefined;
let unavailable = false;
/** The groups under guard, re-sent to a new guard if the old one was killed. */
const guarded = new Set<number>();

/** Puts a server's process group under the guard (started on first use; a no-op where there is no /bin/sh). */
export function guardGroup(pgid: number): void {
  guarded.add(pgid);
  const fresh = guard === undefined;
  const g = ensureGuard();
  if (fresh) for (const other of guarded) if (other !== pgid) write(g, `+${other}\n`);
  write(g, `+${pgid}\n`);
}

/** Takes a group off the guard once the server has ended normally. */
export function releaseGroup(pgid: number): void {
  guarded.delete(pgid);
  write(guard, `-${pgid}\n`);
}

function write(g: ChildProcess | undefined, line: string): void {
  const stdin = g?.stdin;
  if (!stdin || stdin.destroyed) return;
  // A pipe write is attempted at once by libuv: the id is with the guard before the server can do any work.
  stdin.write(line);
}

function ensureGuard(): ChildProcess | undefined {
  if (guard || unavailable) return guard;
  if (process.platform === 'win32') {
    unavailable = true;
    return undefined;
  }
  try {
    // detached: a new session, so neither a signal to mcpsh's process group (kill -9 -PGID, Ctrl+C, SIGHUP of
    // the terminal) nor one to a server's group reaches the guard. Its stdout/stderr are not mcpsh's: a script
    // reading mcpsh's output must see EOF when mcpsh ends, not when the guard does.
    const child = spawn('/bin/sh', ['-c', SCRIPT, GUARD_NAME, String(process.pid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    child.once('error', () => {
      unavailable = true;
      guard = undefined;
    });
    child.once('exit', () => {
      guard = undefined;
    });
    child.stdin?.on('error', () => {
      // The guard died (EPIPE): the exit handlers still cover a normal exit.
    });
    // Neither the guard nor its pipe may keep mcpsh running.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    guard = child;
  } catch {
    unavailable = true;
  }
  return guard;
}
