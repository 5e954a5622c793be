// Maps every (server, tool) pair to the one name a model, a permission rule and a log line all use:
// `<server>__<tool>`, fitted into `^[a-zA-Z0-9_-]{1,64}$`, deterministic, collision-free and reversible.
import { createHash } from 'node:crypto';
import { sanitizeNamePart } from '../config/name-fold.js';
import { AppError } from '../errors.js';

export { sanitizeNamePart } from '../config/name-fold.js';

export const TOOL_NAME_MAX = 64;

export interface ToolRef {
  server: string;
  tool: string;
}

const SEPARATOR = '__';
const HASH_START = 6;
const HASH_STEP = 2;
// sha256 gives 64 hex chars; the cap leaves room for a readable prefix and the `_` before the hash.
const HASH_MAX = 40;

function refKey(ref: ToolRef): string {
  return `${ref.server}\0${ref.tool}`;
}

function fullHash(ref: ToolRef): string {
  return createHash('sha256').update(refKey(ref)).digest('hex');
}

function withHash(base: string, hash: string): string {
  return `${base.slice(0, TOOL_NAME_MAX - 1 - hash.length)}_${hash}`;
}

interface Slot {
  ref: ToolRef;
  base: string;
  hash: string;
  /** 0 means the plain name; otherwise how many hex chars of the hash are appended. */
  hashLen: number;
}

function nameFor(slot: Slot): string {
  return slot.hashLen === 0 ? slot.base : withHash(slot.base, slot.hash.slice(0, slot.hashLen));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Assigns names for a whole set of tools at once: a name depends only on the set, never on the
 * order the refs are listed in, so names stay stable across runs and restarts.
 */
export class ToolNamer {
  private readonly byKey = new Map<string, string>();
  private readonly byName = new Map<string, ToolRef>();

  constructor(refs: readonly ToolRef[]) {
    const unique = new Map<string, ToolRef>();
    for (const ref of refs) {
      if (!unique.has(refKey(ref))) unique.set(refKey(ref), { server: ref.server, tool: ref.tool });
    }
    const slots: Slot[] = [...unique.values()].map((ref) => {
      const base = `${sanitizeNamePart(ref.server)}${SEPARATOR}${sanitizeNamePart(ref.tool)}`;
      return { ref, base, hash: fullHash(ref), hashLen: base.length > TOOL_NAME_MAX ? HASH_START : 0 };
    });
    // Two refs that sanitize to the same base both get a hash, so neither "wins" by list order.
    for (const group of groupBy(slots, (s) => s.base).values()) {
      if (group.length > 1) for (const slot of group) slot.hashLen = Math.max(slot.hashLen, HASH_START);
    }
    this.resolveClashes(slots);
    for (const slot of slots) {
      const name = nameFor(slot);
      this.byKey.set(refKey(slot.ref), name);
      this.byName.set(name, slot.ref);
    }
  }

  /** Lengthens the hashes of every name still shared until all names are distinct. */
  private resolveClashes(slots: Slot[]): void {
    for (;;) {
      const clashes = [...groupBy(slots, nameFor).values()].filter((g) => g.length > 1);
      if (clashes.length === 0) return;
      for (const group of clashes) {
        for (const slot of group) {
          slot.hashLen = slot.hashLen === 0 ? HASH_START : slot.hashLen + HASH_STEP;
          if (slot.hashLen > HASH_MAX) {
            throw new AppError('INTERNAL', `Could not give tool "${slot.ref.tool}" of server "${slot.ref.server}" a unique name.`, {
              hint: 'This should not happen; please report it with the server and tool names.',
            });
          }
        }
      }
    }
  }

  /** The model-facing name of a tool; throws when the tool was not among the refs given. */
  nameOf(ref: ToolRef): string {
    const name = this.byKey.get(refKey(ref));
    if (name === undefined) {
      throw new AppError('INTERNAL', `No tool name was assigned to tool "${ref.tool}" of server "${ref.server}".`, {
        hint: 'The tool list changed without the names being rebuilt.',
      });
    }
    return name;
  }

  /** The server and tool behind a model-facing name, or undefined for a name never assigned. */
  resolve(name: string): ToolRef | undefined {
    const ref = this.byName.get(name);
    return ref === undefined ? undefined : { server: ref.server, tool: ref.tool };
  }

  /** Every assigned name with its tool, in the order the refs were first given. */
  entries(): Array<[string, ToolRef]> {
    return [...this.byName.entries()].map(([name, ref]) => [name, { server: ref.server, tool: ref.tool }]);
  }
}
