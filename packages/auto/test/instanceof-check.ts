/**
 * One check, run in a fresh Node process by two tests: select.test.ts (this
 * package's dist/ in the workspace) and packages/packed-install (the packed
 * tarballs installed by npm). For each backend, an X-Wing encapsulation to
 * the all-zero X25519 point (low order, refused by every backend; with no
 * randomness for a backend that draws its own, such as openssl) must throw
 * an error that is an instance of the caller's own core classes, as imported
 * from `@hybridkem/core` and as re-exported by `@hybridkem/auto`, whether the
 * caller imported or required the package (one copy of core in both module
 * systems). Kept in one place so that both tests check the same thing.
 * @module
 */

/** Where `@hybridkem/auto` is loaded from in each module system (a path or a package name). */
export interface AutoSpecifiers {
  import: string;
  require: string;
}

export interface InstanceofCheck {
  /** Source for `node --input-type=module -e`. */
  esm: string;
  /** Source for `node --input-type=commonjs -e`. */
  cjs: string;
  /** What either prints (one JSON line), parsed. */
  expected: Record<string, unknown>;
}

/** The scripts for the given backends (each must be available) and what they must print. */
export function instanceofCheck(auto: AutoSpecifiers, backends: readonly string[]): InstanceofCheck {
  const body = `
  const out = {};
  for (const name of ${JSON.stringify(backends)}) {
    const backend = await auto.getBackend({ backend: name });
    const suite = core.getSuite('X-Wing');
    try {
      const randomness = backend.derandomizedEncapsulation === false ? undefined : new Uint8Array(suite.lengths.randomness);
      backend.encapsulate(suite, new Uint8Array(suite.lengths.publicKey), randomness);
      out[name] = 'no error';
    } catch (e) {
      out[name] = [e.code, e instanceof core.HybridKemError, e instanceof core.InvalidGroupElementError, e instanceof auto.HybridKemError, e instanceof auto.InvalidGroupElementError];
    }
  }
  console.log(JSON.stringify(out));`;
  return {
    esm: `import * as auto from ${JSON.stringify(auto.import)}; import * as core from '@hybridkem/core'; ${body}`,
    cjs: `const auto = require(${JSON.stringify(auto.require)}); const core = require('@hybridkem/core'); (async () => { ${body} })();`,
    expected: Object.fromEntries(backends.map((name) => [name, ['ERR_INVALID_GROUP_ELEMENT', true, true, true, true]])),
  };
}
