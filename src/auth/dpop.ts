// DPoP (RFC 9449) keys for one server: one ES256 key per authorization server, kept in the server's auth
// record (0600, written atomically under a lock) so a DPoP-bound token still works in the next run.
import { DpopSession, generateDpopKeyPair, type AuthorizationServerMetadata, type DpopKeyPair } from '@modelcontextprotocol/client';
import { calculateJwkThumbprint, exportJWK, importJWK, type JWK } from 'jose';
import { addSecrets } from '../policy/redact.js';
import type { AuthStore, StoredDpopKey } from './store.js';

const ALG = 'ES256';

/**
 * Whether token requests carry DPoP proofs: as configured, else when the authorization server advertises
 * DPoP with an algorithm mcpsh signs with. (Resource requests follow the token: DPoP when its type says so.)
 */
export function wantsDpop(configured: boolean | undefined, metadata: AuthorizationServerMetadata | undefined): boolean {
  if (configured !== undefined) return configured;
  const algs = (metadata as { dpop_signing_alg_values_supported?: unknown } | undefined)?.dpop_signing_alg_values_supported;
  return Array.isArray(algs) && algs.includes(ALG);
}

/** Whether a stored token must be presented with the DPoP scheme. */
export const isDpopToken = (tokenType: string | undefined): boolean => tokenType?.toLowerCase() === 'dpop';

/** The DPoP sessions of one server, one per issuer, shared by its token requests and resource requests. */
export class DpopKeys {
  private readonly sessions = new Map<string, Promise<DpopSession>>();

  constructor(
    private readonly store: AuthStore,
    private readonly server: string,
    private readonly url: string,
  ) {}

  /** The session for an issuer: its stored key, or a new one stored now (before any token is bound to it). */
  sessionFor(issuer: string): Promise<DpopSession> {
    let session = this.sessions.get(issuer);
    if (!session) {
      session = this.load(issuer);
      // A failed load is not cached: the next request tries again.
      session.catch(() => this.sessions.delete(issuer));
      this.sessions.set(issuer, session);
    }
    return session;
  }

  private async load(issuer: string): Promise<DpopSession> {
    let stored = this.store.read(this.server, this.url)?.issuers[issuer]?.dpopKey;
    if (!stored) {
      const pair = await generateDpopKeyPair({ alg: ALG, extractable: true });
      const fresh: StoredDpopKey = { alg: ALG, privateJwk: await exportJWK(pair.privateKey), publicJwk: pair.publicJwk };
      // Under the store's lock: if another run stored a key meanwhile, use theirs (its tokens may be bound to it).
      this.store.update(this.server, this.url, (record) => {
        const entry = (record.issuers[issuer] ??= {});
        entry.dpopKey ??= fresh;
        stored = entry.dpopKey;
      });
    }
    if (!stored) throw new Error('DPoP key was not stored');
    addSecrets([stored.privateJwk.d]);
    return DpopSession.create({ keyPair: await keyPairOf(stored) });
  }
}

async function keyPairOf(stored: StoredDpopKey): Promise<DpopKeyPair> {
  const privateKey = await importJWK(stored.privateJwk, stored.alg);
  const publicKey = await importJWK(stored.publicJwk, stored.alg);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error('a DPoP key must be asymmetric');
  const { kty, crv, x, y } = stored.publicJwk;
  const publicJwk: JWK = {
    ...(kty !== undefined ? { kty } : {}),
    ...(crv !== undefined ? { crv } : {}),
    ...(x !== undefined ? { x } : {}),
    ...(y !== undefined ? { y } : {}),
  };
  return { privateKey, publicKey, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'), alg: stored.alg };
}
