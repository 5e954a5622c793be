// Commented JSON works, and a syntax error points at file:line:column with the offending line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTree, type Tree } from './helpers.js';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

describe('JSONC config files', () => {
  it('accepts line and block comments and trailing commas', async () => {
    t.write(
      'mcp.config.json',
      `// servers for this project
{
  /* the database */
  "mcpServers": {
    "db": { "command": "node", "args": ["db.js",], }, // trailing commas too
  },
}
`,
    );
    const loaded = await t.load();
    expect(loaded.servers[0]).toMatchObject({ name: 'db', command: 'node', args: ['db.js'] });
  });

  it('reports a missing comma at its line and column with an excerpt', async () => {
    const file = t.write('mcp.config.json', '{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": { "command": "y" }\n  }\n}\n');
    const err = await t.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toBe(`cannot parse ${file}:4:5: expected "," between entries\n  4 |     "b": { "command": "y" }\n    |     ^`);
    expect(err.hint).toBe('the file must be JSON; comments (// and /* */) and trailing commas are allowed');
  });

  it('reports an unterminated string and a bare word', async () => {
    const file = t.write('.mcprc', '{ "mcpServers": { "a": { "command": "x } } }');
    expect((await t.loadError()).message.split('\n')[0]).toBe(`cannot parse ${file}:1:37: unterminated string`);
    t.cleanup();
    t = makeTree();
    const file2 = t.write('mcp.config.json', '{\n  mcpServers: {}\n}');
    expect((await t.loadError()).message.split('\n')[0]).toBe(
      `cannot parse ${file2}:2:3: unexpected "mcpServers" (keys and strings need double quotes)`,
    );
  });

  it('parses the user file as JSONC too', async () => {
    const file = t.write('user-config/config.json', '{ // mine\n  "mcpServers": { "u": { "command": "x" } },\n}');
    const loaded = await t.load();
    expect(loaded.sources).toEqual([{ path: file, scope: 'user' }]);
    t.write('user-config/config.json', '{ "mcpServers": ');
    expect((await t.loadError()).message.split('\n')[0]).toBe(`cannot parse ${file}:1:17: expected a value`);
  });
});
