/**
 * Which Rust toolchain builds the WebAssembly core (used by build-wasm.mjs).
 * Two routes, both ending in the same wasm-bindgen step:
 *
 *   path    the `rustc`/`cargo` on PATH (rustup's proxies, which honour a
 *           user's rust-toolchain.toml), when it has the wasm32-unknown-unknown
 *           target installed (`rustup target add wasm32-unknown-unknown`):
 *           plain `cargo build --release --target wasm32-unknown-unknown`,
 *           linked by the target's own rust-lld.
 *   debian  Debian's rustc-web/cargo-web at /usr/bin with rust-web-src,
 *           building std for wasm32 itself (`-Z build-std`, RUSTC_BOOTSTRAP=1)
 *           and linking with wasm-ld-16: the route for machines where rustup
 *           cannot download the target (this project's CI).
 *
 * HYBRIDKEM_WASM_TOOLCHAIN=path|debian forces a route (auto otherwise: path
 * when its target is installed, else debian). `chooseToolchain` is pure, so
 * the selection is unit-tested with what each rustc would report.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

export const TARGET = 'wasm32-unknown-unknown';
export const ENV_VAR = 'HYBRIDKEM_WASM_TOOLCHAIN';

/** Whether a target libdir holds a prebuilt std (libstd-<hash>.rlib). */
export function hasStd(files) {
  return files.some((f) => /^libstd-[0-9a-f]+\.rlib$/.test(f));
}

/**
 * @param {object} facts what the machine reports
 * @param {string | undefined} facts.forced the value of HYBRIDKEM_WASM_TOOLCHAIN
 * @param {{ version?: string, libdir?: string, libdirFiles?: string[] }} facts.path
 *   the PATH rustc: `rustc --version`, `rustc --print target-libdir --target wasm32-unknown-unknown`
 *   and that folder's file names (undefined when rustc is missing or the folder does not exist)
 * @param {{ rustc?: string, cargo: boolean, stdSources: boolean, linker?: string }} facts.debian
 *   Debian's `/usr/bin/rustc --version`, whether /usr/bin/cargo exists, the std sources, `wasm-ld-16 --version`
 * @returns {{ route: 'path' | 'debian', why: string } | { route: undefined, problem: string, invalidSetting?: true }}
 */
export function chooseToolchain({ forced, path, debian }) {
  const choice = (forced ?? '').trim().toLowerCase() || 'auto';
  if (!['auto', 'path', 'debian'].includes(choice)) {
    return { route: undefined, invalidSetting: true, problem: `${ENV_VAR}=${forced} is not one of path, debian (or unset for auto)` };
  }
  const pathOk = Boolean(path.version) && hasStd(path.libdirFiles ?? []);
  const pathProblem = !path.version
    ? 'no rustc on PATH'
    : `${path.version} on PATH has no ${TARGET} std${path.libdir ? ` in ${path.libdir}` : ''} (rustup target add ${TARGET})`;
  const debianMissing = [];
  if (!debian.rustc || !debian.cargo) debianMissing.push("Debian's rustc-web/cargo-web");
  else if (!debian.stdSources) debianMissing.push('rust-web-src (std sources for -Z build-std)');
  if (!debian.linker) debianMissing.push('lld-16 (wasm-ld-16)');
  const debianOk = debianMissing.length === 0;

  if (choice === 'path') {
    return pathOk ? { route: 'path', why: `${ENV_VAR}=path: ${path.version}` } : { route: undefined, problem: `${ENV_VAR}=path, but ${pathProblem}` };
  }
  if (choice === 'debian') {
    return debianOk
      ? { route: 'debian', why: `${ENV_VAR}=debian: ${debian.rustc}` }
      : { route: undefined, problem: `${ENV_VAR}=debian, but ${debianMissing.join(', ')} missing` };
  }
  if (pathOk) return { route: 'path', why: `${path.version} on PATH has the ${TARGET} target` };
  if (debianOk) return { route: 'debian', why: `${pathProblem}; using ${debian.rustc} with -Z build-std` };
  return { route: undefined, problem: `${pathProblem}; and for the Debian route ${debianMissing.join(', ')} missing` };
}

function output(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], ...options }).toString().trim();
  } catch {
    return undefined;
  }
}

/**
 * What this machine reports. The PATH rustc is asked from the crate's folder
 * with the caller's environment, exactly as cargo will run it there, so a
 * rust-toolchain.toml (or RUSTC, or RUSTUP_TOOLCHAIN) the user has applies.
 */
export function probeToolchains(crateDir, env = process.env) {
  const rustc = env.RUSTC || 'rustc';
  const version = output(rustc, ['--version'], { cwd: crateDir, env });
  const libdir = version ? output(rustc, ['--print', 'target-libdir', '--target', TARGET], { cwd: crateDir, env }) : undefined;
  const libdirFiles = libdir && existsSync(libdir) ? readdirSync(libdir) : undefined;
  return {
    forced: env[ENV_VAR],
    path: { version, libdir, libdirFiles },
    debian: {
      rustc: output('/usr/bin/rustc', ['--version']),
      cargo: existsSync('/usr/bin/cargo'),
      stdSources: existsSync('/usr/lib/rustlib/src/rust/library/std'),
      linker: output('wasm-ld-16', ['--version']),
    },
  };
}

/**
 * The cargo command and environment of a route. `rustflags` are the
 * variant's (SIMD128 or none). The path route leaves the user's toolchain
 * choice alone; the Debian route pins Debian's compiler and linker and lets
 * stable build std (RUSTC_BOOTSTRAP).
 */
export function cargoCommand(route, { manifest, targetDir, rustflags, env = process.env }) {
  const args = ['build', '--release', '--locked', '--manifest-path', manifest, '--target', TARGET];
  const common = { RUSTFLAGS: rustflags, CARGO_TARGET_DIR: targetDir };
  if (route === 'path') {
    return { cmd: env.CARGO || 'cargo', args, env: { ...env, ...common } };
  }
  return {
    cmd: '/usr/bin/cargo',
    args: [...args, '-Z', 'build-std=std,panic_abort'],
    env: {
      ...env,
      ...common,
      PATH: `/usr/bin:${env.PATH ?? ''}`,
      RUSTC: '/usr/bin/rustc',
      RUSTC_BOOTSTRAP: '1',
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: 'wasm-ld-16',
    },
  };
}
