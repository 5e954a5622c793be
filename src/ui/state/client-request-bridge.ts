// Connects servers' requests (elicitation, sampling approval) to the chat's dialogs, without React:
// one request on screen at a time (after any tool approval), the rest queued, every outcome recorded.
import type { ClientPorts, ElicitationRequest, ElicitationResult, SamplingRequest } from '../../mcp/client-requests.js';
import type { ChatModel } from '../../model/types.js';
import { redact } from '../../policy/redact.js';
import { describeContent, parseForm, type FormSpec } from './form-model.js';
import { safeLine, terminalSafe } from '../../output/safe-text.js';
import type { TranscriptAction } from './transcript.js';

export type SamplingChoice = 'once' | 'server' | 'deny';

interface ViewBase {
  id: number;
  server: string;
  /** Safe for the terminal. */
  message: string;
}
export type ClientRequestView =
  | (ViewBase & { kind: 'form'; spec: FormSpec })
  | (ViewBase & { kind: 'url'; url: string })
  | (ViewBase & { kind: 'sampling'; params: SamplingRequest['params'] });

/** A view before the bridge numbers it. */
type NewView = ClientRequestView extends infer V ? (V extends { id: number } ? Omit<V, 'id'> : never) : never;

export interface ClientRequestSnapshot {
  /** The request on screen. */
  current: ClientRequestView | undefined;
  /** Requests waiting behind it. */
  waiting: number;
}

export interface ClientRequestBridgeOptions {
  dispatch: (action: TranscriptAction) => void;
  /** Whether a tool approval dialog is open (it keeps the screen until answered). */
  approvalOpen: () => boolean;
  /** Called on every chat state change, so a request waiting behind an approval is shown when it closes. */
  subscribe: (listener: () => void) => () => void;
}

interface Pending {
  view: ClientRequestView;
  settle: (answer: ElicitationResult | SamplingChoice) => void;
  /** Settles it as the person walking away would (cancel / deny). */
  cancel: () => void;
}

export class ClientRequestBridge {
  private snapshot: ClientRequestSnapshot = { current: undefined, waiting: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly queue: Pending[] = [];
  private active: Pending | undefined;
  private nextId = 1;
  private readonly samplingAllowed = new Set<string>();
  private readonly samplingIds = new WeakMap<SamplingRequest, string>();
  private readonly unsubscribe: () => void;
  /** Aborted when the chat closes: a sampling request still running is cut short. */
  private readonly closing = new AbortController();

  constructor(private readonly options: ClientRequestBridgeOptions) {
    this.unsubscribe = options.subscribe(() => this.pump());
  }

  getSnapshot = (): ClientRequestSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The dialog's answer to the form or URL request on screen. */
  answerElicitation(id: number, result: ElicitationResult): void {
    if (this.active?.view.id === id && this.active.view.kind !== 'sampling') this.active.settle(result);
  }

  /** The dialog's answer to the sampling request on screen. */
  answerSampling(id: number, choice: SamplingChoice): void {
    if (this.active?.view.id === id && this.active.view.kind === 'sampling') this.active.settle(choice);
  }

  /** The chat is closing: every open request is cancelled (forms) or denied (sampling). */
  dispose(): void {
    this.unsubscribe();
    this.closing.abort();
    for (const pending of [...(this.active ? [this.active] : []), ...this.queue]) pending.cancel();
  }

  /** Ports for hub.setClientPorts: elicitation always; sampling served by `model` once approved. */
  ports(sampling: { model: ChatModel; modelProblem: () => string | undefined }): ClientPorts {
    return {
      elicit: (request, signal) => this.elicit(request, signal),
      sampling: {
        model: sampling.model,
        signal: this.closing.signal,
        approve: async (request, signal) => {
          const problem = sampling.modelProblem();
          const asked = askedText(request.params);
          if (problem !== undefined) {
            const reason = `no model is configured (${problem})`;
            this.options.dispatch({ type: 'sampling_denied', server: request.server, asked, reason, at: Date.now() });
            return { allow: false, reason };
          }
          const allowedBefore = this.samplingAllowed.has(request.server);
          const choice = allowedBefore
            ? 'server'
            : await this.ask<SamplingChoice>(
                { kind: 'sampling', server: request.server, message: '', params: request.params },
                signal,
                'deny',
              );
          if (signal.aborted) {
            this.options.dispatch({
              type: 'sampling_denied',
              server: request.server,
              asked,
              reason: 'the server withdrew the request',
              at: Date.now(),
            });
            return { allow: false, reason: 'the server withdrew the request' };
          }
          if (choice === 'deny') {
            this.options.dispatch({ type: 'sampling_denied', server: request.server, asked, reason: 'you declined', at: Date.now() });
            return { allow: false, reason: 'the user declined' };
          }
          if (choice === 'server') this.samplingAllowed.add(request.server);
          const requestId = `sampling-${this.nextId++}`;
          this.samplingIds.set(request, requestId);
          this.options.dispatch({
            type: 'sampling_started',
            requestId,
            server: request.server,
            asked,
            allowedForSession: allowedBefore,
            at: Date.now(),
          });
          return { allow: true };
        },
        onOutcome: (request, outcome) => {
          const requestId = this.samplingIds.get(request);
          if (requestId) this.options.dispatch({ type: 'sampling_finished', requestId, outcome, at: Date.now() });
        },
      },
    };
  }

  private async elicit(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationResult> {
    const message = terminalSafe(request.message).trim();
    const base = { server: request.server, message };
    const spec = request.mode === 'form' ? parseForm(request.requestedSchema) : undefined;
    const view: NewView = spec ? { ...base, kind: 'form', spec } : { ...base, kind: 'url', url: safeUrl(request.url ?? '') };
    const result = await this.ask<ElicitationResult>(view, signal, { action: 'cancel' });
    const detail = signal.aborted
      ? 'the server withdrew the request'
      : result.action === 'accept'
        ? spec
          ? redact(describeContent(spec, result.content ?? {}))
          : 'you opened the URL'
        : undefined;
    this.options.dispatch({
      type: 'elicitation',
      server: request.server,
      mode: request.mode,
      message: safeLine(request.message, 100),
      outcome: result.action === 'accept' ? 'accepted' : result.action === 'decline' ? 'declined' : 'cancelled',
      ...(detail ? { detail } : {}),
    });
    return result;
  }

  /** Queues a request for the screen; resolves with the person's answer, or `onCancel` when withdrawn. */
  private ask<T extends ElicitationResult | SamplingChoice>(view: NewView, signal: AbortSignal, onCancel: T): Promise<T> {
    return new Promise<T>((resolve) => {
      const full: ClientRequestView = { ...view, id: this.nextId++ };
      const pending: Pending = {
        view: full,
        settle: (answer) => {
          signal.removeEventListener('abort', pending.cancel);
          const index = this.queue.indexOf(pending);
          if (index !== -1) this.queue.splice(index, 1);
          if (this.active === pending) this.active = undefined;
          resolve(answer as T);
          this.pump(true);
        },
        cancel: () => pending.settle(onCancel),
      };
      if (signal.aborted) return resolve(onCancel);
      signal.addEventListener('abort', pending.cancel, { once: true });
      this.queue.push(pending);
      this.pump(true);
    });
  }

  /** Shows the next request when the screen is free; tells the listeners when anything changed. */
  private pump(changed = false): void {
    if (!this.active && this.queue.length > 0 && !this.options.approvalOpen()) {
      this.active = this.queue.shift();
      changed = true;
    }
    if (!changed && this.snapshot.waiting === this.queue.length) return;
    this.snapshot = { current: this.active?.view, waiting: this.queue.length };
    for (const listener of this.listeners) listener();
  }
}

/** The last user message of a sampling request, short, for the transcript. */
export function askedText(params: SamplingRequest['params']): string {
  const last = [...params.messages].reverse().find((m) => m.role === 'user') ?? params.messages.at(-1);
  if (!last) return '(no messages)';
  const blocks = Array.isArray(last.content) ? last.content : [last.content];
  return safeLine(blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join(' '), 100);
}

/** A URL shown whole on one line: nothing that could drive the terminal, no whitespace to split it. */
function safeUrl(url: string): string {
  return terminalSafe(url).replace(/\s+/g, '');
}
