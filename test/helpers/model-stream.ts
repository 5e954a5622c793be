// Reading a ChatModel's stream in the model adapter tests: every event, or the AppError it ends with.
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { ModelStreamEvent } from '../../src/model/types.js';

export async function collect(events: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

export async function failure(events: AsyncIterable<ModelStreamEvent>): Promise<AppError> {
  try {
    await collect(events);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the stream to fail');
}
