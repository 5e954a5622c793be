// Which tools one model request carries. Under the budget (toolSearch.maxTools, or the definitions'
// share of the context window) every tool goes, as before; past it, the always-loaded tools, the built-in
// `mcpsh_search_tools`, and the tools searches loaded, in the order they were loaded. Never more than
// HARD_MAX_TOOLS. The catalogue is re-read every request, so servers that become ready late join the index.
import type { CallToolResult } from '../mcp/types.js';
import type { QualifiedTool } from '../mcp/hub.js';
import { toToolSpec } from '../model/tool-schema.js';
import type { ToolSpec } from '../model/types.js';
import type { AgentEvent } from './events.js';
import type { ToolHost } from './tool-runner.js';
import { alwaysMatcher, documentOf, nameList, plural, sameDocument, specChars } from './tool-search-helpers.js';
import { ToolSearchIndex, type ToolDocument } from './tool-search-index.js';
import { CHARS_PER_TOKEN, DEFAULT_TOOL_SEARCH, HARD_MAX_TOOLS, type ToolSearchSettings } from './tool-search-settings.js';
import {
  MAX_SEARCH_LIMIT,
  TOOL_SEARCH_NAME,
  TOOL_SEARCH_SERVER,
  searchResultText,
  searchToolDefinition,
  type ResultLine,
} from './tool-search-tool.js';

/** What `/tools` shows: which tools the model has now, and how many wait behind search. */
export interface ToolSelectionView {
  /** Tool search is in use (the budget was passed, or it is switched on). */
  active: boolean;
  /** Every tool the next request carries (the search tool aside): always-loaded first, then loaded. */
  offered: ReadonlySet<string>;
  /** Loaded by searches, oldest first. */
  loaded: readonly string[];
  /** Tools of the catalogue that are not offered now. */
  deferred: number;
  total: number;
}

interface Plan {
  active: boolean;
  /** Offered tools with their specs (the search tool not included). */
  offered: Array<{ tool: QualifiedTool; spec: ToolSpec }>;
  /** How many of `offered` are always loaded (they come first). */
  alwaysCount: number;
  /** Tools left out by the count cap when search is off, or always-loaded tools past the cap. */
  capped: number;
}

export class ToolSelection {
  /** What the tool runner resolves and calls through: the search tool, then every tool of the catalogue. */
  readonly host: ToolHost;
  private readonly settings: ToolSearchSettings;
  private readonly index = new ToolSearchIndex();
  /** Name -> the tool as last seen (a new object means the list changed). */
  private readonly indexed = new Map<string, QualifiedTool>();
  /** Name -> the document in the index: a tool that comes back unchanged (a cached list gone live) is not indexed again. */
  private readonly documents = new Map<string, ToolDocument>();
  /** Tools seen but not indexed yet, and tools gone but still indexed: indexing waits until it is needed. */
  private readonly stale = new Set<string>();
  private indexScheduled = false;
  private catalogue: QualifiedTool[] = [];
  /** What only changes with the catalogue: computed once per change, not per request. */
  private derived: { always: QualifiedTool[]; perServer: Map<string, number> } | undefined;
  private readonly loaded: string[] = [];
  private readonly always: (t: QualifiedTool) => boolean;
  private readonly noted = new Set<string>();
  private readonly cutPending: string[] = [];
  private offeredNow: QualifiedTool[] | undefined;
  private searchTool: QualifiedTool | undefined;
  private searchKey = '';
  private emit: ((event: AgentEvent) => void) | undefined;

  constructor(
    private readonly inner: ToolHost,
    settings: Partial<ToolSearchSettings> = {},
  ) {
    this.settings = { ...DEFAULT_TOOL_SEARCH, ...settings };
    this.always = alwaysMatcher(this.settings.alwaysLoad);
    this.host = {
      tools: () => this.offeredNow ?? this.inner.tools(),
      resolve: (name) =>
        name === TOOL_SEARCH_NAME
          ? this.searchToolFor(this.deferredByServer(new Set(this.offeredNow?.map((t) => t.name))))
          : this.inner.resolve(name),
      callTool: (server, tool, args, options) => this.inner.callTool(server, tool, args, options),
    };
  }

  private get maxTools(): number {
    return Math.max(2, Math.min(HARD_MAX_TOOLS, this.settings.maxTools));
  }

  /** The tools for the next model request; notices (skipped tools, cut descriptions, caps) go to `emit`, each once. */
  specs(emit: (event: AgentEvent) => void): ToolSpec[] {
    this.emit = emit;
    this.sync();
    if (this.cutPending.length > 0) {
      const names = this.cutPending.splice(0);
      emit({
        type: 'notice',
        message: `${plural(names.length, 'tool description')} longer than ${this.settings.maxToolDescription} characters ${names.length === 1 ? 'is' : 'are'} cut for the model (model.maxToolDescription; \`mcpsh tools\` shows them whole): ${nameList(names)}`,
      });
    }
    const plan = this.plan(emit);
    if (plan.capped > 0)
      this.noteOnce(
        'capped',
        `${plural(plan.capped, 'tool')} not offered to the model: a request carries at most ${this.maxTools} tools${plan.active ? ' (the rest of alwaysLoad is left out)' : ' and toolSearch.enabled is false'}`,
        emit,
      );
    const specs = plan.offered.map((o) => o.spec);
    const offered = plan.offered.map((o) => o.tool);
    if (plan.active) {
      const search = this.searchToolFor(this.deferredByServer(new Set(offered.map((t) => t.name))));
      const converted = toToolSpec(search.name, search.tool);
      if (converted.ok) specs.splice(plan.alwaysCount, 0, converted.spec);
      offered.splice(plan.alwaysCount, 0, search);
    }
    this.offeredNow = offered;
    if (plan.active && this.stale.size > 0 && !this.indexScheduled) {
      this.indexScheduled = true;
      setImmediate(() => {
        this.indexScheduled = false;
        this.indexNow();
      });
    }
    return specs;
  }

  /** Forgets what searches loaded (the chat's /clear). */
  reset(): void {
    this.loaded.splice(0);
  }

  view(): ToolSelectionView {
    this.sync();
    const plan = this.plan(undefined);
    const offered = new Set(plan.offered.map((o) => o.tool.name));
    return {
      active: plan.active,
      offered,
      loaded: this.loaded.filter((n) => offered.has(n)),
      deferred: this.catalogue.length - offered.size,
      total: this.catalogue.length,
    };
  }

  /** Brings the index up to the host's list: new and changed tools indexed, gone ones removed. */
  private sync(): void {
    const all = this.inner.tools();
    this.catalogue = all;
    let seen = 0;
    for (const t of all) {
      seen++;
      const before = this.indexed.get(t.name);
      if (before && before.tool === t.tool && before.server === t.server) continue;
      this.derived = undefined;
      this.indexed.set(t.name, t);
      this.stale.add(t.name);
      const max = this.settings.maxToolDescription;
      if (max > 0 && (t.tool.description?.length ?? 0) > max && !this.noted.has(`cut\u0000${t.name}`)) {
        this.noted.add(`cut\u0000${t.name}`);
        this.cutPending.push(t.name);
      }
    }
    if (this.indexed.size === seen) return;
    this.derived = undefined;
    const present = new Set(all.map((t) => t.name));
    for (const name of [...this.indexed.keys()]) {
      if (present.has(name)) continue;
      this.indexed.delete(name);
      this.stale.add(name);
      const at = this.loaded.indexOf(name);
      if (at >= 0) this.loaded.splice(at, 1);
    }
  }

  /**
   * Indexes what changed since the last time. A 10,000-tool server costs a few hundred ms to index once,
   * so specs() schedules this for while the model request is out, and a search runs it if still needed.
   */
  private indexNow(): void {
    for (const name of this.stale) {
      const tool = this.indexed.get(name);
      if (!tool) {
        this.index.remove(name);
        this.documents.delete(name);
        continue;
      }
      const doc = documentOf(tool);
      if (sameDocument(doc, this.documents.get(name))) continue;
      this.documents.set(name, doc);
      this.index.upsert(doc);
    }
    this.stale.clear();
  }

  private plan(emit: ((event: AgentEvent) => void) | undefined): Plan {
    const { enabled } = this.settings;
    const max = this.maxTools;
    if (enabled !== true && this.catalogue.length <= max) {
      const offered = this.convert(this.catalogue, emit);
      const size = offered.reduce((n, o) => n + specChars(o.spec), 0);
      if (enabled === false || size <= this.budgetChars()) return { active: false, offered, alwaysCount: offered.length, capped: 0 };
    }
    if (enabled === false) {
      const offered = this.convert(this.catalogue.slice(0, max), emit);
      return { active: false, offered, alwaysCount: offered.length, capped: this.catalogue.length - max };
    }
    // Search: always-loaded tools (and mcpsh's own built-ins) first, then what searches loaded.
    const { always } = this.derive();
    const room = max - 1;
    const alwaysOffered = this.convert(always.slice(0, room), emit);
    const left = room - alwaysOffered.length;
    const alwaysNames = new Set(always.map((t) => t.name));
    const byName = this.indexed;
    // Loaded tools past the room (alwaysLoad grew, a server came back) give way, oldest first.
    const loadedTools = this.loaded.filter((n) => !alwaysNames.has(n) && byName.has(n));
    const evicted = loadedTools.length > left ? loadedTools.slice(0, loadedTools.length - left) : [];
    if (evicted.length > 0 && emit) {
      for (const name of evicted) this.loaded.splice(this.loaded.indexOf(name), 1);
      emit({ type: 'notice', message: `tool search: unloaded ${nameList(evicted)} to stay within ${max} tools` });
    }
    const kept = loadedTools
      .slice(evicted.length)
      .map((n) => byName.get(n))
      .filter((t): t is QualifiedTool => t !== undefined);
    return {
      active: true,
      offered: [...alwaysOffered, ...this.convert(kept, emit)],
      alwaysCount: alwaysOffered.length,
      capped: Math.max(0, always.length - room),
    };
  }

  /** Specs of the tools that can be sent; one that cannot is left out with one notice. */
  private convert(
    tools: readonly QualifiedTool[],
    emit: ((event: AgentEvent) => void) | undefined,
  ): Array<{ tool: QualifiedTool; spec: ToolSpec }> {
    const out: Array<{ tool: QualifiedTool; spec: ToolSpec }> = [];
    for (const tool of tools) {
      const converted = toToolSpec(tool.name, tool.tool, { maxDescription: this.settings.maxToolDescription });
      if (converted.ok) out.push({ tool, spec: converted.spec });
      else if (emit) this.noteOnce(`skip\u0000${tool.name}`, `tool ${tool.name} is not offered to the model: ${converted.reason}`, emit);
    }
    return out;
  }

  private budgetChars(): number {
    return this.settings.contextWindow * this.settings.maxShare * CHARS_PER_TOKEN;
  }

  private derive(): NonNullable<ToolSelection['derived']> {
    if (!this.derived) {
      const perServer = new Map<string, number>();
      for (const t of this.catalogue) perServer.set(t.server, (perServer.get(t.server) ?? 0) + 1);
      this.derived = { always: this.catalogue.filter((t) => t.call !== undefined || this.always(t)), perServer };
    }
    return this.derived;
  }

  /** Tools not offered, per server (catalogue order). */
  private deferredByServer(offered: ReadonlySet<string>): Map<string, number> {
    const counts = new Map(this.derive().perServer);
    for (const name of offered) {
      const server = this.indexed.get(name)?.server;
      if (server !== undefined) counts.set(server, (counts.get(server) ?? 0) - 1);
    }
    for (const [server, n] of counts) if (n <= 0) counts.delete(server);
    return counts;
  }

  /** The search tool, the same object while its description stays the same (its converted spec is cached on it). */
  private searchToolFor(deferred: Map<string, number>): QualifiedTool {
    const key = JSON.stringify([...deferred]);
    if (!this.searchTool || key !== this.searchKey) {
      this.searchKey = key;
      this.searchTool = {
        name: TOOL_SEARCH_NAME,
        server: TOOL_SEARCH_SERVER,
        tool: searchToolDefinition(deferred, this.settings.defaultLimit),
        call: (args) => Promise.resolve(this.search(args)),
      };
    }
    return this.searchTool;
  }

  /** Runs one search: ranks the catalogue, loads what is not offered yet, reports it. */
  private search(args: Record<string, unknown>): CallToolResult {
    const query = typeof args.query === 'string' ? args.query.trim() : '';
    if (query === '')
      return {
        isError: true,
        content: [{ type: 'text', text: 'Give a few keywords in "query" (what the tool should do, or part of its name).' }],
      };
    this.sync();
    this.indexNow();
    const plan = this.plan(this.emit);
    const offered = new Set(plan.offered.map((o) => o.tool.name));
    const room = Math.max(0, this.maxTools - 1 - plan.alwaysCount);
    const asked = typeof args.limit === 'number' && Number.isFinite(args.limit) ? Math.floor(args.limit) : this.settings.defaultLimit;
    const limit = Math.max(1, Math.min(asked, MAX_SEARCH_LIMIT, room));
    const byName = this.indexed;
    const lines: ResultLine[] = [];
    const fresh: string[] = [];
    for (const hit of this.index.search(query, limit)) {
      const tool = byName.get(hit.name);
      if (!tool) continue;
      if (offered.has(hit.name)) {
        lines.push({ name: hit.name, description: tool.tool.description, state: 'available' });
        continue;
      }
      const usable = toToolSpec(tool.name, tool.tool, { maxDescription: this.settings.maxToolDescription }).ok;
      lines.push({ name: hit.name, description: tool.tool.description, state: usable ? 'loaded' : 'unusable' });
      if (usable) fresh.push(hit.name);
    }
    const evicted = this.load(fresh, room, plan);
    const loaded = fresh.filter((n) => !evicted.includes(n));
    this.emit?.({ type: 'tool_search', query, matches: lines.map((l) => l.name), loaded, evicted });
    return {
      content: [{ type: 'text', text: searchResultText(query, lines, evicted, this.deferredByServer(new Set([...offered, ...loaded]))) }],
    };
  }

  /**
   * Appends `fresh` to the loaded tools; the oldest loaded give way while there are more than `room`, or
   * while the definitions pass the context budget (never what this search just found, for size alone).
   */
  private load(fresh: readonly string[], room: number, plan: Plan): string[] {
    this.loaded.push(...fresh.filter((n) => !this.loaded.includes(n)));
    const evicted: string[] = [];
    while (this.loaded.length > room) evicted.push(this.loaded.shift() as string);
    const byName = this.indexed;
    const sizeOf = (name: string): number => {
      const t = byName.get(name);
      const converted = t ? toToolSpec(t.name, t.tool, { maxDescription: this.settings.maxToolDescription }) : undefined;
      return converted?.ok ? specChars(converted.spec) : 0;
    };
    let size =
      plan.offered.slice(0, plan.alwaysCount).reduce((n, o) => n + specChars(o.spec), 0) +
      this.loaded.reduce((n, name) => n + sizeOf(name), 0);
    while (size > this.budgetChars() && this.loaded.length > fresh.length) {
      const oldest = this.loaded.shift() as string;
      if (fresh.includes(oldest)) {
        this.loaded.push(oldest);
        break;
      }
      size -= sizeOf(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  private noteOnce(key: string, message: string, emit: (event: AgentEvent) => void): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    emit({ type: 'notice', message });
  }
}
