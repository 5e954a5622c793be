// Project trust: a config found in the project (not the user's own file) may start programs, so it is used only
// once the user trusted that file, found at that path, with that exact content (`mcpsh trust`, --trust, MCPSH_TRUST=1).
// Records (src/config/trust-store.ts) are keyed by the path as found: a link or a copy elsewhere is another project.
import { readFileSync, realpathSync } from 'node:fs';
import { AppError, errorMessage } from '../errors.js';
import { hashConfigText } from './trust-hash.js';
import { readTrustStore, storeKey, updateTrustStore, type TrustRecord } from './trust-store.js';
import { shown } from './trust-visible.js';
import type { TrustGate, UntrustedFiles } from './types.js';

export { hashConfigText } from './trust-hash.js';
export { trustStorePath, type TrustRecord } from './trust-store.js';
export { describeForTrust } from './trust-review.js';
export { formatTrustDescription } from './trust-format.js';

export type TrustState = 'trusted' | 'changed' | 'missing';

export interface TrustListEntry extends TrustRecord {
  path: string;
  /** changed: the file was edited since it was trusted; missing: it no longer exists. */
  state: TrustState;
}

/** MCPSH_TRUST=1 (CI) or --trust: trust every project config for this run, recording nothing. */
export function trustAllRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flag === true) return true;
  const v = env.MCPSH_TRUST?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

/** Whether `file` is trusted with its current content (or with `content`, when the caller already read it). */
export function isTrusted(file: string, env: NodeJS.ProcessEnv = process.env, content?: string): boolean {
  const record = readTrustStore(env).files[storeKey(file)];
  if (!record) return false;
  let text = content;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
  }
  return record.sha256 === hashConfigText(text);
}

/**
 * Trusts `file` where it was found: with the content it had when the user reviewed it (`sha256`, from
 * LoadedConfig.untrusted), else with its current content. Concurrent calls all land (one locked rewrite each).
 */
export function recordTrust(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  sha256?: string,
  now: Date = new Date(),
): TrustRecord & { path: string } {
  const key = storeKey(file);
  let hash = sha256;
  if (hash === undefined) {
    try {
      hash = hashConfigText(readFileSync(key, 'utf8'));
    } catch (err) {
      throw new AppError('USAGE', `cannot read ${key}: ${errorMessage(err)}`, { cause: err });
    }
  }
  const record = { sha256: hash, trustedAt: now.toISOString() };
  updateTrustStore(env, (store) => {
    store.files[key] = record;
    return true;
  });
  return { path: key, ...record };
}

/** Forgets `file` (the path as given, made absolute); false when it was not recorded. */
export function revokeTrust(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const key = storeKey(file);
  let removed = false;
  updateTrustStore(env, (store) => {
    removed = key in store.files;
    delete store.files[key];
    return removed;
  });
  return removed;
}

export function listTrust(env: NodeJS.ProcessEnv = process.env): TrustListEntry[] {
  return Object.entries(readTrustStore(env).files).map(([file, record]) => {
    let state: TrustState;
    try {
      state = hashConfigText(readFileSync(file, 'utf8')) === record.sha256 ? 'trusted' : 'changed';
    } catch {
      state = 'missing';
    }
    return { path: file, ...record, state };
  });
}

/**
 * The loader's gate for commands that start servers: undefined (everything used) with --trust,
 * MCPSH_TRUST=1 or an explicit --config FILE (the user's own choice); else the trust records decide.
 */
export function projectTrustGate(
  options: { trust?: boolean | undefined; configPath?: string | undefined },
  env: NodeJS.ProcessEnv,
): TrustGate | undefined {
  if (options.configPath !== undefined || trustAllRequested(options.trust, env)) return undefined;
  // One read of the store per load: the gate may be asked about a few files.
  const files = readTrustStore(env).files;
  return (file, content) => files[storeKey(file)]?.sha256 === hashConfigText(content);
}

function realPath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Why one file is not trusted, in words (the file named by the caller). */
function reason(file: string, sha256: string | undefined, files: Record<string, TrustRecord>): string {
  const record = files[storeKey(file)];
  if (record && record.sha256 !== sha256) return 'changed since you trusted it';
  if (record) return 'is trusted, but a file it imports is not';
  const real = realPath(file);
  if (real !== undefined && real !== storeKey(file) && files[real]?.sha256 === sha256) {
    return `is a link to ${shown(real)}, which you trusted in its own directory; trust is per directory, because relative paths and cwd resolve where the config is used`;
  }
  const elsewhere = Object.keys(files).find((k) => files[k]?.sha256 === sha256);
  if (elsewhere !== undefined)
    return `is a project config you have not trusted here (the same content is trusted at ${shown(elsewhere)}; trust is per directory)`;
  return 'is a project config you have not trusted yet';
}

/** The error for a server-using command when the project config is not trusted. */
export function untrustedError(untrusted: UntrustedFiles, env: NodeJS.ProcessEnv = process.env): AppError {
  const files = readTrustStore(env).files;
  const [first, ...rest] = untrusted.files;
  const what =
    first === undefined ? 'the project config is not trusted' : `${shown(first)} ${reason(first, untrusted.sha256[first], files)}`;
  // The config itself may be trusted while a module it imports changed: name that module, and say so.
  const listed = rest.map((f) => `${shown(f)}${files[storeKey(f)] !== undefined ? ' (changed since you trusted it)' : ''}`);
  const others = rest.length === 0 ? '' : ` (also untrusted: ${listed.join(', ')})`;
  return new AppError(
    'CONFIG',
    `${what}${others}; its servers were not started${untrusted.codeNotRun ? ' and its code was not run' : ''}`,
    {
      hint: 'review it, then run `mcpsh trust` to trust it (it shows what the config would run), or pass --trust (MCPSH_TRUST=1 in CI) to trust it for this run only',
    },
  );
}
