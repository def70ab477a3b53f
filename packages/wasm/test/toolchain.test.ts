// Which toolchain scripts/build-wasm.mjs builds with, from what each rustc
// reports (scripts/toolchain.mjs): rustup's when its wasm32 target is
// installed, else Debian's rustc-web with build-std, or the one forced by
// HYBRIDKEM_WASM_TOOLCHAIN. This machine has only the Debian route, so the
// other is checked here on reported facts, and the probe on this machine.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cargoCommand, chooseToolchain, hasStd, probeToolchains, type ToolchainFacts } from '../scripts/toolchain.mjs';

const LIBDIR = '/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/rustlib/wasm32-unknown-unknown/lib';
/** What `rustup target add wasm32-unknown-unknown` leaves in the target libdir. */
const RUSTUP_WASM_LIB = ['libcore-0b1c2d3e4f5a6b7c.rlib', 'libstd-9a8b7c6d5e4f3a2b.rlib', 'libstd-9a8b7c6d5e4f3a2b.so', 'self-contained'];

const rustupWithTarget = { version: 'rustc 1.95.0 (59807616e 2026-04-14)', libdir: LIBDIR, libdirFiles: RUSTUP_WASM_LIB };
/** rustc prints the libdir even when the target is not installed; the folder does not exist. */
const rustupWithoutTarget = { version: 'rustc 1.95.0 (59807616e 2026-04-14)', libdir: LIBDIR, libdirFiles: undefined };
const debianComplete = { rustc: 'rustc 1.96.0 (ac68faa20 2026-05-25)', cargo: true, stdSources: true, linker: 'LLD 16.0.6' };
const noDebian = { rustc: undefined, cargo: false, stdSources: false, linker: undefined };

function facts(path: ToolchainFacts['path'], debian: ToolchainFacts['debian'], forced?: string): ToolchainFacts {
  return { forced, path, debian };
}

describe('chooseToolchain', () => {
  it('auto: the PATH rustc when its wasm32 target has std, even with the Debian route installed', () => {
    const c = chooseToolchain(facts(rustupWithTarget, debianComplete));
    expect(c).toEqual({ route: 'path', why: 'rustc 1.95.0 (59807616e 2026-04-14) on PATH has the wasm32-unknown-unknown target' });
    expect(chooseToolchain(facts(rustupWithTarget, noDebian)).route).toBe('path');
  });

  it('auto: Debian when the PATH rustc lacks the target (this machine), or there is no rustc on PATH', () => {
    const c = chooseToolchain(facts(rustupWithoutTarget, debianComplete));
    expect(c.route).toBe('debian');
    expect(c.route && c.why).toBe(
      `rustc 1.95.0 (59807616e 2026-04-14) on PATH has no wasm32-unknown-unknown std in ${LIBDIR} (rustup target add wasm32-unknown-unknown); using rustc 1.96.0 (ac68faa20 2026-05-25) with -Z build-std`,
    );
    expect(chooseToolchain(facts({}, debianComplete)).route).toBe('debian');
    // A libdir with core but no std (a target added without std) does not count.
    expect(chooseToolchain(facts({ ...rustupWithTarget, libdirFiles: ['libcore-0b1c2d3e4f5a6b7c.rlib'] }, debianComplete)).route).toBe('debian');
  });

  it('auto with neither: a problem naming what each route lacks', () => {
    const c = chooseToolchain(facts(rustupWithoutTarget, { ...debianComplete, stdSources: false, linker: undefined }));
    expect(c.route).toBeUndefined();
    expect(!c.route && c.problem).toBe(
      `rustc 1.95.0 (59807616e 2026-04-14) on PATH has no wasm32-unknown-unknown std in ${LIBDIR} (rustup target add wasm32-unknown-unknown); and for the Debian route rust-web-src (std sources for -Z build-std), lld-16 (wasm-ld-16) missing`,
    );
    expect(!c.route && chooseToolchain(facts({}, noDebian)).route).toBeUndefined();
  });

  it('HYBRIDKEM_WASM_TOOLCHAIN forces a route, and fails instead of falling back when it is not there', () => {
    expect(chooseToolchain(facts(rustupWithTarget, debianComplete, 'debian')).route).toBe('debian');
    expect(chooseToolchain(facts(rustupWithTarget, debianComplete, ' PATH ')).route).toBe('path');
    const noPath = chooseToolchain(facts(rustupWithoutTarget, debianComplete, 'path'));
    expect(noPath.route).toBeUndefined();
    expect(!noPath.route && noPath.problem).toMatch(/^HYBRIDKEM_WASM_TOOLCHAIN=path, but rustc 1\.95\.0 .* has no wasm32-unknown-unknown std/);
    const noDeb = chooseToolchain(facts(rustupWithTarget, noDebian, 'debian'));
    expect(!noDeb.route && noDeb.problem).toBe("HYBRIDKEM_WASM_TOOLCHAIN=debian, but Debian's rustc-web/cargo-web, lld-16 (wasm-ld-16) missing");
    expect(chooseToolchain(facts(rustupWithTarget, debianComplete, 'auto')).route).toBe('path');
    expect(chooseToolchain(facts(rustupWithTarget, debianComplete, '')).route).toBe('path');
    const bad = chooseToolchain(facts(rustupWithTarget, debianComplete, 'rustup'));
    expect(!bad.route && bad.problem).toBe('HYBRIDKEM_WASM_TOOLCHAIN=rustup is not one of path, debian (or unset for auto)');
    expect(!bad.route && bad.invalidSetting).toBe(true);
    expect(!noPath.route && noPath.invalidSetting).toBeUndefined();
  });

  it('hasStd: only a libstd rlib counts', () => {
    expect(hasStd(RUSTUP_WASM_LIB)).toBe(true);
    expect(hasStd([])).toBe(false);
    expect(hasStd(['libstd.so', 'libstd_detect-1234abcd.rlib'])).toBe(false);
  });
});

describe('cargoCommand', () => {
  const options = { manifest: '/r/wasm/Cargo.toml', targetDir: '/r/wasm/target', rustflags: '-C target-feature=+simd128' };

  it('path: plain cargo from PATH, no build-std, no RUSTC_BOOTSTRAP, no linker or compiler override', () => {
    const c = cargoCommand('path', { ...options, env: { PATH: '/home/u/.cargo/bin:/usr/bin' } });
    expect(c.cmd).toBe('cargo');
    expect(c.args).toEqual(['build', '--release', '--locked', '--manifest-path', '/r/wasm/Cargo.toml', '--target', 'wasm32-unknown-unknown']);
    expect(c.env).toEqual({ PATH: '/home/u/.cargo/bin:/usr/bin', RUSTFLAGS: '-C target-feature=+simd128', CARGO_TARGET_DIR: '/r/wasm/target' });
  });

  it("debian: Debian's cargo and rustc first, build-std through RUSTC_BOOTSTRAP, wasm-ld-16", () => {
    const c = cargoCommand('debian', { ...options, env: { PATH: '/home/u/.cargo/bin:/usr/bin' } });
    expect(c.cmd).toBe('/usr/bin/cargo');
    expect(c.args.slice(-2)).toEqual(['-Z', 'build-std=std,panic_abort']);
    expect(c.env).toMatchObject({
      PATH: '/usr/bin:/home/u/.cargo/bin:/usr/bin',
      RUSTC: '/usr/bin/rustc',
      RUSTC_BOOTSTRAP: '1',
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: 'wasm-ld-16',
      RUSTFLAGS: '-C target-feature=+simd128',
    });
  });
});

describe('probeToolchains on this machine', () => {
  it('reports the PATH rustc and the forced route as the build sees them', () => {
    const crate = fileURLToPath(new URL('../../../wasm', import.meta.url));
    const f = probeToolchains(crate, { ...process.env, HYBRIDKEM_WASM_TOOLCHAIN: 'debian' });
    expect(f.forced).toBe('debian');
    if (f.path.version) {
      expect(f.path.version).toMatch(/^rustc \d+\.\d+\.\d+/);
      expect(f.path.libdir).toMatch(/wasm32-unknown-unknown/);
    }
    // The choice agrees with the facts, whatever this machine has.
    const choice = chooseToolchain({ ...f, forced: undefined });
    if (hasStd(f.path.libdirFiles ?? [])) expect(choice.route).toBe('path');
    else if (choice.route) expect(choice.route).toBe('debian');
  });
});
