/**
 * What the noble backends report about themselves, and the helper that
 * builds a backend of one suite.
 * @module
 */
import {
  composeSuites,
  dhkem,
  InvalidArgumentError,
  type Backend,
  type Combiner,
  type ComposedBackendInfo,
  type DhkemSuite,
  type GroupPrimitive,
  type MlKemPrimitive,
  type MlKemSuite,
  type Suite,
} from '@hybridkem/core';

/** The same for the backend of every suite and for each suite's own. */
export function nobleInfo(): ComposedBackendInfo {
  return {
    name: 'noble',
    version: __NOBLE_BACKEND_VERSION__,
    implementation: `@noble/post-quantum ${__NOBLE_POST_QUANTUM_VERSION__}, @noble/curves ${__NOBLE_CURVES_VERSION__} (pure JavaScript)`,
    constantTime: false,
  };
}

/**
 * A backend of `suite` alone. The components are the suite's own: core's
 * table says which (suite.mlkem, suite.group, suite.combiner); composeSuites
 * rejects a combiner that is not the suite's, and the conformance suite's
 * vectors reject a wrong ML-KEM or group.
 */
export function suiteBackend(suite: Suite, mlkem: MlKemPrimitive, group: GroupPrimitive, combiner: Combiner): Backend {
  return composeSuites(nobleInfo(), { mlkem: () => mlkem, group: () => group }, { suites: [suite], combiners: [combiner] });
}

/** A component the suite does not have: composeSuites never asks for it. */
function none(what: string): never {
  throw new InvalidArgumentError('primitives', `this backend has no ${what}`);
}

/** A backend of ML-KEM alone (spec/WIRE-FORMAT.md §1.4): no group, no combiner. */
export function mlKemSuiteBackend(suite: MlKemSuite, mlkem: MlKemPrimitive): Backend {
  return composeSuites(nobleInfo(), { mlkem: () => mlkem, group: () => none('group') }, { suites: [suite], combiners: [] });
}

/** A backend of DHKEM alone (spec/WIRE-FORMAT.md §1.4): X25519 and RFC 9180's key schedule, no ML-KEM. */
export function dhkemSuiteBackend(suite: DhkemSuite, group: GroupPrimitive): Backend {
  return composeSuites(nobleInfo(), { mlkem: () => none('ML-KEM'), group: () => group }, { suites: [suite], combiners: [], dhkem });
}
