// The TypeScript side of the C# and Kotlin bindings' cross-language round
// trips (csharp/tests/CrossLanguageTests.cs, kotlin's CrossLanguageTest); one
// copy for both, resolving @hybridkem/core and @hybridkem/noble from the
// workspace root. Every object crosses as a file in the armored wire format;
// shared secrets are written as hex only so the test can compare them.
//   keygen      SUITE DIR   -> DIR/ts.pub (armored public key), DIR/ts.key (armored private key)
//   encapsulate PUBFILE DIR -> DIR/ts.ct (armored ciphertext), DIR/ts.ss (hex)
//   decapsulate KEYFILE CTFILE OUTFILE -> OUTFILE (hex)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  armor, bytesToHex, createKem, dearmor, decodeCiphertext, decodePrivateKey, decodePublicKey,
  encodeCiphertext, encodePrivateKey, encodePublicKey,
} from '@hybridkem/core';
import { backend } from '@hybridkem/noble';

const [op, ...args] = process.argv.slice(2);
const read = (file) => dearmor(readFileSync(file, 'utf8')).encoded;

if (op === 'keygen') {
  const [suite, dir] = args;
  const kem = createKem(suite, backend);
  const { publicKey, privateKey } = kem.keygen();
  writeFileSync(join(dir, 'ts.pub'), armor(encodePublicKey(kem.suite, publicKey)));
  writeFileSync(join(dir, 'ts.key'), armor(encodePrivateKey(kem.suite, privateKey)), { mode: 0o600 });
  privateKey.fill(0);
} else if (op === 'encapsulate') {
  const [pubFile, dir] = args;
  const { suite, publicKey } = decodePublicKey(read(pubFile));
  const { ciphertext, sharedSecret } = createKem(suite, backend).encapsulate(publicKey);
  writeFileSync(join(dir, 'ts.ct'), armor(encodeCiphertext(suite, ciphertext)));
  writeFileSync(join(dir, 'ts.ss'), bytesToHex(sharedSecret), { mode: 0o600 });
} else if (op === 'decapsulate') {
  const [keyFile, ctFile, out] = args;
  const { suite, privateKey } = decodePrivateKey(read(keyFile));
  const { suite: ctSuite, ciphertext } = decodeCiphertext(read(ctFile));
  if (ctSuite.id !== suite.id) throw new Error(`ciphertext is ${ctSuite.name}, key is ${suite.name}`);
  writeFileSync(out, bytesToHex(createKem(suite, backend).decapsulate(privateKey, ciphertext)), { mode: 0o600 });
  privateKey.fill(0);
} else {
  console.error('usage: ts-side.mjs keygen|encapsulate|decapsulate ...');
  process.exit(2);
}
