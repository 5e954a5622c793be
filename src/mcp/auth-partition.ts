// Which authorization context a remote server is reached in, as a short hash: answers marked private
// (a modern verdict's discover blob, cacheScope "private" lists) are never reused in another context.
import { createHash } from 'node:crypto';
import type { ResolvedServer } from '../config/schema.js';

/**
 * Static headers are part of the cache key already (tool-cache.ts configHash); this adds what decides the
 * identity beyond them: the headersHelper command and the OAuth client settings (not the token itself,
 * which is never written to a cache file).
 */
export function authPartition(config: ResolvedServer): string {
  if (config.transport === 'stdio') return 'stdio';
  const oauth =
    config.oauth === false
      ? false
      : {
          clientId: config.oauth.clientId,
          grantType: config.oauth.grantType,
          scopes: config.oauth.scopes,
          idp: config.oauth.idp?.clientId,
        };
  return createHash('sha256')
    .update(JSON.stringify({ helper: config.headersHelper ?? null, oauth }))
    .digest('hex')
    .slice(0, 16);
}
