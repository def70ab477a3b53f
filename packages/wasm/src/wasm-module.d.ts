// workerd and its bundlers (wrangler, esbuild with the `.wasm` loader set to
// "copy" and workerd's Wasm module rule) import a .wasm file as a compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
