// Malformed wire objects and the error code a decoder must give for each
// (spec/WIRE-FORMAT.md §2-3). Built from valid objects by changing one thing,
// and checked against our own decoder before they are written.
import {
  ARMOR_LABELS,
  HybridKemError,
  XWING,
  MLKEM768_P256,
  ML_KEM_768,
  DHKEM_X25519_HKDF_SHA256,
  armor,
  bytesToHex,
  createKem,
  dearmor,
  decodeObject,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
} from '@hybridkem/core';
import { backend, signatureBackend } from '@hybridkem/noble';
import { MLDSA44_ED25519_SHA512, createSigner, encodeSigningPublicKey } from '@hybridkem/signing';

const SEED = new Uint8Array(32).fill(0x42);
const RANDOMNESS = new Uint8Array(64).fill(0x24);

const mutate = (bytes, f) => {
  const copy = bytes.slice();
  f(copy);
  return copy;
};
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

export function invalidCases() {
  const xwing = createKem(XWING, backend);
  const p256 = createKem(MLKEM768_P256, backend);
  const { publicKey, privateKey } = xwing.keygen(SEED);
  const { ciphertext } = xwing.encapsulate(publicKey, RANDOMNESS);
  const pub = encodePublicKey(XWING, publicKey);
  const priv = encodePrivateKey(XWING, privateKey);
  const ct = encodeCiphertext(XWING, ciphertext);
  const p256Pub = encodePublicKey(MLKEM768_P256, p256.keygen(SEED).publicKey);
  const pubText = armor(pub);
  // The single-algorithm suites (§1.4): a 64-byte ML-KEM private key, DHKEM's bare X25519 values.
  const mlkem = createKem(ML_KEM_768, backend);
  const mlkemPair = mlkem.keygen(new Uint8Array(64).fill(0x42));
  const mlkemPub = encodePublicKey(ML_KEM_768, mlkemPair.publicKey);
  const mlkemPriv = encodePrivateKey(ML_KEM_768, mlkemPair.privateKey);
  const dhkem = createKem(DHKEM_X25519_HKDF_SHA256, backend);
  const dhkemPk = dhkem.keygen(SEED).publicKey;
  const dhkemPub = encodePublicKey(DHKEM_X25519_HKDF_SHA256, dhkemPk);
  const dhkemCt = encodeCiphertext(DHKEM_X25519_HKDF_SHA256, dhkem.encapsulate(dhkemPk, new Uint8Array(32).fill(0x24)).ciphertext);
  const signingPub = encodeSigningPublicKey(MLDSA44_ED25519_SHA512, createSigner(MLDSA44_ED25519_SHA512, signatureBackend).keygen(new Uint8Array(64).fill(7)).publicKey);

  const binary = [
    ['publicKey', 'empty input', new Uint8Array(0), 'ERR_TRUNCATED'],
    ['publicKey', 'header cut after 3 bytes', pub.subarray(0, 3), 'ERR_TRUNCATED'],
    ['publicKey', 'version 0', mutate(pub, (b) => (b[0] = 0)), 'ERR_UNSUPPORTED_VERSION'],
    ['publicKey', 'version 2', mutate(pub, (b) => (b[0] = 2)), 'ERR_UNSUPPORTED_VERSION'],
    ['publicKey', 'kind byte 0x00', mutate(pub, (b) => (b[1] = 0)), 'ERR_UNKNOWN_KIND'],
    // 0xff stands for "a kind byte this version does not define": 0x0a-0x0c are the mesh kinds (spec/MESH.md),
    // and the next kind reserved will not be 0xff.
    ['publicKey', 'kind byte 0xff (not defined)', mutate(pub, (b) => (b[1] = 0xff)), 'ERR_UNKNOWN_KIND'],
    ['publicKey', 'kind byte 0x04 (a sealed message, not a KEM object)', mutate(pub, (b) => (b[1] = 4)), 'ERR_WRONG_KIND'],
    ['privateKey', 'kind byte 0x08 (an encrypted private key, not a KEM object)', mutate(priv, (b) => (b[1] = 8)), 'ERR_WRONG_KIND'],
    ['publicKey', 'kind byte 0x0a (a mesh key envelope, not a KEM object)', mutate(pub, (b) => (b[1] = 0x0a)), 'ERR_WRONG_KIND'],
    ['ciphertext', 'kind byte 0x0b (a mesh directory record, not a KEM object)', mutate(ct, (b) => (b[1] = 0x0b)), 'ERR_WRONG_KIND'],
    ['privateKey', 'kind byte 0x0c (a mesh PSK exchange message, not a KEM object)', mutate(priv, (b) => (b[1] = 0x0c)), 'ERR_WRONG_KIND'],
    ['publicKey', 'a ciphertext where a public key is expected', ct, 'ERR_WRONG_KIND'],
    ['privateKey', 'a public key where a private key is expected', pub, 'ERR_WRONG_KIND'],
    ['ciphertext', 'a private key where a ciphertext is expected', priv, 'ERR_WRONG_KIND'],
    ['publicKey', 'a composite signing public key (kind 0x05) where a KEM public key is expected', signingPub, 'ERR_WRONG_KIND'],
    ['publicKey', 'unknown suite id 0x0000', mutate(pub, (b) => ((b[2] = 0), (b[3] = 0))), 'ERR_UNKNOWN_SUITE'],
    ['publicKey', 'HPKE id 0x0052, which is not one of our suites', mutate(pub, (b) => ((b[2] = 0x00), (b[3] = 0x52))), 'ERR_UNKNOWN_SUITE'],
    ['publicKey', 'body one byte short', pub.subarray(0, pub.length - 1), 'ERR_TRUNCATED'],
    ['publicKey', 'one trailing byte', concat(pub, new Uint8Array([0])), 'ERR_TRAILING_DATA'],
    ['privateKey', 'seed of 31 bytes', priv.subarray(0, priv.length - 1), 'ERR_TRUNCATED'],
    ['privateKey', 'seed of 33 bytes', concat(priv, new Uint8Array([1])), 'ERR_TRAILING_DATA'],
    ['ciphertext', 'ciphertext one byte short', ct.subarray(0, ct.length - 1), 'ERR_TRUNCATED'],
    ['publicKey', 'X-Wing key with a P-256 suite id (lengths differ)', mutate(pub, (b) => ((b[2] = 0xff), (b[3] = 0x03))), 'ERR_TRUNCATED'],
    ['publicKey', 'ML-KEM coefficient 0 = 4095 (FIPS 203 §7.2)', mutate(pub, (b) => ((b[4] = 0xff), (b[5] |= 0x0f))), 'ERR_INVALID_MLKEM_KEY'],
    ['publicKey', 'ML-KEM coefficient 1 = 3329 = q', mutate(pub, (b) => ((b[5] = (b[5] & 0x0f) | 0x10), (b[6] = 0xd0))), 'ERR_INVALID_MLKEM_KEY'],
    ['publicKey', 'X25519 key u = 0 (low order)', mutate(pub, (b) => b.fill(0, 4 + 1184)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['publicKey', 'X25519 key u = 1 (low order)', mutate(pub, (b) => (b.fill(0, 4 + 1184), (b[4 + 1184] = 1))), 'ERR_INVALID_GROUP_ELEMENT'],
    ['ciphertext', 'X25519 ephemeral key u = 0 (low order)', mutate(ct, (b) => b.fill(0, 4 + 1088)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['publicKey', 'P-256 point off the curve', mutate(p256Pub, (b) => (b[b.length - 1] ^= 1)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['publicKey', 'P-256 point with compressed prefix 0x02', mutate(p256Pub, (b) => (b[4 + 1184] = 2)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['privateKey', 'ML-KEM-768 private key (d ‖ z) of 63 bytes', mlkemPriv.subarray(0, mlkemPriv.length - 1), 'ERR_TRUNCATED'],
    ['privateKey', 'ML-KEM-768 private key of 65 bytes', concat(mlkemPriv, new Uint8Array([1])), 'ERR_TRAILING_DATA'],
    ['privateKey', 'a 32-byte X-Wing seed with the ML-KEM-768 suite id (64 bytes expected)', mutate(priv, (b) => ((b[2] = 0x00), (b[3] = 0x41))), 'ERR_TRUNCATED'],
    ['publicKey', 'ML-KEM-768 key with coefficient 0 = 4095 (FIPS 203 §7.2)', mutate(mlkemPub, (b) => ((b[4] = 0xff), (b[5] |= 0x0f))), 'ERR_INVALID_MLKEM_KEY'],
    ['publicKey', 'ML-KEM-768 key with a trailing byte', concat(mlkemPub, new Uint8Array([0])), 'ERR_TRAILING_DATA'],
    ['publicKey', 'DHKEM-X25519 key u = 0 (low order, RFC 9180 §7.1.4)', mutate(dhkemPub, (b) => b.fill(0, 4)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['publicKey', 'DHKEM-X25519 key u = 1 (low order)', mutate(dhkemPub, (b) => (b.fill(0, 4), (b[4] = 1))), 'ERR_INVALID_GROUP_ELEMENT'],
    ['ciphertext', 'DHKEM-X25519 enc u = 0 (low order)', mutate(dhkemCt, (b) => b.fill(0, 4)), 'ERR_INVALID_GROUP_ELEMENT'],
    ['ciphertext', 'DHKEM-X25519 enc one byte short', dhkemCt.subarray(0, dhkemCt.length - 1), 'ERR_TRUNCATED'],
  ];

  const lines = pubText.trimEnd().split('\n');
  const armored = [
    ['publicKey', 'armor: text before BEGIN', `hello\n${pubText}`, 'ERR_ARMOR'],
    ['publicKey', 'armor: a byte-order mark before BEGIN (not whitespace)', `\ufeff${pubText}`, 'ERR_ARMOR'],
    ['publicKey', 'armor: a no-break space after END (not whitespace)', `${pubText}\u00a0`, 'ERR_ARMOR'],
    ['publicKey', 'armor: headers are not allowed', `${lines[0]}\nSuite: X-Wing\n\n${lines.slice(1).join('\n')}\n`, 'ERR_ARMOR'],
    ['publicKey', 'armor: unknown label', pubText.replaceAll(ARMOR_LABELS.publicKey, 'PUBLIC KEY'), 'ERR_ARMOR'],
    ['publicKey', 'armor: BEGIN and END labels differ', pubText.replace(`END ${ARMOR_LABELS.publicKey}`, `END ${ARMOR_LABELS.ciphertext}`), 'ERR_ARMOR'],
    ['publicKey', 'armor: label says private key, object is a public key', pubText.replaceAll(ARMOR_LABELS.publicKey, ARMOR_LABELS.privateKey), 'ERR_ARMOR'],
    ['publicKey', 'armor: a line longer than 64 characters', [lines[0], lines[1] + lines[2], ...lines.slice(3)].join('\n') + '\n', 'ERR_ARMOR'],
    ['publicKey', 'armor: character outside base64', pubText.replace(lines[1], `${lines[1].slice(0, 63)}*`), 'ERR_ARMOR'],
    ['publicKey', 'armor: non-canonical base64 padding bits', nonCanonical(pubText), 'ERR_ARMOR'],
  ];

  const out = [];
  for (const [kind, description, bytes, error] of binary) {
    expectError(error, () => decodeObject(bytes, kind), description);
    out.push({ description, kind, hex: bytesToHex(bytes), error });
  }
  for (const [kind, description, text, error] of armored) {
    expectError(error, () => decodeObject(dearmor(text).encoded, kind), description);
    out.push({ description, kind, armored: text, error });
  }
  return out;
}

// Sets unused low bits of the last base64 character before the "=" padding
// (X-Wing's 1220-byte object ends in one "="): the bytes decode the same,
// but a strict reader refuses the non-canonical form (RFC 4648 §3.5).
function nonCanonical(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 2];
  const at = last.indexOf('=') - 1;
  if (at < 0) throw new Error('nonCanonical: expected padding on the last base64 line');
  const changed = alphabet[(alphabet.indexOf(last[at]) & ~3) | 1];
  lines[lines.length - 2] = last.slice(0, at) + changed + last.slice(at + 1);
  return `${lines.join('\n')}\n`;
}

function expectError(code, fn, description) {
  try {
    fn();
  } catch (e) {
    if (e instanceof HybridKemError && e.code === code) return;
    throw new Error(`invalid case "${description}": expected ${code}, got ${e?.code ?? e}`);
  }
  throw new Error(`invalid case "${description}": expected ${code}, decoded without error`);
}
