// The chat's saved chats for /resume, without React: lists them (made display-safe: first prompts are
// outside text) and holds the picker while it is open, as a small external store the App subscribes to.
import { listTranscripts, type TranscriptSummary } from '../../agent/transcript-summary.js';
import { TranscriptStore, type SavedTranscript } from '../../agent/transcript-store.js';
import { AppError } from '../../errors.js';
import type { Hub } from '../../mcp/hub.js';
import { displaySafe } from '../text/display-safe.js';
import { historyEntries } from './resume-history.js';
import type { TranscriptAction } from './transcript.js';

export interface ResumePickerView {
  sessions: TranscriptSummary[];
  /** The chat in use now (marked in the list), if it has been saved. */
  current: string | undefined;
  /** Saved chats not in the list (older than the ones shown). */
  more: number;
}

/** Chats the picker offers: the newest ones (an older one is resumed with /resume <id>). */
export const PICKER_LIMIT = 50;

export class ResumeSessions {
  private view: ResumePickerView | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly dir: string | undefined) {}

  getSnapshot = (): ResumePickerView | undefined => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Opens the picker; returns what to say instead when there is nothing to pick. */
  open(current: string | undefined): string | undefined {
    if (!this.dir) return 'saved chats are off in this chat (the sessions folder could not be written)';
    const listing = listTranscripts(this.dir, PICKER_LIMIT);
    const others = listing.sessions.filter((s) => s.id !== current);
    if (others.length === 0)
      return listing.total === 0
        ? 'no saved chats yet: chats are saved as you talk'
        : 'no other saved chat to resume (this chat is the only one)';
    this.set(displaySafe({ sessions: listing.sessions, current, more: listing.total - listing.sessions.length }));
    return undefined;
  }

  close(): void {
    this.set(undefined);
  }

  load(id: string): SavedTranscript {
    if (!this.dir)
      throw new AppError('USAGE', 'saved chats are off in this chat', {
        hint: 'the sessions folder could not be written; see the notice above',
      });
    return TranscriptStore.load(this.dir, id);
  }

  private set(view: ResumePickerView | undefined): void {
    this.view = view;
    for (const listener of this.listeners) listener();
  }
}

/** The saved chat on screen: its last turns as finished entries, then a line saying which chat goes on. */
export function showSaved(saved: SavedTranscript, hub: Pick<Hub, 'resolve'>, dispatch: (action: TranscriptAction) => void): void {
  const resolve = (name: string): { server: string; tool: string } | undefined => {
    const found = hub.resolve(name);
    return found ? { server: found.server, tool: found.tool.name } : undefined;
  };
  dispatch({ type: 'history', entries: historyEntries(saved.messages, resolve) });
  const turns = saved.messages.filter((m) => m.role === 'user').length;
  dispatch({
    type: 'notice',
    level: 'info',
    text: `continuing saved chat ${saved.meta.id} (${turns} message${turns === 1 ? '' : 's'} from you so far)`,
  });
}
