//! The memory-wiping scaffolding shared by hybridkem's two WebAssembly
//! modules, the KEM module (`wasm/`) and the signing module (`wasm/signing/`):
//!
//! - [`WipeOnFree`], a global allocator that wipes every block before it is
//!   freed (or moved by realloc): wasm-bindgen's copies of secret inputs and
//!   the libraries' own heap temporaries (libcrux-hkdf's, for one) carry
//!   secrets and are otherwise freed without being wiped;
//! - [`scrubbed`], which runs an operation in a frame of its own and then
//!   overwrites the stack region below the caller, where the libraries keep
//!   intermediates (expanded ML-KEM keys, ML-DSA's matrix and secret
//!   vectors, scalar copies) that no destructor wipes.
//!
//! Each module installs the allocator and picks its own stack depth:
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: wasm_scrub::WipeOnFree = wasm_scrub::WipeOnFree;
//! wasm_scrub::scrubbed::<{ 64 * 1024 }, _>(|| operation())
//! ```
//!
//! The wipe is zeroize's own technique for bytes (a volatile store per byte,
//! then a compiler fence), written out here so that this crate has no
//! dependency (see Cargo.toml).
use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{compiler_fence, Ordering};

/// Overwrites `len` bytes at `ptr` with zeros. Volatile stores, so the
/// compiler cannot drop them as dead writes to memory about to be freed.
///
/// # Safety
/// `ptr` must be valid for writes of `len` bytes.
unsafe fn wipe(ptr: *mut u8, len: usize) {
    for i in 0..len {
        core::ptr::write_volatile(ptr.add(i), 0);
    }
    compiler_fence(Ordering::SeqCst);
}

/// The allocator, wiping every block before it is freed (or moved by realloc).
pub struct WipeOnFree;

// SAFETY: every method forwards to `System` with the same layout; the only
// addition is writing zeros into a block the caller owns and is giving back.
unsafe impl GlobalAlloc for WipeOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        std::alloc::System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        std::alloc::System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        wipe(ptr, layout.size());
        std::alloc::System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Always move, so the old block is wiped rather than left behind.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, core::cmp::min(layout.size(), new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

/// Overwrites `BYTES` of stack below the caller's frame, where the operation
/// just run kept its intermediates. `black_box` keeps the stores from being
/// removed as dead.
#[inline(never)]
pub fn scrub_stack<const BYTES: usize>() {
    let mut buf = [0u8; BYTES];
    core::hint::black_box(&mut buf);
}

/// Runs `f` in a frame of its own below the caller's, so that everything the
/// operation puts on the stack (LTO inlines most of it into one frame) lies in
/// the region `scrub_stack` then overwrites.
#[inline(never)]
fn below<T>(f: impl FnOnce() -> T) -> T {
    f()
}

/// Runs `f`, then overwrites `STACK_BYTES` of the stack below the caller,
/// whatever `f` returned. `STACK_BYTES` must exceed the deepest stack use of
/// anything `f` calls.
pub fn scrubbed<const STACK_BYTES: usize, T>(f: impl FnOnce() -> T) -> T {
    let out = below(f);
    scrub_stack::<STACK_BYTES>();
    out
}
