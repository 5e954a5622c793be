// Resolves when Ink's layout engine (yoga-layout's WebAssembly) is ready. Loaded as ES modules, yoga-layout
// waits for it with a top-level await, so this is already settled; in the bundle (scripts/bundle.mjs) the
// module is replaced by one that resolves when the load ends. The chat awaits it before its first render.
export const yogaReady: Promise<void> = Promise.resolve();
