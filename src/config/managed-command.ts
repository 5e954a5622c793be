// serverCommand matching for the managed policy: which program a command really starts. A command is looked up
// the way spawning it would (a path is taken from the server's cwd, a bare name from the PATH the server gets)
// and symlinks are followed, so `npx`, `/usr/bin/npx` and a symlink to it are one program; a look-alike of the
// same name elsewhere on disk is not. Arguments are compared exactly, except that a policy's absolute path
// also matches a relative one that names the same file from the server's cwd.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface CommandSite {
  /** The PATH the program is looked up on. */
  PATH: string | undefined;
  cwd: string;
  platform: NodeJS.Platform;
  /** Windows: the extensions tried for a bare name (PATHEXT). */
  PATHEXT?: string | undefined;
}

const pathOf = (platform: NodeJS.Platform): typeof path.posix => (platform === 'win32' ? path.win32 : path.posix);

/** Whether `command` names a file by path (rather than a name looked up on PATH). */
export function isPathCommand(command: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? /[/\\]/.test(command) || path.win32.isAbsolute(command) : command.includes('/');
}

/** The real path of the program `command` starts at `site`, or undefined when no such program is found. */
export async function resolveExecutable(command: string, site: CommandSite): Promise<string | undefined> {
  const p = pathOf(site.platform);
  if (command === '') return undefined;
  const exts = site.platform === 'win32' ? ['', ...(site.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')] : [''];
  const candidates = isPathCommand(command, site.platform)
    ? exts.map((e) => p.resolve(site.cwd, command + e))
    : (site.PATH ?? '')
        .split(site.platform === 'win32' ? ';' : ':')
        // An empty PATH entry is the current directory, as for execvp.
        .flatMap((dir) => exts.map((e) => p.resolve(site.cwd, dir === '' ? '.' : dir, command + e)));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate, site.platform)) {
      try {
        return await realpath(candidate);
      } catch {
        return candidate;
      }
    }
  }
  return undefined;
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A command's name without its directory (and, on Windows, without .exe/.cmd/…), for name-only comparisons. */
export function commandStem(command: string, platform: NodeJS.Platform): string {
  const base = pathOf(platform).basename(command);
  return platform === 'win32' ? base.replace(/\.(exe|cmd|bat|com)$/i, '').toLowerCase() : base;
}

/**
 * Whether the server's arguments are the policy's: equal, or naming the policy's absolute path from the server's
 * cwd. `broad` (deny lists) takes any argument that resolves there; otherwise only one written as a path.
 */
export function argsMatch(
  policyArgs: readonly string[],
  serverArgs: readonly string[],
  cwd: string,
  platform: NodeJS.Platform,
  broad = false,
): boolean {
  if (policyArgs.length !== serverArgs.length) return false;
  const p = pathOf(platform);
  return policyArgs.every((want, i) => {
    const got = serverArgs[i] ?? '';
    if (want === got) return true;
    return p.isAbsolute(want) && got !== '' && (broad || isPathCommand(got, platform)) && p.resolve(cwd, got) === p.normalize(want);
  });
}
