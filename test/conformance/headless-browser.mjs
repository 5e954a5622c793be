#!/usr/bin/env node
// A "browser" for the auth scenarios (config `browser`, the URL as the last argument): no person signs in;
// it fetches the authorization URL and follows its redirects until mcpsh's loopback listener has answered.
/* global fetch, AbortSignal -- Node's own, not in this folder's lint globals */
import process from 'node:process';
import { URL } from 'node:url';

const MAX_HOPS = 10;
const start = process.argv[process.argv.length - 1];
if (!start || !/^https?:\/\//.test(start)) {
  process.stderr.write(`headless-browser: expected a URL as the last argument, got ${JSON.stringify(start)}\n`);
  process.exit(2);
}

let url = start;
for (let hop = 0; hop < MAX_HOPS; hop++) {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  const next = response.headers.get('location');
  // Only the path is shown: the query carries the authorization code and state.
  process.stderr.write(`headless-browser: GET ${new URL(url).origin}${new URL(url).pathname} -> ${response.status}\n`);
  await response.body?.cancel();
  if (response.status < 300 || response.status >= 400 || !next) {
    process.exit(response.ok ? 0 : 1);
  }
  url = new URL(next, url).toString();
}
process.stderr.write(`headless-browser: more than ${MAX_HOPS} redirects\n`);
process.exit(1);
