// What the chat is started with (src/commands/chat.ts builds it): the hub, the loaded config, where chats are
// saved and which saved chat to continue.
import type { SavedTranscript } from '../agent/transcript-store.js';
import type { LoadedConfig } from '../config/types.js';
import type { Hub } from '../mcp/hub.js';

export interface ChatSetup {
  hub: Hub;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The process-wide signal (SIGTERM and the like). */
  signal: AbortSignal;
  agent?: string;
  modelFlags: { model?: string; baseUrl?: string };
  maxTurns?: number;
  /** Where the conversation is saved as it happens (JSONL per chat). */
  transcripts?: string;
  /** A saved chat to continue. */
  resumed?: SavedTranscript;
}
