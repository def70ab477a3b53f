/**
 * Loads @hybridkem/test-runtimes' workerd helpers (bundleWorker, startWorkerd,
 * firstResponse) from their TypeScript sources. That package is never built;
 * Node strips the types itself (the workspace symlink resolves outside
 * node_modules), but its sources import siblings as `./x.js` (TypeScript's
 * convention), so a resolve hook maps a missing `.js` to the `.ts` beside it.
 * @module
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      if (!context.parentURL?.includes('/test-runtimes/src/')) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});

/** @type {typeof import('@hybridkem/test-runtimes/workerd')} */
export const workerd = await import('@hybridkem/test-runtimes/workerd');
/** @type {typeof import('@hybridkem/test-runtimes/runtime')} */
export const runtime = await import('@hybridkem/test-runtimes/runtime');
