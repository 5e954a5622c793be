// An McpServer whose every connection runs through the CRM's policy gate (gate.ts), whoever connects it: http.ts
// for a 2025-era session, or the SDK's 2026-07-28 handler, which builds and connects a fresh instance per request.
import { McpServer, type Implementation, type McpServerOptions, type Transport } from '@modelcontextprotocol/server';

export class GatedMcpServer extends McpServer {
  constructor(
    info: Implementation,
    options: McpServerOptions,
    private readonly gate: (inner: Transport) => Transport,
  ) {
    super(info, options);
  }

  override async connect(transport: Transport): Promise<void> {
    await super.connect(this.gate(transport));
  }
}
