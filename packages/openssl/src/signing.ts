/**
 * `signatureBackend`: ML-DSA-44/65/87 (FIPS 204) and Ed25519 / Ed448
 * (RFC 8032) from OpenSSL 3.5 through node:crypto, for @hybridkem/signing's
 * composite signatures. The composite construction itself is signing's.
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError } from '@hybridkem/core';
import type { EdDsaParams, EdDsaPrimitive, MlDsaParams, MlDsaPrimitive, SignatureBackend } from '@hybridkem/signing';
import { mldsaSeedPkcs8, mldsaSpki, rfc8410Pkcs8, rfc8410Spki } from './der.js';

function rawPublicKey(key: KeyObject, length: number): Uint8Array {
  const der = nodeCrypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - length));
}

function privateKeyFromPkcs8(der: Buffer): KeyObject {
  try {
    return nodeCrypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** A bad key or signature is a failed verification, never a throw (the contract). */
function verifies(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return false;
  }
}

/** Whether every byte is zero, without an early exit. */
function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

function mldsa(params: MlDsaParams): MlDsaPrimitive {
  const key = (seed: Uint8Array) => privateKeyFromPkcs8(mldsaSeedPkcs8(params.name, seed));
  return Object.freeze({
    // The "secret key" handed back is a copy of the 32-byte seed ξ: OpenSSL
    // expands it again (KeyGen_internal) inside each sign. The signer treats
    // it as opaque and wipes it.
    keygen(seed: Uint8Array) {
      return { publicKey: rawPublicKey(key(seed), params.lengths.publicKey), secretKey: seed.slice() };
    },
    sign(secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, rnd: Uint8Array): Uint8Array {
      // node:crypto signs ML-DSA hedged only, with rnd from OpenSSL's DRBG
      // (FIPS 204 §3.4's default); it has no option for the deterministic
      // variant (rnd = 0^32) nor for a caller's rnd. Signing hedged when the
      // caller asked for the deterministic variant would break the promise
      // that such signatures are reproducible, so that request is refused.
      if (isAllZero(rnd)) {
        throw new InvalidArgumentError(
          'deterministic',
          `the openssl backend signs ${params.name} hedged only (node:crypto has no deterministic ML-DSA); use another backend for deterministic signatures`,
        );
      }
      return new Uint8Array(nodeCrypto.sign(null, message, { key: key(secretKey), context }));
    },
    verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean {
      return verifies(() => {
        const pk = nodeCrypto.createPublicKey({ key: mldsaSpki(params.name, publicKey), format: 'der', type: 'spki' });
        return nodeCrypto.verify(null, message, { key: pk, context }, signature);
      });
    },
  });
}

function eddsa(params: EdDsaParams): EdDsaPrimitive {
  const key = (privateKey: Uint8Array) => privateKeyFromPkcs8(rfc8410Pkcs8(params.name, privateKey));
  return Object.freeze({
    getPublicKey: (privateKey: Uint8Array) => rawPublicKey(key(privateKey), params.lengths.publicKey),
    // Pure EdDSA with an empty context (RFC 8032 §5.1.6 / §5.2.6).
    sign: (privateKey: Uint8Array, message: Uint8Array) => new Uint8Array(nodeCrypto.sign(null, message, key(privateKey))),
    verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
      verifies(() => {
        const pk = nodeCrypto.createPublicKey({ key: rfc8410Spki(params.name, publicKey), format: 'der', type: 'spki' });
        return nodeCrypto.verify(null, message, pk, signature);
      }),
  });
}

export function createOpensslSignatureBackend(info: { version: string; implementation: string }): SignatureBackend {
  return Object.freeze({
    name: 'openssl',
    version: info.version,
    implementation: info.implementation,
    constantTime: true,
    // node:crypto's ML-DSA draws rnd itself: the signer refuses { deterministic: true }.
    deterministicSigning: false,
    mldsa,
    eddsa,
  });
}
