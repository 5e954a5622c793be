// Opens the CRM's SQLite file and creates its schema: companies, contacts, opportunities, notes.
// The fixed vocabularies (contact status, opportunity stage) live here and are enforced by CHECK constraints too.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError, errorMessage } from '../../errors.js';
import type { SqliteDriver } from '../sqlite-driver.js';

export const CONTACT_STATUSES = ['lead', 'prospect', 'active', 'inactive'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'] as const;
export type Stage = (typeof STAGES)[number];

/** Default win probability (percent) for a new opportunity in each stage. */
export const STAGE_PROBABILITY: Record<Stage, number> = {
  prospecting: 10,
  qualification: 25,
  proposal: 50,
  negotiation: 75,
  closed_won: 100,
  closed_lost: 0,
};

const SCHEMA_VERSION = 1;

const quoted = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

const SCHEMA = `
CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  industry TEXT,
  website TEXT
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  phone TEXT,
  position TEXT,
  company_id INTEGER REFERENCES companies(id),
  status TEXT NOT NULL CHECK (status IN (${quoted(CONTACT_STATUSES)})),
  created_date TEXT NOT NULL,
  last_contact TEXT
);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  title TEXT NOT NULL,
  value REAL NOT NULL CHECK (value >= 0),
  stage TEXT NOT NULL CHECK (stage IN (${quoted(STAGES)})),
  probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
  created_at TEXT NOT NULL
);
CREATE INDEX opportunities_contact ON opportunities(contact_id);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX notes_contact ON notes(contact_id);
`;

/**
 * Lower-case and strip diacritics, so "nguyen" finds "Nguyễn" and "DUC" finds "Đức". SQLite's own LIKE only
 * folds ASCII case, which would make searching Vietnamese names needlessly hard.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Opens (creating if new) a CRM database with `driver` (see loadSqliteDriver); refuses a SQLite file that belongs to something else. */
export function openCrmDatabase(file: string, driver: SqliteDriver): Database.Database {
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new driver(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
  } catch (err) {
    throw new AppError('CONFIG', `cannot open the CRM database ${file}: ${errorMessage(err)}`, {
      hint: 'point --db at a CRM database, or at a new file (in a writable folder) to start one',
      cause: err,
    });
  }
  try {
    migrate(db, file);
  } catch (err) {
    db.close();
    throw err instanceof AppError
      ? err
      : new AppError('CONFIG', `cannot use ${file} as the CRM database: ${errorMessage(err)}`, { cause: err });
  }
  db.function('fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? fold(value) : null));
  return db;
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  if (version !== 0 || tables.n > 0) {
    throw new AppError('CONFIG', `${file} is not a mcpsh CRM database (schema version ${version}, ${tables.n} tables)`, {
      hint: 'use another file with --db; the CRM creates its own schema in a new or empty file',
    });
  }
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
