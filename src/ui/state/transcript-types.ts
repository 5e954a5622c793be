// The transcript's data: its entries (answers, tool calls, notices, server requests), the state the reducer
// in transcript.ts keeps, and the actions it takes. Types only; transcript.ts re-exports them.
import type { AgentEvent } from '../../agent/events.js';
import type { ServerState } from '../../mcp/connection.js';
import type { ElicitationEntry, RequestAction, SamplingEntry } from './transcript-requests.js';

export type ToolStatus = 'running' | 'awaiting_approval' | 'ok' | 'error' | 'denied' | 'cancelled';

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ToolCallEntry {
  kind: 'tool';
  id: number;
  /** The number people use with /expand. */
  seq: number;
  callId: string;
  server: string;
  tool: string;
  args: unknown;
  status: ToolStatus;
  startedAt: number;
  /** A call made with /call, not by the model: its result is shown in full. */
  direct: boolean;
  durationMs?: number;
  progress?: ToolProgress;
  /** The result as text (bounded), or the denial reason. */
  result?: string;
}

export type NoticeLevel = 'info' | 'warn' | 'error';

export type Entry =
  | { kind: 'banner'; id: number; title: string; lines: string[]; level: NoticeLevel }
  | { kind: 'user'; id: number; text: string }
  /** One block (or the still-growing tail) of an answer; `first` marks where a new answer starts. */
  | { kind: 'assistant'; id: number; text: string; final: boolean; first: boolean }
  | ToolCallEntry
  | { kind: 'notice'; id: number; level: NoticeLevel; text: string }
  | { kind: 'command'; id: number; input: string; output: string; isError: boolean; table: boolean }
  | ElicitationEntry
  | SamplingEntry;

export interface ServerView {
  name: string;
  state: ServerState;
  error?: string;
  tools: number;
}

export interface TranscriptState {
  done: Entry[];
  live: Entry[];
  servers: ServerView[];
  /** A turn is running (set when the user message is sent, cleared by `done`). */
  busy: boolean;
  cancelling: boolean;
  turnStartedAt: number | undefined;
  usage: { inputTokens: number; outputTokens: number };
  model: string | null;
  agent: string | null;
  nextId: number;
  nextSeq: number;
  /** Ids of tool entries that still hold their full (bounded) result, oldest first. */
  fullResults: number[];
  /** Calls waiting for a person's answer (the request can arrive before the tool_call event). */
  awaitingApproval: string[];
  /** Bumped when a saved chat replaced entries already printed: the screen must print `done` afresh. */
  generation: number;
}

export type TranscriptAction =
  | { type: 'agent'; event: AgentEvent; at: number }
  | { type: 'user_message'; text: string; at: number }
  | { type: 'banner'; title: string; lines: string[]; level?: NoticeLevel }
  | { type: 'notice'; level: NoticeLevel; text: string }
  | { type: 'command_output'; input: string; output: string; isError?: boolean; table?: boolean }
  | { type: 'server_state'; server: ServerView }
  /** The set of servers shown changed (another agent profile): no notices. */
  | { type: 'servers'; servers: ServerView[] }
  | { type: 'approval_requested'; callId: string }
  | { type: 'approval_resolved'; callId: string; allowed: boolean; at?: number }
  | { type: 'turn_cancelled' }
  | { type: 'direct_call'; callId: string; server: string; tool: string; args: unknown; at: number }
  | { type: 'context'; model: string | null; agent: string | null }
  | RequestAction
  /** A saved chat shown (resume, /resume): it replaces everything shown but the banners. */
  | { type: 'history'; entries: HistoryEntry[] };

/** An entry of a saved chat, finished; ids (and /expand numbers) are given when it is shown. */
export type HistoryEntry = Extract<NewEntry, { kind: 'user' | 'assistant' | 'notice' }> | Omit<ToolCallEntry, 'id' | 'seq'>;

/** An entry before the reducer gives it an id. */
export type NewEntry = Entry extends infer E ? (E extends { id: number } ? Omit<E, 'id'> : never) : never;
