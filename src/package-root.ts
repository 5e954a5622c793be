// Where mcpsh's own files are (package.json, docs/, schema/): the folder above this module's. That holds in
// every layout mcpsh runs from: src/ (tests), dist/ (tsc's output) and the bundle, dist/mcpsh.cjs (see
// scripts/bundle.mjs), which is why no other module computes a path from its own location.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The version in package.json, read once. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** The absolute path of a file that ships in the package, e.g. `docs/chat.md`. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}
