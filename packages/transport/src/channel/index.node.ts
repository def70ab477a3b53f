/**
 * `@hybridkem/transport/channel` under the `node` condition: everything of
 * index.ts (built with node:crypto as the default ChannelCrypto, see
 * tsup.config.ts), the node:crypto provider itself, and the Node stream adapter.
 * @module
 */
export * from './index.js';
export * from './node.js';
export { nodeCrypto } from './noise/crypto-node.js';
