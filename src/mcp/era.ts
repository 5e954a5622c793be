// Which MCP era to speak with a server: the 2026-07-28 revision ("modern": server/discover, no handshake) or
// the initialize handshake of 2025-11-25 and earlier ("legacy"). From the server's protocolVersion setting,
// a remembered verdict (era-cache.ts: a warm start sends no probe) or a probe; plus how era failures read.
import { SdkError, SdkErrorCode, SUPPORTED_PROTOCOL_VERSIONS, UnsupportedProtocolVersionError } from '@modelcontextprotocol/client';
import type { PriorDiscovery, VersionNegotiationOptions } from '@modelcontextprotocol/client';
import type { ResolvedServer } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import type { DiscoverResult } from './types.js';

export type Era = 'modern' | 'legacy';
/** The first (and so far only) revision of the modern era. */
export const MODERN_REVISION = '2026-07-28';
/** The revisions mcpsh speaks, newest first (for messages). */
export const SPOKEN_REVISIONS = [MODERN_REVISION, ...SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v < MODERN_REVISION)];
/** A silent stdio server must not stall a first start for long: its probe gives up after this (then legacy). */
const STDIO_PROBE_TIMEOUT_MS = 3000;

/** A verdict remembered from an earlier probe. */
export interface EraVerdict {
  era: Era;
  protocolVersion: string | undefined;
  /** The server's server/discover answer (modern only): lets a warm start skip the probe altogether. */
  discover?: DiscoverResult;
}

/** How one connect chooses the era. */
export interface EraPlan {
  /** What the setting says (`auto` when absent). */
  setting: string;
  negotiation: VersionNegotiationOptions;
  supportedProtocolVersions?: string[];
  /** Set when the era is already known (a remembered verdict, or a pinned legacy era): no probe is sent. */
  prior?: PriorDiscovery;
  /** True when this connect sends server/discover (its outcome is worth remembering). */
  probes: boolean;
  /** True when `prior` came from the cache (a failure may mean it is stale: re-probe once). */
  fromCache: boolean;
}

export function eraSetting(config: ResolvedServer): string {
  return config.protocolVersion ?? 'auto';
}

/** The plan for a connect over `kind`, given what the cache remembers (or nothing). */
export function planEra(config: ResolvedServer, kind: 'stdio' | 'http' | 'sse', cached: EraVerdict | undefined): EraPlan {
  const setting = eraSetting(config);
  // HTTP+SSE predates the modern era: never probe over it.
  if (kind === 'sse' || setting === 'legacy') return legacyPlan(setting);
  if (setting === 'modern') return { setting, negotiation: { mode: { pin: MODERN_REVISION } }, probes: true, fromCache: false };
  if (setting !== 'auto') {
    // A dated revision: pinned exactly, in its era.
    if (setting >= MODERN_REVISION)
      return { setting, negotiation: { mode: { pin: setting } }, supportedProtocolVersions: [setting], probes: true, fromCache: false };
    return { ...legacyPlan(setting), supportedProtocolVersions: [setting] };
  }
  if (cached?.era === 'legacy')
    return { setting, negotiation: { mode: 'auto' }, prior: { kind: 'legacy' }, probes: false, fromCache: true };
  if (cached?.era === 'modern' && cached.discover)
    return { setting, negotiation: { mode: 'auto' }, prior: { kind: 'modern', discover: cached.discover }, probes: false, fromCache: true };
  // A third of connectTimeout at most: a silent server must leave time for the initialize that follows.
  const timeoutMs = kind === 'stdio' ? Math.min(STDIO_PROBE_TIMEOUT_MS, Math.round(config.connectTimeoutMs / 3)) : config.connectTimeoutMs;
  return { setting, negotiation: { mode: 'auto', probe: { timeoutMs } }, probes: true, fromCache: false };
}

function legacyPlan(setting: string): EraPlan {
  return { setting, negotiation: { mode: 'legacy' }, prior: { kind: 'legacy' }, probes: false, fromCache: false };
}

/** An error the SDK wrapped around what went wrong inside the server/discover probe (e.g. our auth fetch's). */
export function probeCause(err: unknown): unknown {
  if (err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed && err.cause !== undefined) return err.cause;
  return err;
}

/** The server ended the connection while the probe was out (an rmcp-style stdio server exits on it). */
export function closedDuringProbe(err: unknown): boolean {
  return (
    err instanceof SdkError &&
    err.code === SdkErrorCode.EraNegotiationFailed &&
    /closed during the server\/discover|probed in place|closed/i.test(err.message)
  );
}

/**
 * Whether a connect that used a remembered verdict failed because the verdict is stale: the server moved
 * from one era to the other (then one probe, without the cache, sets it right).
 */
export function isStaleVerdictError(err: unknown): boolean {
  if (err instanceof UnsupportedProtocolVersionError) return true;
  if (eraRefusal(err)) return true;
  if (err instanceof SdkError && err.code === SdkErrorCode.InvalidResult && /resultType/.test(err.message)) return true;
  // (One that wraps another error, e.g. a sign-in needed during the probe, is not about the era.)
  if (err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed && err.cause === undefined) return true;
  const code = (err as { code?: unknown } | undefined)?.code;
  // A modern-only server that does not know `initialize`.
  return code === -32601 && /initialize/i.test(errorMessage(err));
}

/** The JSON-RPC codes a server uses to refuse an era or a version (unsupported version, header mismatch, missing header). */
const ERA_CODES = new Set([-32022, -32020, -32021]);

/** A server's refusal of mcpsh's era or version, from an error object or an HTTP error body; undefined otherwise. */
export function eraRefusal(err: unknown): { code: number; message: string; supported?: string[]; requested?: string } | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const data = (e as { data?: unknown }).data as Record<string, unknown> | undefined;
    if (typeof code === 'number' && ERA_CODES.has(code)) return { code, message: errorMessage(e), ...versionsIn(data) };
    // An HTTP error whose body is a JSON-RPC error (a modern-only server answers `initialize` with 400 + -32022).
    const text = typeof data?.text === 'string' ? data.text : typeof data?.body === 'string' ? data.body : errorMessage(e);
    const body = jsonRpcErrorIn(text);
    if (body && ERA_CODES.has(body.code)) return { code: body.code, message: body.message, ...versionsIn(body.data) };
  }
  return undefined;
}

function jsonRpcErrorIn(text: string): { code: number; message: string; data?: Record<string, unknown> } | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(text.slice(start)) as { error?: { code?: unknown; message?: unknown; data?: unknown } };
    const error = parsed.error;
    if (!error || typeof error.code !== 'number') return undefined;
    return {
      code: error.code,
      message: typeof error.message === 'string' ? error.message : '',
      ...(error.data && typeof error.data === 'object' ? { data: error.data as Record<string, unknown> } : {}),
    };
  } catch {
    return undefined;
  }
}

function versionsIn(data: Record<string, unknown> | undefined): { supported?: string[]; requested?: string } {
  const supported = Array.isArray(data?.supported) ? data.supported.filter((v): v is string => typeof v === 'string') : undefined;
  const requested = typeof data?.requested === 'string' ? data.requested : undefined;
  return { ...(supported ? { supported } : {}), ...(requested ? { requested } : {}) };
}

/**
 * One line on an era failure, naming what the server said, the versions each side speaks, and what to set;
 * undefined when the error is not about the era.
 */
export function describeEraError(err: unknown, where: string, setting: string): string | undefined {
  const mine = `mcpsh speaks ${SPOKEN_REVISIONS.join(', ')}`;
  const refusal = eraRefusal(err);
  if (refusal) {
    const theirs = refusal.supported?.length ? `it speaks ${refusal.supported.join(', ')}` : 'it did not say which versions it speaks';
    const asked = refusal.requested ? ` ${refusal.requested}` : '';
    const modernOnly = refusal.supported?.length ? refusal.supported.every((v) => v >= MODERN_REVISION) : undefined;
    const fix =
      modernOnly === true
        ? `set "protocolVersion": "auto" (or "modern") for this server`
        : modernOnly === false
          ? `set "protocolVersion": "auto" (or one of ${refusal.supported?.join(', ') ?? ''}) for this server`
          : `set "protocolVersion": "auto" for this server`;
    return `${where} refused MCP protocol version${asked} (${setting === 'auto' ? 'era chosen automatically' : `protocolVersion "${setting}"`}): "${refusal.message}"; ${theirs}; ${mine}. Fix: ${fix}`;
  }
  if (err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed) {
    const said = err.message.replace(/^Version negotiation (probe )?failed: /, '');
    if ((setting !== 'auto' && setting !== 'legacy' && setting >= MODERN_REVISION) || setting === 'modern') {
      return `${where} does not speak the modern MCP era (${MODERN_REVISION}) that protocolVersion "${setting}" requires: ${said}. ${mine}. Fix: set "protocolVersion": "auto" (or "legacy") for this server`;
    }
    return `${where}: could not agree on an MCP protocol era: ${said}. ${mine}. Fix: set "protocolVersion" for this server to "legacy" or "modern" to skip the probe`;
  }
  return undefined;
}
