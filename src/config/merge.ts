// Merging the user file under the project file: servers and agents by name (the project's entry
// replaces the user's whole), `model` shallowly, permission lists concatenated.
import path from 'node:path';
import type { Prepared } from './prepare.js';
import { isRecord, type ServerDraft } from './validate.js';

export interface Merged {
  rest: Record<string, unknown>;
  /** Winning server entries, user first, each with the source that defined it. */
  servers: { draft: ServerDraft; from: Prepared }[];
  modelProblems: string[];
  warnings: string[];
}

function mergeByName(
  what: string,
  lower: Record<string, unknown> | undefined,
  upper: Record<string, unknown> | undefined,
  lowerPath: string,
  upperPath: string,
  warnings: string[],
): Record<string, unknown> | undefined {
  if (!lower || !upper) return upper ?? lower;
  for (const name of Object.keys(upper)) {
    if (name in lower) warnings.push(`${what} "${name}" in ${upperPath} replaces the one of the same name in ${lowerPath}`);
  }
  return { ...lower, ...upper };
}

function mergePermissions(lower: unknown, upper: unknown): unknown {
  if (!isRecord(lower) || !isRecord(upper)) return upper ?? lower;
  const out: Record<string, unknown> = { ...lower };
  for (const [k, v] of Object.entries(upper)) {
    const prev = out[k];
    out[k] = Array.isArray(prev) && Array.isArray(v) ? [...(prev as unknown[]), ...(v as unknown[])] : v;
  }
  return out;
}

/** Merges prepared files, lowest precedence first (user, then project). */
/** Top-level settings that are single values. */
const SCALAR_KEYS = ['maxTurns', 'resourceTool', 'browser', 'toolSearch'] as const;

export function mergePrepared(files: Prepared[]): Merged {
  const warnings: string[] = [];
  let rest: Record<string, unknown> = {};
  let servers: Merged['servers'] = [];
  const modelOwner = new Map<string, Prepared>();
  let prevPath = '';
  for (const file of files) {
    const r = file.rest;
    const next: Record<string, unknown> = { ...rest };
    if (isRecord(r.model)) {
      next.model = { ...(isRecord(rest.model) ? rest.model : {}), ...r.model };
      for (const key of Object.keys(r.model)) modelOwner.set(key, file);
    }
    const agents = mergeByName(
      'agent',
      rest.agents as Record<string, unknown> | undefined,
      r.agents as Record<string, unknown> | undefined,
      prevPath,
      file.source.path,
      warnings,
    );
    if (agents) next.agents = agents;
    if (r.permissions !== undefined) next.permissions = mergePermissions(rest.permissions, r.permissions);
    // Plain settings: the later (project) file wins.
    for (const key of SCALAR_KEYS) if (r[key] !== undefined) next[key] = r[key];
    // auditLog (issue 6): a relative path is taken from the file that names it, like a server's cwd.
    if (r.auditLog !== undefined)
      next.auditLog = typeof r.auditLog === 'string' ? path.resolve(path.dirname(file.source.path), r.auditLog) : r.auditLog;
    // roots (issue 7): relative paths are taken from the file that names them; a later file replaces the list.
    if (Array.isArray(r.roots))
      next.roots = (r.roots as unknown[]).map((p) => (typeof p === 'string' ? path.resolve(path.dirname(file.source.path), p) : p));
    else if (r.roots === false) next.roots = false;
    rest = next;

    const names = new Set(file.servers.map((s) => s.name));
    for (const s of servers) {
      if (names.has(s.draft.name))
        warnings.push(`server "${s.draft.name}" in ${file.source.path} replaces the one of the same name in ${s.from.source.path}`);
    }
    servers = [...servers.filter((s) => !names.has(s.draft.name)), ...file.servers.map((draft) => ({ draft, from: file }))];
    prevPath = file.source.path;
  }
  // A model field's problem counts only if the file it came from still provides that field.
  const modelProblems = files.flatMap((f) => [...f.modelProblems].filter(([key]) => modelOwner.get(key) === f).flatMap(([, msgs]) => msgs));
  return { rest, servers, modelProblems, warnings };
}
