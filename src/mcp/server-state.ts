// A server connection's state, and the small view of it that waits and restarts need: they depend on this,
// not on ServerConnection (connection.ts), so nothing that the connection uses imports it back.

export type ServerState = 'disabled' | 'connecting' | 'ready' | 'restarting' | 'failed' | 'closed';

/** Something whose ServerState can be read and watched (a ServerConnection). */
export interface StateWatch {
  readonly state: ServerState;
  /** Calls `listener` on every state change; returns the function that stops it. */
  onStateChange(listener: (state: ServerState) => void): () => void;
}
