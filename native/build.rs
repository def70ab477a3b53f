//! Link arguments for the shared library (the cdylib C, C#, Java and Python
//! clients load). The static library and the rlib are not affected.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // AWS-LC keeps per-thread state under a pthread key whose destructor,
    // thread_local_destructor, lives in this library (aws-lc-sys 0.47.0,
    // aws-lc/crypto/thread_pthread.c, pthread_key_create). glibc runs it when
    // a thread that called us exits; if dlclose() (or a Java FFM confined
    // arena closing its SymbolLookup) has unmapped the library by then, that
    // call jumps into unmapped memory and the process dies (SIGSEGV). Marking
    // the library NODELETE (ld: -z nodelete) keeps it mapped after dlclose().
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
