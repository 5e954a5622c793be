// startTelemetry: the one call a command makes to export OpenTelemetry. Off (no endpoint, OTEL_SDK_DISABLED,
// telemetry.enabled false) it returns undefined after one cheap look at the environment and the config, and
// no OpenTelemetry module is loaded. On, it loads the SDK (dynamic imports), installs the MCP layer's hook,
// and flushes at exit for at most FLUSH_CAP_MS. It never fails a run: a problem is a debug-log line.
import type { TelemetryConfig } from '../config/telemetry-schema.js';
import { debugLog } from '../debug-log.js';
import { errorMessage } from '../errors.js';
import { registerCleanup } from '../lifecycle.js';
import { setMcpTelemetry } from './hook.js';
import { telemetrySettings } from './settings.js';
import type { Telemetry, TelemetryContext } from './types.js';

export type { Telemetry, TelemetryContext } from './types.js';

/** The longest mcpsh waits at exit for the last exports. */
export const FLUSH_CAP_MS = 2_000;

export async function startTelemetry(
  env: NodeJS.ProcessEnv,
  config: { telemetry?: TelemetryConfig | undefined } | undefined,
  context: TelemetryContext,
): Promise<Telemetry | undefined> {
  const settings = telemetrySettings(env, config?.telemetry);
  if (settings === undefined) return undefined;
  for (const problem of settings.problems) context.warn?.(`mcpsh: telemetry: ${problem}`);
  if (Object.keys(settings.signals).length === 0) return undefined;
  try {
    const [{ createPipeline }, { RunTelemetry }] = await Promise.all([import('./sdk.js'), import('./run.js')]);
    const run = new RunTelemetry(createPipeline(settings), settings, context, env);
    setMcpTelemetry(run);
    registerCleanup(async () => {
      setMcpTelemetry(undefined);
      await run.shutdown(FLUSH_CAP_MS);
    });
    debugLog.note('telemetry on', {
      signals: Object.fromEntries(Object.entries(settings.signals).map(([k, v]) => [k, `${v.protocol} ${v.url}`])),
    });
    return run;
  } catch (err) {
    debugLog.note('telemetry could not start', { error: errorMessage(err) });
    return undefined;
  }
}
