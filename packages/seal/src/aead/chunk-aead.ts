/**
 * The per-chunk AEAD calls of a sealed message, synchronous where the AEAD
 * is node:crypto's.
 *
 * hpke-js's `SenderContext.seal` / `RecipientContext.open` wrap each AEAD
 * call in a mutex, two promises and a copy of any view it is given
 * (`toArrayBuffer`): at one call per 64 KiB chunk that was a third of the
 * time of sealing. When the context's AEAD is our node:crypto adapter, the
 * chunkers call it directly, synchronously, with hpke-js's own base nonce
 * and sequence number (RFC 9180 §5.2 `ComputeNonce`; hpke-js's
 * `incrementSeq` advances the number, with its message limit) — the steps
 * of its `seal` / `open` (@hpke/core 1.9.0, `senderContext.js`,
 * `recipientContext.js`) minus the mutex, which guards concurrent calls a
 * chunker never makes (it is sequential by construction). Those members are
 * hpke-js's protected API (`_ctx.key`, `_ctx.baseNonce`, `_ctx.seq`,
 * `incrementSeq` on `EncryptionContextImpl`); if a future
 * hpke-js changes them, `chunkAead` sees it and uses the context's own
 * `seal` / `open` — the same bytes, only slower — and the test
 * `aead-node-crypto.test.ts` ("the chunkers call node:crypto directly")
 * fails, so the change does not go unnoticed.
 * @module
 */
import { OpenError, SealError, type RecipientContext, type SenderContext } from '@hpke/core';
import { NodeCryptoAeadContext } from './node-crypto.js';

/** One chunk's AEAD call; the promise form when the AEAD is asynchronous (hpke-js's WebCrypto / JavaScript AEADs). */
export interface ChunkAead {
  /** `Seal(key, nonce_i, aad, pt)` as [ciphertext, tag] (node:crypto: two pieces, never joined), or one ArrayBuffer `ciphertext ‖ tag`. */
  seal(data: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>): [Uint8Array, Uint8Array] | Promise<ArrayBuffer>;
  /** `Open(key, nonce_i, aad, ct ‖ tag)`: the plaintext, only once the tag verifies; throws otherwise. */
  open(data: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>): Uint8Array | Promise<ArrayBuffer>;
  /** Whether the calls are the synchronous node:crypto ones. */
  readonly direct: boolean;
}

/** The members of hpke-js's EncryptionContextImpl the direct path uses (see the module comment). */
interface HpkeContextInternals {
  readonly _ctx?: { readonly key?: unknown; readonly baseNonce?: unknown; readonly seq?: unknown };
  incrementSeq?(k: unknown): void;
}

const NONCE_LENGTH = 12;

/** The ArrayBuffer itself when `bytes` spans all of it: hpke-js passes an ArrayBuffer through but copies any view. */
function whole(bytes: Uint8Array<ArrayBuffer>): ArrayBuffer | Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes;
}

/**
 * The chunk AEAD of `ctx`: node:crypto called directly when `ctx`'s AEAD is
 * {@link NodeCryptoAeadContext}, the context's own `seal` / `open` otherwise.
 */
export function chunkAead(ctx: SenderContext | RecipientContext): ChunkAead {
  const inner = ctx as unknown as HpkeContextInternals;
  const state = inner._ctx;
  const key = state?.key;
  const baseNonce = state?.baseNonce;
  if (
    key instanceof NodeCryptoAeadContext &&
    baseNonce instanceof Uint8Array &&
    baseNonce.length === NONCE_LENGTH &&
    typeof state?.seq === 'number' &&
    typeof inner.incrementSeq === 'function'
  ) {
    const incrementSeq = inner.incrementSeq.bind(ctx);
    // RFC 9180 §5.2 ComputeNonce: base_nonce XOR I2OSP(seq, Nn), with
    // hpke-js's own base_nonce and seq, into one buffer (node:crypto copies
    // the IV it is given): what hpke-js's computeNonce returns, without its
    // two allocations per chunk. seq < 2^53 (incrementSeq's limit), so its
    // bytes sit in the last seven of the twelve.
    const nonce = new Uint8Array(NONCE_LENGTH);
    const computeNonce = (): Uint8Array => {
      nonce.set(baseNonce);
      for (let i = NONCE_LENGTH - 1, s = state.seq as number; s > 0; i--, s = Math.floor(s / 256)) nonce[i]! ^= s & 0xff;
      return nonce;
    };
    return {
      direct: true,
      // As hpke-js: the AEAD's failure wrapped in its SealError / OpenError,
      // the sequence number advanced only after the AEAD succeeded.
      seal(data, aad) {
        let parts: [Uint8Array, Uint8Array];
        try {
          parts = key.sealParts(computeNonce(), data, aad);
        } catch (e) {
          throw new SealError(e);
        }
        incrementSeq(state);
        return parts;
      },
      open(data, aad) {
        let pt: Uint8Array;
        try {
          pt = key.openSync(computeNonce(), data, aad);
        } catch (e) {
          throw new OpenError(e);
        }
        incrementSeq(state);
        return pt;
      },
    };
  }
  return {
    direct: false,
    seal: (data, aad) => (ctx as SenderContext).seal(whole(data), aad.buffer),
    open: (data, aad) => (ctx as RecipientContext).open(whole(data), aad.buffer),
  };
}
