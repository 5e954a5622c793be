// The options every command shares (the program's global flags) and the value parsers several commands use.
// Imports nothing from src/commands or src/cli, so commands and the program both depend on it, never on each other.
import { InvalidArgumentError } from 'commander';

export interface GlobalOptions {
  config?: string;
  debug?: boolean;
  /** Trust the project config for this run only (also MCPSH_TRUST=1); see src/config/trust.ts. */
  trust?: boolean;
  /** --interactive-auth (ask, call, tools, doctor, ...): a server that needs OAuth sign-in may open the browser. */
  interactiveAuth?: boolean;
  /** --no-browser sets false: sign-in URLs are printed, never opened. */
  browser?: boolean;
}

/** For repeatable options (`--allow a --allow b`): each value is added to the list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  }
  return n;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}
