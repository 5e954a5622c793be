// Reads the real schema (sqlite_schema and the pragma table functions, always with bound parameters): the tables
// list, a table's full description, and the lookups that turn caller-supplied names into names SQLite really has.
import type { Connection } from './database.js';
import { toCell, type Cell } from './format.js';

export interface TableSummary {
  name: string;
  type: 'table' | 'view';
  columns: string[];
}

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
  generated: boolean;
}

export interface ForeignKeyInfo {
  columns: string[];
  table: string;
  to: (string | null)[];
  onUpdate: string;
  onDelete: string;
}

export interface IndexInfo {
  name: string;
  unique: boolean;
  /** c = CREATE INDEX, u = UNIQUE constraint, pk = PRIMARY KEY. */
  origin: string;
  partial: boolean;
  columns: (string | null)[];
}

export interface TableDescription {
  name: string;
  type: 'table' | 'view';
  sql: string | null;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  indexes: IndexInfo[];
  /** Tables only: counting a view runs its whole query, which may be slow or endless. */
  rowCount: number | null;
}

/** Quotes an identifier that came from the schema itself; callers' names never reach SQL text unchecked. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function listTables(db: Connection): TableSummary[] {
  const rows = db
    .prepare(
      "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as { name: string; type: 'table' | 'view' }[];
  const cols = db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
  return rows.map((r) => ({ ...r, columns: cols.all(r.name) as string[] }));
}

/** The schema's spelling of a user table or view, matched case-insensitively as SQLite does; undefined if none. */
export function resolveTable(
  db: Connection,
  name: string,
  kinds: ('table' | 'view')[] = ['table', 'view'],
): { name: string; type: 'table' | 'view' } | undefined {
  const rows = db
    .prepare("SELECT name, type FROM sqlite_schema WHERE name = ? COLLATE NOCASE AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all(name) as { name: string; type: string }[];
  const hit = rows.find((r) => (kinds as string[]).includes(r.type));
  return hit ? { name: hit.name, type: hit.type as 'table' | 'view' } : undefined;
}

/** "no such table" with the tables that do exist, so the caller can correct itself. */
export function unknownTableMessage(db: Connection, name: string, what = 'table or view'): string {
  const names = listTables(db).map((t) => t.name);
  const shown = names.slice(0, 50).join(', ');
  return `No ${what} named ${JSON.stringify(name)} in this database. ${
    names.length === 0 ? 'The database has no tables.' : `It has: ${shown}${names.length > 50 ? ', …' : ''}.`
  } Call list_tables to see them.`;
}

interface XInfoRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

export function tableColumns(db: Connection, table: string): ColumnInfo[] {
  const rows = db.prepare('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)').all(table) as XInfoRow[];
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    notNull: r.notnull === 1,
    default: r.dflt_value,
    primaryKey: r.pk,
    // hidden 2 and 3 are generated columns (virtual, stored); 1 is a virtual table's hidden column.
    generated: r.hidden === 2 || r.hidden === 3,
  }));
}

export function describeTable(db: Connection, table: { name: string; type: 'table' | 'view' }): TableDescription {
  const columns = tableColumns(db, table.name);
  const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table.name) as string | null;
  const fkRows = db
    .prepare('SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq')
    .all(table.name) as { id: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }[];
  const foreignKeys = new Map<number, ForeignKeyInfo>();
  for (const r of fkRows) {
    const fk = foreignKeys.get(r.id) ?? { columns: [], table: r.table, to: [], onUpdate: r.on_update, onDelete: r.on_delete };
    fk.columns.push(r.from);
    fk.to.push(r.to);
    foreignKeys.set(r.id, fk);
  }
  const indexRows = db.prepare('SELECT name, "unique", origin, partial FROM pragma_index_list(?)').all(table.name) as {
    name: string;
    unique: number;
    origin: string;
    partial: number;
  }[];
  const indexCols = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck();
  const indexes = indexRows.map((i) => ({
    name: i.name,
    unique: i.unique === 1,
    origin: i.origin,
    partial: i.partial === 1,
    columns: indexCols.all(i.name) as (string | null)[],
  }));
  const rowCount =
    table.type === 'table'
      ? Number(
          db
            .prepare(`SELECT count(*) FROM ${quoteIdent(table.name)}`)
            .pluck()
            .get(),
        )
      : null;
  return {
    name: table.name,
    type: table.type,
    sql,
    columns,
    primaryKey: columns
      .filter((c) => c.primaryKey > 0)
      .sort((a, b) => a.primaryKey - b.primaryKey)
      .map((c) => c.name),
    foreignKeys: [...foreignKeys.values()],
    indexes,
    rowCount,
  };
}

export function formatDescription(d: TableDescription): string {
  const count = d.rowCount === null ? '' : ` (${d.rowCount} row${d.rowCount === 1 ? '' : 's'})`;
  const lines = [`${d.type} ${d.name}${count}`, '', 'columns:'];
  for (const c of d.columns) {
    const flags = [
      c.type || '(no type)',
      c.primaryKey > 0 ? 'PRIMARY KEY' : '',
      c.notNull ? 'NOT NULL' : '',
      c.default !== null ? `DEFAULT ${c.default}` : '',
      c.generated ? 'GENERATED' : '',
    ].filter(Boolean);
    lines.push(`  ${c.name}  ${flags.join(' ')}`);
  }
  if (d.primaryKey.length > 0) lines.push('', `primary key: (${d.primaryKey.join(', ')})`);
  if (d.foreignKeys.length > 0) {
    lines.push('', 'foreign keys:');
    for (const fk of d.foreignKeys) {
      const to = fk.to.every((t) => t === null) ? '' : `(${fk.to.map((t) => t ?? '?').join(', ')})`;
      lines.push(`  (${fk.columns.join(', ')}) -> ${fk.table}${to}  on update ${fk.onUpdate}, on delete ${fk.onDelete}`);
    }
  }
  if (d.indexes.length > 0) {
    lines.push('', 'indexes:');
    for (const i of d.indexes) {
      const cols = i.columns.map((c) => c ?? '<expr>').join(', ');
      lines.push(`  ${i.name} (${cols})${i.unique ? ' UNIQUE' : ''}${i.partial ? ' PARTIAL' : ''}`);
    }
  }
  if (d.sql) lines.push('', 'definition:', d.sql);
  return lines.join('\n');
}

/** A returned row as an object of JSON-safe cells. */
export function rowObject(row: Record<string, unknown>): Record<string, Cell> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toCell(v)]));
}
