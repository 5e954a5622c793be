import { describe, expect, it } from 'vitest';
import { buildSystemPrompt } from '../../../src/agent/system-prompt.js';

describe('buildSystemPrompt', () => {
  it("joins the default, the profile instructions and each server's own instructions", () => {
    const prompt = buildSystemPrompt({
      instructions: 'You analyse sales.',
      servers: [{ name: 'db', instructions: 'Use query for reads.' }, { name: 'files' }],
      cwd: '/work',
      now: new Date('2026-01-02T03:04:05Z'),
    });
    expect(prompt).toContain('You are mcpsh');
    expect(prompt).toContain('Current date: 2026-01-02. Working directory: /work.');
    expect(prompt).toContain('\n\nYou analyse sales.\n\n');
    expect(prompt.endsWith('Instructions from the MCP server "db" (about its tools, prefixed db__):\nUse query for reads.')).toBe(true);
    expect(prompt).not.toContain('"files"');
  });

  it('tells the model which servers are unavailable and why', () => {
    const prompt = buildSystemPrompt({ servers: [], unavailable: [{ name: 'crm', reason: 'connection refused' }], cwd: '/' });
    expect(prompt).toContain(
      'These servers are unavailable right now, so their tools (crm__*) cannot be used; say so if the user needs them:\n- crm: connection refused',
    );
  });
});
