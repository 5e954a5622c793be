// "Always allow" from the chat: a tool name appended to permissions.allow in the user's own config file
// (never a project's), editing the JSONC text in place so the user's comments, layout and deny rules survive.
import { join } from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';
import { updateFileLockedSync } from '../files/atomic.js';
import { appPaths } from '../paths.js';

/** Adds `toolName` to the user config's permissions.allow (once); returns the file written. */
export function addUserAllowRule(toolName: string, env: NodeJS.ProcessEnv): string {
  const file = join(appPaths(env).config, 'config.json');
  // The edit is computed from the text read inside the lock: another mcpsh saving a rule at the same moment
  // cannot make this write drop its rule, or anything else the file held.
  updateFileLockedSync(file, (current) => appendAllow(file, current ?? '', toolName), { lockTimeoutMs: 10_000 });
  return file;
}

/** The new text with the rule appended, or undefined when it is already there. */
function appendAllow(file: string, text: string, toolName: string): string | undefined {
  const errors: ParseError[] = [];
  const parsed = parse(text, errors, { allowTrailingComma: true }) as { permissions?: { allow?: unknown } } | undefined;
  const first = errors[0];
  if (first && text.trim() !== '') {
    // Editing a broken file would only break it more; the user's text stays as it is.
    throw new AppError(
      'CONFIG',
      `${file} was not changed: it is not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})`,
      {
        hint: `Fix ${file} and answer "always" again; the tool is allowed for this session.`,
      },
    );
  }
  const allow = parsed?.permissions?.allow;
  if (Array.isArray(allow) && allow.includes(toolName)) return undefined;
  const path = Array.isArray(allow) ? ['permissions', 'allow', -1] : ['permissions', 'allow'];
  const value = Array.isArray(allow) ? toolName : [toolName];
  const edits = modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
  const next = applyEdits(text, edits);
  return next.endsWith('\n') ? next : `${next}\n`;
}
