// The chat's slash commands (/help, /tools, /servers, /call, /resources, /logs, /agent, /model, /clear, /compact, /resume,
// /reload, /stats, /expand, /exit, and each server prompt as /server:prompt): the table, parsing and running a line,
// Tab completion and hints. No React here.
import { AppError, errorMessage } from '../../errors.js';
import { formatTable } from '../../output/table.js';
import { closestMatch } from '../../suggest.js';
import { completeAttachment, finishCompletion } from './completion.js';
import { logsCommand, resourcesCommand } from './feature-commands.js';
import type { Completion } from './input-bridge.js';
import { completePromptCommand, isPromptCommand, promptCommandNames, promptHelp, runPromptCommand } from './prompt-commands.js';
import {
  agentCommand,
  callCommand,
  DEFAULT_AGENT,
  expandCommand,
  serversText,
  toolsCommand,
  type CommandContext,
  type CommandResult,
  type CommandView,
} from './slash-actions.js';

export type { AgentInfo, CommandContext, CommandResult, CommandView } from './slash-actions.js';
export type { Completion } from './input-bridge.js';

interface SlashCommand {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  /** Whether it may run while the model is working. */
  whileBusy: boolean;
  run(args: string, ctx: CommandContext, view: CommandView): Promise<CommandResult> | CommandResult;
  /** Candidates for the argument at `index`, given the words before it. */
  complete?(index: number, words: string[], ctx: CommandContext): string[];
}

export const COMMANDS: readonly SlashCommand[] = [
  {
    name: 'help',
    aliases: ['?'],
    usage: '/help',
    summary: 'commands and keys',
    whileBusy: true,
    run: (_a, ctx, view) => helpResult(view.width, ctx),
  },
  {
    name: 'tools',
    usage: '/tools [server]',
    summary: 'the tools the model can use, by server',
    whileBusy: true,
    run: (args, ctx) => toolsCommand(args.trim(), ctx),
    complete: (i, _w, ctx) => (i === 0 ? ctx.hub.connections.map((c) => c.name) : []),
  },
  {
    name: 'servers',
    usage: '/servers',
    summary: 'each server: state, transport, tools, connect time, and why one failed',
    whileBusy: true,
    run: (_a, ctx) => ({ output: serversText(ctx), table: true }),
  },
  {
    name: 'call',
    usage: '/call <server> <tool> [json]',
    summary: 'call a tool directly, no model (arguments are checked first)',
    whileBusy: true,
    run: (args, ctx) => callCommand(args, ctx),
    complete: (i, words, ctx) => {
      if (i === 0) return ctx.hub.connections.filter((c) => c.state === 'ready').map((c) => c.name);
      if (i === 1) return ctx.hub.get(words[0] ?? '')?.tools.map((t) => t.name) ?? [];
      return [];
    },
  },
  {
    name: 'resources',
    usage: '/resources [server]',
    summary: 'resources and templates; attach one to a message with @server:uri',
    whileBusy: true,
    run: (args, ctx, view) => resourcesCommand(args.trim(), ctx, view),
    complete: (i, _w, ctx) => (i === 0 ? [...ctx.profileServers()] : []),
  },
  {
    name: 'logs',
    usage: '/logs [server] [n]',
    summary: "the last n lines of a server's log (stderr and log messages), redacted",
    whileBusy: true,
    run: (args, ctx) => logsCommand(args.trim(), ctx),
    complete: (i, _w, ctx) => (i === 0 ? ctx.hub.connections.map((c) => c.name) : []),
  },
  {
    name: 'agent',
    usage: '/agent [name]',
    summary: `list agent profiles, or switch to one ("${DEFAULT_AGENT}": none)`,
    whileBusy: false,
    run: (args, ctx) => agentCommand(args.trim(), ctx),
    complete: (i, _w, ctx) => (i === 0 ? [...ctx.agents().map((a) => a.name), DEFAULT_AGENT] : []),
  },
  {
    name: 'model',
    usage: '/model [name]',
    summary: 'show the model, or switch to another model name',
    whileBusy: false,
    run: (args, ctx) => (args.trim() === '' ? { output: ctx.modelInfo() } : { output: ctx.setModel(args.trim()) }),
  },
  {
    name: 'clear',
    usage: '/clear',
    summary: 'forget the conversation (the model starts afresh)',
    whileBusy: false,
    run: (_a, ctx) => {
      ctx.clear();
      return { output: 'conversation cleared: the model no longer sees the messages above' };
    },
  },
  {
    name: 'resume',
    usage: '/resume [id]',
    summary: 'pick a saved chat and continue it here (mcpsh sessions lists them)',
    whileBusy: false,
    run: (args, ctx) => {
      const said = ctx.resume(args.trim() === '' ? undefined : args.trim());
      return said === undefined ? {} : { output: said };
    },
  },
  {
    name: 'compact',
    usage: '/compact [instructions]',
    summary: 'summarise the older conversation now to free context (instructions: what the summary should keep)',
    whileBusy: false,
    run: async (args, ctx) => ({ output: await ctx.compact(args.trim() === '' ? undefined : args.trim()) }),
  },
  {
    name: 'reload',
    usage: '/reload',
    summary: "list every server's tools again (after it changed them without telling)",
    whileBusy: false,
    run: async (_a, ctx) => {
      const results = await ctx.hub.refreshAll();
      return {
        output: formatTable([
          ['server', 'tools', ''],
          ...results.map((r) => [r.server, String(r.tools), r.error ? `not reloaded: ${r.error}` : 'reloaded']),
        ]),
        table: true,
      };
    },
  },
  {
    name: 'stats',
    usage: '/stats',
    summary: 'tokens, tool calls, per-server calls and latency',
    whileBusy: true,
    run: (_a, ctx) => ({ output: ctx.stats(), table: true }),
  },
  {
    name: 'expand',
    usage: '/expand [n]',
    summary: 'the full arguments and result of tool call #n (default: the latest)',
    whileBusy: true,
    run: (args, ctx) => expandCommand(args.trim(), ctx),
  },
  {
    name: 'exit',
    aliases: ['quit'],
    usage: '/exit',
    summary: 'leave the chat (also Ctrl+D, or Ctrl+C twice)',
    whileBusy: true,
    run: (_a, ctx) => {
      ctx.exit();
      return {};
    },
  },
];

export function findCommand(name: string): SlashCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function isSlashCommand(text: string): boolean {
  return /^\/[a-z?]/i.test(text.trimStart());
}

/** Runs one `/command args` line; errors come back as an error result, never thrown. */
export async function runSlashCommand(line: string, ctx: CommandContext, view: CommandView = { width: 100 }): Promise<CommandResult> {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  const args = match?.[2] ?? '';
  if (isPromptCommand(match?.[1] ?? '')) return runPrompt(match?.[1] ?? '', args, ctx);
  const name = (match?.[1] ?? '').toLowerCase();
  const command = findCommand(name);
  if (!command) {
    const close = closestMatch(
      name,
      COMMANDS.map((c) => c.name),
    );
    return { output: `unknown command /${name}${close ? ` (did you mean /${close}?)` : ''}; /help lists the commands`, isError: true };
  }
  if (!command.whileBusy && ctx.busy()) {
    return { output: `/${command.name} has to wait until the model has finished (Ctrl+C cancels the turn)`, isError: true };
  }
  try {
    return await command.run(args, ctx, view);
  } catch (err) {
    const hint = err instanceof AppError && err.hint ? `\nhint: ${err.hint}` : '';
    return { output: `${errorMessage(err)}${hint}`, isError: true };
  }
}

async function runPrompt(name: string, args: string, ctx: CommandContext): Promise<CommandResult> {
  if (ctx.busy()) return { output: `/${name} has to wait until the model has finished (Ctrl+C cancels the turn)`, isError: true };
  try {
    return await runPromptCommand(name, args, ctx);
  } catch (err) {
    const hint = err instanceof AppError && err.hint ? `\nhint: ${err.hint}` : '';
    return { output: `${errorMessage(err)}${hint}`, isError: true };
  }
}

/**
 * Tab completion: command names (and server prompts), then server, tool and agent names, prompt
 * arguments and their values; in a message, `@server:uri` attachments. Asking a server makes it async.
 */
export function completeSlash(text: string, ctx: CommandContext): Completion | Promise<Completion> {
  if (!text.startsWith('/')) return /(?:^|\s)@\S*$/.test(text) ? completeAttachment(text, ctx.features) : { text, candidates: [] };
  const words = text.slice(1).split(/ +/);
  if (words.length === 1) {
    const names = COMMANDS.map((c) => c.name).filter((n) => n.startsWith((words[0] ?? '').toLowerCase()));
    return finishCompletion(text, `/${words[0] ?? ''}`, [...names.map((n) => `/${n}`), ...promptCommandNames(text, ctx.features)]);
  }
  if (isPromptCommand(words[0] ?? '')) return completePromptCommand(text, ctx).then((c) => c ?? { text, candidates: [] });
  const command = findCommand((words[0] ?? '').toLowerCase());
  if (!command?.complete) return { text, candidates: [] };
  const index = words.length - 2;
  const prefix = words.at(-1) ?? '';
  const options = [...new Set(command.complete(index, words.slice(1, -1), ctx))].filter((o) => o.startsWith(prefix));
  return finishCompletion(text, prefix, options);
}

/** The commands whose names start with what is typed (for the hint under the prompt). */
export function commandHints(text: string): Array<{ usage: string; summary: string }> {
  if (!/^\/\S*$/.test(text)) return [];
  const typed = text.slice(1).toLowerCase();
  return COMMANDS.filter((c) => c.name.startsWith(typed) || c.aliases?.some((a) => a.startsWith(typed) && typed !== '')).map((c) => ({
    usage: c.usage,
    summary: c.summary,
  }));
}

/** A table when there is room; narrow terminals get each summary under its command, wrapped. */
function helpResult(width: number, ctx: CommandContext): CommandResult {
  const prompts = promptHelp(ctx.features);
  return width >= 90 ? { output: helpText(true, prompts), table: true } : { output: helpText(false, prompts) };
}

export function helpText(table = true, prompts: readonly string[] = []): string {
  const commands = table
    ? formatTable(COMMANDS.map((c) => [c.usage, c.summary]))
    : COMMANDS.map((c) => `${c.usage}\n    ${c.summary}`).join('\n');
  return [
    commands,
    ...prompts,
    '',
    'In a message, @server:uri attaches that resource (Tab completes servers and URIs).',
    'Keys: Enter sends · Alt+Enter or Ctrl+J adds a line · ↑/↓ history · Tab completes',
    'Ctrl+C cancels the running turn (twice on an empty prompt: exit) · Ctrl+D on an empty prompt exits',
    'Ctrl+A/E line start/end · Ctrl+U/K delete to start/end · Ctrl+W delete word · Esc closes a dialog or abandons a question',
  ].join('\n');
}
