// The chat's engine, without React: the agent session, the model and agent profile in use, approvals,
// direct tool calls, attachments and server prompts, cancellation and stats. Components read its snapshot.
import type { AgentEvent } from '../../agent/events.js';
import { SessionAllowances, type ApprovalChoice } from '../../agent/interactive-approvals.js';
import { selectProfile, type Profile } from '../../agent/profile.js';
import { ResultStore } from '../../agent/result-store.js';
import type { AgentSession, TurnInput, TurnMessage } from '../../agent/session.js';
import type { ResultBudget } from '../../agent/tool-result.js';
import type { ToolSelectionView } from '../../agent/tool-search.js';
import { AppError, errorMessage, toAppError } from '../../errors.js';
import { registerCleanup } from '../../lifecycle.js';
import type { ServerConnection } from '../../mcp/connection.js';
import type { Hub } from '../../mcp/hub.js';
import type { ChatModel } from '../../model/types.js';
import { appPaths } from '../../paths.js';
import { openAuditSubscriber, type AuditSubscriber } from '../../policy/audit-events.js';
import { redact } from '../../policy/redact.js';
import { findAttachments, readAttachments } from '../input/attachments.js';
import { DirectCalls } from '../input/direct-calls.js';
import { InputBridge } from '../input/input-bridge.js';
import { promptHints } from '../input/prompt-commands.js';
import type { AgentInfo, CommandContext } from '../input/slash-commands.js';
import type { ApprovalBridge } from './approval-bridge.js';
import { ChatSaving } from './chat-saving.js';
import { notReadyNote, serverChangeActions, serverViews } from './chat-servers.js';
import type { ChatSetup } from './chat-setup.js';
import { ChatStore, type ChatSnapshot } from './chat-store.js';
import { agentList, chatApprovals, chatSession, contentBudget, statsText } from './chat-wiring.js';
import { FeatureIndex } from './feature-index.js';
import { ChatModelSlot } from './model-slot.js';
import { ResumeSessions, showSaved } from './resume-sessions.js';
import { ChatStats } from './stats.js';
import { expandEntry, initialTranscript, type ServerView, type TranscriptAction } from './transcript.js';

export class ChatController implements CommandContext {
  readonly hub: Hub;
  private readonly observed = new ChatStats();
  readonly allowances = new SessionAllowances();
  private readonly store: ChatStore;
  private profile: Profile;
  private readonly model: ChatModelSlot;
  private session: AgentSession | undefined;
  private turn: AbortController | undefined;
  private readonly directCalls: DirectCalls;
  private readonly approvals: ApprovalBridge;
  private readonly notedFailures = new Set<string>();
  private readonly skippedNoted = new Set<string>();
  private exitHandler: () => void = () => undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly audit: AuditSubscriber | undefined;
  private readonly saving: ChatSaving;
  /** The prompt line's questions and restored text (App passes it to the Input). */
  readonly input = new InputBridge();
  readonly features: FeatureIndex;
  /** Saved chats for /resume (and its picker). */
  readonly sessions: ResumeSessions;
  private redraw: () => void = () => undefined;
  /** Big tool results of this chat, kept until it exits (not with the saved transcript). */
  private readonly results: ResultStore;

  constructor(private readonly setup: ChatSetup) {
    this.hub = setup.hub;
    this.results = new ResultStore(`${appPaths(setup.env).state}/results`, redact);
    // A chat ended by a signal never reaches dispose(): its kept results go with the process's cleanups.
    this.unsubscribe.push(registerCleanup(() => this.results.close()));
    this.sessions = new ResumeSessions(setup.transcripts);
    this.saving = new ChatSaving(setup.transcripts, (text) => this.dispatch({ type: 'notice', level: 'warn', text }));
    this.directCalls = new DirectCalls(
      this.hub,
      setup.signal,
      (action) => this.dispatch(action),
      () => this.observed.recordDirect(),
    );
    this.profile = selectProfile(setup.loaded, setup.agent, undefined);
    this.model = new ChatModelSlot(setup.loaded, setup.env, setup.modelFlags);
    this.model.choose(this.profile.model);
    this.approvals = chatApprovals(setup, {
      allowances: this.allowances,
      show: (request) => this.update({ approval: request }),
      dispatch: (action) => this.dispatch(action),
    });
    this.audit = openAuditSubscriber(setup.loaded.config, 'chat', setup.env, setup.cwd);
    this.store = new ChatStore({
      transcript: initialTranscript(this.serverViews(), { model: this.model.label(), agent: this.profile.name }),
      approval: undefined,
      toolsOnly: !this.model.available,
    });
    if (this.model.available) this.session = this.newSession();
    this.features = new FeatureIndex(this.hub, () => this.profile.servers);
    this.input.hints = (text) => promptHints(text, this.features);
    this.unsubscribe.push(
      this.hub.onStateChange((c) => this.serverChanged(c)),
      this.hub.onToolsChanged(() => this.refreshServers()),
      () => this.features.dispose(),
    );
  }

  /** Starts the servers of the current agent in the background: the prompt never waits for them. */
  start(): void {
    this.connect(this.profile.servers);
    for (const c of this.hub.connections) this.features.track(c);
    // Long sessions: a server that stops answering is noticed (and restarted) before it is needed.
    this.unsubscribe.push(this.hub.startHealthChecks());
    if (this.setup.resumed) showSaved(this.setup.resumed, this.hub, (action) => this.dispatch(action));
  }

  /** /resume: with an id, continues that saved chat here; without, opens the picker (or says why not). */
  resume(id: string | undefined): string | undefined {
    return id === undefined ? this.sessions.open(this.savedSessionId()) : this.switchTo(id);
  }

  /** Continues saved chat `id` in place: the model gets its messages, the screen shows them, new ones go to its file. */
  switchTo(id: string): string | undefined {
    if (this.turn) throw new AppError('USAGE', 'a saved chat can be resumed once the model has finished (Ctrl+C cancels the turn)');
    const saved = this.sessions.load(id);
    this.sessions.close();
    if (saved.meta.id === this.savedSessionId()) return `this is chat ${saved.meta.id} already`;
    this.setup.resumed = saved;
    this.saving.reset();
    if (this.model.available) this.session = this.newSession();
    // What the screen printed cannot be taken back: it is cleared, and printed again with the saved chat.
    if (this.snapshot.transcript.done.some((e) => e.kind !== 'banner')) this.redraw();
    showSaved(saved, this.hub, (action) => this.dispatch(action));
    return undefined;
  }

  /** The id of the saved chat in use (none until something was said, unless resumed). */
  savedSessionId(): string | undefined {
    return this.saving.id ?? this.setup.resumed?.meta.id;
  }

  /** The App clears the screen this way before a switched-to chat is printed. */
  setRedrawHandler(handler: () => void): void {
    this.redraw = handler;
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.turn?.abort(new AppError('CANCELLED', 'the chat is closing'));
    this.directCalls.cancel(new AppError('CANCELLED', 'the chat is closing'));
    this.audit?.close();
    this.results.close();
    this.store.flush();
  }

  // --- the store the components read -------------------------------------------------------------

  getSnapshot = (): ChatSnapshot => this.store.getSnapshot();

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  dispatch(action: TranscriptAction): void {
    this.store.dispatch(action);
  }

  private update(change: Partial<ChatSnapshot>): void {
    this.store.update(change);
  }

  private get snapshot(): ChatSnapshot {
    return this.store.getSnapshot();
  }

  private handleEvent(event: AgentEvent): void {
    this.audit?.onEvent(event);
    this.setup.telemetry?.onEvent(event);
    this.observed.record(event);
    this.dispatch({ type: 'agent', event, at: Date.now() });
  }

  // --- conversation ------------------------------------------------------------------------------

  busy(): boolean {
    return this.turn !== undefined;
  }

  setExitHandler(handler: () => void): void {
    this.exitHandler = handler;
  }

  /**
   * Sends a message to the model, with the resources its `@server:uri` words name; resolves when the turn
   * has ended. A resource that cannot be read stops the message, which goes back into the prompt.
   */
  async send(text: string): Promise<void> {
    if (this.turn) return;
    if (!this.session) {
      this.dispatch({
        type: 'notice',
        level: 'warn',
        text: `not sent: no model is configured (${this.model.problem ?? 'unknown reason'}). /tools, /servers and /call work; docs/models.md says how to set up a model.`,
      });
      return;
    }
    const controller = new AbortController();
    this.turn = controller;
    const refs = findAttachments(text, this.profile.servers, (s) => this.features.uris(s));
    if (refs.length === 0) return this.runTurn(text, text, [], controller);
    let read;
    try {
      read = await readAttachments(this.hub, text, refs, this.contentBudget(), AbortSignal.any([controller.signal, this.setup.signal]));
    } catch (err) {
      this.turn = undefined;
      const hint = err instanceof AppError && err.hint ? `\nhint: ${err.hint}` : '';
      this.dispatch({ type: 'notice', level: 'error', text: `not sent: ${errorMessage(err)}${hint}\n(the message is back in the prompt)` });
      this.input.restore(text);
      return;
    }
    return this.runTurn(text, read.content, read.summary, controller);
  }

  /** A server prompt's messages as the person's turn (see prompt-commands.ts). */
  async sendPrompt(shown: string, messages: TurnMessage[], notes: string[]): Promise<void> {
    if (this.turn || !this.session) return;
    const controller = new AbortController();
    this.turn = controller;
    await this.runTurn(shown, { messages }, notes, controller);
  }

  private async runTurn(shown: string, input: TurnInput, notes: string[], controller: AbortController): Promise<void> {
    if (!this.session) {
      this.turn = undefined;
      return;
    }
    this.observed.messages += 1;
    this.dispatch({ type: 'user_message', text: shown, at: Date.now() });
    if (notes.length > 0) this.dispatch({ type: 'notice', level: 'info', text: notes.join('\n') });
    const note = notReadyNote(this.hub, this.profile.servers, this.notedFailures);
    if (note) this.dispatch({ type: 'notice', level: 'warn', text: note });
    try {
      for await (const event of this.session.run(input, AbortSignal.any([controller.signal, this.setup.signal]))) this.handleEvent(event);
    } catch (err) {
      this.dispatch({ type: 'agent', event: { type: 'done', reason: 'error', text: '', error: toAppError(err) }, at: Date.now() });
    } finally {
      this.turn = undefined;
      this.store.flush();
    }
  }

  /** Ctrl+C: stops the running turn (and direct calls). Returns whether anything was running. */
  cancel(): boolean {
    const running = this.turn !== undefined || this.directCalls.active > 0;
    if (this.turn) {
      this.dispatch({ type: 'turn_cancelled' });
      this.turn.abort(new AppError('CANCELLED', 'cancelled with Ctrl+C'));
    }
    this.directCalls.cancel();
    return running;
  }

  exit(): void {
    this.cancel();
    this.exitHandler();
  }

  clear(): void {
    this.session?.clear();
  }

  /** /compact: the older conversation summarised now; returns what happened. */
  async compact(instructions: string | undefined): Promise<string> {
    if (!this.session) return `nothing to compact: no model (${this.model.problem ?? 'unknown reason'})`;
    const outcome = await this.session.compact(instructions, this.setup.signal, (event) => {
      if (event.type === 'usage') this.dispatch({ type: 'agent', event, at: Date.now() });
    });
    return outcome.message;
  }

  // --- approvals ---------------------------------------------------------------------------------

  answerApproval(choice: ApprovalChoice): void {
    this.approvals.answer(choice);
  }

  // --- servers -----------------------------------------------------------------------------------

  profileServers(): readonly string[] {
    return this.profile.servers;
  }

  private connect(servers: readonly string[]): void {
    this.hub.connectAll({ signal: this.setup.signal, only: servers }).catch((err: unknown) => {
      this.dispatch({ type: 'notice', level: 'error', text: `connecting the servers failed: ${errorMessage(err)}` });
    });
  }

  private serverViews(): ServerView[] {
    return serverViews(this.hub, this.profile.servers);
  }

  private serverChanged(c: ServerConnection): void {
    if (!this.profile.servers.includes(c.name)) return;
    this.features.track(c);
    for (const action of serverChangeActions(c, this.skippedNoted)) this.dispatch(action);
  }

  private refreshServers(): void {
    for (const server of this.serverViews()) this.dispatch({ type: 'server_state', server });
  }

  private newSession(): AgentSession {
    return chatSession({
      setup: this.setup,
      model: this.model,
      profile: () => this.profile,
      approve: this.audit ? this.audit.approvals(this.approvals.port()) : this.approvals.port(),
      saving: this.saving,
      results: this.results,
    });
  }

  /** Which tools the model is offered now and which wait behind tool search (/tools); undefined with no model. */
  toolSelection(): ToolSelectionView | undefined {
    return this.session?.tools.view();
  }

  contentBudget(): ResultBudget {
    return contentBudget(this.setup.loaded.config);
  }

  // --- slash command context ---------------------------------------------------------------------

  agents(): AgentInfo[] {
    return agentList(this.setup.loaded.config);
  }

  currentAgent(): string | null {
    return this.profile.name;
  }

  setAgent(name: string | null): string {
    const profile = selectProfile(this.setup.loaded, name ?? undefined, undefined);
    this.profile = profile;
    const modelNote = this.model.choose(profile.model);
    if (this.model.available && !this.session) this.session = this.newSession();
    this.connect(profile.servers);
    for (const c of this.hub.connections) this.features.track(c);
    this.dispatch({ type: 'context', model: this.model.label(), agent: profile.name });
    this.dispatch({ type: 'servers', servers: this.serverViews() });
    this.update({ toolsOnly: !this.model.available });
    const who = profile.name === null ? 'no agent profile' : `agent ${profile.name}`;
    return `now using ${who}: servers ${profile.servers.join(', ') || '(none)'}${modelNote ? `; ${modelNote}` : ''}`;
  }

  modelInfo(): string {
    return this.model.describe();
  }

  /** The chat's model, which also serves servers' sampling requests; check modelProblem() before using it. */
  get chatModel(): ChatModel {
    return this.model;
  }

  /** Why there is no model, or undefined when there is one. */
  modelProblem(): string | undefined {
    return this.model.problem;
  }

  setModel(name: string): string {
    const message = this.model.override(name);
    if (this.model.available && !this.session) this.session = this.newSession();
    this.dispatch({ type: 'context', model: this.model.label(), agent: this.profile.name });
    this.update({ toolsOnly: !this.model.available });
    return message;
  }

  stats(): string {
    return statsText(this.observed, this.allowances, this.hub, this.profile.servers);
  }

  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<void> {
    return this.directCalls.call(server, tool, args);
  }

  expand(seq: number | undefined): string | undefined {
    return expandEntry(this.snapshot.transcript, seq);
  }
}
