// Which agent profile and which servers a run uses: `--agent` picks `agents.<name>` (instructions,
// server subset, model), `--server` narrows further. Servers outside the selection are never started.
import { buildSystemPrompt } from './system-prompt.js';
import type { LoadedConfig } from '../config/types.js';
import type { Hub } from '../mcp/hub.js';
import { AppError } from '../errors.js';
import { closestMatch } from '../suggest.js';

export interface Profile {
  name: string | null;
  instructions?: string;
  model?: string;
  /** Names of the enabled servers this run may use (and so starts). */
  servers: string[];
}

export function selectProfile(loaded: LoadedConfig, agentName: string | undefined, serverFilter: readonly string[] | undefined): Profile {
  const known = loaded.servers.map((s) => s.name);
  let servers = loaded.servers.filter((s) => s.enabled).map((s) => s.name);
  const profile: Profile = { name: null, servers };

  if (agentName !== undefined) {
    const agents = loaded.config.agents ?? {};
    const agent = agents[agentName];
    if (!agent) {
      const names = Object.keys(agents);
      const close = closestMatch(agentName, names);
      throw new AppError('USAGE', `no agent named "${agentName}" in the config${close ? ` (did you mean "${close}"?)` : ''}`, {
        hint:
          names.length > 0
            ? `configured agents: ${names.join(', ')}`
            : 'define agents under "agents" in the config (docs/configuration.md)',
      });
    }
    profile.name = agentName;
    if (agent.instructions) profile.instructions = agent.instructions;
    if (agent.model) profile.model = agent.model;
    if (agent.servers) {
      const unknown = agent.servers.filter((s) => !known.includes(s));
      if (unknown.length > 0) {
        throw new AppError('CONFIG', `agent "${agentName}" names servers that are not configured: ${unknown.join(', ')}`, {
          hint: `configured servers: ${known.join(', ')}`,
        });
      }
      servers = servers.filter((s) => agent.servers?.includes(s));
    }
  }

  if (serverFilter && serverFilter.length > 0) {
    for (const name of serverFilter) {
      if (!known.includes(name)) {
        const close = closestMatch(name, known);
        throw new AppError('USAGE', `no server named "${name}" in the config${close ? ` (did you mean "${close}"?)` : ''}`, {
          hint: `configured servers: ${known.join(', ')}`,
        });
      }
      if (!servers.includes(name)) {
        throw new AppError(
          'USAGE',
          `server "${name}" is ${loaded.servers.find((s) => s.name === name)?.enabled === false ? 'disabled in the config' : `not part of agent "${agentName ?? ''}"`}`,
        );
      }
    }
    servers = servers.filter((s) => serverFilter.includes(s));
  }
  profile.servers = servers;
  return profile;
}

/** Re-evaluated every turn: servers that restart or fail meanwhile are described as they are now. */
export function promptFor(hub: Hub, profile: Profile, cwd: string): string {
  const mine = hub.connections.filter((c) => profile.servers.includes(c.name));
  return buildSystemPrompt({
    ...(profile.instructions ? { instructions: profile.instructions } : {}),
    servers: mine
      .filter((c) => c.state === 'ready')
      .map((c) => ({ name: c.name, ...(c.instructions ? { instructions: c.instructions } : {}) })),
    unavailable: mine
      .filter((c) => c.state !== 'ready')
      .map((c) => ({ name: c.name, reason: c.state === 'failed' ? (c.error ?? 'failed') : `still ${c.state}` })),
    cwd,
  });
}
