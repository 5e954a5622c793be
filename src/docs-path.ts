// Where the docs that ship in the package are, so help texts name a file that exists wherever mcpsh is
// installed (a repo-relative `docs/…` only works inside a clone).
import { packagePath } from './package-root.js';

/** The absolute path of docs/<name> in this installation. */
export function docPath(name: string): string {
  return packagePath(`docs/${name}`);
}
