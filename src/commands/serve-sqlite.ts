// Registers `mcpsh serve sqlite`. (Being built: replaced by the server's real wiring.)
import type { Command } from 'commander';
import type { Io } from '../io.js';

export function addServeSqlite(serve: Command, _io: Io): void {
  serve.command('sqlite').description('the sqlite MCP server (not built yet)');
}
