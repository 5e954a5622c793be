// The Markdown renderer loads after the chat's first frame (src/ui/components/use-markdown.ts): until then a
// Markdown block shows its (already terminal-safe) text as it is, then re-renders formatted on its own.
import { cleanup, render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown } from '../../../src/ui/components/Markdown.js';
import { loadMarkdown } from '../../../src/ui/components/use-markdown.js';
import { waitFor } from '../../helpers/processes.js';

afterEach(() => cleanup());

const TEXT = '## Result\n\n- **12** customers';

describe('Markdown before its renderer has loaded', () => {
  it('shows the text as it is at first, then formatted once the load (started by the component) ends', async () => {
    const view = render(h(Markdown, { text: TEXT, width: 60 }));
    expect(view.lastFrame()).toContain('## Result');
    expect(view.lastFrame()).toContain('- **12** customers');
    await waitFor(() => !(view.lastFrame() ?? '').includes('##'), { what: 'the Markdown to be rendered once its renderer loaded' });
    expect(view.lastFrame()).toContain('* 12 customers');
  });

  it('renders formatted from the first frame once loaded, and loads once', async () => {
    const [a, b] = await Promise.all([loadMarkdown(), loadMarkdown()]);
    expect(a).toBeTypeOf('function');
    expect(b).toBe(a);
    const frame = render(h(Markdown, { text: TEXT, width: 60 })).lastFrame() ?? '';
    expect(frame).not.toContain('##');
    expect(frame).toContain('* 12 customers');
  });
});
