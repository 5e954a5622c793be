// The CRM's permission vocabulary: which scope each tool and resource request needs, and how a token's
// scopes are read. One place, so the token command, the policy gate and the docs agree.

export const CRM_TOOLS = ['search_contacts', 'get_contact_details', 'create_opportunity', 'update_contact_notes'] as const;

export const RESOURCES_READ = 'resources:read';
export const ALL_TOOLS = 'tool:*';

/** Every scope a token may carry. */
export const KNOWN_SCOPES: readonly string[] = [ALL_TOOLS, ...CRM_TOOLS.map((t) => `tool:${t}`), RESOURCES_READ];

export function toolScope(tool: string): string {
  return `tool:${tool}`;
}

/** Whether the granted scopes allow calling `tool`. */
export function allowsTool(scopes: readonly string[], tool: string): boolean {
  return scopes.includes(ALL_TOOLS) || scopes.includes(toolScope(tool));
}

/** Splits a `--scopes` value or a `scope` claim (space- or comma-separated) into distinct scopes. */
export function parseScopes(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((s) => s.length > 0))];
}

/** The scopes in `scopes` that this server does not know, so a typo is caught when the token is made. */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !KNOWN_SCOPES.includes(s));
}
