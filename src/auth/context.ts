// The auth policy of a run (may a browser open? where do sign-in URLs go?), set by openHost and read
// where sessions are opened. Keyed by the run's env object, because the hub passes only that through.
/** How long a browser sign-in waits for its callback (MCPSH_AUTH_TIMEOUT overrides; see docs/auth.md). */
export const DEFAULT_CALLBACK_TIMEOUT_MS = 300_000;

/** Who may open a browser, and how (decided per command: see docs/auth.md). */
export interface AuthPolicy {
  interactive: boolean;
  /** The config's `browser` command. */
  browser?: string | undefined;
  noBrowser?: boolean;
  /** Where "open this URL" goes (stderr, or the chat's notice). */
  notify(message: string): void;
  callbackTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * `auth login`: a new browser sign-in even when tokens are stored. The stored tokens are neither sent
   * nor refreshed until this run has signed in, and stay on disk until a sign-in replaces them.
   */
  forceSignIn?: boolean;
}

const policies = new WeakMap<NodeJS.ProcessEnv, AuthPolicy>();

export function setAuthPolicy(env: NodeJS.ProcessEnv, policy: AuthPolicy): void {
  policies.set(env, policy);
}

/** The policy for this env: by default only stored credentials, and notices on stderr. */
export function authPolicyFor(env: NodeJS.ProcessEnv): AuthPolicy {
  return policies.get(env) ?? { interactive: false, notify: (message) => process.stderr.write(`mcpsh: ${message}\n`) };
}
