// Each contact as a readable resource, crm://contacts/{id}, listed through the template's list callback so
// resources/list returns them. Reading one returns the same JSON as get_contact_details.
import { ResourceNotFoundError, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import { parseContactId, type CrmStore } from './store.js';

/** resources/list has no paging per template in the SDK; cap it so a large CRM does not answer with megabytes. */
export const MAX_LISTED_CONTACTS = 500;

export function contactUri(id: string): string {
  return `crm://contacts/${id}`;
}

export function registerContactResources(server: McpServer, store: CrmStore): void {
  const template = new ResourceTemplate('crm://contacts/{id}', {
    list: () => ({
      resources: store.listContacts(MAX_LISTED_CONTACTS).map((c) => ({
        uri: contactUri(c.id),
        name: c.name,
        description: `${c.email}${c.company ? `, ${c.company}` : ''}`,
        mimeType: 'application/json',
      })),
    }),
    complete: { id: (value) => store.completeContactIds(value) },
  });

  server.registerResource(
    'contact',
    template,
    {
      title: 'CRM contact',
      description: 'A contact with company, opportunities and notes, as JSON',
      mimeType: 'application/json',
    },
    (uri, variables) => {
      const raw = variables.id;
      const id = Array.isArray(raw) ? raw[0] : raw;
      const row = id === undefined ? null : parseContactId(decodeURIComponent(id));
      const details = row === null ? null : store.details(row);
      if (!details) {
        // -32602 with data.uri in both eras: the SDK never sends the older -32002, which clients still accept.
        throw new ResourceNotFoundError(uri.href, `No contact at ${uri.href}; resources/list shows the contacts that exist`);
      }
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(details, null, 2) }],
      };
    },
  );
}
