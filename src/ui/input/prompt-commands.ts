// Server prompts as slash commands: `/server:prompt arg=value …`. Missing required arguments are asked
// for in the prompt line; the prompt's messages then go to the model as the person's turn (or are shown
// when there is no model). Also their completion and the hints under the prompt.
import type { GetPromptResult, Prompt } from '../../mcp/types.js';
import { AppError } from '../../errors.js';
import { renderMessages } from '../../mcp/feature-text.js';
import { closestMatch } from '../../suggest.js';
import { argumentValues, completePromptArgs, finishCompletion, promptUsage, quoteValue, splitWords } from './completion.js';
import { promptMessages } from './mcp-content.js';
import type { FeatureIndex } from '../state/feature-index.js';
import type { Completion, Hint } from './input-bridge.js';
import { safeLine, terminalSafe } from '../../output/safe-text.js';
import type { CommandContext, CommandResult } from './slash-actions.js';

/** A prompt command names `server:prompt`; the built-in commands never have a colon. */
export function isPromptCommand(name: string): boolean {
  return name.includes(':');
}

/** Splits `server:prompt` at the profile server it starts with (server names may hold colons). */
function resolveName(name: string, ctx: CommandContext): { server: string; prompt: string } {
  const servers = [...ctx.profileServers()].sort((a, b) => b.length - a.length);
  const server = servers.find((s) => name.startsWith(`${s}:`));
  if (server !== undefined) return { server, prompt: name.slice(server.length + 1) };
  const typed = name.slice(0, name.indexOf(':'));
  const close = closestMatch(typed, ctx.profileServers());
  throw new AppError('USAGE', `no server named "${typed}" in this chat${close ? ` (did you mean /${close}:…?)` : ''}`, {
    hint: `prompts are /server:prompt; servers: ${ctx.profileServers().join(', ') || '(none)'}`,
  });
}

async function findPrompt(server: string, name: string, ctx: CommandContext): Promise<Prompt> {
  const c = ctx.hub.get(server);
  if (c?.state !== 'ready')
    throw new AppError(
      'USAGE',
      `server ${server} is ${c?.state === 'failed' ? `failed: ${c.error ?? 'unknown reason'}` : 'not ready yet'}`,
    );
  const prompts = await c.features.prompts();
  const prompt = prompts.find((p) => p.name === name);
  if (prompt) return prompt;
  const close = closestMatch(
    name,
    prompts.map((p) => p.name),
  );
  throw new AppError('USAGE', `server ${server} has no prompt "${name}"${close ? ` (did you mean /${server}:${close}?)` : ''}`, {
    hint: '/help lists the server prompts',
  });
}

/** Runs `/server:prompt args`: asks for what is missing, gets the prompt, sends (or shows) its messages. */
export async function runPromptCommand(name: string, argText: string, ctx: CommandContext): Promise<CommandResult> {
  const { server, prompt: promptName } = resolveName(name, ctx);
  const prompt = await findPrompt(server, promptName, ctx);
  const usage = `usage: ${promptUsage(server, prompt)}`;
  const { words, unclosed } = splitWords(argText);
  if (unclosed) return { output: `a quote is not closed in "${argText}"\n${usage}`, isError: true };
  const declared = prompt.arguments ?? [];
  const args: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) return { output: `prompt arguments are name=value (quote values with spaces), got "${word}"\n${usage}`, isError: true };
    const key = word.slice(0, eq);
    if (!declared.some((a) => a.name === key)) {
      const close = closestMatch(
        key,
        declared.map((a) => a.name),
      );
      return {
        output: `/${server}:${prompt.name} has no argument "${key}"${close ? ` (did you mean "${close}"?)` : ''}\n${usage}`,
        isError: true,
      };
    }
    args[key] = word.slice(eq + 1);
  }
  const missing = declared.filter((a) => a.required === true && (args[a.name] ?? '') === '');
  for (const [i, a] of missing.entries()) {
    const answer = await ctx.input.ask({
      title: `/${server}:${prompt.name}`,
      name: a.name,
      ...(a.description ? { description: safeLine(a.description, 200) } : {}),
      ...(missing.length > 1 ? { position: `${i + 1} of ${missing.length}` } : {}),
      complete: (text) => completeAnswer(text, ctx, server, prompt.name, a.name, args),
    });
    if (answer === undefined) return { output: `/${server}:${prompt.name} abandoned: nothing was sent` };
    args[a.name] = answer;
  }
  const shown = [`/${server}:${prompt.name}`, ...Object.entries(args).map(([k, v]) => `${k}=${quoteValue(v)}`)].join(' ');
  const c = ctx.hub.get(server);
  if (!c) throw new AppError('USAGE', `no server named "${server}"`);
  const result = await c.features.getPrompt(prompt.name, args);
  if (ctx.modelProblem() !== undefined) {
    return {
      output: `${shown}\n(no model: the prompt's messages are shown, not sent)\n\n${terminalSafe(renderMessages(result)).trimEnd()}`,
    };
  }
  if (result.messages.length === 0) return { output: `${shown}: the server returned no messages, so nothing was sent`, isError: true };
  await ctx.sendPrompt(shown, promptMessages(server, result, ctx.contentBudget()), [summary(server, prompt.name, result)]);
  return {};
}

/** One line per message (at most five) for the transcript: what the model was given. */
function summary(server: string, name: string, result: GetPromptResult): string {
  const lines = result.messages.slice(0, 5).map((m) => {
    const c = m.content;
    const text =
      c.type === 'text'
        ? c.text
        : c.type === 'resource'
          ? `(resource ${c.resource.uri})`
          : c.type === 'resource_link'
            ? `(resource link ${c.uri})`
            : `(${c.type})`;
    return `  ${m.role}: ${safeLine(text, 100)}`;
  });
  const more = result.messages.length > 5 ? [`  … and ${result.messages.length - 5} more`] : [];
  return [
    `prompt ${server}:${name} sent as ${result.messages.length} message${result.messages.length === 1 ? '' : 's'}:`,
    ...lines,
    ...more,
  ].join('\n');
}

function completeAnswer(
  text: string,
  ctx: CommandContext,
  server: string,
  prompt: string,
  name: string,
  given: Record<string, string>,
): Promise<Completion> {
  return argumentValues(ctx.hub, server, prompt, name, text, given).then((values) => {
    const done = finishCompletion(text, text, values);
    // An answer is one value: no space after it.
    return values.length === 1 ? { text: values[0] ?? text, candidates: [] } : done;
  });
}

/** Tab after `/`: prompt commands whose name starts with what is typed. */
export function promptCommandNames(typed: string, features: FeatureIndex): string[] {
  return features
    .allPrompts()
    .map(({ server, prompt }) => `/${server}:${prompt.name}`)
    .filter((n) => n.startsWith(typed));
}

/** Tab inside a prompt command's arguments; undefined when `text` is not one. */
export async function completePromptCommand(text: string, ctx: CommandContext): Promise<Completion | undefined> {
  const match = /^\/(\S+:\S*) /.exec(text);
  if (!match) return undefined;
  const entry = ctx.features.allPrompts().find(({ server, prompt }) => `${server}:${prompt.name}` === match[1]);
  if (!entry) return { text, candidates: [] };
  return completePromptArgs(text, ctx.hub, entry.server, entry.prompt);
}

/** Hints under the prompt: the matching prompt commands while the name is typed, then the one's usage. */
export function promptHints(text: string, features: FeatureIndex): Hint[] {
  const entries = features.allPrompts();
  const typing = /^\/(\S*)$/.exec(text);
  if (typing) {
    return entries
      .filter(({ server, prompt }) => `${server}:${prompt.name}`.startsWith(typing[1] ?? '') && (typing[1] ?? '') !== '')
      .map(({ server, prompt }) => ({
        usage: promptUsage(server, prompt),
        summary: safeLine(prompt.description ?? prompt.title ?? '', 80),
      }));
  }
  const named = /^\/(\S+:\S+) /.exec(text);
  const entry = named ? entries.find(({ server, prompt }) => `${server}:${prompt.name}` === named[1]) : undefined;
  if (!entry) return [];
  return [
    { usage: promptUsage(entry.server, entry.prompt), summary: safeLine(entry.prompt.description ?? '', 80) },
    ...(entry.prompt.arguments ?? []).map((a) => ({
      usage: `  ${a.name}${a.required === true ? ' (required)' : ''}`,
      summary: safeLine(a.description ?? '', 70),
    })),
  ];
}

/** The /help section: every server prompt with its usage. */
export function promptHelp(features: FeatureIndex): string[] {
  const entries = features.allPrompts();
  if (entries.length === 0) return [];
  return [
    '',
    'Server prompts (missing required arguments are asked for; Tab completes names and values):',
    ...entries.map(
      ({ server, prompt }) => `  ${promptUsage(server, prompt)}${prompt.description ? `  ${safeLine(prompt.description, 70)}` : ''}`,
    ),
  ];
}
