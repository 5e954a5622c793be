// Each contact as a readable resource, crm://contacts/{id}, listed through the template's list callback so
// resources/list returns them. Reading one returns the same JSON as get_contact_details.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { parseContactId, type CrmStore } from './store.js';

/** resources/list has no paging per template in the SDK; cap it so a large CRM does not answer with megabytes. */
export const MAX_LISTED_CONTACTS = 500;

/** The MCP spec's code for a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;

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
        throw new McpError(RESOURCE_NOT_FOUND, `No contact at ${uri.href}; resources/list shows the contacts that exist`);
      }
      return {
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(details, null, 2) }],
      };
    },
  );
}
