// The CRM's data access: every query the tools and resources need, with values always bound as parameters.
// Ids leave the store as the article's prefixed strings ("contact_1", "opp_3") and come back in either form.
import type Database from 'better-sqlite3';
import { fold, STAGE_PROBABILITY, type ContactStatus, type Stage } from './database.js';

export interface ContactSummary {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  position: string | null;
  company: string | null;
  status: ContactStatus;
  last_contact: string | null;
}

export interface CompanyInfo {
  id: string;
  name: string;
  industry: string | null;
  website: string | null;
}

export interface OpportunityInfo {
  id: string;
  contact_id: string;
  title: string;
  value: number;
  stage: Stage;
  probability: number;
  created_at: string;
}

export interface NoteInfo {
  id: string;
  body: string;
  author: string;
  created_at: string;
}

export interface ContactDetails {
  contact: ContactSummary & { created_date: string };
  company: CompanyInfo | null;
  opportunities: OpportunityInfo[];
  notes: NoteInfo[];
}

export interface SearchResult {
  contacts: ContactSummary[];
  total_found: number;
}

export type NotesMode = 'append' | 'replace';

export interface NotesUpdate {
  contact_id: string;
  mode: NotesMode;
  note: NoteInfo;
  removed: number;
  notes_count: number;
}

const MAX_TERMS = 8;

export const contactId = (row: number | bigint): string => `contact_${row}`;

/** "contact_12" or "12" to the row id 12; anything else to null (which then reads as "no such contact"). */
export function parseContactId(id: string): number | null {
  const match = /^(?:contact_)?(\d{1,15})$/.exec(id.trim());
  return match ? Number(match[1]) : null;
}

type ContactRow = Omit<ContactSummary, 'id'> & { id: number; created_date: string; company_id: number | null };

export class CrmStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Every word of `query` must appear (case- and accent-insensitively) in the name, email or company. */
  search(options: { query: string; status?: ContactStatus; limit: number }): SearchResult {
    const terms = fold(options.query)
      .split(/\s+/)
      .filter((t) => t.length > 0)
      .slice(0, MAX_TERMS);
    const where = terms.map(
      (_, i) => `(instr(fold(c.name), @t${i}) > 0 OR instr(fold(c.email), @t${i}) > 0 OR instr(fold(coalesce(co.name, '')), @t${i}) > 0)`,
    );
    if (options.status !== undefined) where.push('c.status = @status');
    const params: Record<string, string | number> = Object.fromEntries(terms.map((t, i) => [`t${i}`, t]));
    if (options.status !== undefined) params.status = options.status;
    const from = `FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const { n } = this.db.prepare(`SELECT count(*) AS n ${from}`).get(params) as { n: number };
    const rows = this.db
      .prepare(`SELECT c.*, co.name AS company ${from} ORDER BY c.id LIMIT @limit`)
      .all({ ...params, limit: options.limit }) as ContactRow[];
    return { contacts: rows.map(toSummary), total_found: n };
  }

  details(row: number): ContactDetails | null {
    const contact = this.db
      .prepare('SELECT c.*, co.name AS company FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?')
      .get(row) as ContactRow | undefined;
    if (!contact) return null;
    const company =
      contact.company_id === null
        ? undefined
        : (this.db.prepare('SELECT * FROM companies WHERE id = ?').get(contact.company_id) as
            { id: number; name: string; industry: string | null; website: string | null } | undefined);
    const opportunities = this.db.prepare('SELECT * FROM opportunities WHERE contact_id = ? ORDER BY id').all(row) as OpportunityRow[];
    const notes = this.db.prepare('SELECT * FROM notes WHERE contact_id = ? ORDER BY id').all(row) as NoteRow[];
    return {
      contact: { ...toSummary(contact), created_date: contact.created_date },
      company: company ? { ...company, id: `company_${company.id}` } : null,
      opportunities: opportunities.map(toOpportunity),
      notes: notes.map(toNote),
    };
  }

  /** Null when the contact does not exist. */
  createOpportunity(input: { contact: number; title: string; value: number; stage: Stage; probability?: number }): OpportunityInfo | null {
    if (!this.exists(input.contact)) return null;
    const probability = input.probability ?? STAGE_PROBABILITY[input.stage];
    const info = this.db
      .prepare('INSERT INTO opportunities (contact_id, title, value, stage, probability, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.contact, input.title, input.value, input.stage, probability, new Date().toISOString());
    const created = this.db.prepare('SELECT * FROM opportunities WHERE id = ?').get(info.lastInsertRowid) as OpportunityRow;
    return toOpportunity(created);
  }

  /** Appends a note, or (replace) removes the contact's earlier notes first, in one transaction. Null when the contact does not exist. */
  updateNotes(input: { contact: number; text: string; mode: NotesMode; author: string }): NotesUpdate | null {
    if (!this.exists(input.contact)) return null;
    return this.db.transaction((): NotesUpdate => {
      const removed = input.mode === 'replace' ? this.db.prepare('DELETE FROM notes WHERE contact_id = ?').run(input.contact).changes : 0;
      const info = this.db
        .prepare('INSERT INTO notes (contact_id, body, author, created_at) VALUES (?, ?, ?, ?)')
        .run(input.contact, input.text, input.author, new Date().toISOString());
      const note = this.db.prepare('SELECT * FROM notes WHERE id = ?').get(info.lastInsertRowid) as NoteRow;
      const { n } = this.db.prepare('SELECT count(*) AS n FROM notes WHERE contact_id = ?').get(input.contact) as { n: number };
      return { contact_id: contactId(input.contact), mode: input.mode, note: toNote(note), removed, notes_count: n };
    })();
  }

  /** Contacts for resources/list, in id order, at most `limit`. */
  listContacts(limit: number): { id: string; name: string; email: string; company: string | null }[] {
    const rows = this.db
      .prepare(
        'SELECT c.id, c.name, c.email, co.name AS company FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ORDER BY c.id LIMIT ?',
      )
      .all(limit) as { id: number; name: string; email: string; company: string | null }[];
    return rows.map((r) => ({ ...r, id: contactId(r.id) }));
  }

  /** Contact ids starting with `prefix` (for completion of the resource template). */
  completeContactIds(prefix: string, limit = 20): string[] {
    const rows = this.db.prepare('SELECT id FROM contacts ORDER BY id').all() as { id: number }[];
    return rows
      .map((r) => contactId(r.id))
      .filter((id) => id.startsWith(prefix) || id.startsWith(`contact_${prefix}`))
      .slice(0, limit);
  }

  private exists(row: number): boolean {
    return this.db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(row) !== undefined;
  }
}

type OpportunityRow = Omit<OpportunityInfo, 'id' | 'contact_id'> & { id: number; contact_id: number };
type NoteRow = Omit<NoteInfo, 'id'> & { id: number; contact_id: number };

function toSummary(row: ContactRow): ContactSummary {
  return {
    id: contactId(row.id),
    name: row.name,
    email: row.email,
    phone: row.phone,
    position: row.position,
    company: row.company,
    status: row.status,
    last_contact: row.last_contact,
  };
}

function toOpportunity(row: OpportunityRow): OpportunityInfo {
  return { ...row, id: `opp_${row.id}`, contact_id: contactId(row.contact_id) };
}

function toNote(row: NoteRow): NoteInfo {
  return { id: `note_${row.id}`, body: row.body, author: row.author, created_at: row.created_at };
}
