// Wrapping what a transport hands on: the SDK Client sets `onmessage` when it connects, so a hook must wrap
// whatever handler is set later. Hooks stack (the debug tracer, the depth guard, the resultType bridge): each
// chains to the setter that was there before it, so every layer sees the messages in order.
import type { Transport } from './types.js';

type Handler = NonNullable<Transport['onmessage']>;

/** Every handler later set as `transport.onmessage` is replaced by `wrap(handler)`. */
export function wrapInbound(transport: Transport, wrap: (next: Handler) => Handler): void {
  const previous = Object.getOwnPropertyDescriptor(transport, 'onmessage');
  let stored = transport.onmessage;
  const store = (handler: Transport['onmessage']): void => {
    if (previous?.set) previous.set.call(transport, handler);
    else stored = handler;
  };
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => (previous?.get ? (previous.get.call(transport) as Transport['onmessage']) : stored),
    set: (next: Transport['onmessage']) => store(next ? wrap(next) : next),
  });
}
