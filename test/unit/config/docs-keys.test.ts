// docs/configuration.md must name every key the config schema accepts: walks the JSON Schema generated from
// the zod schema (the same one editors get) and looks for each property name as `key` in the doc.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema } from '../../../src/config/json-schema.js';

const DOC = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));

/** Every property name at any depth, as `path.to.key` (records and arrays appear as `*`). */
function schemaKeys(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => schemaKeys(n, path));
  if (node === null || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && v !== null && typeof v === 'object') {
      for (const [name, sub] of Object.entries(v)) {
        const here = path === '' ? name : `${path}.${name}`;
        out.push(here, ...schemaKeys(sub, here));
      }
    } else if (k === 'additionalProperties' || k === 'items') {
      out.push(...schemaKeys(v, path === '' ? '*' : `${path}.*`));
    } else if (k !== 'default' && k !== 'const' && k !== 'enum' && k !== 'examples') {
      out.push(...schemaKeys(v, path));
    }
  }
  return out;
}

describe('docs/configuration.md', () => {
  const keys = [...new Set(schemaKeys(buildJsonSchema()))];
  const doc = readFileSync(DOC, 'utf8');

  it('walks the whole schema: top level, servers, model, oauth, permissions, toolSearch, inputs', () => {
    // Guards the walker itself: a schema reshaped so that nested keys are missed must fail here, not pass silently.
    for (const k of [
      'mcpServers',
      'mcpServers.*.command',
      'mcpServers.*.oauth.clientId',
      'mcpServers.*.oauth.idp.issuer',
      'model.baseURL',
      'permissions.elicitation',
      'toolSearch.maxTools',
      'agents.*.instructions',
      'inputs.*.id',
    ]) {
      expect(keys).toContain(k);
    }
  });

  it('names every key of the schema in backticks in a reference table row', () => {
    // A table row is where the reference lists keys; a passing mention in prose is not documentation.
    const rows = doc.split('\n').filter((line) => line.startsWith('|'));
    const listed = (key: string): boolean => rows.some((row) => row.includes(`\`${key}\``));
    const missing = keys.filter((k) => !listed(k.split('.').at(-1) ?? k));
    expect(missing).toEqual([]);
  });
});
