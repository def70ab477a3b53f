// The shared conformance suite, run against the noble backend, with its
// component primitives checked against Wycheproof as well.
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend } from '../src/index.js';
import { noblePrimitives } from '../src/primitives.js';

runConformanceSuite(backend, { primitives: noblePrimitives });
