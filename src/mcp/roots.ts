// Roots mcpsh offers to servers (`roots/list`), per server. Some servers (the reference filesystem server)
// replace their configured directories with the client's roots, so roots must never widen a server's access.
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedServer } from '../config/schema.js';
import type { Root } from './types.js';

/** Directories as file:// roots, without duplicates; relative paths are taken from `base`. */
export function rootsFor(base: string, paths: readonly string[]): Root[] {
  const seen = new Set<string>();
  const roots: Root[] = [];
  for (const p of paths) {
    const absolute = resolve(base, p);
    const uri = pathToFileURL(absolute).href;
    if (seen.has(uri)) continue;
    seen.add(uri);
    roots.push({ uri, name: basename(absolute) || absolute });
  }
  return roots;
}

export interface RootsPlan {
  /** The config's `roots` (absolute), offered to every server besides its own default. */
  extra: readonly string[];
  /** Project config files: a server defined in one gets that file's directory as its default root. */
  projectFiles: readonly string[];
}

/**
 * The roots one server is offered. A stdio server whose command line names existing directories is
 * offered exactly those (so a server that takes roots as its allowed set keeps what it was configured
 * with, neither widened to the project nor moved to the working directory); any other server is
 * offered the directory of the project config that defines it, and a server from the user config none.
 * The configured `roots` come on top: they are the user's explicit choice.
 */
export function serverRoots(server: ResolvedServer, plan: RootsPlan): Root[] {
  const own = server.transport === 'stdio' ? directoriesNamedBy(server.args, server.cwd) : [];
  const base = own.length > 0 ? own : plan.projectFiles.includes(server.source) ? [dirname(server.source)] : [];
  return rootsFor(server.transport === 'stdio' ? server.cwd : '/', [...base, ...plan.extra]);
}

/** Arguments (or `--flag=value` values) that name an existing directory, taken from the server's cwd. */
function directoriesNamedBy(args: readonly string[], cwd: string): string[] {
  const dirs: string[] = [];
  for (const arg of args) {
    const value = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (!value || value.startsWith('-') || value.includes('://')) continue;
    const absolute = isAbsolute(value) ? value : resolve(cwd, value);
    if (isDirectory(absolute)) dirs.push(absolute);
  }
  return dirs;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
