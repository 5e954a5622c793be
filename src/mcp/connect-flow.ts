// One connect of a server, from the start slot to a listed tool set, within connectTimeout: with the era
// verdict remembered from an earlier run (era-cache.ts) when there is one, and one re-probe without it when
// the connect fails in a way a stale verdict explains. Returns why it failed, in one line, or the time it took.
import type { ResolvedServer } from '../config/schema.js';
import { connectFailureReason, connectTimeoutReason } from './connect-failure.js';
import { PausableDeadline } from './deadline.js';
import { isStaleVerdictError, type EraVerdict } from './era.js';
import type { EraCache } from './era-cache.js';
import type { OpenedSession } from './session-types.js';
import { startSlotFor } from './start-slots.js';
import type { Transport } from './types.js';

/** The connection as a connect sees it. */
export interface ConnectHost {
  readonly config: ResolvedServer;
  readonly env: NodeJS.ProcessEnv;
  readonly eraCache: EraCache | undefined;
  readonly partition: string;
  /** Aborted when the connection is closed: a connect under way stops (and starts nothing more, no respawn). */
  readonly lifetime: AbortSignal;
  isClosing(): boolean;
  transport(): Transport | undefined;
  startSession(signal: AbortSignal, deadline: PausableDeadline, cachedVerdict: EraVerdict | undefined): Promise<OpenedSession>;
  refreshTools(signal: AbortSignal): Promise<void>;
  dropTransport(): Promise<void>;
}

export type ConnectOutcome = { ok: true; ms: number } | { ok: false; reason: string };

export async function connectOnce(host: ConnectHost, outer?: AbortSignal): Promise<ConnectOutcome> {
  const signal = outer ? AbortSignal.any([outer, host.lifetime]) : host.lifetime;
  // stdio servers start a few at a time (start-slots.ts): the connectTimeout below starts with the spawn.
  const release = await startSlotFor(host.config.transport, host.env, signal).catch(() => undefined);
  if (!release || host.isClosing()) {
    release?.();
    return { ok: false, reason: host.isClosing() ? 'closed' : 'cancelled' };
  }
  const started = performance.now();
  const deadline = new PausableDeadline(host.config.connectTimeoutMs);
  const combined = AbortSignal.any([signal, deadline.signal]);
  try {
    const fromCache = await openAndList(host, combined, deadline, true);
    if (fromCache === 'stale') {
      // The remembered era was wrong (the server changed era): forget it and probe, once.
      host.eraCache?.drop(host.config);
      await host.dropTransport();
      await openAndList(host, combined, deadline, false);
    }
    if (host.isClosing()) {
      // Closed while the session opened: what it started must not outlive the close.
      await host.dropTransport();
      return { ok: false, reason: 'closed' };
    }
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const reason = host.isClosing()
      ? 'closed'
      : deadline.expired
        ? connectTimeoutReason(host.config, host.transport())
        : signal.aborted
          ? 'cancelled'
          : connectFailureReason(host.config, host.transport(), err);
    await host.dropTransport();
    return { ok: false, reason };
  } finally {
    deadline.clear();
    release();
  }
}

/**
 * Opens a session and reads its tools. With `useCache`, a remembered era verdict is used; if the connect
 * then fails in a way a stale verdict explains, returns 'stale' (the caller re-probes once).
 */
async function openAndList(host: ConnectHost, signal: AbortSignal, deadline: PausableDeadline, useCache: boolean): Promise<'ok' | 'stale'> {
  const { config, partition } = host;
  const cachedVerdict = useCache ? host.eraCache?.load(config, partition) : undefined;
  try {
    const opened = await host.startSession(signal, deadline, cachedVerdict);
    await host.refreshTools(signal);
    if (opened.plan.probes && eraSettingIsAuto(config)) {
      host.eraCache?.save(config, partition, {
        era: opened.era,
        protocolVersion: opened.protocolVersion,
        ...(opened.discover ? { discover: opened.discover } : {}),
      });
    }
    return 'ok';
  } catch (err) {
    // A remembered verdict may be stale; a fresh one may come from a probe that timed out on a server
    // still starting (a modern server then refuses initialize). Either way: probe again, once.
    const guessed = cachedVerdict !== undefined || (useCache && eraSettingIsAuto(config));
    if (guessed && !signal.aborted && !host.isClosing() && isStaleVerdictError(err)) return 'stale';
    throw err;
  }
}

export function eraSettingIsAuto(config: ResolvedServer): boolean {
  return (config.protocolVersion ?? 'auto') === 'auto';
}
