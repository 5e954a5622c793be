// Registers `mcpsh serve crm` (the article's CRM as a Streamable HTTP MCP server) and `serve crm token`.
// Flags only: the server itself is imported when the command runs, so other commands never load SQLite or jose.
import { InvalidArgumentError, type Command } from 'commander';
import { docPath } from '../docs-path.js';
import type { Io } from '../io.js';

const DEFAULT_PORT = 3333;
const DEFAULT_RATE = 120;

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (0 picks a free one), got "${value}"`);
  return n;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1_000_000) throw new InvalidArgumentError(`expected a whole number of requests per minute (1 or more), got "${value}"`);
  return n;
}

export function addServeCrm(serve: Command, io: Io): void {
  const crm = serve
    .command('crm')
    .description('run the CRM MCP server (contacts, companies, opportunities, notes) over Streamable HTTP with bearer-token auth')
    .option('-p, --port <n>', 'port to listen on; 0 picks a free one', parsePort, DEFAULT_PORT)
    .option('--host <addr>', 'address to listen on; only loopback unless --allow-remote', '127.0.0.1')
    .option('--allow-remote', 'allow listening on a non-loopback address')
    .option('--db <file>', 'SQLite file for the CRM data (default: crm.db in the mcpsh data dir)')
    .option('--demo', 'fill an empty CRM with sample contacts, companies, deals and notes')
    .option('--audit-log <file>', 'append-only JSONL audit log of tool calls (default: crm-audit.jsonl in the mcpsh state dir)')
    .option('--rate <n>', 'requests per minute allowed per client (token subject)', parseRate, DEFAULT_RATE)
    .addHelpText(
      'after',
      `
Every request needs "Authorization: Bearer <token>"; mint one with \`mcpsh serve crm token\`.
Serves 2025-era clients (initialize, then a session) and 2026-07-28 ones (stateless) on the same URL.
Tokens are signed with MCPSH_CRM_SECRET if set, else with a key file kept in the mcpsh data dir.
The server prints "crm: listening on <url>" on stderr once it is ready. See ${docPath('servers/crm.md')}.

Examples:
  mcpsh serve crm --demo
  export CRM_TOKEN=$(mcpsh serve crm token --scopes 'tool:* resources:read')`,
    )
    .action(
      async (opts: { port: number; host: string; db?: string; demo?: boolean; auditLog?: string; rate: number; allowRemote?: boolean }) => {
        const { runServeCrm } = await import('../servers/crm/run.js');
        process.exitCode = await runServeCrm(opts, io);
      },
    );

  crm
    .command('token')
    .description('print a signed bearer token (JWT) for the CRM server on stdout')
    .requiredOption('--scopes <list>', 'space- or comma-separated: tool:*, tool:<name>, resources:read')
    .option('--subject <name>', 'who the token is for; rate limits and the audit log use it (default: your user name)')
    .option('--expires <duration>', 'lifetime, e.g. 15m, 1h, 7d', '24h')
    .addHelpText(
      'after',
      `
Scopes: tool:search_contacts tool:get_contact_details tool:create_opportunity
        tool:update_contact_notes tool:* resources:read

Example:
  mcpsh serve crm token --scopes tool:search_contacts,tool:get_contact_details --subject reader --expires 1h`,
    )
    .action(async (opts: { scopes: string; subject?: string; expires: string }) => {
      const { runCrmToken } = await import('../servers/crm/run.js');
      process.exitCode = await runCrmToken(opts, io);
    });
}
