// Types for suites.mjs (plain JavaScript so scripts/conformance.mjs runs with node alone).
export const SUITES: Record<string, { pkg: string; node22: boolean; revision: string | undefined }>;
export function suitePaths(root: string, id: string): { cli: string; version: string };
export function parseClientList(text: string): string[];
export function parseRequirementList(text: string): Array<{ name: string; kind: string }>;
export function resolveNode22(env?: NodeJS.ProcessEnv): { path: string; version: string; from: string } | { error: string };
