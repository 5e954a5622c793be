// The one knob for how long tests wait: every time limit in the suite is a base value passed through
// scaled(), so a slow or busy machine raises them all at once (TEST_TIME_SCALE=3 npm test) without editing tests.
// Also the one pattern for durations in output: tests never assert on how long something took, or its unit.

import { availableParallelism, loadavg } from 'node:os';

/**
 * TEST_TIME_SCALE when set; otherwise how busy the machine already is when the suite starts (load per core,
 * between 1 and 4), so a machine kept busy by something else gets longer limits without anyone setting anything.
 */
function readScale(): number {
  const raw = process.env.TEST_TIME_SCALE;
  if (raw === undefined || raw.trim() === '') return Math.min(4, Math.max(1, (loadavg()[0] ?? 0) / availableParallelism()));
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`TEST_TIME_SCALE must be a positive number, got "${raw}"`);
  return value;
}

/** The factor every test time limit is multiplied by. */
export const TIME_SCALE = readScale();

/** A time limit of `ms` on a normal machine, stretched by TEST_TIME_SCALE; never shortened below the base. */
export function scaled(ms: number): number {
  return Math.round(ms * Math.max(1, TIME_SCALE));
}

/**
 * Any duration mcpsh prints, in every form it uses (`12ms`, `12 ms`, `1.6s`, `1.6 s`, `2m 05s`): a regex source
 * to build patterns with, so an assertion holds whether a step took 3 ms or 3 s.
 */
export const DURATION = String.raw`(?:\d+m \d\ds|\d+(?:\.\d+)? ?(?:ms|s))`;

/** A RegExp from a pattern source in which the token `<duration>` stands for any printed duration. */
export function withDuration(source: string, flags?: string): RegExp {
  return new RegExp(source.replaceAll('<duration>', DURATION), flags);
}
