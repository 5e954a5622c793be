// Registers `mcpsh serve crm`. (Being built: replaced by the server's real wiring.)
import type { Command } from 'commander';
import type { Io } from '../io.js';

export function addServeCrm(serve: Command, _io: Io): void {
  serve.command('crm').description('the crm MCP server (not built yet)');
}
