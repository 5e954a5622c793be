// What loading the config produces: the contract between src/config and everything that uses it.
import type { HookSet } from './hooks-schema.js';
import type { BlockedServer } from './managed-match.js';
import type { ManagedPolicy } from './managed-policy.js';
import type { RawConfig, ResolvedServer } from './schema.js';

export interface LoadOptions {
  /** Where the upward search starts. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --config FILE: use exactly this file as the project config (still merged over the user file). */
  configPath?: string | undefined;
  /** Directory of the user-level config (default: appPaths(env).config). */
  userConfigDir?: string;
  /** Where the upward search stops, inclusive (default: the user's home directory, else the filesystem root). */
  stopDir?: string | undefined;
  /**
   * Project trust (issue 6, src/config/trust.ts): asked about the project file and each file it pulls in,
   * with its text, before a code config is imported. Unset: every file is used as is.
   */
  trustGate?: TrustGate | undefined;
}

/** Whether a project config file, with this exact text, may be used. */
export type TrustGate = (file: string, content: string) => boolean;

/** Project files the trust gate refused: JSON ones are still read (they run nothing); code ones were not run. */
export interface UntrustedFiles {
  files: string[];
  codeNotRun: boolean;
  /** sha256 of each file's text as it was read: trust is recorded for what was shown, not a later edit. */
  sha256: Record<string, string>;
}

/** Where loading looked, so "no config found" can say so. */
export interface SearchInfo {
  /** The directory the upward search started in (unset when --config named the file). */
  from?: string | undefined;
  /** The last directory searched. */
  to?: string | undefined;
  /** File names tried in each directory, in order. */
  places: string[];
  /** The user-level file, whether or not it exists. */
  userFile: string;
}

export interface ConfigSource {
  path: string;
  scope: 'user' | 'project';
}

export interface LoadedConfig {
  /** The merged, interpolated, validated config. */
  config: RawConfig;
  /** Every server entry, in config order (user first, then project), enabled or not. */
  servers: ResolvedServer[];
  /** The files that were read, user first. Empty when no config exists anywhere. */
  sources: ConfigSource[];
  /** Non-fatal notes for stderr (unknown top-level keys, shadowed servers, ...). */
  warnings: string[];
  /** Values that must never be printed: env-interpolated values, credential-like headers/env, the API key. */
  secrets: string[];
  /** Problems in the `model` section (e.g. an unset ${OPENAI_API_KEY}); reported only when a model is used. */
  modelProblems: string[];
  /** Where loading looked (always set by loadConfig; optional so hand-built configs in tests need not fake it). */
  searched?: SearchInfo;
  /** Set when the trust gate refused project files: nothing of this config may be started (src/config/trust.ts). */
  untrusted?: UntrustedFiles;
  /** Each file's `hooks`, user first, with its source (src/hooks runs only the trusted ones). */
  hookSets?: HookSet[];
  /**
   * The administrator's managed policy, when its file exists (src/config/managed-policy.ts): what it enforces,
   * its raw `hooks` (run before any other hooks), and the servers it blocks (also marked `blocked` in `servers`).
   */
  managed?: ManagedInfo;
}

export interface ManagedInfo extends ManagedPolicy {
  /** Configured servers the policy blocks, in config order; none of them is ever started. */
  blocked: BlockedServer[];
}
