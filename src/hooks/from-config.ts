// The hooks a session may run, from a loaded config: the managed policy's and the user's always, a project
// file's only when it is trusted (an untrusted project config runs nothing, hooks included).
import path from 'node:path';
import { HooksSchema, type HookSet } from '../config/hooks-schema.js';
import type { LoadedConfig } from '../config/types.js';
import { HookRunner, type HookContext } from './runner.js';

/** The runner for a new session, or undefined when no trusted file configures a hook (nothing to do per call). */
export function hooksFor(
  loaded: LoadedConfig,
  cwd: string,
  env: NodeJS.ProcessEnv,
  extra: Pick<HookContext, 'sessionId' | 'transcriptPath'> = {},
): HookRunner | undefined {
  const sets = trustedHookSets(loaded);
  return sets.length === 0 ? undefined : new HookRunner(sets, { projectDir: projectDir(loaded, cwd), env, ...extra });
}

/** The managed policy's hooks first (no user or project file can remove them), then the user's, then a trusted project's. */
export function trustedHookSets(loaded: Pick<LoadedConfig, 'hookSets' | 'untrusted' | 'managed'>): HookSet[] {
  const policy = loaded.managed?.hooks !== undefined ? HooksSchema.safeParse(loaded.managed.hooks) : undefined;
  const managed: HookSet[] =
    policy?.success === true && loaded.managed ? [{ source: loaded.managed.file, scope: 'managed', hooks: policy.data }] : [];
  return [...managed, ...(loaded.hookSets ?? []).filter((set) => set.scope !== 'project' || loaded.untrusted === undefined)];
}

/** The project config's directory (the one holding .vscode/ or .cursor/ for their files), else the working directory. */
export function projectDir(loaded: Pick<LoadedConfig, 'sources'>, cwd: string): string {
  const project = loaded.sources.find((s) => s.scope === 'project');
  if (!project) return cwd;
  const dir = path.dirname(project.path);
  const base = path.basename(dir);
  return base === '.vscode' || base === '.cursor' ? path.dirname(dir) : dir;
}
