// The shapes of a trust review (trust-review.ts builds them, trust-sinks.ts and trust-format.ts read them),
// apart from the code so the modules that read them do not import the one that builds them.

/** A value as the file writes it: a ${VAR} template is shown as is; a literal credential is masked. */
export interface ReviewValue {
  name: string;
  value: string;
  masked?: boolean;
  /** What mcpsh does with the value, when that is more than sending it (runs it, reads the file). */
  note?: string;
}

export interface ReviewServer {
  name: string;
  transport: 'stdio' | 'http' | 'sse' | 'auto';
  enabled: boolean;
  command?: string;
  args?: string[];
  /** The directory the server starts in, and why. */
  cwd?: { path: string; note?: string };
  env?: ReviewValue[];
  inheritEnv?: boolean;
  url?: string;
  headers?: ReviewValue[];
  headersHelper?: { command: string; cwd: string };
  /** false: OAuth never tried; otherwise the settings the file gives (secrets masked). */
  oauth?: false | ReviewValue[];
}
