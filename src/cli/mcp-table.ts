// `mcpsh mcp …` (edit the config's servers), `mcpsh completion` and the hidden `mcpsh __complete`, as entries of
// the command table (src/cli/spec.ts); each module is imported only when its command runs.
import { Option } from 'commander';
import type { AddOptions, ScopeOptions } from '../commands/mcp.js';
import type { ImportOptions } from '../commands/mcp-import.js';
import { collect } from '../options.js';
import { arg, lazy, opt, type CommandSpec } from './spec.js';

const scopeOption = (what: string): Option =>
  new Option('-s, --scope <scope>', `${what}: user (your file in $XDG_CONFIG_HOME/mcpsh) or project (./mcp.config.json)`).choices([
    'user',
    'project',
  ]);

const serverArg = (): ReturnType<typeof arg> => arg('<server>', 'the server name');

export function mcpTable(): CommandSpec {
  return {
    name: 'mcp',
    description: 'add, list, show, remove, enable, disable and import MCP servers in your config files',
    help: `
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
    subcommands: [
      {
        name: 'add',
        description: 'add a stdio server (NAME -- COMMAND [ARGS…]) or a remote one (NAME URL)',
        args: [
          arg('<name>', 'the server name'),
          arg('[command-or-url]', 'the program to start (after --), or the http(s) URL of a remote server'),
          arg('[args...]', 'arguments for the program'),
        ],
        options: [
          new Option(
            '-t, --transport <transport>',
            'stdio, http (Streamable HTTP) or sse; default: a URL is tried as http, then sse',
          ).choices(['stdio', 'http', 'sse']),
          opt('-e, --env <KEY=VALUE>', 'an environment variable for a stdio server (repeatable); ${VAR} is expanded at load time', collect),
          opt('-H, --header <"Name: value">', 'an HTTP header for a remote server (repeatable)', collect),
          scopeOption('where to add it'),
          opt('-f, --force', 'replace a server of the same name'),
        ],
        action: lazy({
          load: () => import('../commands/mcp.js'),
          run: (m, [name, target, args]: [string, string | undefined, string[]], opts: AddOptions, { io }) =>
            m.runMcpAdd(name, target, args, opts, io),
        }),
      },
      {
        name: 'add-json',
        description: 'add a server from its JSON entry, as it would appear under "mcpServers"',
        args: [arg('<name>', 'the server name'), arg('<json>', 'the entry, e.g. \'{"command":"npx","args":["-y","pkg"]}\'')],
        options: [scopeOption('where to add it'), opt('-f, --force', 'replace a server of the same name')],
        action: lazy({
          load: () => import('../commands/mcp.js'),
          run: (m, [name, json]: [string, string], opts: AddOptions, { io }) => m.runMcpAddJson(name, json, opts, io),
        }),
      },
      {
        name: 'list',
        description: 'list the configured servers (every config file merged) without starting them',
        options: [opt('--json', 'print JSON')],
        action: lazy({
          load: () => import('../commands/mcp-show.js'),
          run: (m, _args: [], opts: { json?: boolean }, { globals, io }) => m.runMcpList({ ...globals, ...opts }, io),
        }),
      },
      {
        name: 'get',
        description: 'show one server as configured, with secrets redacted',
        args: [serverArg()],
        options: [opt('--json', 'print JSON')],
        action: lazy({
          load: () => import('../commands/mcp-show.js'),
          run: (m, [server]: [string], opts: { json?: boolean }, { globals, io }) => m.runMcpGet(server, { ...globals, ...opts }, io),
        }),
      },
      {
        name: 'remove',
        description: 'remove a server from the file that defines it',
        args: [serverArg()],
        options: [scopeOption('which file (needed only when both define it)')],
        action: lazy({
          load: () => import('../commands/mcp.js'),
          run: (m, [server]: [string], opts: ScopeOptions, { io }) => m.runMcpRemove(server, opts, io),
        }),
      },
      ...(
        [
          ['enable', true],
          ['disable', false],
        ] as const
      ).map(([verb, enabled]): CommandSpec => ({
        name: verb,
        description: enabled
          ? 'start this server again (sets "enabled": true)'
          : 'keep the entry but do not start it (sets "enabled": false)',
        args: [serverArg()],
        options: [scopeOption('which file (needed only when both define it)')],
        action: lazy({
          load: () => import('../commands/mcp.js'),
          run: (m, [server]: [string], opts: ScopeOptions, { io }) => m.runMcpEnable(server, enabled, opts, io),
        }),
      })),
      {
        name: 'import',
        description: 'copy servers from Claude Desktop, Claude Code, Cursor, VS Code or Gemini CLI files (existing names are skipped)',
        args: [arg('[file]', "read this file (needs --from) instead of the host's usual files")],
        options: [
          new Option('--from <host>', 'whose files to read (default: all of them)').choices([
            'claude-desktop',
            'claude-code',
            'cursor',
            'vscode',
            'gemini',
          ]),
          scopeOption('where to add them'),
          opt('-n, --dry-run', 'show what would be added, change nothing'),
          opt('--json', 'print JSON'),
        ],
        action: lazy({
          load: () => import('../commands/mcp-import.js'),
          run: (m, [file]: [string | undefined], opts: ImportOptions, { io }) => m.runMcpImport(file, opts, io),
        }),
      },
    ],
  };
}

export function completionTable(): CommandSpec[] {
  return [
    {
      name: 'completion',
      description: 'print a shell completion script (commands, options, server and tool names)',
      args: [arg('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish'])],
      help: `
Examples:
  source <(mcpsh completion bash)                       in ~/.bashrc
  source <(mcpsh completion zsh)                        in ~/.zshrc, after compinit
  mcpsh completion fish > ~/.config/fish/completions/mcpsh.fish`,
      action: lazy({
        load: () => import('../commands/completion.js'),
        run: (m, [shell]: ['bash' | 'zsh' | 'fish'], _opts: object, { io }) => m.runCompletion(shell, io),
      }),
    },
    {
      // What the scripts call on each TAB: reads the config and the tool-list cache, never starts a server.
      name: '__complete',
      hidden: true,
      args: [arg('[words...]')],
      allowUnknownOption: true,
      helpOption: false,
      action: lazy({
        load: () => import('../commands/completion.js'),
        run: (m, [words]: [string[]], _opts: object, { io, program }) => m.runComplete(program, words, io),
      }),
    },
  ];
}
