// Records real transcript actions: an AgentSession with the real openai client against the scripted
// model and a real Hub over the basic fixture server, approvals answered from a script. The recorded
// actions are what the chat would dispatch, in the order it would dispatch them.
import type { ApprovalPort, ApprovalRequest } from '../../../src/agent/approvals.js';
import { interactiveApprovals, type ApprovalChoice } from '../../../src/agent/interactive-approvals.js';
import { AgentSession } from '../../../src/agent/session.js';
import type { Hub } from '../../../src/mcp/hub.js';
import { createOpenAIModel } from '../../../src/model/openai-model.js';
import { mergeRules } from '../../../src/policy/permissions.js';
import type { TranscriptAction } from '../../../src/ui/state/transcript.js';
import { startScriptedModel, type Step } from '../../fixtures/openai/scripted-server.mjs';

export interface RecordOptions {
  allow?: string[];
  /** Answers for the approval prompts, in order. */
  answers?: ApprovalChoice[];
  /** Called for each recorded action; may abort the run. */
  onAction?: (action: TranscriptAction, abort: () => void) => void;
}

export async function recordRun(hub: Hub, script: Step[], options: RecordOptions = {}): Promise<TranscriptAction[]> {
  const model = await startScriptedModel(script, { name: 'transcript recording' });
  const actions: TranscriptAction[] = [];
  const controller = new AbortController();
  let clock = 1_000;
  const push = (action: TranscriptAction): void => {
    actions.push(action);
    options.onAction?.(action, () => controller.abort());
  };
  const answers = [...(options.answers ?? [])];
  // Answered a moment later, as a person would: the tool_call event reaches the UI before the answer.
  const ask = (_request: ApprovalRequest): Promise<ApprovalChoice> => {
    const choice = answers.shift() ?? { kind: 'deny' };
    return new Promise((resolve) => setTimeout(() => resolve(choice), 30));
  };
  // As the chat does: a call is marked waiting as soon as it needs a person, and resolved when decided.
  const port = interactiveApprovals({
    rules: mergeRules({ allow: options.allow ?? [] }),
    ask,
    onWaiting: (request) => push({ type: 'approval_requested', callId: request.callId }),
  });
  const approve: ApprovalPort = async (request, signal) => {
    const decision = await port(request, signal);
    if (actions.some((a) => a.type === 'approval_requested' && a.callId === request.callId))
      push({ type: 'approval_resolved', callId: request.callId, allowed: decision.allow });
    return decision;
  };
  try {
    const session = new AgentSession({
      model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
      host: hub,
      approve,
      systemPrompt: 'test',
      maxTurns: 5,
    });
    push({ type: 'user_message', text: 'the question', at: clock });
    for await (const event of session.run('the question', controller.signal)) {
      clock += 10;
      push({ type: 'agent', event, at: clock });
    }
    return actions;
  } finally {
    await model.close();
  }
}
