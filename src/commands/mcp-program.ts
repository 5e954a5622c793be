// The commander definitions of `mcpsh mcp …`, `mcpsh completion` and the hidden `mcpsh __complete`; each
// action imports its module only when it runs, like every other command in src/cli.ts.
import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { textIo } from '../output/terminal-io.js';

interface Globals {
  config?: string;
  trust?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const scopeOption = (what: string): Option =>
  new Option('-s, --scope <scope>', `${what}: user (your file in $XDG_CONFIG_HOME/mcpsh) or project (./mcp.config.json)`).choices(['user', 'project']);

export function addMcpCommand(program: Command, io: Io, globals: () => Globals): void {
  const mcp = program
    .command('mcp')
    .description('add, list, show, remove, enable, disable and import MCP servers in your config files')
    .addHelpText(
      'after',
      `
Edits keep the file's comments and layout, are checked like the config itself before anything is written,
and replace the file in one step. --scope user (the default) edits your own config; --scope project edits
./mcp.config.json (created if absent) and trusts what it wrote when the file was new or already trusted.

Examples:
  mcpsh mcp add files -- npx -y @modelcontextprotocol/server-filesystem .
  mcpsh mcp add github https://api.githubcopilot.com/mcp/ --header 'Authorization: Bearer \${GITHUB_TOKEN}'
  mcpsh mcp add db -e DB_PATH=./demo.db -- mcpsh serve sqlite ./demo.db
  mcpsh mcp add-json weather '{"url":"http://127.0.0.1:3333/mcp","type":"http"}'
  mcpsh mcp list
  mcpsh mcp disable files
  mcpsh mcp import --from claude-desktop --dry-run`,
    );

  mcp
    .command('add')
    .description('add a stdio server (NAME -- COMMAND [ARGS…]) or a remote one (NAME URL)')
    .argument('<name>', 'the server name')
    .argument('[command-or-url]', 'the program to start (after --), or the http(s) URL of a remote server')
    .argument('[args...]', 'arguments for the program')
    .addOption(new Option('-t, --transport <transport>', 'stdio, http (Streamable HTTP) or sse; default: a URL is tried as http, then sse').choices(['stdio', 'http', 'sse']))
    .option('-e, --env <KEY=VALUE>', 'an environment variable for a stdio server (repeatable); ${VAR} is expanded at load time', collect)
    .option('-H, --header <"Name: value">', 'an HTTP header for a remote server (repeatable)', collect)
    .addOption(scopeOption('where to add it'))
    .option('-f, --force', 'replace a server of the same name')
    .action(async (name: string, target: string | undefined, args: string[], opts: import('./mcp.js').AddOptions) => {
      const { runMcpAdd } = await import('./mcp.js');
      process.exitCode = runMcpAdd(name, target, args, opts, io);
    });

  mcp
    .command('add-json')
    .description('add a server from its JSON entry, as it would appear under "mcpServers"')
    .argument('<name>', 'the server name')
    .argument('<json>', 'the entry, e.g. \'{"command":"npx","args":["-y","pkg"]}\'')
    .addOption(scopeOption('where to add it'))
    .option('-f, --force', 'replace a server of the same name')
    .action(async (name: string, json: string, opts: import('./mcp.js').AddOptions) => {
      const { runMcpAddJson } = await import('./mcp.js');
      process.exitCode = runMcpAddJson(name, json, opts, io);
    });

  mcp
    .command('list')
    .description('list the configured servers (every config file merged) without starting them')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runMcpList } = await import('./mcp-show.js');
      process.exitCode = await runMcpList({ ...globals(), ...opts }, io);
    });

  mcp
    .command('get')
    .description('show one server as configured, with secrets redacted')
    .argument('<server>', 'the server name')
    .option('--json', 'print JSON')
    .action(async (server: string, opts: { json?: boolean }) => {
      const { runMcpGet } = await import('./mcp-show.js');
      process.exitCode = await runMcpGet(server, { ...globals(), ...opts }, io);
    });

  mcp
    .command('remove')
    .description('remove a server from the file that defines it')
    .argument('<server>', 'the server name')
    .addOption(scopeOption('which file (needed only when both define it)'))
    .action(async (server: string, opts: { scope?: 'user' | 'project' }) => {
      const { runMcpRemove } = await import('./mcp.js');
      process.exitCode = runMcpRemove(server, opts, io);
    });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    mcp
      .command(verb)
      .description(enabled ? 'start this server again (sets "enabled": true)' : 'keep the entry but do not start it (sets "enabled": false)')
      .argument('<server>', 'the server name')
      .addOption(scopeOption('which file (needed only when both define it)'))
      .action(async (server: string, opts: { scope?: 'user' | 'project' }) => {
        const { runMcpEnable } = await import('./mcp.js');
        process.exitCode = runMcpEnable(server, enabled, opts, io);
      });
  }

  mcp
    .command('import')
    .description("copy servers from Claude Desktop, Claude Code, Cursor, VS Code or Gemini CLI files (existing names are skipped)")
    .argument('[file]', 'read this file (needs --from) instead of the host\'s usual files')
    .addOption(new Option('--from <host>', 'whose files to read (default: all of them)').choices(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'gemini']))
    .addOption(scopeOption('where to add them'))
    .option('-n, --dry-run', 'show what would be added, change nothing')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, opts: import('./mcp-import.js').ImportOptions) => {
      const { runMcpImport } = await import('./mcp-import.js');
      process.exitCode = runMcpImport(file, opts, io);
    });
}

export function addCompletionCommands(program: Command, io: Io): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, options, server and tool names)')
    .addArgument(new Command().createArgument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Examples:
  source <(mcpsh completion bash)                       in ~/.bashrc
  source <(mcpsh completion zsh)                        in ~/.zshrc, after compinit
  mcpsh completion fish > ~/.config/fish/completions/mcpsh.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.js');
      textIo(io).stdout.write(completionScript(shell));
    });

  // What the scripts call on each TAB: reads the config and the tool-list cache, never starts a server.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const { completeWords } = await import('./completion.js');
      const candidates = await completeWords(program, words.length === 0 ? [''] : words, io);
      // Names come from config files: they pass the output boundary like any other printed text.
      if (candidates.length > 0) textIo(io).stdout.write(`${candidates.join('\n')}\n`);
    });
}
