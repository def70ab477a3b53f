/**
 * The default ChannelCrypto of this build: the portable one. The Node build
 * (tsup.config.ts) resolves this module to platform-crypto.node.ts instead.
 * @module
 */
export { portableCrypto as platformCrypto } from './crypto-portable.js';
