// Argument checks against tool input schemas: sentences with JSON paths, typo hints, both drafts,
// and schemas that cannot be compiled never block a call.
import { describe, expect, it } from 'vitest';
import { schemaProblem, validateArgs } from '../../../src/mcp/validate-args.js';

const echoSchema = {
  type: 'object',
  properties: { message: { type: 'string' }, count: { type: 'integer' } },
  required: ['message'],
  additionalProperties: false,
};

function problems(schema: unknown, args: unknown): string[] {
  const result = validateArgs(schema, args);
  return result.ok ? [] : result.problems;
}

describe('validateArgs', () => {
  it('accepts arguments that match', () => {
    expect(validateArgs(echoSchema, { message: 'hi', count: 2 })).toEqual({ ok: true });
  });

  it('names the path, the expected type and the value found', () => {
    expect(problems(echoSchema, { message: 'hi', count: '3' })).toEqual(['/count: must be integer (found "3")']);
  });

  it('names a missing required property', () => {
    expect(problems(echoSchema, {})).toEqual(['missing required property "message"']);
  });

  it('suggests the intended property for a typo when extra properties are not allowed', () => {
    expect(problems(echoSchema, { mesage: 'hi' })).toEqual([
      'missing required property "message"',
      'unexpected property "mesage" (did you mean "message"?)',
    ]);
  });

  it('does not suggest anything for an unrelated extra property', () => {
    expect(problems(echoSchema, { message: 'hi', zebra: 1 })).toEqual(['unexpected property "zebra"']);
  });

  it('reports every problem at once, with nested JSON paths', () => {
    const schema = {
      type: 'object',
      properties: {
        user: {
          type: 'object',
          properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
          required: ['name'],
        },
        color: { enum: ['red', 'green'] },
      },
    };
    expect(problems(schema, { user: { tags: ['a', 7] }, color: 'blue' })).toEqual([
      '/user: missing required property "name"',
      '/user/tags/1: must be string (found 7)',
      '/color: must be one of "red", "green" (found "blue")',
    ]);
  });

  it('words range and length problems with the value found', () => {
    const schema = { type: 'object', properties: { n: { type: 'number', maximum: 10 }, s: { type: 'string', minLength: 2 } } };
    expect(problems(schema, { n: 11, s: 'x' })).toEqual(['/n: must be <= 10 (found 11)', '/s: must NOT have fewer than 2 characters (found "x")']);
  });

  it('rejects arguments that are not an object', () => {
    expect(problems(echoSchema, 'hi')).toEqual(['must be object (found "hi")']);
  });

  it('treats missing arguments as an empty object', () => {
    expect(validateArgs({ type: 'object', properties: {} }, undefined)).toEqual({ ok: true });
    expect(problems(echoSchema, undefined)).toEqual(['missing required property "message"']);
  });

  it('shortens long found values', () => {
    const [problem] = problems({ type: 'object', properties: { n: { type: 'integer' } } }, { n: 'y'.repeat(500) });
    expect(problem).toMatch(/^\/n: must be integer \(found "y+…\)$/);
    expect(problem!.length).toBeLessThan(120);
  });

  it('supports draft 2020-12 keywords (prefixItems)', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false } },
    };
    expect(validateArgs(schema, { pair: ['a', 1] })).toEqual({ ok: true });
    expect(problems(schema, { pair: ['a', 'b'] })).toEqual(['/pair/1: must be integer (found "b")']);
    expect(problems(schema, { pair: ['a', 1, 2] })).toEqual(['/pair: must NOT have more than 2 items (found ["a",1,2])']);
  });

  it('supports draft-07 schemas that say so', () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'boolean' } } };
    expect(problems(schema, { a: 1 })).toEqual(['/a: must be boolean (found 1)']);
  });

  it('checks draft-04 style schemas with draft-07 rules rather than giving up', () => {
    const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['a'] };
    expect(problems(schema, {})).toEqual(['missing required property "a"']);
  });

  it('does not choke on unknown keywords or formats (strict off)', () => {
    const schema = { type: 'object', properties: { when: { type: 'string', format: 'date-time', 'x-ui': 'picker' } } };
    expect(validateArgs(schema, { when: 'not a date' })).toEqual({ ok: true });
    expect(schemaProblem(schema)).toBeUndefined();
  });

  it('lets two schemas with the same $id live side by side', () => {
    const a = { $id: 'urn:tool:args', type: 'object', required: ['a'] };
    const b = { $id: 'urn:tool:args', type: 'object', required: ['b'] };
    expect(problems(a, {})).toEqual(['missing required property "a"']);
    expect(problems(b, {})).toEqual(['missing required property "b"']);
  });

  it('caches by schema content, yet follows a schema that changed', () => {
    const schema: { type: string; required: string[] } = { type: 'object', required: ['a'] };
    expect(problems(schema, {})).toEqual(['missing required property "a"']);
    expect(problems({ type: 'object', required: ['a'] }, {})).toEqual(['missing required property "a"']);
    schema.required = ['b'];
    expect(problems(schema, {})).toEqual(['missing required property "b"']);
  });

  it('accepts anything when the schema cannot be compiled, and says why', () => {
    const broken = { type: 'object', properties: { a: { type: 'no-such-type' } } };
    expect(validateArgs(broken, { a: 1 })).toEqual({ ok: true });
    expect(schemaProblem(broken)).toMatch(/type/);

    const danglingRef = { type: 'object', properties: { a: { $ref: '#/definitions/missing' } } };
    expect(validateArgs(danglingRef, { a: 1 })).toEqual({ ok: true });
    expect(schemaProblem(danglingRef)).toMatch(/missing/);

    expect(validateArgs('not a schema', {})).toEqual({ ok: true });
    expect(schemaProblem('not a schema')).toMatch(/must be a JSON object/);

    expect(schemaProblem(echoSchema)).toBeUndefined();
    expect(schemaProblem(undefined)).toBeUndefined();
  });

  it('honours boolean schemas', () => {
    expect(validateArgs(true, { anything: 1 })).toEqual({ ok: true });
    expect(validateArgs(false, {}).ok).toBe(false);
  });
});
