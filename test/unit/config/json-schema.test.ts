// The shipped JSON Schema is generated from the zod schema; regenerate it in memory and compare so it cannot drift.
import Ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText } from '../../../src/config/json-schema.js';

const shipped = readFileSync(new URL('../../../schema/mcp.config.schema.json', import.meta.url), 'utf8');

describe('schema/mcp.config.schema.json', () => {
  it('matches what the zod schema generates (run `npm run build` to refresh it)', () => {
    expect(shipped).toBe(jsonSchemaText());
  });

  it('accepts a good config and rejects a bad one, as an editor would', () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(JSON.parse(shipped) as object);
    const good = {
      $schema: './schema/mcp.config.schema.json',
      model: { name: 'gpt-4.1-mini', apiKey: '${OPENAI_API_KEY}' },
      mcpServers: {
        db: { command: 'mcpsh', args: ['serve', 'sqlite', 'demo.db'] },
        crm: { url: '${CRM_URL}', headers: { Authorization: 'Bearer ${CRM_TOKEN}' } },
        web: { url: 'https://example.com/mcp', type: 'sse' },
      },
    };
    expect(validate(good)).toBe(true);
    expect(validate({ mcpServers: { db: { command: 'x', args: 'foo' } } })).toBe(false);
    expect(validate({ mcpServers: { db: { comand: 'x' } } })).toBe(false);
    expect(validate({ mcpServers: { db: { url: 'ftp://x' } } })).toBe(false);
  });
});
