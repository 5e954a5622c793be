// Shell completion: `mcpsh completion bash|zsh|fish` prints a small script that asks `mcpsh __complete -- WORDS…`
// for candidates. The answers come from the commander program itself (commands, options, choices), so they
// cannot drift from the CLI, and server/tool names come from the config and the on-disk tool-list cache:
// completing never starts a server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import type { ResolvedServer } from '../config/schema.js';
import { projectTrustGate } from '../config/trust.js';
import type { Io } from '../io.js';
import { configHash } from '../mcp/tool-cache.js';
import { textIo } from '../output/terminal-io.js';
import { appPaths } from '../paths.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** `mcpsh completion <shell>`: prints the script. */
export function runCompletion(shell: Shell, rawIo: Io): number {
  const io = textIo(rawIo);
  io.stdout.write(completionScript(shell));
  return 0;
}

/** `mcpsh __complete WORDS…` (what the scripts call on each TAB): the candidates, one a line. */
export async function runComplete(program: Command, words: readonly string[], rawIo: Io): Promise<number> {
  // Names come from config files: they pass the output boundary like any other printed text.
  const io = textIo(rawIo);
  const candidates = await completeWords(program, words.length === 0 ? [''] : words, rawIo);
  if (candidates.length > 0) io.stdout.write(`${candidates.join('\n')}\n`);
  return 0;
}

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return `# mcpsh completion for bash: add to ~/.bashrc:  source <(mcpsh completion bash)
_mcpsh() {
  local IFS=$'\\n'
  COMPREPLY=($("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _mcpsh mcpsh
`;
    case 'zsh':
      return `#compdef mcpsh
# mcpsh completion for zsh: add to ~/.zshrc after compinit:  source <(mcpsh completion zsh)
_mcpsh() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=("\${(@)candidates:#}")
  if (( \${#candidates} )); then
    compadd -Q -- "\${(@)candidates}"
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == _mcpsh ]]; then _mcpsh "$@"; else compdef _mcpsh mcpsh; fi
`;
    case 'fish':
      return `# mcpsh completion for fish: save as ~/.config/fish/completions/mcpsh.fish, or:  mcpsh completion fish | source
function __mcpsh_complete
    set -l tokens (commandline -opc)
    $tokens[1] __complete -- $tokens[2..-1] (commandline -ct) 2>/dev/null
end
complete -c mcpsh -f -a '(__mcpsh_complete)'
`;
  }
}

/** A positional argument's kind, from its name in the program: `server` and `tool` are completed from the config. */
type ArgKind = 'server' | 'tool' | { choices: readonly string[] } | undefined;

interface Walk {
  cmd: Command;
  positionals: string[];
  /** The option whose value is being typed, when the previous word was one that takes a value. */
  pendingValue?: Option;
  afterDashDash: boolean;
}

function optionsOf(program: Command, cmd: Command): Option[] {
  const help = cmd.createHelp();
  // Program options are accepted after a subcommand too (commander's default), so they are offered everywhere.
  return cmd === program ? help.visibleOptions(cmd) : [...help.visibleOptions(cmd), ...help.visibleOptions(program)];
}

function walk(program: Command, words: readonly string[]): Walk {
  const state: Walk = { cmd: program, positionals: [], afterDashDash: false };
  for (const word of words) {
    if (state.pendingValue) {
      delete state.pendingValue;
      continue;
    }
    if (state.afterDashDash) {
      state.positionals.push(word);
    } else if (word === '--') {
      state.afterDashDash = true;
    } else if (word.startsWith('-') && word.length > 1) {
      const flag = word.split('=')[0];
      const option = optionsOf(program, state.cmd).find((o) => o.long === flag || o.short === flag);
      if (option?.required === true && !word.includes('=')) state.pendingValue = option;
    } else {
      const sub =
        state.positionals.length === 0 ? state.cmd.commands.find((c) => c.name() === word || c.aliases().includes(word)) : undefined;
      if (sub) state.cmd = sub;
      else state.positionals.push(word);
    }
  }
  return state;
}

function argKind(cmd: Command, index: number): ArgKind {
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  const arg = args[index] ?? (last?.variadic === true ? last : undefined);
  const name = arg?.name();
  if (arg?.argChoices) return { choices: arg.argChoices };
  return name === 'server' || name === 'tool' ? name : undefined;
}

/** The candidates for the last of `words` (the word being typed; '' at a fresh position). */
export async function completeWords(program: Command, words: readonly string[], io: Io): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const state = walk(program, words.slice(0, -1));
  const starts = (c: string): boolean => c.startsWith(current);
  if (state.pendingValue) return (state.pendingValue.argChoices ?? []).filter(starts);
  if (current.startsWith('-') && !state.afterDashDash) {
    const flags = optionsOf(program, state.cmd).flatMap((o) => [o.long, o.short]);
    return [...new Set(flags.filter((f): f is string => f !== undefined))].filter(starts);
  }
  const out: string[] = [];
  if (state.positionals.length === 0 && !state.afterDashDash) {
    out.push(
      ...state.cmd
        .createHelp()
        .visibleCommands(state.cmd)
        .map((c) => c.name())
        .filter((n) => n !== 'help' || state.cmd === program),
    );
  }
  const kind = argKind(state.cmd, state.positionals.length);
  if (typeof kind === 'object') out.push(...kind.choices);
  if (kind === 'server') out.push(...(await serverNames(io)));
  if (kind === 'tool') {
    const server = state.positionals[state.positionals.length - 1];
    if (server !== undefined) out.push(...(await toolNames(server, io)));
  }
  return [...new Set(out)].filter(starts);
}

async function servers(io: Io): Promise<ResolvedServer[]> {
  try {
    // No trust is granted here: an untrusted code config is not imported, a JSON one is only read for names.
    const trustGate = projectTrustGate({}, io.env);
    const loaded = await loadConfig({ cwd: io.cwd, env: io.env, ...(trustGate ? { trustGate } : {}) });
    return loaded.servers;
  } catch {
    // A broken config completes nothing; `mcpsh config` says what is wrong.
    return [];
  }
}

export async function serverNames(io: Io): Promise<string[]> {
  return (await servers(io)).map((s) => s.name);
}

/** The tool names remembered in the on-disk tool-list cache for `server`'s current config (see src/mcp/tool-cache.ts). */
export async function toolNames(server: string, io: Io): Promise<string[]> {
  const config = (await servers(io)).find((s) => s.name === server);
  if (!config) return [];
  const file = join(appPaths(io.env).cache, 'tools', `${config.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${configHash(config)}.json`);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tools?: unknown };
    if (!Array.isArray(parsed.tools)) return [];
    return parsed.tools
      .map((t: unknown) => (t as { name?: unknown }).name)
      .filter((n): n is string => typeof n === 'string' && !/\s/.test(n));
  } catch {
    return [];
  }
}
