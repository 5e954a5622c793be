// The zod shapes of the sqlite server's tool inputs and structured outputs (listed to clients as JSON Schema),
// and the conversion of JSON parameters into values better-sqlite3 can bind.
import { z } from 'zod';

export const cellSchema = z.union([z.string(), z.number(), z.null()]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const paramsSchema = z
  .union([z.array(scalar), z.record(z.string(), scalar)])
  .optional()
  .describe(
    'Values bound to placeholders, never spliced into the SQL: an array for ? placeholders, or an object for :name / @name / $name placeholders (keys with or without the prefix). Booleans bind as 1/0.',
  );

export const sqlSchema = z.string().min(1).describe('One SQL statement.');

export const tableNameSchema = z.string().min(1).describe('The table (or view) name, as list_tables shows it.');

export const queryOutputSchema = z.object({
  columns: z.array(z.string()).describe('Column names, in result order.'),
  rows: z
    .array(z.array(cellSchema))
    .describe(
      "Each row as an array of values in column order. Integers beyond 2^53 are decimal strings; blobs are X'hex' literals or a size notice.",
    ),
  rowCount: z.number().int().nonnegative().describe('How many rows are in `rows`.'),
  truncated: z.boolean().describe("True when the query produced more rows than the server's row limit and only the first ones are here."),
});

export const listTablesOutputSchema = z.object({
  tables: z.array(z.object({ name: z.string(), type: z.enum(['table', 'view']), columns: z.array(z.string()) })),
});

export const describeTableOutputSchema = z.object({
  name: z.string(),
  type: z.enum(['table', 'view']),
  sql: z.string().nullable(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      notNull: z.boolean(),
      default: z.string().nullable(),
      primaryKey: z.number().int(),
      generated: z.boolean(),
    }),
  ),
  primaryKey: z.array(z.string()),
  foreignKeys: z.array(
    z.object({
      columns: z.array(z.string()),
      table: z.string(),
      to: z.array(z.string().nullable()),
      onUpdate: z.string(),
      onDelete: z.string(),
    }),
  ),
  indexes: z.array(
    z.object({
      name: z.string(),
      unique: z.boolean(),
      origin: z.string(),
      partial: z.boolean(),
      columns: z.array(z.string().nullable()),
    }),
  ),
  rowCount: z.number().int().nonnegative().nullable().describe('Rows in the table; null for a view.'),
});

export const insertValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

export const insertOutputSchema = z.object({
  table: z.string(),
  rowid: z.union([z.number(), z.string(), z.null()]).describe("The new row's rowid (null for WITHOUT ROWID tables)."),
  row: z.record(z.string(), cellSchema).describe('The row as stored, defaults included.'),
});

export const executeOutputSchema = z.object({
  changes: z.number().int().nonnegative().describe('Rows inserted, updated or deleted by the statement.'),
  lastInsertRowid: z.union([z.number(), z.string()]).describe('The last rowid this statement inserted (0 when it inserted none).'),
  columns: z.array(z.string()).optional().describe('Present when the statement returns rows (RETURNING).'),
  rows: z.array(z.array(cellSchema)).optional(),
});

export type BindValue = string | number | bigint | Buffer | null;
export type Params = z.infer<typeof paramsSchema>;

function bindable(v: string | number | boolean | null): BindValue {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** better-sqlite3 takes positional values as arguments and named ones as a single object keyed without the prefix. */
export function bindArgs(params: Params): unknown[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params.map(bindable);
  if (Object.keys(params).length === 0) return [];
  return [Object.fromEntries(Object.entries(params).map(([k, v]) => [k.replace(/^[:@$]/, ''), bindable(v)]))];
}

/** Objects and arrays are stored as JSON text (SQLite's JSON functions read it); booleans as 1/0. */
export function insertValue(v: z.infer<typeof insertValueSchema>): BindValue {
  if (v === null || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return JSON.stringify(v);
}
