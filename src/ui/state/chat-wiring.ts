// The parts the ChatController builds from its ChatSetup, kept apart from the chat's flow: the approval bridge
// (which saves "always allow" answers to the user's config), the agent session for the current profile and
// model, the content budget, and the texts behind /agents and /stats.
import type { ApprovalPort } from '../../agent/approvals.js';
import type { SessionAllowances } from '../../agent/interactive-approvals.js';
import { promptFor, type Profile } from '../../agent/profile.js';
import type { ResultStore } from '../../agent/result-store.js';
import { RESULT_TOOL_RULES } from '../../agent/result-tool.js';
import { AgentSession, DEFAULT_MAX_TURNS } from '../../agent/session.js';
import { DEFAULT_BUDGET, type ResultBudget } from '../../agent/tool-result.js';
import { toolSearchSettings } from '../../agent/tool-search-settings.js';
import { TOOL_SEARCH_RULES } from '../../agent/tool-search-tool.js';
import type { RawConfig } from '../../config/schema.js';
import { addUserAllowRule } from '../../config/user-rules.js';
import { errorMessage } from '../../errors.js';
import type { Hub } from '../../mcp/hub.js';
import { mergeRules } from '../../policy/permissions.js';
import type { AgentInfo } from '../input/slash-commands.js';
import { ApprovalBridge, type ApprovalBridgeOptions } from './approval-bridge.js';
import type { ChatSaving } from './chat-saving.js';
import { profileToolHost } from './chat-servers.js';
import { contextSettings, type ChatSetup } from './chat-setup.js';
import type { ChatModelSlot } from './model-slot.js';
import type { ChatStats } from './stats.js';

/** The approval dialog's bridge: the config's permission rules, and "always allow" saved to the user's config. */
export function chatApprovals(setup: ChatSetup, parts: Pick<ApprovalBridgeOptions, 'allowances' | 'show' | 'dispatch'>): ApprovalBridge {
  const permissions = setup.loaded.config.permissions;
  const { dispatch } = parts;
  return new ApprovalBridge({
    ...parts,
    rules: mergeRules(TOOL_SEARCH_RULES, RESULT_TOOL_RULES, permissions),
    autoAllowReadOnly: permissions?.autoAllowReadOnly === true,
    saveRule: (toolName) => {
      try {
        const file = addUserAllowRule(toolName, setup.env);
        dispatch({ type: 'notice', level: 'info', text: `${toolName} is now always allowed (permissions.allow in ${file})` });
      } catch (err) {
        dispatch({
          type: 'notice',
          level: 'warn',
          text: `could not save the rule for ${toolName}: ${errorMessage(err)}; it is allowed for this session only`,
        });
      }
    },
  });
}

export interface SessionParts {
  setup: ChatSetup;
  model: ChatModelSlot;
  /** The profile in use, read when it is needed (/agent changes it). */
  profile: () => Profile;
  approve: ApprovalPort;
  saving: ChatSaving;
  results: ResultStore;
}

/** A new agent session for the chat (continuing `setup.resumed` when there is one). */
export function chatSession(parts: SessionParts): AgentSession {
  const { setup, model, profile } = parts;
  return new AgentSession({
    model,
    host: profileToolHost(setup.hub, () => profile().servers, { resourceTool: setup.loaded.config.resourceTool === true }),
    approve: parts.approve,
    ...(setup.resumed ? { history: setup.resumed.messages } : {}),
    onMessage: (message) =>
      parts.saving.append(message, () => ({ cwd: setup.cwd, agent: profile().name, model: model.label() }), setup.resumed),
    // Re-read every turn: servers that became ready (or failed) since are described as they are now.
    systemPrompt: () => promptFor(setup.hub, profile(), setup.cwd),
    maxTurns: setup.maxTurns ?? setup.loaded.config.maxTurns ?? DEFAULT_MAX_TURNS,
    budget: contentBudget(setup.loaded.config),
    toolSearch: toolSearchSettings(setup.loaded.config),
    results: parts.results,
    context: contextSettings(setup.loaded.config.model),
    hooks: setup.hooks,
  });
}

/** How much of a tool result or resource the model gets; images unless the config turns them off. */
export function contentBudget(config: RawConfig): ResultBudget {
  return { ...DEFAULT_BUDGET, images: config.model?.images !== false };
}

/** /agents: the config's agent profiles. */
export function agentList(config: RawConfig): AgentInfo[] {
  return Object.entries(config.agents ?? {}).map(([name, a]) => ({
    name,
    ...(a.description ? { description: a.description } : {}),
    ...(a.servers ? { servers: a.servers } : {}),
  }));
}

/** /stats: what the chat saw, the profile's servers' health, and what is allowed for this session. */
export function statsText(observed: ChatStats, allowances: SessionAllowances, hub: Hub, profileServers: readonly string[]): string {
  const allowed = allowances.list();
  const extra =
    allowed.tools.length + allowed.servers.length > 0
      ? `\n\nallowed for this session: ${[...allowed.servers.map((s) => `all of ${s}`), ...allowed.tools].join(', ')}`
      : '';
  const servers = hub.connections
    .filter((c) => profileServers.includes(c.name))
    .map((c) => ({ name: c.name, state: c.state, metrics: c.metrics.snapshot() }));
  return observed.render(servers) + extra;
}
