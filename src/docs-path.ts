// Where the docs that ship in the package are, so help texts name a file that exists wherever mcpsh is
// installed (a repo-relative `docs/…` only works inside a clone).
import { fileURLToPath } from 'node:url';

/** The absolute path of docs/<name> in this installation (dist/ and src/ both sit one level below it). */
export function docPath(name: string): string {
  return fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
}
