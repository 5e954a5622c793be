// Entry point: run(argv) -> exit code. The one place that prints fatal errors and turns signals into cleanup.
import { debugLog } from './debug-log.js';
import { AppError, EXIT_CODES, errorMessage } from './errors.js';
import { processIo, type Io } from './io.js';
import { onShutdown, installSignalHandlers } from './lifecycle.js';
import { jsonText, terminalSafe } from './output/safe-text.js';
import { redact, redactValue } from './policy/redact.js';

let cli: typeof import('./cli.js') | undefined;

/** The command the last run() ran ("tools", "mcp add"); undefined before, or when it printed help or a usage error. */
export function ranCommand(): string | undefined {
  return cli?.ranCommand();
}

export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  installSignalHandlers(controller);
  const io = processIo(controller.signal);
  endQuietlyOnClosedPipe(process.stdout);
  try {
    cli = await import('./cli.js');
    return await cli.runProgram(argv, io);
  } catch (err) {
    return reportFatal(err, io, argv);
  } finally {
    await onShutdown();
  }
}

/**
 * A reader that stops reading (`mcpsh tools --json | head`) closes stdout's pipe: the next write fails with
 * EPIPE, which would otherwise crash mcpsh with a stack trace. It ends the run quietly instead, as other
 * command-line tools do; the exit handlers still end every server (src/mcp/process-tree.ts).
 */
function endQuietlyOnClosedPipe(stdout: NodeJS.WriteStream): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    // Any other error is the chat's to handle (its terminal went away) when it listens; else it is a crash, as before.
    if (stdout.listenerCount('error') === 1) throw err;
  });
}

function wantsJson(argv: string[]): boolean {
  return argv.includes('--json') || argv.some((a, i) => (a === '--output' || a === '-o') && argv[i + 1] === 'json');
}

export function reportFatal(err: unknown, io: Io, argv: string[]): number {
  // Commander has already printed its own usage errors; it signals them with a CommanderError.
  if (isCommanderError(err)) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_CODES.USAGE;
  }
  const appErr = err instanceof AppError ? err : null;
  if (io.signal.aborted && !appErr) {
    io.stderr.write('mcpsh: cancelled\n');
    return EXIT_CODES.CANCELLED;
  }
  const code = appErr?.code ?? 'INTERNAL';
  // Errors can quote what a server or the config said: the config's secrets are masked (src/policy/redact.ts),
  // and escape sequences a server (or an OAuth error_description) put there do not reach the terminal.
  const message = terminalSafe(redact(appErr ? appErr.message : `unexpected error: ${errorMessage(err)}`));
  if (wantsJson(argv)) io.stdout.write(`${jsonText(redactValue({ error: appErr ? appErr.toJSON() : { code, message } }))}\n`);
  io.stderr.write(`mcpsh: ${message}\n`);
  if (appErr?.hint) io.stderr.write(`  hint: ${terminalSafe(redact(appErr.hint))}\n`);
  const debugging = debugLog.enabled || Boolean(io.env.MCPSH_DEBUG) || argv.includes('--debug');
  if (!appErr && debugging && err instanceof Error && err.stack) io.stderr.write(`${terminalSafe(redact(err.stack))}\n`);
  debugLog.note('fatal', { code, message });
  return EXIT_CODES[code];
}

interface CommanderLikeError {
  code: string;
  exitCode: number;
}

function isCommanderError(err: unknown): err is CommanderLikeError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'CommanderError';
}
