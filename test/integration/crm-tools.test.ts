// The CRM's tools and resources through a real MCP client over Streamable HTTP, against the built CLI
// (`mcpsh serve crm --port 0 --demo`): happy paths, bad input as isError results, and resources list/read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, mintToken, startCrm, textOf, type Connected, type CrmProcess } from './crm/harness.js';

let crm: CrmProcess;
let conn: Connected;

beforeAll(async () => {
  crm = await startCrm();
  conn = await connect(crm.url, await mintToken(['tool:*', 'resources:read'], { subject: 'sales-bot' }));
});

afterAll(async () => {
  await conn?.close();
  await crm?.stop();
});

interface Contact {
  id: string;
  name: string;
  email: string;
  company: string | null;
  status: string;
}

describe('tools/list', () => {
  it('offers the four tools with truthful annotations and output schemas', async () => {
    const { tools } = await conn.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['create_opportunity', 'get_contact_details', 'search_contacts', 'update_contact_notes']);
    expect(byName.get('search_contacts')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('get_contact_details')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('create_opportunity')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.get('update_contact_notes')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const t of tools) expect(t.outputSchema?.type).toBe('object');
    const stage = (byName.get('create_opportunity')?.inputSchema.properties as Record<string, { enum?: string[] }>).stage;
    expect(stage?.enum).toContain('proposal');
  });
});

describe('search_contacts', () => {
  it('finds the article contacts by name, accent-insensitively, with structured results', async () => {
    const result = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'nguyen van anh' } });
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as { contacts: Contact[]; total_found: number };
    expect(data.total_found).toBe(1);
    expect(data.contacts[0]).toMatchObject({
      id: 'contact_1',
      name: 'Nguyễn Văn Anh',
      email: 'anh@company.com',
      company: 'Tech Solutions',
      status: 'active',
    });
    expect(textOf(result)).toContain('contact_1');
  });

  it('matches company and email, applies the status filter and the limit', async () => {
    const byCompany = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'tech solutions' } });
    const companyHits = (byCompany.structuredContent as { contacts: Contact[] }).contacts;
    expect(companyHits.map((c) => c.name)).toEqual(['Nguyễn Văn Anh', 'Bùi Thanh Tâm', 'Sarah Kim']);

    const byEmail = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'startup.vn' } });
    expect((byEmail.structuredContent as { contacts: Contact[] }).contacts.map((c) => c.name)).toEqual(['Trần Thị Bình']);

    const prospects = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'anh', status: 'prospect' } });
    const p = prospects.structuredContent as { contacts: Contact[]; total_found: number };
    expect(p.contacts.length).toBeGreaterThan(0);
    expect(p.contacts.every((c) => c.status === 'prospect')).toBe(true);

    const limited = await conn.client.callTool({ name: 'search_contacts', arguments: { query: '', limit: 2 } });
    const l = limited.structuredContent as { contacts: Contact[]; total_found: number };
    expect(l.contacts).toHaveLength(2);
    expect(l.total_found).toBeGreaterThan(10);
    expect(textOf(limited)).toContain('showing 2');
  });

  it('folds đ so "duc" finds "Đỗ Đức Huy"', async () => {
    const result = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'DUC' } });
    expect((result.structuredContent as { contacts: Contact[] }).contacts.map((c) => c.name)).toEqual(['Đỗ Đức Huy']);
  });

  it('treats SQL-looking queries as plain text', async () => {
    const result = await conn.client.callTool({ name: 'search_contacts', arguments: { query: "' OR 1=1 --" } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { total_found: number }).total_found).toBe(0);
  });

  it('rejects a limit out of 1..100 and an unknown status as tool errors', async () => {
    for (const args of [
      { query: 'a', limit: 0 },
      { query: 'a', limit: 101 },
      { query: 'a', status: 'vip' },
    ]) {
      const result = await conn.client.callTool({ name: 'search_contacts', arguments: args });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/Invalid arguments for tool search_contacts/);
    }
  });
});

describe('get_contact_details', () => {
  it('returns the contact with company, opportunities and notes', async () => {
    const result = await conn.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_1' } });
    expect(result.isError).toBeFalsy();
    const d = result.structuredContent as {
      contact: Contact & { position: string };
      company: { name: string };
      opportunities: { title: string; value: number; stage: string; probability: number }[];
      notes: { body: string }[];
    };
    expect(d.contact).toMatchObject({ name: 'Nguyễn Văn Anh', position: 'CTO' });
    expect(d.company.name).toBe('Tech Solutions');
    expect(d.opportunities).toContainEqual(
      expect.objectContaining({ title: 'AI Consulting Project', value: 50_000, stage: 'proposal', probability: 75 }),
    );
    expect(d.notes[0]?.body).toBe('Quan tâm đến AI solutions. Scheduled demo for next week.');
    expect(textOf(result)).toContain('AI Consulting Project');
  });

  it('accepts a bare numeric id', async () => {
    const result = await conn.client.callTool({ name: 'get_contact_details', arguments: { contact_id: '2' } });
    expect((result.structuredContent as { contact: Contact }).contact.name).toBe('Trần Thị Bình');
  });

  it('reports an unknown contact as a tool error', async () => {
    for (const contact_id of ['contact_999', 'nobody']) {
      const result = await conn.client.callTool({ name: 'get_contact_details', arguments: { contact_id } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`No contact with id "${contact_id}"`);
    }
  });
});

describe('create_opportunity', () => {
  it('creates a deal that then shows in the contact details', async () => {
    const result = await conn.client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_2', title: 'Analytics retainer', value: 18_500, stage: 'qualification' },
    });
    expect(result.isError).toBeFalsy();
    const { opportunity } = result.structuredContent as {
      opportunity: { id: string; contact_id: string; stage: string; probability: number };
    };
    expect(opportunity).toMatchObject({ contact_id: 'contact_2', stage: 'qualification', probability: 25 });
    expect(opportunity.id).toMatch(/^opp_\d+$/);

    const details = await conn.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_2' } });
    const opps = (details.structuredContent as { opportunities: { id: string; title: string }[] }).opportunities;
    expect(opps).toContainEqual(expect.objectContaining({ id: opportunity.id, title: 'Analytics retainer' }));
  });

  it('defaults the stage to prospecting', async () => {
    const result = await conn.client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_3', title: 'Follow-up', value: 0 },
    });
    expect((result.structuredContent as { opportunity: { stage: string } }).opportunity.stage).toBe('prospecting');
  });

  it('rejects a bad stage, a negative value and an unknown contact as tool errors', async () => {
    const badStage = await conn.client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_1', title: 'X', value: 1, stage: 'won' },
    });
    expect(badStage.isError).toBe(true);
    expect(textOf(badStage)).toContain('stage');

    const negative = await conn.client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_1', title: 'X', value: -5 },
    });
    expect(negative.isError).toBe(true);
    expect(textOf(negative)).toContain('value');

    const nobody = await conn.client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_999', title: 'X', value: 1 },
    });
    expect(nobody.isError).toBe(true);
    expect(textOf(nobody)).toContain('No contact with id "contact_999"');
  });
});

describe('update_contact_notes', () => {
  it('appends by default and replaces on request', async () => {
    const appended = await conn.client.callTool({
      name: 'update_contact_notes',
      arguments: { contact_id: 'contact_5', notes: 'Called about the renewal.' },
    });
    expect(appended.isError).toBeFalsy();
    const a = appended.structuredContent as { mode: string; notes_count: number; removed: number; note: { author: string; body: string } };
    expect(a).toMatchObject({ mode: 'append', notes_count: 2, removed: 0 });
    expect(a.note).toMatchObject({ author: 'sales-bot', body: 'Called about the renewal.' });

    const replaced = await conn.client.callTool({
      name: 'update_contact_notes',
      arguments: { contact_id: 'contact_5', notes: 'Fresh start.', mode: 'replace' },
    });
    expect(replaced.structuredContent).toMatchObject({ mode: 'replace', notes_count: 1, removed: 2 });

    const details = await conn.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_5' } });
    expect((details.structuredContent as { notes: { body: string }[] }).notes.map((n) => n.body)).toEqual(['Fresh start.']);
  });

  it('rejects empty notes, an unknown mode and an unknown contact as tool errors', async () => {
    const empty = await conn.client.callTool({ name: 'update_contact_notes', arguments: { contact_id: 'contact_1', notes: '   ' } });
    expect(empty.isError).toBe(true);
    const mode = await conn.client.callTool({
      name: 'update_contact_notes',
      arguments: { contact_id: 'contact_1', notes: 'x', mode: 'merge' },
    });
    expect(mode.isError).toBe(true);
    const nobody = await conn.client.callTool({ name: 'update_contact_notes', arguments: { contact_id: 'contact_404', notes: 'x' } });
    expect(nobody.isError).toBe(true);
    expect(textOf(nobody)).toContain('No contact with id "contact_404"');
  });
});

describe('resources', () => {
  it('lists every contact as crm://contacts/{id}', async () => {
    const { resources } = await conn.client.listResources();
    expect(resources.length).toBe(18);
    expect(resources[0]).toMatchObject({ uri: 'crm://contacts/contact_1', name: 'Nguyễn Văn Anh', mimeType: 'application/json' });
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('crm://contacts/{id}');
  });

  it('reads a contact as JSON', async () => {
    const { contents } = await conn.client.readResource({ uri: 'crm://contacts/contact_2' });
    expect(contents[0]?.mimeType).toBe('application/json');
    const data = JSON.parse((contents[0] as { text: string }).text) as { contact: Contact; company: { name: string } };
    expect(data.contact.name).toBe('Trần Thị Bình');
    expect(data.company.name).toBe('Innovation Hub');
  });

  it('completes contact ids for the template', async () => {
    const { completion } = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'crm://contacts/{id}' },
      argument: { name: 'id', value: 'contact_1' },
    });
    expect(completion.values).toEqual([
      'contact_1',
      'contact_10',
      'contact_11',
      'contact_12',
      'contact_13',
      'contact_14',
      'contact_15',
      'contact_16',
      'contact_17',
      'contact_18',
    ]);
  });

  it('answers an unknown contact with a resource-not-found error', async () => {
    await expect(conn.client.readResource({ uri: 'crm://contacts/contact_999' })).rejects.toThrow(
      /No contact at crm:\/\/contacts\/contact_999/,
    );
  });
});
