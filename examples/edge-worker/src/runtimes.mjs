/**
 * Loads @hybridkem/test-runtimes' workerd helpers (bundleWorker, startWorkerd,
 * firstResponse) from their TypeScript sources (see its register.mjs).
 * @module
 */
import '@hybridkem/test-runtimes/register';

/** @type {typeof import('@hybridkem/test-runtimes/workerd')} */
export const workerd = await import('@hybridkem/test-runtimes/workerd');
/** @type {typeof import('@hybridkem/test-runtimes/runtime')} */
export const runtime = await import('@hybridkem/test-runtimes/runtime');
