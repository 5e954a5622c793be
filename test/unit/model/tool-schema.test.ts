// toToolSpec: MCP input schemas become function schemas a provider accepts, or the tool is skipped with a reason.
import { describe, expect, it } from 'vitest';
import { SCHEMA_CHARS_MAX, TOOL_DESCRIPTION_MAX, toToolSpec } from '../../../src/model/tool-schema.js';

function spec(inputSchema: unknown, description?: string) {
  const result = toToolSpec('srv__tool', description === undefined ? { inputSchema } : { description, inputSchema });
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result;
}

describe('toToolSpec', () => {
  it('passes an ordinary object schema through unchanged', () => {
    const schema = {
      type: 'object',
      properties: { sql: { type: 'string', description: 'A SELECT statement' } },
      required: ['sql'],
      additionalProperties: false,
    };
    const r = spec(schema, 'Run a query');
    expect(r.spec).toEqual({ name: 'srv__tool', description: 'Run a query', parameters: schema });
    expect(r.notes).toEqual([]);
  });

  it('adds type and properties when a schema leaves them out', () => {
    expect(spec({ properties: { a: { type: 'number' } } }).spec.parameters).toEqual({
      type: 'object',
      properties: { a: { type: 'number' } },
    });
    expect(spec({ type: 'object' }).spec.parameters).toEqual({ type: 'object', properties: {} });
    expect(spec(undefined).spec.parameters).toEqual({ type: 'object', properties: {} });
    expect(spec(true).spec.parameters).toEqual({ type: 'object', properties: {} });
    expect(spec({ type: ['object', 'null'], properties: {} }).spec.parameters.type).toBe('object');
  });

  it('rejects non-object roots with a reason instead of throwing', () => {
    for (const bad of [{ type: 'string' }, { type: 'array', items: {} }, 'string', 42, [1, 2], false]) {
      const r = toToolSpec('srv__tool', { inputSchema: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/schema/);
    }
    const r = toToolSpec('srv__tool', { inputSchema: { type: 'string' } });
    expect(r.ok === false && r.reason).toContain('"string", not an object');
  });

  it('rejects a name the provider would refuse', () => {
    const r = toToolSpec('has space', { inputSchema: { type: 'object' } });
    expect(r.ok).toBe(false);
  });

  it('drops $schema and $id keys everywhere', () => {
    const r = spec({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'urn:x',
      type: 'object',
      properties: { a: { $schema: 'x', type: 'string' } },
    });
    expect(JSON.stringify(r.spec.parameters)).not.toMatch(/\$schema|\$id/);
    expect(r.spec.parameters).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('keeps internal $refs and replaces outside or dangling ones with an open schema', () => {
    const r = spec({
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } },
      properties: {
        p: { $ref: '#/$defs/Point' },
        remote: { $ref: 'https://example.com/schemas/thing.json', description: 'A thing' },
        relative: { $ref: 'other.json#/Foo' },
        dangling: { $ref: '#/definitions/Missing' },
      },
    });
    const props = r.spec.parameters.properties as Record<string, unknown>;
    expect(props.p).toEqual({ $ref: '#/$defs/Point' });
    expect(props.remote).toEqual({ description: 'A thing' });
    expect(props.relative).toEqual({});
    expect(props.dangling).toEqual({});
    expect(r.notes.some((n) => n.includes('https://example.com/schemas/thing.json'))).toBe(true);
  });

  it('merges root anyOf/oneOf/allOf into one object and drops root keywords OpenAI rejects', () => {
    const r = spec({
      type: 'object',
      anyOf: [
        { properties: { id: { type: 'string' }, q: { type: 'string' } }, required: ['id', 'q'] },
        { properties: { name: { type: 'string' }, q: { type: 'string' } }, required: ['name', 'q'] },
      ],
      allOf: [{ properties: { limit: { type: 'number' } }, required: ['limit'] }],
      not: { required: ['x'] },
    });
    const p = r.spec.parameters;
    expect(Object.keys(p.properties as object).sort()).toEqual(['id', 'limit', 'name', 'q']);
    expect((p.required as string[]).sort()).toEqual(['limit', 'q']);
    for (const k of ['anyOf', 'oneOf', 'allOf', 'not']) expect(p).not.toHaveProperty(k);
  });

  it('truncates a huge tool description and nested descriptions with an ellipsis', () => {
    const long = 'word '.repeat(1000);
    const r = spec({ type: 'object', properties: { a: { type: 'string', description: long } } }, long);
    expect(r.spec.description).toHaveLength(TOOL_DESCRIPTION_MAX);
    expect(r.spec.description?.endsWith('…')).toBe(true);
    const nested = (r.spec.parameters.properties as Record<string, { description: string }>).a?.description ?? '';
    expect(nested.length).toBeLessThanOrEqual(1024);
    expect(nested.endsWith('…')).toBe(true);
    expect(r.notes.join(' ')).toMatch(/truncated/);
  });

  it('trims descriptions of an oversized schema to fit, keeping property names like "title" and "description"', () => {
    const properties: Record<string, unknown> = { title: { type: 'string' }, description: { type: 'string' } };
    for (let i = 0; i < 60; i++)
      properties[`field_${i}`] = { type: 'string', title: `Field ${i}`, description: 'd'.repeat(900), examples: ['x'] };
    const r = spec({ type: 'object', properties });
    const size = JSON.stringify(r.spec.parameters).length;
    expect(size).toBeLessThanOrEqual(SCHEMA_CHARS_MAX);
    const props = r.spec.parameters.properties as Record<string, Record<string, unknown>>;
    expect(props.title).toEqual({ type: 'string' });
    expect(props.description).toEqual({ type: 'string' });
    expect(props.field_0).not.toHaveProperty('examples');
    expect(r.notes.join(' ')).toMatch(/size budget/);
  });

  it('skips a schema that stays over the size budget even without descriptions', () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) properties[`a_really_quite_long_property_name_number_${i}`] = { type: 'string', enum: ['one', 'two'] };
    const r = toToolSpec('srv__tool', { inputSchema: { type: 'object', properties } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/KB.*budget/);
  });

  it('replaces boolean subschemas and a non-object properties value', () => {
    const r = spec({ type: 'object', properties: { anything: true, nothing: false }, additionalProperties: false });
    expect(r.spec.parameters).toEqual({ type: 'object', properties: { anything: {}, nothing: { not: {} } }, additionalProperties: false });
    expect(spec({ type: 'object', properties: [1, 2] }).spec.parameters.properties).toEqual({});
  });

  it('never throws, even on absurdly deep or hostile input', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 200; i++) deep = { type: 'object', properties: { x: deep } };
    const r = toToolSpec('srv__deep', { inputSchema: deep });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/deeper than/);

    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    const h = toToolSpec('srv__hostile', { inputSchema: hostile });
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.reason).toContain('boom');
  });

  it('does not modify the MCP tool it was given', () => {
    const tool = { description: 'x', inputSchema: { $schema: 'draft', properties: { a: { $ref: 'http://x' } } } };
    const before = JSON.stringify(tool);
    spec(tool.inputSchema);
    toToolSpec('srv__tool', tool);
    expect(JSON.stringify(tool)).toBe(before);
  });

  it('returns the same result for the same tool object (converted once per tool list)', () => {
    const tool = { inputSchema: { type: 'object', properties: {} } };
    expect(toToolSpec('srv__a', tool)).toBe(toToolSpec('srv__a', tool));
    expect(toToolSpec('srv__b', tool)).not.toBe(toToolSpec('srv__a', tool));
  });
});
