// The per-server `oauth` section of the config schema: how mcpsh signs in to a remote server (browser
// sign-in, client credentials, workload identity, enterprise-managed authorization, DPoP).
import { z } from 'zod';

/** A secret given inline, in a file, or printed by a command: `<name>`, `<name>File`, `<name>Command`. */
function CredentialSource<N extends string>(name: N, what: string) {
  return {
    [name]: z.string().min(1).optional().describe(`${what}; use \${VAR}.`),
    [`${name}File`]: z
      .string()
      .min(1)
      .optional()
      .describe(`${what}, read from this file (relative to the config file) at each token request.`),
    [`${name}Command`]: z
      .string()
      .min(1)
      .optional()
      .describe(`${what}, printed on stdout by this shell command (run in the config file's directory) at each token request.`),
  } as Record<N | `${N}File` | `${N}Command`, z.ZodOptional<z.ZodString>>;
}

export const OAuthSchema = z.strictObject({
  clientId: z
    .string()
    .min(1)
    .optional()
    .describe('A pre-registered client ID (otherwise a client ID metadata document or dynamic registration is used).'),
  clientSecret: z.string().min(1).optional().describe('The secret of a pre-registered confidential client; use ${VAR}.'),
  clientMetadataUrl: z
    .url({ protocol: /^https$/ })
    .optional()
    .describe('An https URL of a client ID metadata document to use as the client ID, when the authorization server supports them.'),
  scopes: z
    .array(z.string().min(1))
    .optional()
    .describe("Scopes to request (default: the server's 401 challenge, then its scopes_supported)."),
  redirectPort: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe(
      'Port of the loopback redirect listener on 127.0.0.1 (default 0: the port of the stored client registration, else any free port).',
    ),
  grantType: z
    .enum(['authorization_code', 'client_credentials', 'jwt-bearer', 'enterprise'])
    .optional()
    .describe(
      'authorization_code (default: a person signs in in the browser); client_credentials (machine-to-machine, needs clientId and clientSecret or privateKey); jwt-bearer (workload identity: a supplied JWT assertion, see assertion*); enterprise (enterprise-managed authorization: an ID token exchanged at the identity provider `idp`, then the JWT bearer grant). None but authorization_code opens a browser.',
    ),
  privateKey: z
    .string()
    .min(1)
    .optional()
    .describe('PEM private key for private_key_jwt client authentication (client_credentials); use ${VAR}.'),
  signingAlgorithm: z.string().min(1).optional().describe('JWT signing algorithm for privateKey, e.g. ES256 or RS256 (default ES256).'),
  ...CredentialSource('assertion', 'The JWT assertion for grantType "jwt-bearer" (a workload identity token)'),
  idp: z
    .strictObject({
      issuer: z
        .url({ protocol: /^https?$/ })
        .describe('The identity provider (its metadata gives the token endpoint unless tokenEndpoint is set).'),
      tokenEndpoint: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe('The token endpoint of the identity provider (skips its metadata discovery).'),
      clientId: z.string().min(1).describe("mcpsh's client ID at the identity provider."),
      clientSecret: z
        .string()
        .min(1)
        .optional()
        .describe("mcpsh's client secret at the identity provider, if it is a confidential client; use ${VAR}."),
      ...CredentialSource('idToken', "The user's OpenID Connect ID token from the identity provider"),
    })
    .optional()
    .describe(
      'grantType "enterprise": the identity provider where the ID token is exchanged (RFC 8693) for an identity assertion grant for this server.',
    ),
  dpop: z
    .boolean()
    .optional()
    .describe(
      'DPoP sender-constrained tokens (RFC 9449): true always, false never; omitted: when the authorization server advertises dpop_signing_alg_values_supported. The key is kept 0600 beside the tokens.',
    ),
});
