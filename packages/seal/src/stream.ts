/**
 * Sealed messages as WHATWG streams: `TransformStream<Uint8Array, Uint8Array>`
 * from plaintext to the sealed message and back. Byte for byte the format of
 * the one-shot `seal` / `open` (spec/WIRE-FORMAT.md §7); each side holds at
 * most one chunk (64 KiB + 16 bytes) besides the piece being written to it.
 * @module
 */
import type { SealChunker } from './chunks.js';
import { prepareOpen, prepareSeal } from './message.js';
import type { SealOptions } from './raw.js';
import type { HpkeSuite } from './suite.js';

/**
 * A stream that seals what is written to it to `recipientPublicKey` (raw,
 * the suite's length); its readable side gives `HEADER ‖ enc` and then each chunk as
 * soon as it is sealed. Errors of the key (ERR_INVALID_MLKEM_KEY, …) error the
 * stream.
 * @throws {InvalidLengthError} / {InvalidArgumentError} at once, for bad arguments
 */
export function sealStream(
  suite: HpkeSuite,
  recipientPublicKey: Uint8Array,
  options?: SealOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const make = prepareSeal(suite, recipientPublicKey, options);
  let chunker: SealChunker;
  return new TransformStream<Uint8Array, Uint8Array>({
    async start() {
      chunker = await make();
    },
    transform(chunk, controller) {
      return chunker.push(chunk, (b) => controller.enqueue(b));
    },
    flush(controller) {
      return chunker.finish((b) => controller.enqueue(b));
    },
  });
}

/**
 * A stream that opens the sealed message written to it with
 * `recipientPrivateKey` (the 32-byte seed). Its readable side gives each
 * chunk's plaintext only after that chunk's tag verifies; on the first failure
 * (OpenError for authentication, core's typed errors for the header) the
 * stream errors and gives nothing more. A message cut at a chunk boundary is
 * detected only when the input ends (the last chunk then fails as final).
 * @throws {InvalidLengthError} / {InvalidArgumentError} at once, for bad arguments
 */
export function openStream(
  suite: HpkeSuite,
  recipientPrivateKey: Uint8Array,
  options?: SealOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const chunker = prepareOpen(suite, recipientPrivateKey, options);
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      return chunker.push(chunk, (b) => controller.enqueue(b));
    },
    flush(controller) {
      return chunker.finish((b) => controller.enqueue(b));
    },
  });
}
