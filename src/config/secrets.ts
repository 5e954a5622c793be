// Which names mark a value as a credential (headers, env entries, model settings).
// Shared by the loader (to collect secrets) and src/policy/redact.ts (to mask them by name).

const CREDENTIAL_NAME = /authorization|token|key|secret|cookie|password|passwd|credential/i;

/** True for names like Authorization, X-Api-Key, GITHUB_TOKEN, DB_PASSWORD, Cookie. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** A credential value plus, for "Bearer xyz"-style values, the bare credential too (it may be logged alone). */
export function credentialParts(value: string): string[] {
  const parts = [value];
  const scheme = /^(?:bearer|basic|token|digest)\s+(\S.*)$/i.exec(value.trim());
  if (scheme?.[1]) parts.push(scheme[1]);
  return parts;
}
