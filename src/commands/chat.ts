// `mcpsh` / `mcpsh chat`: the interactive chat. Thin: checks there is a terminal, opens the config and
// the hub, and hands over to the Ink UI (imported only here, so other commands never load React).
import type { GlobalOptions } from '../options.js';
import { AppError } from '../errors.js';
import { join } from 'node:path';
import { TranscriptStore } from '../agent/transcript-store.js';
import { ADD_SERVERS_HINT } from '../config/load.js';
import { describeForTrust, formatTrustDescription } from '../config/trust.js';
import { askYesNo, type Io } from '../io.js';
import { terminalSafe } from '../output/safe-text.js';
import { appPaths } from '../paths.js';
import { closestMatch } from '../suggest.js';
import { askInputsOnTerminal } from './ask-inputs.js';
import { openHost } from './host.js';
import { selectProfile } from '../agent/profile.js';

export interface ChatOptions extends GlobalOptions {
  model?: string;
  baseUrl?: string;
  agent?: string;
  maxTurns?: number;
  /** `--resume [id]`: true for the most recent saved chat. */
  resume?: string | boolean;
}

/**
 * `words` are operands that reached the default command: `mcpsh frobnicate` is a mistyped command,
 * not a chat. `commands` are the known command names, for "did you mean".
 */
export async function runChat(words: string[], commands: string[], opts: ChatOptions, io: Io): Promise<number> {
  const [first] = words;
  if (first !== undefined) {
    const close = closestMatch(first, commands);
    throw new AppError('USAGE', `unknown command '${first}'${close ? ` (did you mean '${close}'?)` : ''}`, {
      hint:
        words.length > 1
          ? `to ask the model from the command line: mcpsh ask "${words.join(' ')}"`
          : 'mcpsh --help lists the commands; mcpsh alone opens the chat',
    });
  }
  if (!io.stdout.isTTY || !io.stdin.isTTY) {
    const which = !io.stdout.isTTY ? 'stdout' : 'stdin';
    throw new AppError('USAGE', `the chat needs a terminal, but ${which} is not one`, {
      hint: 'for scripts and pipes use `mcpsh ask "…"` (answer on stdout, exit codes in docs/scripting.md); `mcpsh --help` lists every command',
    });
  }
  // An untrusted project config is shown and asked about on the terminal, before the screen is taken over.
  const host = await openHost(opts, io, {
    confirmTrust: async (loaded) => {
      io.stderr.write(`${formatTrustDescription(describeForTrust(loaded))}\n`);
      return askYesNo(io, 'Trust this config and let mcpsh run it? [y/N] ');
    },
    allowNoServers: true,
    askInputs: (inputs) => askInputsOnTerminal(io, inputs),
  });
  // Said on the terminal before the screen is taken over, so it stays in view above the chat.
  if (host.loaded.servers.length === 0) {
    io.stderr.write(`mcpsh: no MCP servers configured; chatting with the model alone\n  hint: ${ADD_SERVERS_HINT}\n`);
  }
  try {
    // A wrong --agent is reported before the screen is taken over.
    selectProfile(host.loaded, opts.agent, undefined);
    const transcripts = join(appPaths(io.env).state, 'sessions');
    const resumed =
      opts.resume === undefined || opts.resume === false
        ? undefined
        : TranscriptStore.load(transcripts, opts.resume === true ? undefined : opts.resume);
    const { runChatUi } = await import('../ui/run-chat.js');
    const saved = await runChatUi({
      hub: host.hub,
      loaded: host.loaded,
      io,
      ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
      ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
      ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
      transcripts,
      ...(resumed ? { resumed } : {}),
    });
    if (saved !== undefined) sayWhereSaved(saved, io);
    return 0;
  } finally {
    await host.close();
  }
}

/** Said after the screen is given back: how to come back to this conversation. */
function sayWhereSaved(id: string, io: Io): void {
  const stderr = io.stderr as NodeJS.WriteStream;
  // The terminal may be gone (a closed window): the line is then lost, never an error.
  if (io.signal.aborted || stderr.writable === false) return;
  stderr.once('error', () => undefined);
  const safe = terminalSafe(id);
  stderr.write(`session ${safe} saved; resume with \`mcpsh --resume ${safe}\`\n`);
}
