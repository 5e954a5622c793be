// Directories that hold private files (history, transcripts, tokens): created 0700, and tightened when mcpsh
// owns them, but never a shared directory a user pointed mcpsh at (/tmp and the like keep their mode).
import { chmodSync, mkdirSync, statSync } from 'node:fs';

const STICKY = 0o1000;

/** Creates `dir` (and parents) 0700, or narrows an existing one of ours to 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const ours = process.getuid === undefined || st.uid === process.getuid();
  if (!ours || (st.mode & STICKY) !== 0 || (st.mode & 0o077) === 0) return;
  chmodSync(dir, 0o700);
}
