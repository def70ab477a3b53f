/**
 * The backend every runtime test runs: @hybridkem/wasm, resolved through the
 * package's own `exports` (each runtime picks its entry by its conditions).
 */
export { backend } from '@hybridkem/wasm';
