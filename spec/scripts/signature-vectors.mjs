// Known answers for the composite signature suites (spec/WIRE-FORMAT.md §6.8):
// deterministic signatures (ML-DSA with rnd = 0^32; EdDSA is deterministic)
// over derived keys, messages and contexts, with every encoding of the keys
// and the signature. The published draft vectors are hedged, so they cannot
// pin down our signer byte for byte; these can.
import { armor, bytesToHex } from '@hybridkem/core';
import { signatureBackend } from '@hybridkem/noble';
import {
  SIGNATURE_SUITES,
  createSigner,
  encodeSignature,
  encodeSigningPrivateKey,
  encodeSigningPublicKey,
  privateKeyToPem,
  publicKeyToPem,
  signingKeyId,
} from '@hybridkem/signing';

// Message and context lengths per vector: empty, short, a context, the
// longest context (255 bytes) over a longer message.
const SHAPES = [
  { message: 0, context: 0 },
  { message: 1, context: 0 },
  { message: 64, context: 8 },
  { message: 1000, context: 255 },
];

export function signatureVectorFiles(deriveBytes, generator) {
  const derive = (suite, index, what, length) => (length === 0 ? new Uint8Array(0) : deriveBytes(suite, index, what, length));
  const files = new Map();
  for (const suite of SIGNATURE_SUITES) {
    const signer = createSigner(suite, signatureBackend);
    const vectors = SHAPES.map((shape, i) => {
      const seed = derive(suite.name, i, 'seed', suite.lengths.seed);
      const message = derive(suite.name, i, 'message', shape.message);
      const context = derive(suite.name, i, 'context', shape.context);
      const { publicKey, privateKey } = signer.keygen(seed);
      const signature = signer.sign(privateKey, message, { context, deterministic: true });
      if (!signer.verify(publicKey, message, signature, { context }).valid) throw new Error(`${suite.name} #${i}: does not verify`);
      const encoded = {
        publicKey: encodeSigningPublicKey(suite, publicKey),
        privateKey: encodeSigningPrivateKey(suite, privateKey),
        signature: encodeSignature(suite, signature),
      };
      return {
        seed: bytesToHex(seed),
        publicKey: bytesToHex(publicKey),
        message: bytesToHex(message),
        context: bytesToHex(context),
        signature: bytesToHex(signature),
        encoded: {
          publicKey: bytesToHex(encoded.publicKey),
          privateKey: bytesToHex(encoded.privateKey),
          signature: bytesToHex(encoded.signature),
        },
        armored: { publicKey: armor(encoded.publicKey), privateKey: armor(encoded.privateKey), signature: armor(encoded.signature) },
        keyId: signingKeyId(encoded.publicKey),
        pem: { publicKey: publicKeyToPem(suite, publicKey), privateKey: privateKeyToPem(suite, privateKey) },
      };
    });
    files.set(`signatures/${suite.name.toLowerCase()}.json`, {
      suite: suite.name,
      suiteId: suite.id,
      oid: suite.oid,
      label: suite.label,
      deterministic: true,
      generator,
      vectors,
    });
  }
  return files;
}
