// The CRM's four tools, registered on an McpServer: schemas (input and output), truthful annotations, and
// handlers that turn "no such contact" into an isError result rather than an exception. Scopes are checked
// before a call reaches here (see gate.ts).
import { z } from 'zod';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { CONTACT_STATUSES, STAGES } from './database.js';
import { formatDetails, formatNotesUpdate, formatOpportunity, formatSearch } from './format.js';
import { parseContactId, type CrmStore } from './store.js';

const contactIdInput = z.string().min(1).max(40).describe('the contact id from search_contacts, e.g. "contact_1" (a bare "1" works too)');

const contactShape = {
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  position: z.string().nullable(),
  company: z.string().nullable(),
  status: z.enum(CONTACT_STATUSES),
  last_contact: z.string().nullable(),
};

const opportunityShape = {
  id: z.string(),
  contact_id: z.string(),
  title: z.string(),
  value: z.number(),
  stage: z.enum(STAGES),
  probability: z.number(),
  created_at: z.string(),
};

const noteShape = { id: z.string(), body: z.string(), author: z.string(), created_at: z.string() };

function fail(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function unknownContact(id: string): CallToolResult {
  return fail(`No contact with id "${id}". Use search_contacts to find contact ids (they look like "contact_1").`);
}

function ok(text: string, structured: object): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function registerCrmTools(server: McpServer, store: CrmStore): void {
  server.registerTool(
    'search_contacts',
    {
      title: 'Search contacts',
      description:
        'Find CRM contacts whose name, email or company contains every word of the query (case- and accent-insensitive: "nguyen" matches "Nguyễn"). An empty query lists all contacts. Returns ids to use with the other tools.',
      inputSchema: z.object({
        query: z.string().max(200).default('').describe('words to look for in name, email and company'),
        status: z.enum(CONTACT_STATUSES).optional().describe('only contacts with this status'),
        limit: z.number().int().min(1).max(100).default(10).describe('most contacts to return (1-100)'),
      }),
      outputSchema: z.object({ contacts: z.array(z.object(contactShape)), total_found: z.number().int() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, status, limit }) => {
      const result = store.search({ query, limit, ...(status === undefined ? {} : { status }) });
      return ok(formatSearch(query, result), result);
    },
  );

  server.registerTool(
    'get_contact_details',
    {
      title: 'Contact details',
      description: 'One contact with its company, opportunities (deals) and notes.',
      inputSchema: z.object({ contact_id: contactIdInput }),
      outputSchema: z.object({
        contact: z.object({ ...contactShape, created_date: z.string() }),
        company: z.object({ id: z.string(), name: z.string(), industry: z.string().nullable(), website: z.string().nullable() }).nullable(),
        opportunities: z.array(z.object(opportunityShape)),
        notes: z.array(z.object(noteShape)),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ contact_id }) => {
      const row = parseContactId(contact_id);
      const details = row === null ? null : store.details(row);
      return details ? ok(formatDetails(details), details) : unknownContact(contact_id);
    },
  );

  server.registerTool(
    'create_opportunity',
    {
      title: 'Create opportunity',
      description: `Create a sales opportunity (deal) for a contact. stage is one of: ${STAGES.join(', ')}; probability defaults by stage.`,
      inputSchema: z.object({
        contact_id: contactIdInput,
        title: z.string().trim().min(1).max(200).describe('what the deal is about'),
        value: z.number().min(0).max(1e12).describe('expected value in US dollars, >= 0'),
        stage: z.enum(STAGES).default('prospecting').describe('pipeline stage'),
        probability: z.number().int().min(0).max(100).optional().describe('win probability in percent; defaults by stage'),
      }),
      outputSchema: z.object({ opportunity: z.object(opportunityShape) }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ contact_id, title, value, stage, probability }) => {
      const row = parseContactId(contact_id);
      const opportunity =
        row === null
          ? null
          : store.createOpportunity({ contact: row, title, value, stage, ...(probability === undefined ? {} : { probability }) });
      if (!opportunity) return unknownContact(contact_id);
      return ok(`Created ${formatOpportunity(opportunity)} for ${opportunity.contact_id}.`, { opportunity });
    },
  );

  server.registerTool(
    'update_contact_notes',
    {
      title: 'Update contact notes',
      description:
        'Add a dated note to a contact (mode "append", the default), or replace all of its earlier notes with this one (mode "replace": the earlier notes are deleted).',
      inputSchema: z.object({
        contact_id: contactIdInput,
        notes: z.string().trim().min(1).max(10_000).describe('the note text'),
        mode: z.enum(['append', 'replace']).default('append').describe('append (default) or replace the earlier notes'),
      }),
      outputSchema: z.object({
        contact_id: z.string(),
        mode: z.enum(['append', 'replace']),
        note: z.object(noteShape),
        removed: z.number().int(),
        notes_count: z.number().int(),
      }),
      // destructiveHint: "replace" deletes earlier notes.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    ({ contact_id, notes, mode }, ctx) => {
      const row = parseContactId(contact_id);
      const author = ctx.http?.authInfo?.clientId ?? 'unknown';
      const update = row === null ? null : store.updateNotes({ contact: row, text: notes, mode, author });
      return update ? ok(formatNotesUpdate(update), update) : unknownContact(contact_id);
    },
  );
}
