// Types for config.mjs (plain JavaScript so the adapter runs with node alone).
export const SERVER: string;
export const SECRET_VARIABLES: Record<string, string>;
export function protocolVersionCandidates(revision: string | undefined): string[];
export function configFor(
  name: string,
  serverUrl: string,
  ctx: Record<string, unknown>,
  options: { revision?: string; browser?: string; accepts: (entry: Record<string, unknown>) => true | string },
): {
  config: { mcpServers: Record<string, Record<string, unknown>>; permissions: Record<string, unknown>; browser?: string };
  gaps: string[];
};
export function secretEnv(ctx: Record<string, unknown>): Record<string, string>;
export function plannedCalls(
  name: string,
  ctx: Record<string, unknown>,
  tools: Array<{ tool: string; inputSchema?: unknown }>,
): Array<{ tool: string; args: Record<string, unknown>; okCodes?: number[] }>;
