// One error type for everything a person may see, and the one table that maps error codes to exit codes.
// docs/scripting.md documents this table; keep the two in step.

export const EXIT_CODES = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  SERVER_UNAVAILABLE: 4,
  TOOL_ERROR: 5,
  MODEL: 6,
  TIMEOUT: 7,
  DENIED: 8,
  UNHEALTHY: 9,
  CANCELLED: 130,
} as const;

export type ErrorCode = Exclude<keyof typeof EXIT_CODES, 'OK'>;

export interface AppErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** The message of any thrown value, for one-line reasons. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Wrap anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (err instanceof AppError) return err;
  return new AppError(fallback, errorMessage(err), { cause: err });
}
