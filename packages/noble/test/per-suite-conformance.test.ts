// The shared conformance suite, run against each suite's own noble backend
// (@hybridkem/noble/<suite>): each must implement its suite and no other, pass
// that suite's published and spec vectors, and interoperate with the backend
// of every suite.
import type { Backend, SuiteName } from '@hybridkem/core';
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend } from '../src/index.js';
import { dhkemX25519 } from '../src/suites/dhkem-x25519-hkdf-sha256.js';
import { hpkeMlKem1024P384 } from '../src/suites/hpke-mlkem1024-p384.js';
import { hpkeMlKem768P256 } from '../src/suites/hpke-mlkem768-p256.js';
import { mlKem1024Alone } from '../src/suites/ml-kem-1024.js';
import { mlKem768Alone } from '../src/suites/ml-kem-768.js';
import { mlKem1024P384 } from '../src/suites/mlkem1024-p384.js';
import { mlKem768P256 } from '../src/suites/mlkem768-p256.js';
import { xWing } from '../src/suites/x-wing.js';
import { x25519MlKem1024 } from '../src/suites/x25519-mlkem1024.js';
import { x25519MlKem768 } from '../src/suites/x25519-mlkem768.js';

const PER_SUITE: [SuiteName, Backend][] = [
  ['X25519-MLKEM768', x25519MlKem768],
  ['X25519-MLKEM1024', x25519MlKem1024],
  ['X-Wing', xWing],
  ['MLKEM768-P256', mlKem768P256],
  ['MLKEM1024-P384', mlKem1024P384],
  ['HPKE-MLKEM768-P256', hpkeMlKem768P256],
  ['HPKE-MLKEM1024-P384', hpkeMlKem1024P384],
  ['ML-KEM-768', mlKem768Alone],
  ['ML-KEM-1024', mlKem1024Alone],
  ['DHKEM-X25519-HKDF-SHA256', dhkemX25519],
];

for (const [suite, own] of PER_SUITE) runConformanceSuite(own, { suites: [suite], peers: [backend] });
