// Starts the Ink chat on the terminal and resolves when the person leaves. Only `mcpsh chat` imports
// this module (lazily), so no other command pays for React and Ink.
import { render } from 'ink';
import { join } from 'node:path';
import type { SavedTranscript } from '../agent/transcript-store.js';
import { authPolicyFor, setAuthPolicy } from '../auth/context.js';
import type { LoadedConfig } from '../config/types.js';
import type { Io } from '../io.js';
import type { Hub } from '../mcp/hub.js';
import { hooksFor } from '../hooks/from-config.js';
import { appPaths } from '../paths.js';
import { startTelemetry } from '../telemetry/start.js';
import { terminalSafe } from '../output/safe-text.js';
import { redact } from '../policy/redact.js';
import { App } from './App.js';
import { ChatController } from './state/chat-controller.js';
import { ClientRequestBridge } from './state/client-request-bridge.js';
import { PromptHistory } from './input/history.js';
import { ThemeContext, themeFromEnv } from './components/theme.js';
import { yogaReady } from './yoga-ready.js';

export interface ChatUiOptions {
  hub: Hub;
  loaded: LoadedConfig;
  io: Io;
  agent?: string;
  model?: string;
  baseUrl?: string;
  maxTurns?: number;
  /** Directory of saved chats. */
  transcripts: string;
  resumed?: SavedTranscript;
}

const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';

/** Runs the chat until the person leaves; resolves with the id of the saved chat, if anything was saved. */
export async function runChatUi(options: ChatUiOptions): Promise<string | undefined> {
  const { io } = options;
  const telemetry = await startTelemetry(io.env, options.loaded.config, {
    command: 'chat',
    agent: options.agent,
    hub: options.hub,
    warn: (line) => io.stderr.write(`${terminalSafe(line)}\n`),
  });
  const controller = new ChatController({
    telemetry,
    hub: options.hub,
    loaded: options.loaded,
    env: io.env,
    cwd: io.cwd,
    signal: io.signal,
    ...(options.agent !== undefined ? { agent: options.agent } : {}),
    modelFlags: { ...(options.model ? { model: options.model } : {}), ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
    ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
    transcripts: options.transcripts,
    ...(options.resumed ? { resumed: options.resumed } : {}),
    hooks: hooksFor(options.loaded, io.cwd, io.env),
  });
  showBanner(controller);
  // Servers' elicitation and sampling requests become dialogs; set before any server connects, since
  // the capabilities each server is told about come from these ports.
  const requests = new ClientRequestBridge({
    dispatch: (action) => controller.dispatch(action),
    approvalOpen: () => controller.getSnapshot().approval !== undefined,
    subscribe: controller.subscribe,
  });
  // Sign-in URLs (OAuth) would be overdrawn by Ink on stderr: they go into the transcript instead.
  setAuthPolicy(io.env, {
    ...authPolicyFor(io.env),
    notify: (message) => controller.dispatch({ type: 'notice', level: 'info', text: terminalSafe(redact(message)) }),
  });
  options.hub.setClientPorts(requests.ports({ model: controller.chatModel, modelProblem: () => controller.modelProblem() }));
  const history = new PromptHistory(join(appPaths(io.env).state, 'history.jsonl'));
  const stdout = io.stdout as NodeJS.WriteStream;
  const pasteOff = (): void => {
    stdout.write(BRACKETED_PASTE_OFF);
  };
  // The terminal can go away (window closed): writes then fail with EIO, which must end the chat, not crash it.
  const onStdoutError = (): void => controller.exit();
  stdout.on('error', onStdoutError);
  stdout.write(BRACKETED_PASTE_ON);
  process.once('exit', pasteOff);
  await yogaReady;
  const instance = render(
    <ThemeContext.Provider value={themeFromEnv(io.env)}>
      <App controller={controller} history={history} requests={requests} />
    </ThemeContext.Provider>,
    { stdout, stdin: io.stdin as NodeJS.ReadStream, stderr: io.stderr as NodeJS.WriteStream, exitOnCtrlC: false },
  );
  controller.start();
  try {
    await instance.waitUntilExit();
    return controller.savedSessionId();
  } finally {
    requests.dispose();
    controller.dispose();
    process.off('exit', pasteOff);
    // The error listener stays: a write after the terminal went away must not become an uncaught error.
    if (stdout.writable) pasteOff();
  }
}

function showBanner(controller: ChatController): void {
  const { transcript, toolsOnly } = controller.getSnapshot();
  const agent = transcript.agent ? ` · agent ${transcript.agent}` : '';
  const keys = 'Enter sends · Alt+Enter or Ctrl+J: new line · Ctrl+C cancels · Ctrl+D exits · /help';
  controller.dispatch({ type: 'banner', title: 'mcpsh chat', lines: toolsOnly ? [keys] : [`${controller.modelInfo()}${agent}`, keys] });
  if (!toolsOnly) return;
  controller.dispatch({
    type: 'banner',
    level: 'warn',
    title: 'No model configured: tools-only mode',
    lines: [
      `${controller.modelProblem() ?? 'no model settings'}.`,
      '/tools, /servers and /call work without a model.',
      'To chat, set OPENAI_API_KEY, or OPENAI_BASE_URL (and MCPSH_MODEL) for a local server such as Ollama, or the "model" section of the config: see docs/models.md.',
    ],
  });
}
