/**
 * `@hybridkem/transport/channel` (default condition): the Noise channel of
 * spec/TRANSPORT.md §6, runtime-neutral — nothing here imports `node:`.
 * A plain list of `export *` lines; the Node additions are in index.node.ts.
 * @module
 */
export * from './noise/index.js';
export * from './errors.js';
export * from './framing.js';
export * from './negotiation.js';
export * from './channel.js';
export * from './streams.js';
export * from './websocket.js';
