// A structural guard for the output boundary: a command that prints must print through textIo (so its
// outside text cannot reach the terminal raw), and JSON it prints must be jsonText (so the boundary leaves
// it exact). A new command, or a new JSON.stringify on stdout, fails here until it follows the rule.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/config.js';

const COMMANDS = join(ROOT, 'src/commands');
const OUTPUT = join(ROOT, 'src/output');

/** Commands that print without textIo, and why that is right (or who still has to adopt it). */
const EXEMPT: Record<string, string> = {
  'chat.ts': 'Ink owns the screen; the chat boundary is the ChatStore (src/ui/text/display-safe.ts)',
  'host.ts': 'prints through the Io its caller passes in (wrapped by every text command)',
  'serve-sqlite.ts': 'a server: its stdout is JSON-RPC',
  'init.ts': 'wraps its Io, but uses JSON.stringify to build the file it writes (not output)',
  'ask-inputs.ts':
    "readline's line editing writes its own cursor sequences; the config's text is passed through terminalSafe at each write",
};

const prints = (source: string): boolean => /\bio\.(stdout|stderr)\b|writeLine\(io\./.test(source);

describe('the output boundary', () => {
  const files = readdirSync(COMMANDS).filter((f) => f.endsWith('.ts'));

  it.each(files.filter((f) => !(f in EXEMPT)))('src/commands/%s prints only through textIo, and JSON only through jsonText', (file) => {
    const source = readFileSync(join(COMMANDS, file), 'utf8');
    if (!prints(source)) return;
    expect(source, `${file} writes to io.stdout/io.stderr: wrap them with textIo (src/output/terminal-io.ts)`).toMatch(
      /const io = textIo\(rawIo\)/,
    );
    expect(source, `${file}: JSON.stringify leaves C1 and bidi controls raw; use jsonText`).not.toMatch(/JSON\.stringify\(/);
  });

  it('every exemption names a file that exists', () => {
    for (const file of Object.keys(EXEMPT)) expect(files).toContain(file);
  });

  it('the printers in src/output use jsonText, not JSON.stringify', () => {
    for (const file of readdirSync(OUTPUT).filter((f) => f.endsWith('.ts') && f !== 'safe-text.ts')) {
      expect(readFileSync(join(OUTPUT, file), 'utf8'), file).not.toMatch(/JSON\.stringify\(/);
    }
  });
});
