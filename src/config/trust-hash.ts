// The two facts trust is built on: the sha256 of a file's text, and whether a file is code that runs when loaded.
import { createHash } from 'node:crypto';
import path from 'node:path';

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts']);

/** sha256 (hex) of a config file's text, as cosmiconfig reads it (UTF-8). */
export function hashConfigText(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** True for configs that run code when loaded (mcp.config.js, .mjs, .cjs, .ts). */
export function isCodeConfig(file: string): boolean {
  return CODE_EXTENSIONS.has(path.extname(file));
}
