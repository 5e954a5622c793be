// Types for arguments.mjs (plain JavaScript so the adapter runs with node alone).
export function argumentsFor(schema: unknown): Record<string, unknown>;
