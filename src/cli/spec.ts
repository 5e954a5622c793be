// How the command table (src/cli/*-table.ts) describes a command, and the one place that turns a description
// into a commander command. Every action goes through the same wrapper: load the command's module (only now,
// so `--help` and the other commands never load it), call its run function, and hand its exit code back.
import { Argument, Command, Option } from 'commander';
import type { Io } from '../io.js';
import type { GlobalOptions } from '../options.js';

/** What a command's run function gets besides its own arguments and options. */
export interface RunContext {
  io: Io;
  /** The program's global flags (--config, --debug, --trust), as parsed for this run. */
  globals: GlobalOptions;
  /** The whole program (the chat lists its command names, `__complete` walks it). */
  program: Command;
  /** The command that is running. */
  command: Command;
}

/** A command's action: its positional values and options, as commander parsed them, to an exit code. */
export type CommandAction = (args: unknown[], opts: unknown, ctx: RunContext) => Promise<number>;

export interface CommandSpec {
  name: string;
  alias?: string;
  description?: string;
  args?: Argument[];
  options?: Option[];
  /** Shown after the generated help. */
  help?: string;
  /** Run when no command is named (the chat). */
  isDefault?: boolean;
  hidden?: boolean;
  allowExcessArguments?: boolean;
  allowUnknownOption?: boolean;
  /** false: no -h/--help of its own. */
  helpOption?: false;
  subcommands?: CommandSpec[];
  /** Absent for a group (`auth`, `mcp`, `serve`): commander then shows its help. */
  action?: CommandAction;
}

/**
 * A lazily loaded action: `load` imports the command's module when the command runs; `run` calls its function.
 * `args` and `opts` are typed by the entry, matching the arguments and options it declares (commander does
 * not check that: this is the one place their types are taken on trust).
 */
export function lazy<M, A extends unknown[], O>(spec: {
  load: () => Promise<M>;
  run: (module: M, args: A, opts: O, ctx: RunContext) => number | Promise<number>;
}): CommandAction {
  return async (args, opts, ctx) => spec.run(await spec.load(), args as A, opts as O, ctx);
}

/** An option, as commander's `.option(flags, description, parse)` would make it. */
export function opt<T>(flags: string, description: string, parse?: (value: string, previous: T) => T): Option {
  const option = new Option(flags, description);
  return parse ? option.argParser(parse) : option;
}

/** A positional argument, as commander's `.argument(name, description, default)` would make it. */
export function arg(name: string, description?: string, defaultValue?: string): Argument {
  const argument = new Argument(name, description);
  return defaultValue === undefined ? argument : argument.default(defaultValue);
}

/** Adds the command (and its subcommands) to `parent`; `finish` receives the exit code of whichever runs. */
export function register(parent: Command, spec: CommandSpec, program: Command, io: Io, finish: (code: number) => void): Command {
  const command = parent.command(spec.name, { isDefault: spec.isDefault === true, hidden: spec.hidden === true });
  if (spec.alias !== undefined) command.alias(spec.alias);
  if (spec.description !== undefined) command.description(spec.description);
  for (const argument of spec.args ?? []) command.addArgument(argument);
  for (const option of spec.options ?? []) command.addOption(option);
  if (spec.allowExcessArguments === true) command.allowExcessArguments();
  if (spec.allowUnknownOption === true) command.allowUnknownOption();
  if (spec.helpOption === false) command.helpOption(false);
  if (spec.help !== undefined) command.addHelpText('after', spec.help);
  const action = spec.action;
  if (action) {
    command.action(async () => {
      const globals = program.opts<GlobalOptions>();
      finish(await action(command.processedArgs, command.opts(), { io, globals, program, command }));
    });
  }
  for (const sub of spec.subcommands ?? []) register(command, sub, program, io, finish);
  return command;
}
