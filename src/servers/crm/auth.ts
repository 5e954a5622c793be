// Bearer-token auth for the CRM: the HS256 signing secret (env or a private key file), minting tokens for
// `serve crm token`, and verifying them on every HTTP request.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { AppError, errorMessage } from '../../errors.js';
import { parseScopes } from './scopes.js';

export const CRM_ISSUER = 'mcpsh-crm';
export const CRM_AUDIENCE = 'mcpsh-crm';
export const SECRET_ENV = 'MCPSH_CRM_SECRET';
/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
const MIN_SECRET_BYTES = 32;

export interface CrmSecret {
  key: Uint8Array;
  source: 'env' | 'file';
  file?: string;
}

export function keyFilePath(dataDir: string): string {
  return join(dataDir, 'crm-secret.key');
}

/** The secret from MCPSH_CRM_SECRET, else from the key file in `dataDir`, created (0600) on first use. */
export function loadCrmSecret(env: NodeJS.ProcessEnv, dataDir: string): CrmSecret {
  const fromEnv = env[SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = new TextEncoder().encode(fromEnv);
    if (key.length < MIN_SECRET_BYTES) {
      throw new AppError('CONFIG', `${SECRET_ENV} is ${key.length} bytes long; HS256 needs at least ${MIN_SECRET_BYTES}`, {
        hint: `use a longer random value, e.g. ${SECRET_ENV}=$(openssl rand -base64 48), or unset it to use the key file`,
      });
    }
    return { key, source: 'env' };
  }
  const file = keyFilePath(dataDir);
  return { key: readOrCreateKeyFile(file), source: 'file', file };
}

function readOrCreateKeyFile(file: string): Uint8Array {
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // 'wx' fails if another process won the race; then we read what it wrote.
    writeFileSync(file, `${randomBytes(MIN_SECRET_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new AppError('CONFIG', `cannot create the CRM key file ${file}: ${errorMessage(err)}`, {
        hint: `make its folder writable, or set ${SECRET_ENV}`,
        cause: err,
      });
    }
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError('CONFIG', `the CRM key file ${file} is readable by other users (mode ${mode.toString(8)})`, {
      hint: `run: chmod 600 ${file}`,
    });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length < MIN_SECRET_BYTES) {
    throw new AppError('CONFIG', `the CRM key file ${file} holds ${key.length} bytes; expected at least ${MIN_SECRET_BYTES}`, {
      hint: `delete it to have a new one made (tokens signed with the old key stop working), or set ${SECRET_ENV}`,
    });
  }
  return new Uint8Array(key);
}

/** Parses "90s", "15m", "1h", "7d" (or a bare number of seconds) into seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  const seconds = match ? Number(match[1]) * (units[match[2] ?? 's'] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new AppError('USAGE', `invalid duration "${text}"`, { hint: 'use a number with a unit: 90s, 15m, 1h, 7d' });
  }
  return seconds;
}

export interface TokenRequest {
  subject: string;
  scopes: readonly string[];
  expiresInSeconds: number;
  /** Issue time; defaults to now. Tests move it to mint already-expired tokens. */
  now?: Date;
}

export async function signCrmToken(key: Uint8Array, request: TokenRequest): Promise<string> {
  const iat = Math.floor((request.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ scope: request.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(CRM_ISSUER)
    .setAudience(CRM_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + request.expiresInSeconds)
    .sign(key);
}

export type VerifyResult = { ok: true; auth: AuthInfo } | { ok: false; description: string };

/** Verifies signature, algorithm, issuer, audience, expiry and the claims the CRM relies on. */
export async function verifyCrmToken(key: Uint8Array, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: CRM_ISSUER,
      audience: CRM_AUDIENCE,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, description: 'the token has no subject (sub)' };
    if (payload.scope !== undefined && typeof payload.scope !== 'string') {
      return { ok: false, description: 'the scope claim must be a space-separated string' };
    }
    return {
      ok: true,
      auth: {
        token,
        clientId: payload.sub,
        scopes: parseScopes(payload.scope ?? ''),
        ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
      },
    };
  } catch (err) {
    return { ok: false, description: describeJoseError(err) };
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired; mint a new one with: mcpsh serve crm token';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid (signed with another secret?)';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the token is not valid here: ${err.message}`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is not signed with HS256';
  if (err instanceof joseErrors.JOSEError) return 'the token is malformed';
  return `the token could not be verified: ${errorMessage(err)}`;
}
