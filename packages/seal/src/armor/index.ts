/**
 * Streaming text armor for sealed messages (spec/WIRE-FORMAT.md §3.1).
 * @module
 */
export { armorSealedNodeStream, armorSealedStream, dearmorSealedNodeStream, dearmorSealedStream } from './streams.js';
export { isArmoredSealed, SEALED_ARMOR_DETECT_LENGTH } from './detect.js';
