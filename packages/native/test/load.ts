// Loads the package under test once. Outside CI, a missing build (no cargo or
// cmake here) skips every test with one line saying why; under CI=true it is
// a failure: CI must test the native backend, never skip it.
import { inCI } from '@hybridkem/core/testing';
import { it } from 'vitest';

type NativeModule = typeof import('../src/index.js');

let mod: NativeModule | undefined;
let loadError: unknown;
try {
  mod = await import('../src/index.js');
} catch (error) {
  loadError = error;
}

export const native = mod;

/** Registers a test that fails (CI) or a skip (elsewhere) when the addon did not load; returns the module otherwise. */
export function requireNative(): NativeModule | undefined {
  if (mod) return mod;
  const reason = loadError instanceof Error ? loadError.message.split('\n')[0] : String(loadError);
  if (inCI) {
    it('the native addon loads (CI=true: required)', () => {
      throw loadError;
    });
  } else {
    it.skip(`native addon not loaded, skipped outside CI: ${reason}`, () => {});
  }
  return undefined;
}
