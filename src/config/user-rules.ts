// "Always allow" from the chat: a tool name appended to permissions.allow in the user's own config file
// (never a project's), editing the JSONC text in place so the user's comments and layout survive.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { appPaths } from '../paths.js';

/** Adds `toolName` to the user config's permissions.allow (once); returns the file written. */
export function addUserAllowRule(toolName: string, env: NodeJS.ProcessEnv): string {
  const file = join(appPaths(env).config, 'config.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const current = (parse(text) as { permissions?: { allow?: unknown } } | undefined)?.permissions?.allow;
  if (Array.isArray(current) && current.includes(toolName)) return file;
  const edits = modify(text, ['permissions', 'allow', -1], toolName, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, applyEdits(text, edits), { mode: 0o600 });
  return file;
}
