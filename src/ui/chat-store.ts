// The chat's state as an external store for React (useSyncExternalStore): the transcript reducer's
// state plus the dialog on screen. Streaming text is batched, so a render happens per frame, not per token.
import type { ApprovalRequest } from '../agent/approvals.js';
import { transcriptReducer, type TranscriptAction, type TranscriptState } from './transcript.js';

export interface ChatSnapshot {
  transcript: TranscriptState;
  /** The approval waiting for an answer, if any (one at a time). */
  approval: ApprovalRequest | undefined;
  toolsOnly: boolean;
}

/** Streaming text is handed to the UI at most this often. */
const TEXT_FLUSH_MS = 30;

export class ChatStore {
  private snapshot: ChatSnapshot;
  private readonly listeners = new Set<() => void>();
  private pendingText = '';
  private textTimer: NodeJS.Timeout | undefined;

  constructor(initial: ChatSnapshot) {
    this.snapshot = initial;
  }

  getSnapshot = (): ChatSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies an action; text waiting to be shown goes first, so the order stays right. */
  dispatch(action: TranscriptAction): void {
    if (action.type === 'agent' && action.event.type === 'text_delta') {
      this.pendingText += action.event.text;
      this.textTimer ??= setTimeout(() => this.flush(), TEXT_FLUSH_MS);
      return;
    }
    this.flush();
    this.update({ transcript: transcriptReducer(this.snapshot.transcript, action) });
  }

  update(change: Partial<ChatSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Shows the streamed text that is waiting, now. */
  flush(): void {
    if (this.textTimer) {
      clearTimeout(this.textTimer);
      this.textTimer = undefined;
    }
    if (this.pendingText === '') return;
    const text = this.pendingText;
    this.pendingText = '';
    this.update({ transcript: transcriptReducer(this.snapshot.transcript, { type: 'agent', event: { type: 'text_delta', text }, at: Date.now() }) });
  }
}
