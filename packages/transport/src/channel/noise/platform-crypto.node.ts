/**
 * The default ChannelCrypto of the Node build (the `node` export condition
 * and the main entry): node:crypto. tsup.config.ts swaps it in for
 * platform-crypto.ts.
 * @module
 */
export { nodeCrypto as platformCrypto } from './crypto-node.js';
