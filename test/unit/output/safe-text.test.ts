// The output boundary's rule (src/output/safe-text.ts) and the stream wrapper every text command prints
// through (src/output/terminal-io.ts): every sequence class, 8-bit forms, bidi, chunks, and exact JSON.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonText, safeLine, safeText, terminalSafe } from '../../../src/output/safe-text.js';
import { safeStream, textIo } from '../../../src/output/terminal-io.js';
import { EVIL } from '../../fixtures/servers/hostile-payload.mjs';

const E = '\u001b';
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('safeText', () => {
  it.each([
    ['CSI clear screen', `a${E}[2Jb`, 'a␛[2Jb'],
    ['CSI cursor moves', `${E}[10;20H${E}[1A`, '␛[10;20H␛[1A'],
    ['OSC 0 title (BEL)', `${E}]0;owned\u0007x`, '␛]0;owned␇x'],
    ['OSC 52 clipboard (ST)', `${E}]52;c;aGk=${E}\\`, '␛]52;c;aGk=␛\\'],
    ['OSC 8 hyperlink', `${E}]8;;http://x${E}\\t${E}]8;;${E}\\`, '␛]8;;http://x␛\\t␛]8;;␛\\'],
    ['DCS', `${E}P1$qm${E}\\`, '␛P1$qm␛\\'],
    ['APC', `${E}_body${E}\\`, '␛_body␛\\'],
    ['PM', `${E}^body${E}\\`, '␛^body␛\\'],
    ['SOS', `${E}Xbody${E}\\`, '␛Xbody␛\\'],
    ['unterminated OSC', `${E}]0;never ends`, '␛]0;never ends'],
    ['two-character escapes (RIS, DECSC)', `${E}c${E}7`, '␛c␛7'],
    ['8-bit CSI', '\u009b2J', '␛[2J'],
    ['8-bit OSC and ST', '\u009d0;t\u009c', '␛]0;t␛\\'],
    ['8-bit DCS, APC, NEL', '\u0090x\u009f\u0085', '␛Px␛_␛E'],
    ['BEL, backspace, NUL, DEL, vertical tab, form feed', 'a\u0007\u0008\u0000\u007f\u000b\u000c', 'a␇␈␀␡␋␌'],
    ['CR overwrite (CRLF stays a line end)', 'shown\rhidden\r\nnext', 'shown␍hidden\nnext'],
    ['bidi override and isolates', 'a\u202eb\u202cc\u2066d\u2069', 'a<U+202E>b<U+202C>c<U+2066>d<U+2069>'],
    ['bidi marks', '\u200e\u200f\u061c', '<U+200E><U+200F><U+061C>'],
  ])('%s is shown, not acted on', (_name, input, expected) => {
    expect(safeText(input)).toBe(expected);
  });

  it('drops colour codes (7-bit and 8-bit SGR) but keeps the text they styled', () => {
    expect(safeText(`${E}[1;31mred${E}[0m \u009b4munder\u009bm`)).toBe('red under');
  });

  it('keeps newlines, tabs and ordinary Unicode as they are (and returns the same string when clean)', () => {
    const clean = 'line 1\n\tcol\tcol\nnaïve café 日本 🙂 ␛ already visible';
    expect(safeText(clean)).toBe(clean);
    expect(terminalSafe('a\tb')).toBe('a  b');
    expect(safeLine(`one${E}]0;x\u0007\ntwo`, 20)).toBe('one␛]0;x␇ two');
  });

  it('is stateless per chunk: a sequence split anywhere stays inert once the chunks are joined', () => {
    const chunks = [`ok ${E}`, ']0;tit', 'le\u0007 ', '\u009b', '2J', E];
    const joined = chunks.map(safeText).join('');
    expect(joined).toBe('ok ␛]0;title␇ ␛[2J␛');
    expect(joined).not.toMatch(UNSAFE);
    // Every split point of the whole payload.
    for (let i = 0; i <= EVIL.length; i++) {
      const out = safeText(EVIL.slice(0, i)) + safeText(EVIL.slice(i));
      expect(out).not.toMatch(UNSAFE);
    }
  });

  it('is idempotent, so text made safe twice reads the same', () => {
    expect(safeText(safeText(EVIL))).toBe(safeText(EVIL));
    expect(terminalSafe(terminalSafe(`${EVIL}\t`))).toBe(terminalSafe(`${EVIL}\t`));
  });
});

describe('jsonText', () => {
  it('parses back to the exact value, holds no byte a terminal acts on, and passes safeText unchanged', () => {
    const value = { text: EVIL, [EVIL]: [EVIL, 1, null], line: '\u2028\u2029' };
    for (const space of [undefined, 2]) {
      const text = jsonText(value, space);
      expect(JSON.parse(text)).toEqual(value);
      expect(text).not.toMatch(UNSAFE);
      expect(safeText(text)).toBe(text);
    }
    expect(jsonText({ a: 'x' }, 2)).toBe(JSON.stringify({ a: 'x' }, null, 2));
  });
});

describe('textIo', () => {
  function capture(): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
    const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
    return { stream, text: () => out };
  }

  it('sanitises every write to stdout and stderr, strings and bytes, keeping stream properties', () => {
    const out = capture();
    const err = capture();
    out.stream.isTTY = true;
    const io = textIo({
      stdout: out.stream,
      stderr: err.stream,
      stdin: new PassThrough(),
      env: {},
      cwd: '/',
      signal: new AbortController().signal,
    });
    expect(io.stdout.isTTY).toBe(true);
    expect(textIo(io)).toBe(io);
    io.stdout.write(`a${E}]0;x\u0007`);
    io.stderr.write(Buffer.from(`b\u009b2J`, 'utf8'));
    // A UTF-8 character split across two Buffers is decoded whole, not mangled.
    const bytes = Buffer.from('é\u202e', 'utf8');
    io.stdout.write(bytes.subarray(0, 1));
    io.stdout.write(bytes.subarray(1));
    expect(out.text()).toBe('a␛]0;x␇é<U+202E>');
    expect(err.text()).toBe('b␛[2J');
  });

  it('end(chunk) is sanitised too', async () => {
    const out = capture();
    const stream = safeStream(out.stream);
    const ended = new Promise((resolve) => out.stream.on('end', resolve));
    stream.end(`${E}[2J`);
    out.stream.resume();
    await ended;
    expect(out.text()).toBe('␛[2J');
  });
});
