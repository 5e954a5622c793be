// `mcpsh read <server> <uri>`: one resources/read. Text is printed; binary content is described by size
// unless --out saves it; --json prints the raw result.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ReadResourceResult } from '../mcp/types.js';
import type { GlobalOptions } from '../options.js';
import { AppError, errorMessage } from '../errors.js';
import type { Io } from '../io.js';
import { redact, redactValue } from '../policy/redact.js';
import { connectOne, openHost } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runRead(
  server: string,
  uri: string,
  opts: GlobalOptions & { json?: boolean; out?: string },
  rawIo: Io,
): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const connection = await connectOne(host, server, io);
    const result = await connection.features.readResource(uri, io.signal);
    if (opts.out !== undefined) {
      const file = resolve(io.cwd, opts.out);
      const bytes = contentBytes(result);
      try {
        writeFileSync(file, bytes);
      } catch (err) {
        throw new AppError('USAGE', `could not write ${file}: ${errorMessage(err)}`, {
          hint: 'check that the directory exists and is writable',
        });
      }
      io.stderr.write(`mcpsh: wrote ${bytes.length} bytes to ${file}\n`);
    } else if (opts.json) {
      io.stdout.write(`${jsonText(redactValue(result), 2)}\n`);
    } else {
      io.stdout.write(renderContents(result));
    }
    return 0;
  } finally {
    await host.close();
  }
}

/** Every content item's bytes, in order: text as UTF-8, blobs decoded from base64. */
function contentBytes(result: ReadResourceResult): Buffer {
  return Buffer.concat(
    result.contents.map((c) =>
      'blob' in c && typeof c.blob === 'string'
        ? Buffer.from(c.blob, 'base64')
        : Buffer.from('text' in c && typeof c.text === 'string' ? c.text : '', 'utf8'),
    ),
  );
}

function renderContents(result: ReadResourceResult): string {
  const parts = result.contents.map((c) => {
    if ('text' in c && typeof c.text === 'string') return redact(c.text.endsWith('\n') ? c.text : `${c.text}\n`);
    const size = 'blob' in c && typeof c.blob === 'string' ? Buffer.from(c.blob, 'base64').length : 0;
    return `(binary content ${c.uri}${c.mimeType ? `, ${c.mimeType}` : ''}: ${size} bytes; save it with --out FILE)\n`;
  });
  return parts.length === 0 ? '(no content)\n' : parts.join('');
}
