// marked and marked-terminal (with the syntax highlighter they bring) take about 30 ms to load: a tenth of the
// chat's start, for a first frame that shows no Markdown. They load right after it instead: the first
// component that asks starts the load. Until it ends, Markdown shows its text as it is, and the App holds
// back from <Static> (which prints each entry once, for good) everything from the first answer on.
import { useEffect, useState } from 'react';
import type { renderMarkdown } from '../text/markdown-render.js';

type Render = typeof renderMarkdown;

let loaded: Render | undefined;
let loading: Promise<Render | undefined> | undefined;

/** Loads the renderer (once); resolves to it, or to undefined if it cannot load (the text then stays plain). */
export function loadMarkdown(): Promise<Render | undefined> {
  loading ??= import('../text/markdown-render.js').then(
    (m) => (loaded = m.renderMarkdown),
    () => undefined,
  );
  return loading;
}

/** The Markdown renderer once it has loaded, else undefined (and the load is started). */
export function useMarkdown(): Render | undefined {
  const [render, setRender] = useState<Render | undefined>(() => loaded);
  useEffect(() => {
    if (render !== undefined) return;
    let mounted = true;
    void loadMarkdown().then((r) => {
      if (mounted && r !== undefined) setRender(() => r);
    });
    return () => {
      mounted = false;
    };
  }, [render]);
  return render;
}
