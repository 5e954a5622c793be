// JSON-with-comments parsing for config files: comments and trailing commas are allowed, and a
// syntax error points at file:line:column with the offending line, so a hand-edited file is easy to fix.
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false } as const;

const FRIENDLY: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated /* comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

export interface Position {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The line at `pos` with a caret under the column, indented for a multi-line error message. */
export function excerpt(text: string, pos: Position): string {
  const lineText = (text.split(/\r?\n/)[pos.line - 1] ?? '').replace(/\t/g, ' ');
  const gutter = String(pos.line);
  const shown = lineText.length > 120 ? `${lineText.slice(0, 117)}...` : lineText;
  return `  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, pos.column - 1))}^`;
}

/** Parses JSONC text; throws one CONFIG AppError at the first syntax error. */
export function parseJsonc(file: string, text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, OPTIONS);
  const first = errors[0];
  if (first) {
    const pos = positionAt(text, first.offset);
    const name = printParseErrorCode(first.error);
    const token = text.slice(first.offset, first.offset + Math.min(first.length, 30));
    // A bare word is the usual slip (unquoted key, single quotes): show it, and what JSON wants instead.
    const what =
      name === 'InvalidSymbol' && token.trim() !== ''
        ? `unexpected ${JSON.stringify(token)} (keys and strings need double quotes)`
        : (FRIENDLY[name] ?? name);
    throw new AppError('CONFIG', `cannot parse ${file}:${pos.line}:${pos.column}: ${what}\n${excerpt(text, pos)}`, {
      hint: 'the file must be JSON; comments (// and /* */) and trailing commas are allowed',
    });
  }
  return value;
}

/** Finds the 1-based line of the value at a JSON path, or undefined when the path is not in the text. */
export function lineOf(text: string, path: (string | number)[]): number | undefined {
  const root = parseTree(text, [], OPTIONS);
  if (!root) return undefined;
  // Walk back to the nearest ancestor that exists: a missing key is reported at its parent object.
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) {
      const at = node.parent?.type === 'property' && n > 0 ? node.parent.offset : node.offset;
      return positionAt(text, at).line;
    }
  }
  return undefined;
}
