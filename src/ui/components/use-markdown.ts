// marked and marked-terminal (with the syntax highlighter they bring) take about 30 ms to load, in one
// piece: neither the chat's first frame nor the first keys typed at it should wait for that. They load once
// the conversation starts (the App asks when the first message is sent, while the model is still thinking,
// or at once for a resumed chat) or when a Markdown block is first shown. Until then Markdown shows its
// text as it is, and the App holds back from <Static> (which prints each entry once, for good) everything
// from the first answer on.
import { useEffect, useState } from 'react';
import type { renderMarkdown } from '../text/markdown-render.js';

type Render = typeof renderMarkdown;

let loaded: Render | undefined;
let loading: Promise<Render> | undefined;

/** Loads the renderer (once). Should it fail to load, text stays plain: nothing is held back for ever. */
export function loadMarkdown(): Promise<Render> {
  loading ??= import('../text/markdown-render.js').then(
    (m) => (loaded = m.renderMarkdown),
    () => (loaded = (source: string) => source),
  );
  return loading;
}

/** The Markdown renderer once it has loaded, else undefined; the load is started when `wanted`. */
export function useMarkdown(wanted = true): Render | undefined {
  const [render, setRender] = useState<Render | undefined>(() => loaded);
  useEffect(() => {
    if (render !== undefined || !wanted) return;
    let mounted = true;
    void loadMarkdown().then((r) => {
      if (mounted) setRender(() => r);
    });
    return () => {
      mounted = false;
    };
  }, [render, wanted]);
  return render;
}
