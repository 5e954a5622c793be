// Argument checks against tool input schemas: sentences with JSON paths, typo hints, the dialect each schema
// is in (2020-12 by default from a modern-era server), no network $ref, null as "not given" for optional
// properties, and schemas that cannot be compiled never block a call.
import { describe, expect, it, vi } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';
import { schemaProblem, useModernDialect, validateArgs } from '../../../src/mcp/validate-args.js';

// The 2020-12 class validate-args uses: the one the MCP SDK bundles (its validator's engine is an instance).
const Ajv2020 = (new AjvJsonSchemaValidator() as unknown as { ajv: Ajv2020Class }).ajv.constructor as typeof Ajv2020Class;

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
    expect(problems(schema, { n: 11, s: 'x' })).toEqual([
      '/n: must be <= 10 (found 11)',
      '/s: must NOT have fewer than 2 characters (found "x")',
    ]);
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

describe('validateArgs: dialects and references', () => {
  // items: false means "no items at all" in draft-07, "no items past prefixItems" in 2020-12.
  const pairSchema = () => ({
    type: 'object',
    properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false } },
  });

  it('a schema without $schema is 2020-12 when a modern-era server listed it, draft-07 otherwise', () => {
    const modern = pairSchema();
    useModernDialect(modern);
    expect(validateArgs(modern, { pair: ['a', 1] })).toEqual({ ok: true });
    expect(problems(modern, { pair: ['a', 'b'] })).toEqual(['/pair/1: must be integer (found "b")']);
    const legacy = pairSchema();
    expect(validateArgs(legacy, { pair: ['a', 1] }).ok).toBe(false);
    // The caller may say the era outright.
    expect(validateArgs(pairSchema(), { pair: ['a', 1] }, { era: 'modern' })).toEqual({ ok: true });
  });

  it('a $schema the schema names wins over the era default', () => {
    const named = { $schema: 'http://json-schema.org/draft-07/schema#', ...pairSchema() };
    useModernDialect(named);
    expect(validateArgs(named, { pair: ['a', 1] }).ok).toBe(false);
  });

  it('compiles each schema once per dialect, however often and from whichever copy it is used', () => {
    const compile = vi.spyOn(Ajv2020.prototype, 'compile');
    try {
      const schema = {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { once: { type: 'string', minLength: 3 } },
      };
      for (let i = 0; i < 5; i++) validateArgs(schema, { once: 'abcd' });
      validateArgs(structuredClone(schema), { once: 'ab' });
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it('never fetches a network $ref: the call goes out unchecked and doctor is told which reference it was', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ type: 'string' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const ref = `http://127.0.0.1:${port}/schemas/name.json`;
      for (const $schema of ['https://json-schema.org/draft/2020-12/schema', 'http://json-schema.org/draft-07/schema#']) {
        const schema = { $schema, type: 'object', properties: { name: { $ref: ref } }, required: ['name'] };
        expect(validateArgs(schema, { name: 42 })).toEqual({ ok: true });
        expect(schemaProblem(schema)).toBe(
          `the schema refers to ${ref}, which mcpsh does not fetch (arguments are left for the server to check)`,
        );
      }
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('keeps 2020-12 $defs and $ref inside the schema working', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { level: { enum: ['low', 'high'] } },
      type: 'object',
      properties: { level: { $ref: '#/$defs/level' } },
      unevaluatedProperties: false,
    };
    expect(validateArgs(schema, { level: 'low' })).toEqual({ ok: true });
    expect(problems(schema, { level: 'mid', extra: 1 })).toEqual([
      '/level: must be one of "low", "high" (found "mid")',
      'unexpected property "extra"',
    ]);
  });
});

describe('validateArgs: what it loads', () => {
  it('checks draft-07 and 2020-12 schemas with the bundled ajv of the SDK, never loading the ajv package (~35 ms of CPU)', () => {
    const draft07 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    };
    const draft2020 = { ...draft07, $schema: 'https://json-schema.org/draft/2020-12/schema' };
    for (const schema of [draft07, draft2020]) {
      expect(validateArgs(schema, { a: 'x' })).toEqual({ ok: true });
      expect(problems(schema, {})).toEqual(['missing required property "a"']);
    }
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes('/node_modules/ajv/'));
    expect(loaded).toEqual([]);
  });
});

describe('validateArgs: the meta-schema check, only where it can change an outcome', () => {
  it('checks matching arguments without validating the schema against its meta-schema (the costly part of a first call)', () => {
    const metaCheck = vi.spyOn(Ajv2020.prototype, 'validateSchema');
    try {
      const schema = {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { cheap: { type: 'string' } },
        required: ['cheap'],
      };
      expect(validateArgs(schema, { cheap: 'yes' })).toEqual({ ok: true });
      expect(metaCheck).not.toHaveBeenCalled();
      // Arguments that look wrong: the schema must be a valid one before it may block the call.
      expect(problems(schema, {})).toEqual(['missing required property "cheap"']);
      expect(metaCheck).toHaveBeenCalledTimes(1);
      expect(problems(schema, {})).toEqual(['missing required property "cheap"']);
      expect(metaCheck).toHaveBeenCalledTimes(1);
    } finally {
      metaCheck.mockRestore();
    }
  });

  it('a schema that compiles yet is not a valid schema never blocks a call, and doctor is told what is wrong with it', () => {
    const oddRequired = { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 5] };
    expect(validateArgs(oddRequired, { a: 'x' })).toEqual({ ok: true });
    expect(schemaProblem(oddRequired)).toBe('schema is invalid: data/required/1 must be string');
    const wordyMinimum = { type: 'object', properties: { n: { type: 'integer', minimum: 'three' } } };
    expect(validateArgs(wordyMinimum, { n: 'not a number' })).toEqual({ ok: true });
    expect(schemaProblem(wordyMinimum)).toBe('schema is invalid: data/properties/n/minimum must be number');
  });
});

describe('validateArgs: null on an optional property means "not given"', () => {
  const schema = {
    type: 'object',
    properties: {
      query: { type: 'string' },
      verbose: { type: 'boolean' },
      options: { type: 'object', properties: { depth: { type: 'integer' }, mode: { type: 'string' } }, required: ['mode'] },
    },
    required: ['query'],
    additionalProperties: false,
  };

  it('accepts null for optional properties, at any depth, and leaves the arguments as given', () => {
    const args = { query: 'x', verbose: null, options: { mode: 'fast', depth: null } };
    expect(validateArgs(schema, args)).toEqual({ ok: true });
    expect(args).toEqual({ query: 'x', verbose: null, options: { mode: 'fast', depth: null } });
    expect(validateArgs(schema, { query: 'x', options: null })).toEqual({ ok: true });
  });

  it('keeps required properties strict', () => {
    expect(problems(schema, { query: null })).toEqual(['/query: must be string (found null)']);
    expect(problems(schema, { query: 'x', options: { mode: null } })).toEqual(['/options/mode: must be string (found null)']);
  });

  it('still reports what else is wrong, and never a "missing" for a required property that may be null', () => {
    expect(problems(schema, { query: 'x', verbose: null, options: { mode: 1 } })).toEqual(['/options/mode: must be string (found 1)']);
    const nullable = { type: 'object', properties: { note: { type: ['string', 'null'] }, n: { type: 'integer' } }, required: ['note'] };
    expect(validateArgs(nullable, { note: null })).toEqual({ ok: true });
    expect(problems(nullable, { note: null, n: 'two' })).toEqual(['/n: must be integer (found "two")']);
  });

  it('a "__proto__" key is checked as a plain property', () => {
    const strict = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect(problems(strict, JSON.parse('{"__proto__": {"x": 1}, "a": null}'))).toEqual(['unexpected property "__proto__"']);
  });
});
