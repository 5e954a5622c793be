// The chat's state as an external store for React (useSyncExternalStore): the transcript reducer's
// state plus the dialog on screen. Streaming text is batched, so a render happens per frame, not per token.
// It is also the chat's output boundary: everything that enters it passes displaySafe (display-safe.ts).
import type { ApprovalRequest } from '../../agent/approvals.js';
import { terminalSafe } from '../../output/safe-text.js';
import { displaySafe } from '../text/display-safe.js';
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
    this.snapshot = displaySafe(initial);
  }

  getSnapshot = (): ChatSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies an action; text waiting to be shown goes first, so the order stays right. */
  dispatch(action: TranscriptAction): void {
    if (action.type === 'agent' && action.event.type === 'text_delta') {
      // Each piece is made safe on its own: an escape split across pieces stays inert (␛ then `]0;…`).
      this.pendingText += terminalSafe(action.event.text);
      this.textTimer ??= setTimeout(() => this.flush(), TEXT_FLUSH_MS);
      return;
    }
    this.flush();
    this.set({ transcript: transcriptReducer(this.snapshot.transcript, displaySafe(action)) });
  }

  /** Changes the dialog state (an approval request carries a server's tool name and the model's arguments). */
  update(change: Partial<Omit<ChatSnapshot, 'transcript'>>): void {
    this.set(displaySafe(change));
  }

  private set(change: Partial<ChatSnapshot>): void {
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
    this.set({
      transcript: transcriptReducer(this.snapshot.transcript, { type: 'agent', event: { type: 'text_delta', text }, at: Date.now() }),
    });
  }
}
