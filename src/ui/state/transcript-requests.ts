// Transcript entries for requests servers make of mcpsh: a form or URL the person answered (elicitation)
// and a completion the model wrote for a server (sampling), with the actions that create and finish them.
import type { SamplingOutcome } from '../../mcp/client-requests.js';
import { terminalSafe } from '../../output/safe-text.js';

export type ElicitationOutcome = 'accepted' | 'declined' | 'cancelled';

export interface ElicitationEntry {
  kind: 'elicitation';
  id: number;
  server: string;
  mode: 'form' | 'url';
  message: string;
  outcome: ElicitationOutcome;
  /** The fields sent (secrets masked), or why it ended. */
  detail?: string;
}

export type SamplingStatus = 'running' | 'ok' | 'error' | 'denied';

export interface SamplingEntry {
  kind: 'sampling';
  id: number;
  /** The number people use with /expand (shared with tool calls). */
  seq: number;
  requestId: string;
  server: string;
  /** What was asked, short. */
  asked: string;
  status: SamplingStatus;
  startedAt: number;
  /** Allowed without a dialog: the person allowed this server earlier in the session. */
  allowedForSession: boolean;
  durationMs?: number;
  model?: string;
  /** The model's answer (bounded), the error, or the reason for the denial. */
  text?: string;
}

export type RequestAction =
  | { type: 'elicitation'; server: string; mode: 'form' | 'url'; message: string; outcome: ElicitationOutcome; detail?: string }
  | { type: 'sampling_started'; requestId: string; server: string; asked: string; allowedForSession: boolean; at: number }
  | { type: 'sampling_finished'; requestId: string; outcome: SamplingOutcome; at: number }
  | { type: 'sampling_denied'; server: string; asked: string; reason: string; at: number };

/** Most characters of a sampled answer kept for /expand. */
const ANSWER_KEEP_CHARS = 20_000;

export function elicitationEntry(action: Extract<RequestAction, { type: 'elicitation' }>): Omit<ElicitationEntry, 'id'> {
  const { type: _type, ...rest } = action;
  return { kind: 'elicitation', ...rest };
}

export function samplingEntry(
  action: Extract<RequestAction, { type: 'sampling_started' | 'sampling_denied' }>,
  seq: number,
): Omit<SamplingEntry, 'id'> {
  if (action.type === 'sampling_denied') {
    return {
      kind: 'sampling',
      seq,
      requestId: '',
      server: action.server,
      asked: action.asked,
      status: 'denied',
      startedAt: action.at,
      allowedForSession: false,
      text: action.reason,
    };
  }
  return {
    kind: 'sampling',
    seq,
    requestId: action.requestId,
    server: action.server,
    asked: action.asked,
    status: 'running',
    startedAt: action.at,
    allowedForSession: action.allowedForSession,
  };
}

export function finishSampling(entry: SamplingEntry, action: Extract<RequestAction, { type: 'sampling_finished' }>): SamplingEntry {
  const durationMs = Math.max(0, action.at - entry.startedAt);
  if (!action.outcome.ok) return { ...entry, status: 'error', durationMs, text: terminalSafe(action.outcome.error) };
  const text = terminalSafe(action.outcome.text);
  const kept =
    text.length <= ANSWER_KEEP_CHARS
      ? text
      : `${text.slice(0, ANSWER_KEEP_CHARS)}\n… (${text.length - ANSWER_KEEP_CHARS} more characters not kept)`;
  return { ...entry, status: 'ok', durationMs, model: action.outcome.model, text: kept };
}

/** The full text /expand shows for a sampling entry. */
export function expandSampling(entry: SamplingEntry): string {
  const label =
    entry.status === 'ok'
      ? `answer${entry.model ? ` (${entry.model})` : ''}:`
      : entry.status === 'running'
        ? 'answer:'
        : `${entry.status}:`;
  return [
    `#${entry.seq} sampling for server ${entry.server} (${entry.status})`,
    'asked:',
    entry.asked,
    label,
    entry.text ?? '(none yet)',
  ].join('\n');
}
