// Which configured servers the managed policy blocks, and by which rule. deniedMcpServers wins over
// allowedMcpServers; with an allow list, a server must match it: a stdio server by a serverCommand entry when
// the list has any (else by name), a remote server by a serverUrl entry when it has any (else by name), so a
// project cannot pass a policy that pins commands or URLs by naming its own server like an allowed one.
// Names are compared after the config's own folding (src/config/name-fold.ts), commands by the program they
// really start (managed-command.ts), URLs in a normal form (managed-url.ts).
import type { ResolvedRemoteServer, ResolvedServer, ResolvedStdioServer } from './schema.js';
import { argsMatch, commandStem, isPathCommand, resolveExecutable, type CommandSite } from './managed-command.js';
import { describeMatcher, type ManagedPolicy, type ServerMatcher } from './managed-policy.js';
import { compileUrlPattern, normalizeServerUrl } from './managed-url.js';
import { serverNameKey } from './name-fold.js';

export interface BlockedServer {
  name: string;
  /** Which rule blocked it, in words (`deniedMcpServers[0] {"serverName":"x"} matches its name`). */
  rule: string;
  /** What every report shows: `blocked by the managed policy (<file>): <rule>`. */
  reason: string;
}

export interface MatchContext {
  /** mcpsh's own environment: a bare command in the policy is looked up on its PATH. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform?: NodeJS.Platform;
}

/** The servers the policy blocks, by name (servers it lets run are absent). */
export async function blockedServers(
  servers: readonly ResolvedServer[],
  policy: ManagedPolicy,
  ctx: MatchContext,
): Promise<Map<string, BlockedServer>> {
  const judge = new Judge(policy, ctx);
  const out = new Map<string, BlockedServer>();
  for (const server of servers) {
    const rule = await judge.rule(server);
    if (rule !== undefined)
      out.set(server.name, { name: server.name, rule, reason: `blocked by the managed policy (${policy.file}): ${rule}` });
  }
  return out;
}

class Judge {
  private readonly platform: NodeJS.Platform;
  private readonly policyPrograms = new Map<string, Promise<string | undefined>>();
  private readonly urlTests = new Map<string, (url: string) => boolean>();

  constructor(
    private readonly policy: ManagedPolicy,
    private readonly ctx: MatchContext,
  ) {
    this.platform = ctx.platform ?? process.platform;
  }

  /** Why `server` is blocked, or undefined when it may run. */
  async rule(server: ResolvedServer): Promise<string | undefined> {
    const target = new Target(server, this.ctx.env, this.platform);
    for (const [i, m] of this.policy.deniedMcpServers.entries()) {
      const how = await this.matches(m, target, true);
      if (how) return `deniedMcpServers[${i}] ${describeMatcher(m)} matches its ${how}`;
    }
    const allowed = this.policy.allowedMcpServers;
    if (allowed === undefined) return undefined;
    if (allowed.length === 0) return 'allowedMcpServers is empty, so no server may run';
    const key = target.stdio ? 'serverCommand' : 'serverUrl';
    const pinned = allowed.some((m) => key in m);
    const relevant = allowed.filter((m) => (pinned ? key in m : 'serverName' in m));
    for (const m of relevant) if (await this.matches(m, target, false)) return undefined;
    const kind = target.stdio ? 'stdio' : 'remote';
    if (relevant.length === 0)
      return `allowedMcpServers has no serverCommand, serverUrl or serverName entry that could allow a ${kind} server`;
    if (!pinned) return `its name "${server.name}" matches none of the serverName entries of allowedMcpServers`;
    if (target.stdio) {
      const found = (await target.program()) !== undefined;
      const argv = JSON.stringify([target.stdio.command, ...target.stdio.args]);
      return `its command ${argv} matches none of the serverCommand entries of allowedMcpServers${found ? '' : ` ("${target.stdio.command}" was not found, so it cannot be matched)`}`;
    }
    return `its URL ${target.url() ?? target.remote?.url ?? ''} matches none of the serverUrl entries of allowedMcpServers`;
  }

  /** What of the server `m` matches (name, command, URL), or undefined. `broad`: deny-list matching. */
  private async matches(m: ServerMatcher, t: Target, broad: boolean): Promise<string | undefined> {
    if ('serverName' in m) return serverNameKey(m.serverName) === serverNameKey(t.server.name) ? 'name' : undefined;
    if ('serverUrl' in m) {
      const url = t.url();
      return url !== undefined && this.urlTest(m.serverUrl)(url) ? `URL ${url}` : undefined;
    }
    const s = t.stdio;
    if (!s) return undefined;
    const [command = '', ...args] = m.serverCommand;
    if (!argsMatch(args, s.args, s.cwd, this.platform, broad)) return undefined;
    // A deny entry also catches the same name anywhere on disk: a copy elsewhere must not slip past it.
    if (
      broad &&
      (command === s.command ||
        (!isPathCommand(command, this.platform) && commandStem(command, this.platform) === commandStem(s.command, this.platform)))
    )
      return 'command';
    const [want, got] = await Promise.all([this.policyProgram(command), t.program()]);
    return want !== undefined && want === got ? 'command' : undefined;
  }

  private policyProgram(command: string): Promise<string | undefined> {
    let found = this.policyPrograms.get(command);
    if (!found) {
      found = resolveExecutable(command, {
        PATH: envValue(this.ctx.env, 'PATH', this.platform),
        PATHEXT: envValue(this.ctx.env, 'PATHEXT', this.platform),
        cwd: this.ctx.cwd,
        platform: this.platform,
      });
      this.policyPrograms.set(command, found);
    }
    return found;
  }

  private urlTest(pattern: string): (url: string) => boolean {
    let test = this.urlTests.get(pattern);
    if (!test) {
      test = compileUrlPattern(pattern);
      this.urlTests.set(pattern, test);
    }
    return test;
  }
}

/** One server as the matchers see it; its program is looked up once, and only when a command entry asks. */
class Target {
  readonly stdio: ResolvedStdioServer | undefined;
  readonly remote: ResolvedRemoteServer | undefined;
  private programFound: Promise<string | undefined> | undefined;

  constructor(
    readonly server: ResolvedServer,
    private readonly env: NodeJS.ProcessEnv,
    private readonly platform: NodeJS.Platform,
  ) {
    this.stdio = server.transport === 'stdio' ? server : undefined;
    this.remote = server.transport === 'stdio' ? undefined : server;
  }

  url(): string | undefined {
    return this.remote ? normalizeServerUrl(this.remote.url) : undefined;
  }

  /** The real path of the program this server starts: looked up on the PATH it gets (its own env may set one). */
  program(): Promise<string | undefined> {
    const s = this.stdio;
    if (!s) return Promise.resolve(undefined);
    this.programFound ??= resolveExecutable(s.command, this.site(s));
    return this.programFound;
  }

  private site(s: ResolvedStdioServer): CommandSite {
    const own = (name: string): string | undefined => envValue(s.env, name, this.platform);
    const parent = (name: string): string | undefined => {
      const v = envValue(this.env, name, this.platform);
      // Exported bash functions are never passed on (src/mcp/transports.ts serverEnv).
      return v?.startsWith('()') ? undefined : v;
    };
    return { PATH: own('PATH') ?? parent('PATH'), PATHEXT: own('PATHEXT') ?? parent('PATHEXT'), cwd: s.cwd, platform: this.platform };
  }
}

/** A variable of `env`; on Windows names are case-insensitive (Path). */
function envValue(env: Record<string, string | undefined>, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}
