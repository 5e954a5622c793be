// serverUrl matching for the managed policy: a server's URL and a pattern are both brought to one normal form
// (scheme and host lower-case, no user info, no default port, no query or fragment, percent-encoding and
// trailing slashes normalised) and then compared piece by piece, so `*` in the host can never reach into the
// path and `https://evil.example/x.corp.example/` does not pass for `https://*.corp.example/*`.
import { domainToASCII } from 'node:url';

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };

/** `scheme://host[:port]/path` of a URL, or undefined when it does not parse. */
export function normalizeServerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  // WHATWG parsing already lower-cases scheme and host, drops a default port, resolves dot segments and
  // reads odd IPv4 forms (http://2130706433/ is 127.0.0.1).
  const scheme = url.protocol.replace(/:$/, '');
  const host = url.hostname.replace(/\.$/, '');
  return `${scheme}://${host}${url.port ? `:${url.port}` : ''}${normalizePath(url.pathname)}`;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent escapes of unreserved characters decoded, the others upper-cased; trailing slashes dropped. */
function normalizePath(p: string): string {
  const decoded = p.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
  const trimmed = decoded.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A glob piece as a regex: `*` is `any`, everything else literal. */
function globPart(text: string, any: string): string {
  return text.split('*').map(escapeRegex).join(any);
}

/**
 * A pattern (already checked by urlPatternProblem: `scheme://authority/path`, no user info, query or fragment)
 * as a test on normalised URLs. `*` matches within its piece: in the scheme letters, in the host and port any
 * characters but `/`, in the path anything. A path ending in `/*` also matches the path without it.
 */
export function compileUrlPattern(pattern: string): (normalizedUrl: string) => boolean {
  const m = /^([^:/?#]+):\/\/([^/?#]*)([^?#]*)$/.exec(pattern);
  if (!m) return () => false;
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = normalizeAuthority(scheme, m[2] ?? '');
  const rawPath = m[3] ?? '';
  const schemeRe = globPart(scheme, '[a-z0-9+.-]*');
  // `host:*` is any port, the scheme's default (which URLs leave out) included.
  const authorityRe = authority.endsWith(':*') ? `${globPart(authority.slice(0, -2), '[^/]*')}(?::[0-9]*)?` : globPart(authority, '[^/]*');
  let pathRe: string;
  if (rawPath.endsWith('/*')) {
    const base = rawPath.slice(0, -2);
    const norm = base === '' ? '' : normalizePath(base);
    pathRe = `${globPart(norm === '/' ? '' : norm, '.*')}(?:/.*)?`;
  } else {
    pathRe = globPart(normalizePath(rawPath), '.*');
  }
  const re = new RegExp(`^${schemeRe}://${authorityRe}${pathRe}$`, 's');
  return (url) => re.test(url);
}

/** The pattern's host[:port] in the same form URLs get: lower-case, punycode, no default port, no trailing dot. */
function normalizeAuthority(scheme: string, authority: string): string {
  const lower = authority.toLowerCase();
  const portAt = lower.startsWith('[') ? lower.indexOf(']:') + 1 : lower.lastIndexOf(':');
  let host = portAt > 0 ? lower.slice(0, portAt) : lower;
  let port = portAt > 0 ? lower.slice(portAt + 1) : '';
  if (!scheme.includes('*') && DEFAULT_PORTS[scheme] === port) port = '';
  if (!host.includes('*')) {
    // A literal host is read exactly as a URL's would be (IDN, IPv4 forms, brackets).
    try {
      host = new URL(`http://${host}/`).hostname;
    } catch {
      // Left as written: it can only match a URL with the same text.
    }
  } else {
    host = host
      .split('.')
      .map((label) => (label.includes('*') || label === '' ? label : domainToASCII(label) || label))
      .join('.');
  }
  host = host.replace(/\.$/, '');
  port = port.replace(/^0+(?=\d)/, '');
  return port === '' ? host : `${host}:${port}`;
}
