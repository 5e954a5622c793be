// The era verdict per server, on disk beside the tool-list cache and keyed the same way (tool-cache.ts
// configHash), so a warm start connects with `prior` and sends no server/discover probe.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedServer } from '../config/schema.js';
import { writeFileAtomicSync } from '../files/atomic.js';
import type { EraVerdict } from './era.js';
import { configHash } from './tool-cache.js';

/** A legacy verdict hides a server's upgrade until it expires; a modern one carries capabilities that change. */
const LEGACY_HORIZON_MS = 7 * 24 * 3600_000;
const MODERN_HORIZON_MS = 24 * 3600_000;

interface StoredVerdict extends EraVerdict {
  version: 1;
  savedAt: string;
  /** The auth context the discover answer was given in (a modern verdict is not reused across contexts). */
  partition: string;
}

export class EraCache {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered verdict, if it is still within its horizon and (modern) from the same auth context. */
  load(config: ResolvedServer, partition: string): EraVerdict | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.fileFor(config), 'utf8')) as StoredVerdict;
      if (stored.version !== 1 || (stored.era !== 'modern' && stored.era !== 'legacy')) return undefined;
      const age = this.now() - Date.parse(stored.savedAt);
      if (!(age >= 0 && age < (stored.era === 'legacy' ? LEGACY_HORIZON_MS : MODERN_HORIZON_MS))) return undefined;
      if (stored.era === 'modern' && (stored.partition !== partition || !stored.discover)) return undefined;
      return { era: stored.era, protocolVersion: stored.protocolVersion, ...(stored.discover ? { discover: stored.discover } : {}) };
    } catch {
      return undefined;
    }
  }

  save(config: ResolvedServer, partition: string, verdict: EraVerdict): void {
    const stored: StoredVerdict = { version: 1, ...verdict, partition, savedAt: new Date(this.now()).toISOString() };
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileAtomicSync(this.fileFor(config), JSON.stringify(stored), { mode: 0o600, durable: false });
    } catch {
      // A verdict that cannot be written costs one probe next time.
    }
  }

  drop(config: ResolvedServer): void {
    rmSync(this.fileFor(config), { force: true });
  }

  private fileFor(config: ResolvedServer): string {
    return join(this.dir, `${config.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${configHash(config)}.era.json`);
  }
}
