/**
 * What the mesh demos (index.mjs, wg.mjs) share: their command-line
 * handling, their suites and how they make keys.
 */
import { parseArgs } from 'node:util';
import { encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { backend, signatureBackend } from '@hybridkem/noble';
import { createHpkeSuite } from '@hybridkem/seal';
import { createSigner, encodeSigningPrivateKey, encodeSigningPublicKey } from '@hybridkem/signing';

/**
 * The demo's options (node:util parseArgs, strict, with --help/-h and
 * --check added); prints `usage` for --help and exits 0, exits 2 on a bad
 * option. Returns the options, `check` and `log` (silent under --check).
 */
export function demoOptions(demo, options, usage) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { ...options, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      // `pnpm demo:… -- --check` may hand the script a leading "--".
      args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    }));
  } catch (error) {
    console.error(`${demo}: ${error.message.split('\n', 1)[0]}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const check = values.check === true;
  const log = check ? () => {} : (line = '') => console.log(line);
  return { options: values, check, log };
}

/** The suites of the demos: X-Wing HPKE and ML-DSA-65 + Ed25519 composite signatures, on the noble backend (pure JS: loads anywhere). */
export const crypto = Object.freeze({
  hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
  signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
});

/** A fresh composite signing key pair, both encoded (v1 objects, kinds 0x05/0x06). */
export function signingKeyPair() {
  const kp = crypto.signer.keygen();
  const pair = { publicKey: encodeSigningPublicKey(crypto.signer.suite, kp.publicKey), privateKey: encodeSigningPrivateKey(crypto.signer.suite, kp.privateKey) };
  kp.privateKey.fill(0);
  return pair;
}

/** A fresh X-Wing key pair, both encoded (v1 objects, kinds 0x01/0x02). */
export function kemKeyPair() {
  const kem = crypto.hpke.hpkeKem.kem;
  const kp = kem.keygen();
  const pair = { publicKey: encodePublicKey(kem.suite.id, kp.publicKey), privateKey: encodePrivateKey(kem.suite.id, kp.privateKey) };
  kp.privateKey.fill(0);
  return pair;
}
