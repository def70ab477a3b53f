/**
 * The per-chunk AEAD calls of a sealed message, synchronous where the AEAD
 * is node:crypto's.
 *
 * hpke-js's `SenderContext.seal` / `RecipientContext.open` wrap each AEAD
 * call in a mutex, two promises and a copy of any view it is given
 * (`toArrayBuffer`): at one call per 64 KiB chunk that was a third of the
 * time of sealing. When the context's AEAD is our node:crypto adapter, the
 * chunkers call it directly, synchronously, with the nonce and sequence
 * number still computed and advanced by hpke-js itself (`computeNonce`,
 * `incrementSeq`: RFC 9180 §5.2 `ComputeNonce` and `IncrementSeq`, with its
 * message limit) — exactly the steps of its `seal` / `open` (@hpke/core
 * 1.9.0, `senderContext.js`, `recipientContext.js`) minus the mutex, which
 * guards concurrent calls a chunker never makes (it is sequential by
 * construction). Those members are hpke-js's protected API (`_ctx`,
 * `computeNonce`, `incrementSeq` on `EncryptionContextImpl`); if a future
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
  readonly _ctx?: { readonly key?: unknown };
  computeNonce?(k: unknown): ArrayBuffer;
  incrementSeq?(k: unknown): void;
}

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
  if (key instanceof NodeCryptoAeadContext && typeof inner.computeNonce === 'function' && typeof inner.incrementSeq === 'function') {
    const computeNonce = inner.computeNonce.bind(ctx);
    const incrementSeq = inner.incrementSeq.bind(ctx);
    return {
      direct: true,
      // As hpke-js: the AEAD's failure wrapped in its SealError / OpenError,
      // the sequence number advanced only after the AEAD succeeded.
      seal(data, aad) {
        let parts: [Uint8Array, Uint8Array];
        try {
          parts = key.sealParts(new Uint8Array(computeNonce(state)), data, aad);
        } catch (e) {
          throw new SealError(e);
        }
        incrementSeq(state);
        return parts;
      },
      open(data, aad) {
        let pt: Uint8Array;
        try {
          pt = key.openSync(new Uint8Array(computeNonce(state)), data, aad);
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
