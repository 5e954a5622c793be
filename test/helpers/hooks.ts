// Hook commands for tests: the fixture hook (test/fixtures/hooks/hook.mjs) run by this Node, quoted for sh -c.
import { join } from 'node:path';
import { ROOT } from './config.js';

export const HOOK_FIXTURE = join(ROOT, 'test/fixtures/hooks/hook.mjs');
export const DENY_RM_SH = join(ROOT, 'test/fixtures/hooks/deny-rm.sh');

/** One word for sh, single-quoted. */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `node hook.mjs MODE ARGS...` as one shell command line. */
export function hookCommand(mode: string, ...args: string[]): string {
  return [process.execPath, HOOK_FIXTURE, mode, ...args].map(shellWord).join(' ');
}

/** The lines the fixture appended to its HOOK_LOG file. */
export interface HookLogLine {
  mode: string;
  args: string[];
  input: Record<string, unknown>;
  env: { MCPSH_PROJECT_DIR?: string; CLAUDE_PROJECT_DIR?: string };
  cwd: string;
}
