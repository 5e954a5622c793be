// The no-ajv shortcut for plain schemas may only ever say "valid" where ajv says so too; anything else is ajv's.
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { certainlyValid } from '../../../src/mcp/simple-schema.js';

const options = { allErrors: true, validateSchema: false, strict: false, validateFormats: false, logger: false } as const;
const engines = [new Ajv(options), new Ajv2020(options)];

const propertySchemas: unknown[] = [
  { type: 'string', description: 'a name' },
  { type: 'integer' },
  { type: 'number', default: 1 },
  { type: 'boolean' },
  { type: ['string', 'null'] },
  { type: 'object' },
  { type: 'array' },
  { enum: ['low', 'high', 3, null] },
  { type: 'string', format: 'email' },
  {},
  { type: 'string', minLength: 3 },
  { type: 'strin' },
  { type: [] },
  true,
];
const values: unknown[] = ['x', '', 3, 3.5, -0, 1e308, true, null, {}, [], ['a'], { a: 1 }, 'low', 'mid', undefined];

/** What validate-args does with ajv's answer: a schema ajv cannot compile never blocks a call. */
function ajvLetsThrough(ajv: Ajv | Ajv2020, schema: Record<string, unknown>, data: unknown): boolean {
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch {
    return true;
  }
  return validate(data);
}

function* cases(): Generator<{ schema: Record<string, unknown>; data: Record<string, unknown> }> {
  for (const [i, a] of propertySchemas.entries()) {
    for (const b of propertySchemas.slice(i, i + 2)) {
      for (const required of [[], ['a'], ['a', 'b'], ['toString'], ['c']]) {
        for (const additionalProperties of [undefined, true, false]) {
          const schema: Record<string, unknown> = { type: 'object', properties: { a, b }, required };
          if (additionalProperties !== undefined) schema.additionalProperties = additionalProperties;
          for (const va of values) {
            for (const vb of [undefined, values[(values.indexOf(va) * 7 + 3) % values.length]]) {
              const data: Record<string, unknown> = {};
              if (va !== undefined) data.a = va;
              if (vb !== undefined) data.b = vb;
              yield { schema, data };
              yield { schema, data: { ...data, extra: 1 } };
            }
          }
        }
      }
    }
  }
}

describe('certainlyValid', () => {
  it('says valid only where ajv (draft-07 and 2020-12) says valid too, and says it for the common plain cases', () => {
    let yes = 0;
    let total = 0;
    for (const { schema, data } of cases()) {
      total++;
      if (!certainlyValid(schema, data)) continue;
      yes++;
      for (const ajv of engines) expect({ schema, data, valid: ajvLetsThrough(ajv, schema, data) }).toEqual({ schema, data, valid: true });
    }
    // It must also be useful: a good share of the plain cases are settled without ajv.
    expect(yes).toBeGreaterThan(total / 20);
  });

  it('answers for the usual tool schema and leaves everything outside its subset to ajv', () => {
    const echo = {
      type: 'object',
      properties: { message: { type: 'string', description: 'what to echo' } },
      required: ['message'],
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    };
    expect(certainlyValid(echo, { message: 'hi' })).toBe(true);
    expect(certainlyValid(echo, {})).toBe(false);
    expect(certainlyValid(echo, { message: 5 })).toBe(false);
    expect(certainlyValid(echo, { message: 'hi', more: 1 })).toBe(false);
    expect(certainlyValid({ ...echo, allOf: [] }, { message: 'hi' })).toBe(false);
    expect(certainlyValid({ ...echo, properties: { message: { type: 'string', pattern: '^h' } } }, { message: 'hi' })).toBe(false);
    expect(certainlyValid({ type: 'object', properties: { n: { type: 'integer' } } }, { n: 2.5 })).toBe(false);
    expect(certainlyValid({ type: 'object' }, [])).toBe(false);
    expect(certainlyValid(true, {})).toBe(false);
  });
});
