/**
 * Builds a {@link Backend} from component primitives: the readable reference
 * of every suite. Seed expansion, RandomScalar, the combiners and DHKEM's
 * key schedule live here once; a backend only brings ML-KEM and the groups. {@link composeSuites}
 * builds a backend of some suites only, so that a bundle of one suite holds
 * that suite's code and no other's; {@link composeBackend} builds them all.
 * @module
 */
import type { Backend, BackendName, Encapsulation, ExpandedPrivateKey } from '../backend.js';
import { wipe } from '../bytes.js';
import { InvalidArgumentError, InvalidGroupElementError, SuiteNotSupportedError } from '../errors.js';
import { SUITES, type Suite } from '../suites.js';
import { COMBINERS, type Combiner } from './combiners.js';
import { dhkem, type Dhkem, type DhkemFactory } from './dhkem.js';
import type { GroupPrimitive, MlKemPrimitive, Primitives } from './primitives.js';
import { expandSeed, randomScalar } from './seed.js';

export interface ComposedBackendInfo {
  name: BackendName;
  version: string;
  implementation: string;
  constantTime: boolean;
}

/** The suites a composed backend implements and the combiner code they use. */
export interface SuiteSelection {
  /** Suites from core's table (SUITES, XWING, ...). */
  readonly suites: readonly Suite[];
  /** Every combiner the hybrid suites name in `suite.combiner`; others may be left out of the bundle. */
  readonly combiners: readonly Combiner[];
  /**
   * DHKEM's key schedule ({@link dhkem}), needed when a classical suite is
   * selected; passed in, like the combiners, so that a bundle without DHKEM
   * carries no HKDF for it.
   */
  readonly dhkem?: DhkemFactory;
}

/** A suite's components: by family, ML-KEM and/or the group, a combiner (hybrids), DHKEM (classical). */
interface SuiteParts {
  mlkem?: MlKemPrimitive;
  group?: GroupPrimitive;
  combiner?: Combiner;
  dhkem?: Dhkem;
}

/** A private key expanded: the parts a suite does not have are empty. */
interface DerivedKeys {
  pkM: Uint8Array;
  dkM: Uint8Array;
  pkT: Uint8Array;
  skT: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** A backend of every suite: `primitives` must cover every ML-KEM parameter set and group. */
export function composeBackend(info: ComposedBackendInfo, primitives: Primitives): Backend {
  return composeSuites(info, primitives, { suites: SUITES, combiners: COMBINERS, dhkem });
}

/**
 * A backend of `selection.suites` only (`backend.suites` lists their ids):
 * `primitives` is asked only for their ML-KEM parameter sets and groups.
 * @throws {InvalidArgumentError} when a suite is not in core's table, its combiner is not in `selection.combiners`, or a DHKEM suite comes without `selection.dhkem`
 */
export function composeSuites(info: ComposedBackendInfo, primitives: Primitives, selection: SuiteSelection): Backend {
  const parts = new Map<number, SuiteParts>();
  for (const s of selection.suites) {
    if (!SUITES.includes(s)) throw new InvalidArgumentError('suites', `expected suites from core's table, got ${String(s?.name)}`);
    if (s.family === 'hybrid') {
      const combiner = selection.combiners.find((c) => c.name === s.combiner);
      if (!combiner) throw new InvalidArgumentError('combiners', `${s.name} needs the ${s.combiner} combiner`);
      parts.set(s.id, { mlkem: primitives.mlkem(s.mlkem), group: primitives.group(s.group), combiner });
    } else if (s.family === 'pq') {
      parts.set(s.id, { mlkem: primitives.mlkem(s.mlkem) });
    } else {
      if (!selection.dhkem) throw new InvalidArgumentError('dhkem', `${s.name} needs the DHKEM key schedule (dhkem)`);
      const group = primitives.group(s.group);
      parts.set(s.id, { group, dhkem: selection.dhkem(s, group) });
    }
  }
  const ids = Object.freeze(Array.from(parts.keys()));
  // Expanded keys of this backend: the key object the facade holds is only a
  // token; the key material stays here, unreachable from outside.
  const expandedKeys = new WeakMap<ExpandedPrivateKey, { suite: Suite; keys: () => DerivedKeys | undefined }>();

  function partsOf(suite: Suite): SuiteParts {
    const p = parts.get(suite.id);
    if (!p) throw new SuiteNotSupportedError(info.name, suite.name);
    return p;
  }

  function deriveKeys(suite: Suite, p: SuiteParts, seed: Uint8Array): DerivedKeys {
    if (suite.family === 'pq') {
      // §1.4: the private key is d ‖ z itself, KeyGen_internal's input.
      const m = p.mlkem!.keygen(seed);
      return { pkM: m.publicKey, dkM: m.secretKey, pkT: EMPTY, skT: EMPTY };
    }
    if (suite.family === 'classical') {
      // §1.4: the private key is the X25519 private key (RFC 9180 §7.1.2).
      const skT = seed.slice();
      return { pkM: EMPTY, dkM: EMPTY, pkT: p.group!.publicKey(skT), skT };
    }
    const { mlkemSeed, groupSeed } = expandSeed(suite, seed);
    try {
      const m = p.mlkem!.keygen(mlkemSeed);
      const skT = randomScalar(suite, p.group!, groupSeed, 'seed');
      return { pkM: m.publicKey, dkM: m.secretKey, pkT: p.group!.publicKey(skT), skT };
    } finally {
      wipe(mlkemSeed, groupSeed);
    }
  }

  function withGroupCheck<T>(suite: Suite, field: string, f: () => T): T {
    try {
      return f();
    } catch {
      const group = suite.group!.name;
      throw new InvalidGroupElementError(`${field} (${group} part)`, group, 'invalid or low-order element');
    }
  }

  function groupSharedSecret(suite: Suite, group: GroupPrimitive, scalar: Uint8Array, element: Uint8Array, field: string) {
    return withGroupCheck(suite, field, () => group.sharedSecret(scalar, element));
  }

  return Object.freeze({
    ...info,
    suites: ids,

    derivePublicKey(suite: Suite, seed: Uint8Array): Uint8Array {
      const k = deriveKeys(suite, partsOf(suite), seed);
      const pk = new Uint8Array(k.pkM.length + k.pkT.length);
      pk.set(k.pkM);
      pk.set(k.pkT, k.pkM.length);
      wipe(k.dkM, k.skT);
      return pk;
    },

    encapsulate(suite: Suite, publicKey: Uint8Array, randomness: Uint8Array): Encapsulation {
      const p = partsOf(suite);
      if (suite.family === 'pq') {
        // §1.4: randomness = m (Encaps_internal).
        const enc = p.mlkem!.encapsulate(publicKey, randomness);
        return { ciphertext: enc.ciphertext, sharedSecret: enc.sharedSecret };
      }
      if (suite.family === 'classical') {
        // §1.4: randomness = ikmE; an all-zero DH is a low-order pkR (RFC 9180 §7.1.4).
        return withGroupCheck(suite, 'publicKey', () => p.dhkem!.encapsulate(publicKey, randomness));
      }
      const mlkem = p.mlkem!;
      const group = p.group!;
      const split = suite.mlkem.lengths.publicKey;
      const pkM = publicKey.subarray(0, split);
      const pkT = publicKey.subarray(split);
      const m = randomness.subarray(0, 32);
      const eseed = randomness.subarray(32);
      const eskT = randomScalar(suite, group, eseed, 'randomness');
      let ssM: Uint8Array | undefined;
      let ssT: Uint8Array | undefined;
      try {
        const ctT = group.publicKey(eskT);
        ssT = groupSharedSecret(suite, group, eskT, pkT, 'publicKey');
        const enc = mlkem.encapsulate(pkM, m);
        ssM = enc.sharedSecret;
        const sharedSecret = p.combiner!.combine(suite, { ssM, ssT, ctM: enc.ciphertext, pkM, ctT, pkT });
        const ciphertext = new Uint8Array(enc.ciphertext.length + ctT.length);
        ciphertext.set(enc.ciphertext);
        ciphertext.set(ctT, enc.ciphertext.length);
        return { ciphertext, sharedSecret };
      } finally {
        wipe(eskT, ssM, ssT);
      }
    },

    decapsulate(suite: Suite, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array {
      const p = partsOf(suite);
      const k = deriveKeys(suite, p, seed);
      try {
        return decapsulateWith(suite, p, k, ciphertext);
      } finally {
        wipe(k.dkM, k.skT);
      }
    },

    expandPrivateKey(suite: Suite, seed: Uint8Array): ExpandedPrivateKey {
      const p = partsOf(suite);
      let k: DerivedKeys | undefined = deriveKeys(suite, p, seed);
      const key: ExpandedPrivateKey = {
        destroy() {
          if (k) wipe(k.dkM, k.skT);
          k = undefined;
          expandedKeys.delete(key);
        },
      };
      expandedKeys.set(key, { suite, keys: () => k });
      return key;
    },

    decapsulateExpanded(suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array): Uint8Array {
      const entry = expandedKeys.get(key);
      const k = entry?.suite === suite ? entry.keys() : undefined;
      if (!k) throw new InvalidArgumentError('privateKey', `not a live ${suite.name} key of backend ${info.name}`);
      return decapsulateWith(suite, partsOf(suite), k, ciphertext);
    },
  } satisfies Backend);

  function decapsulateWith(suite: Suite, p: SuiteParts, k: DerivedKeys, ciphertext: Uint8Array): Uint8Array {
    // §1.4: a wrong ML-KEM ciphertext gives the implicit-rejection secret (FIPS 203 §7.3).
    if (suite.family === 'pq') return p.mlkem!.decapsulate(k.dkM, ciphertext);
    if (suite.family === 'classical') return withGroupCheck(suite, 'ciphertext', () => p.dhkem!.decapsulate(k.skT, k.pkT, ciphertext));
    const split = suite.mlkem.lengths.ciphertext;
    const ctM = ciphertext.subarray(0, split);
    const ctT = ciphertext.subarray(split);
    let ssM: Uint8Array | undefined;
    let ssT: Uint8Array | undefined;
    try {
      ssT = groupSharedSecret(suite, p.group!, k.skT, ctT, 'ciphertext');
      ssM = p.mlkem!.decapsulate(k.dkM, ctM);
      return p.combiner!.combine(suite, { ssM, ssT, ctM, pkM: k.pkM, ctT, pkT: k.pkT });
    } finally {
      wipe(ssM, ssT);
    }
  }
}
