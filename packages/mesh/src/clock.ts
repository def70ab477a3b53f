/**
 * Time as the mesh sees it: milliseconds since the Unix epoch. Everything
 * that judges freshness or expiry takes a Clock, so tests move time instead
 * of waiting for it.
 * @module
 */
export interface Clock {
  /** Milliseconds since 1970-01-01T00:00:00Z, an integer. */
  now(): number;
}

/** The system clock (Date.now). */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
