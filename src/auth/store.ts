// OAuth tokens, client registrations and DPoP keys on disk, one file per server in $XDG_DATA_HOME/mcpsh/auth,
// keyed inside by authorization server (issuer): credentials never cross from one issuer to another. Files are
// 0600 in a 0700 directory; every secret read or written is registered with the redactor.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/client';
import type { JWK } from 'jose';
import { updateFileLockedSync, writeFileAtomicSync } from '../files/atomic.js';
import { appPaths } from '../paths.js';
import { addSecrets } from '../policy/redact.js';

/** A DPoP key pair as stored beside the tokens bound to it (dpop.ts makes and uses it). */
export interface StoredDpopKey {
  alg: 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
}

/** How the client ID was obtained: from the config, a client ID metadata document, or dynamic registration. */
export type ClientSource = 'config' | 'metadata-document' | 'dynamic';

export interface StoredTokens extends OAuthTokens {
  /** The authorization server that issued them (the SDK's SEP-2352 stamp). */
  issuer?: string | undefined;
  /** Epoch ms when the access token stops working (from expires_in at the time it was saved). */
  expires_at?: number;
  /** Epoch ms when it was saved. */
  obtained_at: number;
}

export interface IssuerRecord {
  client?: OAuthClientInformationMixed & { issuer?: string | undefined };
  clientSource?: ClientSource;
  /** The redirect URI a dynamic registration was made with (a new port needs a new registration). */
  redirectUri?: string;
  tokens?: StoredTokens;
  /** The DPoP key DPoP-bound tokens from this issuer are bound to (src/auth/dpop.ts). */
  dpopKey?: StoredDpopKey;
}

export interface ServerAuthRecord {
  version: 1;
  server: string;
  /** The server URL the tokens are for: a config that now points elsewhere does not get them. */
  url: string;
  /** The authorization server that issued the current tokens. */
  issuer?: string;
  issuers: Record<string, IssuerRecord>;
}

export class AuthStore {
  readonly dir: string;

  constructor(env: NodeJS.ProcessEnv) {
    this.dir = join(appPaths(env).data, 'auth');
  }

  /** A file name safe for any server name, still readable. */
  fileFor(server: string): string {
    const safe = server.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);
    const hash = createHash('sha256').update(server).digest('hex').slice(0, 8);
    return join(this.dir, `${safe}-${hash}.json`);
  }

  /** The record for a server, or undefined (nothing stored, unreadable, or stored for another URL). */
  read(server: string, url?: string): ServerAuthRecord | undefined {
    let text: string;
    try {
      text = readFileSync(this.fileFor(server), 'utf8');
    } catch {
      return undefined;
    }
    return parseRecord(text, url);
  }

  write(record: ServerAuthRecord): void {
    registerRecordSecrets(record);
    this.ensureDir();
    writeFileAtomicSync(this.fileFor(record.server), serialize(record), { mode: 0o600 });
  }

  /**
   * Changes one server's record (created empty for this URL when missing or stored for another URL). The record is
   * read and written under a lock, so two mcpsh runs refreshing tokens at once cannot drop each other's changes.
   */
  update(server: string, url: string, change: (record: ServerAuthRecord) => void): ServerAuthRecord {
    this.ensureDir();
    let result: ServerAuthRecord | undefined;
    updateFileLockedSync(
      this.fileFor(server),
      (current) => {
        const record = (current === undefined ? undefined : parseRecord(current, url)) ?? { version: 1, server, url, issuers: {} };
        change(record);
        registerRecordSecrets(record);
        result = record;
        return serialize(record);
      },
      { mode: 0o600 },
    );
    return result ?? { version: 1, server, url, issuers: {} };
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  /** Forgets everything stored for a server; true when there was something. */
  remove(server: string): boolean {
    const file = this.fileFor(server);
    const existed = existsSync(file);
    rmSync(file, { force: true });
    return existed;
  }
}

/** The tokens with an absolute expiry, ready to store. */
export function stampTokens(tokens: OAuthTokens, now = Date.now()): StoredTokens {
  return { ...tokens, obtained_at: now, ...(tokens.expires_in !== undefined ? { expires_at: now + tokens.expires_in * 1000 } : {}) };
}

/** Whether an access token has expired, or will soon: within a minute, or within a tenth of a short lifetime. */
export function isExpired(tokens: StoredTokens, now = Date.now()): boolean {
  if (tokens.expires_at === undefined) return false;
  const margin = Math.min(60_000, (tokens.expires_at - tokens.obtained_at) / 10);
  return tokens.expires_at - margin <= now;
}

function serialize(record: ServerAuthRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** A stored record, or undefined when it is damaged, of another version, or stored for another URL. */
function parseRecord(text: string, url: string | undefined): ServerAuthRecord | undefined {
  let record: ServerAuthRecord;
  try {
    record = JSON.parse(text) as ServerAuthRecord;
  } catch {
    return undefined;
  }
  if (record.version !== 1 || typeof record.issuers !== 'object') return undefined;
  if (url !== undefined && record.url !== url) return undefined;
  registerRecordSecrets(record);
  return record;
}

function registerRecordSecrets(record: ServerAuthRecord): void {
  for (const entry of Object.values(record.issuers)) {
    addSecrets([
      entry.tokens?.access_token,
      entry.tokens?.refresh_token,
      entry.tokens?.id_token,
      entry.client?.client_secret,
      entry.dpopKey?.privateJwk.d,
    ]);
  }
}
