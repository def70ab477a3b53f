import { hexToBytes as h, bytesToHex } from '@hybridkem/core';
import { ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import fs from 'node:fs';
const cg = JSON.parse(fs.readFileSync('/work/shared/vectors/concrete-hybrid-kems/test-vectors.json'));
const enc = (s) => new TextEncoder().encode(s);
for (const [key, kem, curve, el, labels] of [['mlkem768_p256', ml_kem768, p256, 65, ['|-()-|', 'MLKEM768-P256']], ['mlkem1024_p384', ml_kem1024, p384, 97, [' | /-\\', 'MLKEM1024-P384']]]) {
  const v = cg[key][0];
  const { secretKey } = kem.keygen(h('x', v.decapsulation_key_pq));
  const ct = h('c', v.ciphertext), pk = h('p', v.encapsulation_key);
  const ctT = ct.subarray(ct.length - el), pkT = pk.subarray(pk.length - el);
  const ssM = kem.decapsulate(ct.subarray(0, ct.length - el), secretKey);
  const full = curve.getSharedSecret(h('d', v.decapsulation_key_t), ctT, false);
  for (const ssT of [full.slice(1, 1 + (el - 1) / 2), full.slice(1)]) for (const l of labels) {
    const parts = [ssM, ssT, ctT, pkT, enc(l)];
    const buf = new Uint8Array(parts.reduce((a, b) => a + b.length, 0)); let o = 0; for (const p of parts) { buf.set(p, o); o += p.length; }
    console.log(key, ssT.length, JSON.stringify(l), bytesToHex(sha3_256(buf)) === v.shared_secret);
  }
  // encaps randomness: where does the ephemeral scalar come from?
  const r = h('r', v.randomness);
  const eph = r.subarray(32);
  console.log('ctT from rand[32:] as scalar:', bytesToHex(curve.getPublicKey(eph.length === (el-1)/2 ? eph : eph.subarray(0,(el-1)/2), false)) === bytesToHex(ctT), eph.length);
}
