// The stderr line that explains a crash: the error, not a banner, caret or stack frame.
import { describe, expect, it } from 'vitest';
import { informativeLine } from '../../../src/mcp/stderr-clue.js';

describe('informativeLine', () => {
  it('picks the error over the runtime banner, stack frames and carets', () => {
    const node = [
      'file:///x/server.mjs:1',
      "throw new Error('boom');",
      '      ^',
      '',
      'Error: boom',
      '    at file:///x/server.mjs:1:7',
      '    at ModuleJob.run (node:internal)',
      '',
      'Node.js v20.20.2',
    ];
    expect(informativeLine(node)).toBe('Error: boom');
    const missing = [
      'node:internal/modules/cjs/loader:1210',
      '  throw err;',
      '  ^',
      "Error: Cannot find module '/x/nope.js'",
      '    at Module._resolveFilename (x)',
      "  code: 'MODULE_NOT_FOUND',",
      '  requireStack: []',
      '}',
      'Node.js v22.1.0',
    ];
    expect(informativeLine(missing)).toBe("Error: Cannot find module '/x/nope.js'");
    expect(informativeLine(['Traceback (most recent call last):', '  File "s.py", line 3, in <module>', 'ValueError: bad port'])).toBe(
      'ValueError: bad port',
    );
    expect(informativeLine(['starting', 'could not open database', 'bye'])).toBe('could not open database');
    expect(informativeLine(['just a line'])).toBe('just a line');
    expect(informativeLine([])).toBeUndefined();
  });
});
