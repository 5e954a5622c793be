// Readable text for the CRM tools' results. The same data also goes out as structuredContent; the text is
// for models and people whose client shows only text content, so it always carries the ids to use next.
import type { ContactDetails, ContactSummary, NotesUpdate, OpportunityInfo, SearchResult } from './store.js';

const money = (value: number): string => `$${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

function contactLine(c: ContactSummary): string {
  const role = [c.position, c.company].filter((p) => p).join(' at ');
  return `${c.id}  ${c.name} <${c.email}>${role ? `, ${role}` : ''} [${c.status}]`;
}

export function formatSearch(query: string, result: SearchResult): string {
  const about = query.trim() ? ` for "${query.trim()}"` : '';
  if (result.total_found === 0) return `No contacts found${about}.`;
  const shown = result.contacts.length < result.total_found ? ` (showing ${result.contacts.length}; raise limit for more)` : '';
  return [`Found ${result.total_found} contact(s)${about}${shown}:`, ...result.contacts.map(contactLine)].join('\n');
}

export function formatOpportunity(o: OpportunityInfo): string {
  return `${o.id}  ${o.title}: ${money(o.value)}, ${o.stage} (${o.probability}%)`;
}

export function formatDetails(d: ContactDetails): string {
  const c = d.contact;
  const lines = [
    `${c.name} (${c.id}) [${c.status}]`,
    `Email: ${c.email}${c.phone ? ` | Phone: ${c.phone}` : ''}`,
    ...(c.position ? [`Position: ${c.position}`] : []),
    ...(d.company ? [`Company: ${d.company.name}${d.company.industry ? ` (${d.company.industry})` : ''}`] : []),
    `Created: ${c.created_date} | Last contact: ${c.last_contact ?? 'never'}`,
    '',
    d.opportunities.length ? `Opportunities (${d.opportunities.length}):` : 'Opportunities: none',
    ...d.opportunities.map((o) => `- ${formatOpportunity(o)}`),
    '',
    d.notes.length ? `Notes (${d.notes.length}):` : 'Notes: none',
    ...d.notes.map((n) => `- ${n.created_at.slice(0, 10)} ${n.author}: ${n.body}`),
  ];
  return lines.join('\n');
}

export function formatNotesUpdate(u: NotesUpdate): string {
  const what = u.mode === 'replace' ? `Replaced ${u.removed} earlier note(s) with ${u.note.id}` : `Added ${u.note.id}`;
  return `${what} for ${u.contact_id}; the contact now has ${u.notes_count} note(s).`;
}
