// What the conformance adapter does for one scenario: the temporary config a user would write for that server
// (from what the scenario's context hands over) and the tool calls to make. Pure (the schema check is passed
// in), so it is unit-tested in adapter.test.ts.
import { argumentsFor } from './arguments.mjs';

/** The name the server has in the temporary config. */
export const SERVER = 'conformance';

/** json-schema-2020-12-preservation: the tool whose inputSchema goes back through the echo tool. */
const FOCAL_TOOL = 'json_schema_2020_12_tool';
const ECHO_TOOL = 'json_schema_echo';

/** Environment variables that carry secrets from the scenario's context into the config (`${...}` interpolation). */
export const SECRET_VARIABLES = {
  private_key_pem: 'CONFORMANCE_CLIENT_PRIVATE_KEY',
  idp_id_token: 'CONFORMANCE_IDP_ID_TOKEN',
  valid_jwt: 'CONFORMANCE_WORKLOAD_JWT',
};

/**
 * The protocolVersion values to try for the suite's revision, best first: the dated revision itself, then the
 * era it belongs to (for a build whose schema knows only the era words). Nothing when the suite names none
 * (0.1.13 does not): the server entry then has no protocolVersion, mcpsh's default.
 */
export function protocolVersionCandidates(revision) {
  if (!revision) return [];
  if (['auto', 'modern', 'legacy'].includes(revision)) return [revision];
  return [revision, revision >= '2026' ? 'modern' : 'legacy'];
}

/**
 * @param {string} name the scenario
 * @param {string} serverUrl the suite's server URL
 * @param {Record<string, unknown>} ctx MCP_CONFORMANCE_CONTEXT
 * @param {{ revision?: string, browser?: string, accepts: (entry: object) => true | string }} options
 *   `accepts` says whether this build's config schema takes a server entry (true) or why not.
 * @returns {{ config: object, gaps: string[] }} gaps: settings the scenario wants that this build's schema refuses
 */
export function configFor(name, serverUrl, ctx, { revision, browser, accepts }) {
  const gaps = [];
  let server = { url: serverUrl };
  // Each optional setting goes in only when this build's schema takes it, so a field another change is still
  // adding (or an auth flow not built yet) shows up as a named gap in the log instead of a config error.
  const add = (what, patch) => {
    const next = patch(JSON.parse(JSON.stringify(server)));
    const verdict = accepts(next);
    if (verdict === true) server = next;
    else gaps.push(`${what}: ${verdict}`);
    return verdict === true;
  };
  const withOAuth = (fields) => (entry) => ({ ...entry, oauth: { ...(entry.oauth ?? {}), ...fields } });

  // The era the suite's revision asks for; the first candidate this build's schema takes.
  const refused = [];
  for (const v of protocolVersionCandidates(revision)) {
    const verdict = accepts({ ...server, protocolVersion: v });
    if (verdict === true) {
      server = { ...server, protocolVersion: v };
      refused.length = 0;
      break;
    }
    refused.push(`${JSON.stringify(v)} (${verdict})`);
  }
  if (refused.length > 0) gaps.push(`protocolVersion: this build refuses ${refused.join(', ')}`);

  // Pre-registered (and client-credentials) clients: the credentials the authorization server knows.
  if (typeof ctx.client_id === 'string') add('oauth.clientId', withOAuth({ clientId: ctx.client_id }));
  if (typeof ctx.client_secret === 'string') add('oauth.clientSecret', withOAuth({ clientSecret: ctx.client_secret }));
  // The scenario's authorization server accepts this URL as a client ID metadata document without fetching it.
  if (name === 'auth/basic-cimd')
    add('oauth.clientMetadataUrl', withOAuth({ clientMetadataUrl: 'https://conformance-test.local/client-metadata.json' }));
  // Machine-to-machine: the operator knows the grant; keys and tokens go in through the environment, as the docs advise.
  if (name.startsWith('auth/client-credentials-'))
    add('oauth.grantType "client_credentials"', withOAuth({ grantType: 'client_credentials' }));
  if (typeof ctx.private_key_pem === 'string') {
    const key = { privateKey: `\${${SECRET_VARIABLES.private_key_pem}}` };
    if (typeof ctx.signing_algorithm === 'string') key.signingAlgorithm = ctx.signing_algorithm;
    add('oauth.privateKey', withOAuth(key));
  }
  // Enterprise-managed authorization: the ID token from the enterprise IdP is exchanged there (RFC 8693) for an
  // ID-JAG, which the MCP authorization server redeems with the JWT bearer grant.
  if (name === 'auth/enterprise-managed-authorization') {
    const idp = { issuer: ctx.idp_issuer, clientId: ctx.idp_client_id, idToken: `\${${SECRET_VARIABLES.idp_id_token}}` };
    if (typeof ctx.idp_token_endpoint === 'string') idp.tokenEndpoint = ctx.idp_token_endpoint;
    add('oauth.grantType "enterprise" + oauth.idp', withOAuth({ grantType: 'enterprise', idp }));
  }
  // Workload identity: a JWT the platform issued, presented with the JWT bearer grant (RFC 7523).
  if (name === 'auth/wif-jwt-bearer')
    add(
      'oauth.grantType "jwt-bearer" + oauth.assertion',
      withOAuth({ grantType: 'jwt-bearer', assertion: `\${${SECRET_VARIABLES.valid_jwt}}` }),
    );
  // DPoP: sender-constrained tokens (RFC 9449); the nonce variant needs nothing more.
  if (name === 'auth/dpop' || name === 'auth/dpop-nonce') add('oauth.dpop true', withOAuth({ dpop: true }));

  return {
    config: {
      mcpServers: { [SERVER]: server },
      // Headless runs answer a server's form with its schema defaults (the elicitation scenarios ask for that).
      permissions: { elicitation: 'defaults' },
      ...(name.startsWith('auth/') && browser ? { browser } : {}),
    },
    gaps,
  };
}

/** The secrets of the context, as the environment variables the config names. */
export function secretEnv(ctx) {
  const env = {};
  for (const [key, variable] of Object.entries(SECRET_VARIABLES)) if (typeof ctx[key] === 'string') env[variable] = ctx[key];
  return env;
}

/**
 * Which tools to call with what, given `tools --json`'s list: the context's calls when it gives them (exact values:
 * encoding edge cases, a null to be left out of the headers), the schema echo for the preservation scenario (it
 * diffs what comes back against the schema it served, so pass what mcpsh listed), else every listed tool with
 * made-up arguments.
 */
export function plannedCalls(name, ctx, tools) {
  if (Array.isArray(ctx.toolCalls)) return ctx.toolCalls.map((c) => ({ tool: c.name, args: c.arguments ?? {} }));
  if (name === 'json-schema-2020-12-preservation') {
    const focal = tools.find((t) => t.tool === FOCAL_TOOL);
    return focal ? [{ tool: ECHO_TOOL, args: { schema: focal.inputSchema } }] : [];
  }
  // json-schema-ref-no-deref serves tools/list only: the call is there to run mcpsh's argument validation over the
  // schema (the one place that could fetch its network $ref), so a refusal (2) or the server's Method not found (5)
  // is the expected end of it; what the scenario checks is that the canary URL was never fetched.
  const okCodes = name === 'json-schema-ref-no-deref' ? [0, 2, 5] : [0];
  return tools.map((t) => ({ tool: t.tool, args: argumentsFor(t.inputSchema), okCodes }));
}
