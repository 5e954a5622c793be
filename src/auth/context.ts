// The auth policy of a run (may a browser open? where do sign-in URLs go?), set by openHost and read
// where sessions are opened. Keyed by the run's env object, because the hub passes only that through.
import type { AuthPolicy } from './oauth-session.js';

const policies = new WeakMap<NodeJS.ProcessEnv, AuthPolicy>();

export function setAuthPolicy(env: NodeJS.ProcessEnv, policy: AuthPolicy): void {
  policies.set(env, policy);
}

/** The policy for this env: by default only stored credentials, and notices on stderr. */
export function authPolicyFor(env: NodeJS.ProcessEnv): AuthPolicy {
  return policies.get(env) ?? { interactive: false, notify: (message) => process.stderr.write(`mcpsh: ${message}\n`) };
}
