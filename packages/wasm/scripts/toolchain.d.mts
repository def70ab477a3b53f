// Types of toolchain.mjs, for its unit test (test/toolchain.test.ts).
export declare const TARGET: 'wasm32-unknown-unknown';
export declare const ENV_VAR: 'HYBRIDKEM_WASM_TOOLCHAIN';
export type Route = 'path' | 'debian';
export interface ToolchainFacts {
  forced: string | undefined;
  path: { version?: string | undefined; libdir?: string | undefined; libdirFiles?: string[] | undefined };
  debian: { rustc?: string | undefined; cargo: boolean; stdSources: boolean; linker?: string | undefined };
}
export type ToolchainChoice = { route: Route; why: string } | { route: undefined; problem: string; invalidSetting?: true };
export declare function hasStd(files: string[]): boolean;
export declare function chooseToolchain(facts: ToolchainFacts): ToolchainChoice;
export declare function probeToolchains(crateDir: string, env?: NodeJS.ProcessEnv): ToolchainFacts;
export declare function cargoCommand(
  route: Route,
  options: { manifest: string; targetDir: string; rustflags: string; env?: NodeJS.ProcessEnv },
): { cmd: string; args: string[]; env: NodeJS.ProcessEnv };
