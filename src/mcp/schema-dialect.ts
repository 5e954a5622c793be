// Which JSON Schema dialect a tool's schema is written in when it does not say ($schema): 2020-12 for a schema a
// modern-era (2026-07-28) server listed, that revision's default; draft-07 otherwise. Kept apart from
// validate-args.ts so marking schemas (every tools/list) does not load ajv.

export type Dialect = '2020-12' | '2019-09' | 'draft-07';

/** Schemas listed by a modern-era server (by identity: a tool list is replaced, never edited). */
const modernSchemas = new WeakSet<object>();

/** Marks a schema as listed by a modern-era server (its default dialect is 2020-12). */
export function useModernDialect(schema: unknown): void {
  if (typeof schema === 'object' && schema !== null) modernSchemas.add(schema);
}

/** The dialect to check `schema` in: the one it names, else the default of the era it was listed in. */
export function dialectOf(schema: unknown, era?: 'modern' | 'legacy'): Dialect {
  const named =
    typeof schema === 'object' && schema !== null && '$schema' in schema && typeof schema.$schema === 'string' ? schema.$schema : undefined;
  if (named !== undefined) return named.includes('2020-12') ? '2020-12' : named.includes('2019-09') ? '2019-09' : 'draft-07';
  const modern = era ? era === 'modern' : typeof schema === 'object' && schema !== null && modernSchemas.has(schema);
  return modern ? '2020-12' : 'draft-07';
}
