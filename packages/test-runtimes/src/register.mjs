/**
 * Lets a plain `.mjs` file under `node` (node:test, a runner script) import
 * this package's TypeScript sources: `import '@hybridkem/test-runtimes/register'`
 * first, then `await import('@hybridkem/test-runtimes/chromium')` and the rest.
 * The package is never built; Node strips the types itself (the workspace
 * symlink resolves outside node_modules), but the sources import siblings as
 * `./x.js` (TypeScript's convention), so this resolve hook maps a missing
 * `.js` to the `.ts` beside it, for files of this package only.
 * @module
 */
import { registerHooks } from 'node:module';

const SOURCES = new URL('./', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      if (!context.parentURL?.startsWith(SOURCES)) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
