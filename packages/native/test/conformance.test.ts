// The shared conformance suite on the native backend: every published and
// spec vector, Wycheproof, bad input, and cross-checks with noble both ways
// (native encapsulates and noble decapsulates, and the reverse) for every suite.
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend as nobleBackend } from '@hybridkem/noble';
import { requireNative } from './load.js';

const native = requireNative();
if (native) runConformanceSuite(native.backend, { peers: [nobleBackend] });
