// Where the chat is saved as it happens: one transcript file per chat, created with the first message (a
// chat that says nothing leaves no file). A write that fails stops saving, once, with a notice.
import { TranscriptStore, type SavedTranscript, type TranscriptMeta } from '../../agent/transcript-store.js';
import { errorMessage } from '../../errors.js';
import type { ChatMessage } from '../../model/types.js';
import { redact } from '../../policy/redact.js';

export class ChatSaving {
  private store: TranscriptStore | undefined;

  constructor(
    private dir: string | undefined,
    private readonly warn: (text: string) => void,
  ) {}

  /** The id of the file being written, once there is one. */
  get id(): string | undefined {
    return this.store?.meta.id;
  }

  /** The next message starts (or continues, when resumed) another file. */
  reset(): void {
    this.store = undefined;
  }

  append(message: ChatMessage, meta: () => Omit<TranscriptMeta, 'id' | 'startedAt'>, resumed: SavedTranscript | undefined): void {
    if (!this.dir) return;
    try {
      this.store ??= TranscriptStore.start(this.dir, meta(), redact, resumed);
      this.store.append(message);
    } catch (err) {
      this.dir = undefined;
      this.warn(`the chat can no longer be saved: ${errorMessage(err)}`);
    }
  }
}
