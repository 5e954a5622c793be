// The dialog for the server request on screen (a form, a URL, or a sampling approval), answered
// through the bridge. `key` is the request's id, so each request starts with a fresh dialog.
import { terminalSafe } from '../../output/safe-text.js';
import type { ClientRequestBridge, ClientRequestView } from '../state/client-request-bridge.js';
import { ElicitationDialog } from './ElicitationDialog.js';
import { SamplingDialog } from './SamplingDialog.js';
import { UrlDialog } from './UrlDialog.js';

export interface ClientRequestDialogProps {
  view: ClientRequestView;
  bridge: Pick<ClientRequestBridge, 'answerElicitation' | 'answerSampling'>;
  waiting: number;
  /** The model that serves sampling. */
  model: string;
  width: number;
  maxHeight: number;
}

export function ClientRequestDialog({
  view: given,
  bridge,
  waiting,
  model,
  width,
  maxHeight,
}: ClientRequestDialogProps): React.JSX.Element {
  // The bridge made the server's text safe when it built the view (its form values must stay exact, so
  // the view does not pass the ChatStore); the server's name comes from the config and is made safe here.
  const view = { ...given, server: terminalSafe(given.server) };
  switch (view.kind) {
    case 'form':
      return (
        <ElicitationDialog
          key={view.id}
          server={view.server}
          message={view.message}
          spec={view.spec}
          onAnswer={(result) => bridge.answerElicitation(view.id, result)}
          width={width}
          maxHeight={maxHeight}
          waiting={waiting}
        />
      );
    case 'url':
      return (
        <UrlDialog
          key={view.id}
          server={view.server}
          message={view.message}
          url={view.url}
          onAnswer={(result) => bridge.answerElicitation(view.id, result)}
          width={width}
          waiting={waiting}
        />
      );
    case 'sampling':
      return (
        <SamplingDialog
          key={view.id}
          server={view.server}
          params={view.params}
          model={model}
          onAnswer={(choice) => bridge.answerSampling(view.id, choice)}
          width={width}
          maxHeight={maxHeight}
          waiting={waiting}
        />
      );
  }
}
