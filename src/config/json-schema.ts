// The JSON Schema for config files, generated from the zod schema so editors complete and check
// mcp.config.json. scripts/gen-schema.mjs writes it to schema/; a unit test keeps the two in step.
import { z } from 'zod';
import { ConfigSchema } from './schema.js';

export function buildJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    override: (ctx) => {
      // A url may be written as ${CRM_URL}; `format: uri` would make editors flag that, so check the scheme only.
      if (ctx.zodSchema instanceof z.ZodURL) {
        delete ctx.jsonSchema.format;
        ctx.jsonSchema.pattern = '^(https?://|\\$\\{)';
      }
    },
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'mcpsh config',
    description:
      'Config for mcpsh, the command-line agent shell for MCP: the model, the MCP servers (the mcpServers shape Claude Desktop, Claude Code, Cursor and VS Code use), agents and permissions. Strings may use ${VAR} and ${VAR:-default}. See docs/configuration.md.',
    ...rest,
  };
}

/** The file's exact text: stable key order, two-space indent, trailing newline. */
export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
