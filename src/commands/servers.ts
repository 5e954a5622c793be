// `mcpsh servers` (alias `status`): connect every enabled server and show how each one is doing. A server the
// managed policy blocks is never started and shows as `blocked`, with the rule that blocked it.
import type { GlobalOptions } from '../options.js';
import type { Io } from '../io.js';
import { protocolLabel, serverState, serverStatusJson, transportLabel } from '../output/servers.js';
import { formatMs, formatTable, oneLine } from '../output/table.js';
import { openHost } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runServers(opts: GlobalOptions & { json?: boolean }, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    await host.hub.connectAll({ signal: io.signal });
    const connections = host.hub.connections;
    if (opts.json) {
      io.stdout.write(`${jsonText({ servers: connections.map(serverStatusJson) }, 2)}\n`);
      return 0;
    }
    const rows = [
      ['NAME', 'TRANSPORT', 'PROTOCOL', 'STATE', 'TOOLS', 'CONNECT', 'ERROR'],
      ...connections.map((c) => [
        c.name,
        transportLabel(c),
        c.state === 'ready' ? protocolLabel(c) : '-',
        serverState(c),
        c.state === 'ready' ? String(c.tools.length) : '-',
        c.state === 'ready' ? formatMs(c.connectMs) : '-',
        c.config.blocked !== undefined ? oneLine(c.config.blocked, 240) : c.state === 'failed' ? oneLine(c.error, 160) : '',
      ]),
    ];
    io.stdout.write(`${formatTable(rows)}\n`);
    return 0;
  } finally {
    await host.close();
  }
}
