// The chat screen: finished transcript entries printed once (<Static>), then the live part — the
// answer being written, running tool calls, an approval dialog or a server's request — the prompt, and
// the status lines.
import { Box, Static, Text, useApp, useStdout } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorMessage } from '../errors.js';
import { ApprovalDialog } from './dialogs/ApprovalDialog.js';
import type { ChatController } from './state/chat-controller.js';
import type { ClientRequestBridge, ClientRequestSnapshot } from './state/client-request-bridge.js';
import { ClientRequestDialog } from './dialogs/ClientRequestDialog.js';
import { EntryView } from './components/EntryView.js';
import { useMarkdown } from './components/use-markdown.js';
import { formatDuration } from './text/format.js';
import type { PromptHistory } from './input/history.js';
import type { Entry } from './state/transcript.js';
import { useTerminalSize, useTicker } from './components/hooks.js';
import { Input } from './input/Input.js';
import { ResumePicker } from './dialogs/ResumePicker.js';
import { ServerStatus } from './components/ServerStatus.js';
import { commandHints, completeSlash, isSlashCommand, runSlashCommand } from './input/slash-commands.js';
import { StatusBar } from './components/StatusBar.js';
import { SPINNER_FRAMES, tint, useTheme } from './components/theme.js';

export interface AppProps {
  controller: ChatController;
  history: PromptHistory;
  /** Servers' elicitation and sampling requests (their dialogs take the screen one at a time). */
  requests?: ClientRequestBridge;
}

const NO_REQUESTS: ClientRequestSnapshot = { current: undefined, waiting: 0 };
const noRequests = (): ClientRequestSnapshot => NO_REQUESTS;
const subscribeNowhere = (): (() => void) => () => undefined;

/** Clears the screen and scrollback, so the transcript can be printed again at a new width. */
const CLEAR_ALL = '\u001b[2J\u001b[3J\u001b[H';
const EXIT_ARM_MS = 2000;

const talking = (e: Entry): boolean => e.kind === 'user' || e.kind === 'assistant';

export function App({ controller, history, requests }: AppProps): React.JSX.Element {
  const { transcript, approval, toolsOnly } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  // A server's request on screen keeps it until answered; a tool approval that arrives meanwhile waits.
  const { current: request, waiting } = useSyncExternalStore(requests?.subscribe ?? subscribeNowhere, requests?.getSnapshot ?? noRequests);
  const picker = useSyncExternalStore(controller.sessions.subscribe, controller.sessions.getSnapshot);
  const dialogOpen = approval !== undefined || request !== undefined || picker !== undefined;
  const { exit } = useApp();
  const { write } = useStdout();
  const { columns, rows } = useTerminalSize();
  const [hint, setHint] = useState<string | undefined>(undefined);
  const [staticKey, setStaticKey] = useState(0);
  const printedWidth = useRef(columns);
  const exitArmed = useRef<NodeJS.Timeout | undefined>(undefined);
  const width = Math.max(20, columns - 1);

  useEffect(() => controller.setExitHandler(exit), [controller, exit]);
  // Switching to a saved chat (/resume) prints it afresh: the old conversation is cleared off the screen first.
  useEffect(() => controller.setRedrawHandler(() => write(CLEAR_ALL)), [controller, write]);

  // Re-wrap on resize: what <Static> printed cannot change in place, so clear and print it all again.
  useEffect(() => {
    if (columns === printedWidth.current) return;
    const timer = setTimeout(() => {
      printedWidth.current = columns;
      write(CLEAR_ALL);
      setStaticKey((k) => k + 1);
    }, 200);
    return () => clearTimeout(timer);
  }, [columns, write]);

  useEffect(() => () => clearTimeout(exitArmed.current), []);

  const flash = (text: string | undefined, ms = 3000): void => {
    setHint(text);
    if (text !== undefined) setTimeout(() => setHint((h) => (h === text ? undefined : h)), ms);
  };

  const runCommand = async (line: string): Promise<void> => {
    const result = await runSlashCommand(line, controller, { width });
    if (result.output !== undefined)
      controller.dispatch({
        type: 'command_output',
        input: line,
        output: result.output,
        isError: result.isError === true,
        table: result.table === true,
      });
  };

  const submit = (text: string): boolean => {
    if (isSlashCommand(text)) {
      void runCommand(text.trim());
      return true;
    }
    if (controller.busy()) {
      flash('the model is still working: wait for it, or press Ctrl+C to cancel');
      return false;
    }
    void controller.send(text);
    return true;
  };

  const interrupt = (promptEmpty: boolean): boolean => {
    if (controller.cancel()) return true;
    if (!promptEmpty) return false;
    if (exitArmed.current !== undefined) {
      controller.exit();
      return true;
    }
    exitArmed.current = setTimeout(() => {
      exitArmed.current = undefined;
    }, EXIT_ARM_MS);
    flash('press Ctrl+C again to exit (or Ctrl+D)', EXIT_ARM_MS);
    return true;
  };

  // The live part must stay shorter than the screen: Ink redraws everything once it is taller.
  // While a dialog is open it gets the room, and the calls in flight are only counted.
  const liveLines = Math.max(4, rows - 10);
  const dialogHeight = rows - 7 - (transcript.servers.every((s) => s.state === 'ready') ? 0 : 2);
  // <Static> prints an entry once, for good: answers wait there until their Markdown renderer has loaded,
  // which starts when the conversation does (use-markdown.ts).
  const markdown = useMarkdown(transcript.live.some(talking) || transcript.done.some(talking));
  const firstAnswer = markdown === undefined ? transcript.done.findIndex((e) => e.kind === 'assistant') : -1;
  const done = firstAnswer === -1 ? transcript.done : transcript.done.slice(0, firstAnswer);

  return (
    <>
      <Static key={`${staticKey}:${transcript.generation}`} items={done}>
        {(entry, index) => <EntryView key={entry.id} entry={entry} previous={done[index - 1]} width={width} />}
      </Static>
      <Box flexDirection="column" width={columns}>
        {dialogOpen ? (
          <OtherCalls
            count={transcript.live.filter((e) => e.kind === 'tool' && e.callId !== approval?.callId).length}
            other={request === undefined}
          />
        ) : (
          transcript.live.map((entry, i) => (
            <EntryView
              key={entry.id}
              entry={entry}
              previous={i === 0 ? done.at(-1) : transcript.live[i - 1]}
              width={width}
              maxLines={liveLines}
            />
          ))
        )}
        {request && requests ? (
          <Box marginTop={1}>
            <ClientRequestDialog
              view={request}
              bridge={requests}
              waiting={waiting + (approval ? 1 : 0)}
              model={transcript.model ?? 'the chat model'}
              width={width}
              maxHeight={dialogHeight}
            />
          </Box>
        ) : approval ? (
          <Box marginTop={1}>
            <ApprovalDialog
              key={approval.callId}
              request={approval}
              onAnswer={(choice) => controller.answerApproval(choice)}
              onInterrupt={() => controller.cancel()}
              width={width}
              maxArgLines={40}
              maxHeight={dialogHeight}
            />
          </Box>
        ) : picker ? (
          <Box marginTop={1}>
            <ResumePicker
              view={picker}
              onPick={(id) => {
                try {
                  const said = controller.switchTo(id);
                  if (said !== undefined) controller.dispatch({ type: 'notice', level: 'info', text: said });
                } catch (err) {
                  controller.sessions.close();
                  controller.dispatch({ type: 'notice', level: 'error', text: `could not resume ${id}: ${errorMessage(err)}` });
                }
              }}
              onCancel={() => controller.sessions.close()}
              width={width}
              maxHeight={dialogHeight}
            />
          </Box>
        ) : null}
        {transcript.busy && !dialogOpen ? (
          <Working startedAt={transcript.turnStartedAt ?? Date.now()} cancelling={transcript.cancelling} />
        ) : null}
        <Box marginTop={1} flexDirection="column">
          <Input
            history={history}
            onSubmit={submit}
            onInterrupt={interrupt}
            onExit={() => controller.exit()}
            complete={(text) => completeSlash(text, controller)}
            hints={commandHints}
            bridge={controller.input}
            width={width}
            placeholder={toolsOnly ? 'no model: /tools, /servers, /call work · /help' : 'ask anything · /help for commands'}
            isActive={!dialogOpen}
            dim={transcript.busy}
            maxLines={Math.max(3, Math.min(10, rows - 12))}
          />
        </Box>
        <ServerStatus servers={transcript.servers} />
        <StatusBar
          model={transcript.model}
          agent={transcript.agent}
          servers={transcript.servers}
          usage={transcript.usage}
          width={columns}
          {...(hint ? { hint } : {})}
        />
      </Box>
    </>
  );
}

function Working({ startedAt, cancelling }: { startedAt: number; cancelling: boolean }): React.JSX.Element {
  const theme = useTheme();
  const tick = useTicker(true, 100);
  const frame = SPINNER_FRAMES[tick % SPINNER_FRAMES.length] ?? '*';
  return (
    <Box marginTop={1}>
      <Text>
        <Text {...tint(theme, 'accent')}>{frame}</Text>
        <Text dimColor>{cancelling ? ' cancelling…' : ` working ${formatDuration(Date.now() - startedAt)} · Ctrl+C cancels`}</Text>
      </Text>
    </Box>
  );
}

function OtherCalls({ count, other }: { count: number; other: boolean }): React.JSX.Element | null {
  if (count === 0) return null;
  return <Text dimColor>{`${count}${other ? ' other' : ''} tool call${count === 1 ? '' : 's'} in progress or waiting`}</Text>;
}
