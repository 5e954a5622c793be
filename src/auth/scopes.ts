// Which scopes a sign-in asks for: the one place that decides it (docs/auth.md, "Scopes"). The SDK's
// auth() falls back to the protected resource's scopes_supported when this returns nothing.

/** Space-separated scope lists merged, in first-seen order. */
export function unionScopes(...lists: (string | undefined)[]): string | undefined {
  const all = [...new Set(lists.flatMap((l) => (l ? l.split(/\s+/).filter(Boolean) : [])))];
  return all.length > 0 ? all.join(' ') : undefined;
}

export interface ScopeInputs {
  /** `oauth.scopes` from the config: what the user asked for. */
  configured: string[] | undefined;
  /** The `scope` of the server's WWW-Authenticate challenge. */
  challenged: string | undefined;
  /** The scope of the tokens held now. */
  granted: string | undefined;
  /** A 403 insufficient_scope: a step-up, which must not lose what was granted. */
  stepUp: boolean;
}

/**
 * A first sign-in: the configured scopes, else the challenge's, else undefined (then auth() uses the
 * resource's scopes_supported, else asks for none). A step-up: everything granted, challenged and configured.
 */
export function requestedScope(inputs: ScopeInputs): string | undefined {
  const configured = inputs.configured && inputs.configured.length > 0 ? inputs.configured.join(' ') : undefined;
  if (inputs.stepUp) return unionScopes(inputs.granted, inputs.challenged, configured);
  return configured ?? (inputs.challenged || undefined);
}
