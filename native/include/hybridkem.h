/*
 * hybridkem.h — the C ABI of hybridkem's native core (libhybridkem_native).
 *
 * Hybrid post-quantum KEMs (ML-KEM + X25519 / P-256 / P-384), ML-KEM alone and
 * DHKEM(X25519, HKDF-SHA256) behind the same KEM functions, and composite
 * ML-DSA + EdDSA signatures, implemented in Rust on AWS-LC. This header is the whole API: a C#, Kotlin (JNA/JNI), Go,
 * Python or C client needs nothing else. Wire formats: spec/WIRE-FORMAT.md.
 *
 * LIBRARY FILES
 *   static: libhybridkem_native.a   (link it plus, on Linux: -lgcc_s -lutil
 *                                    -lrt -lpthread -lm -ldl)
 *   shared: libhybridkem_native.so  (load by name "hybridkem_native";
 *                                    .dylib on macOS, .dll on Windows)
 *   Every AWS-LC symbol inside is prefixed (aws_lc_0_47_0_*), so the library
 *   can share a process with OpenSSL (e.g. inside Node.js) without clashes.
 *   On ELF platforms (Linux, the BSDs) the shared library is never unloaded:
 *   it is linked NODELETE, so dlclose() (or closing a Java FFM arena) leaves
 *   it mapped, because threads that called it run a destructor inside it when
 *   they exit.
 *
 * CONVENTIONS (every function below follows them)
 *   - Calling convention: the platform's C convention (cdecl on x86; in
 *     P/Invoke CallingConvention.Cdecl).
 *   - Integers: uint16_t suite ids, size_t lengths (C# nuint/UIntPtr, JNA
 *     size_t / NativeLong), int32_t status codes, uint32_t struct fields.
 *   - Buffers are caller-owned. The library never allocates memory the caller
 *     must free, never keeps a pointer after a call returns, and never writes
 *     more than the smaller of the length the caller passed with a buffer and
 *     the suite's length for that buffer.
 *   - Every (pointer, length) pair must have EXACTLY the suite's length (see
 *     hybridkem_suite_info_get); anything else is HYBRIDKEM_ERR_INVALID_LENGTH.
 *     Larger buffers are not accepted: pass the exact length.
 *   - A NULL pointer is HYBRIDKEM_ERR_NULL_POINTER, even with a zero length.
 *   - Input and output buffers must not overlap (e.g. do not decapsulate into
 *     the ciphertext's memory). Outputs may not overlap each other either.
 *   - Status: every function returning int32_t returns HYBRIDKEM_OK (0) on
 *     success and one of the HYBRIDKEM_ERR_* codes otherwise.
 *   - All-or-nothing: on any status other than HYBRIDKEM_OK, every non-NULL
 *     output buffer has been zeroed over min(the length the caller passed for
 *     it, the suite's length for it) and is untouched beyond that; no partial
 *     result is ever left behind. A length that is wrong (ERR_INVALID_LENGTH)
 *     therefore never causes a write past the suite's length: a 32-byte
 *     buffer passed as 40 has its 32 bytes zeroed and nothing after them.
 *     With an unknown suite id (ERR_UNKNOWN_SUITE, or an earlier error in a
 *     call naming an unknown suite) there is no suite length, and outputs are
 *     left untouched; nothing was written to them. Exceptions: with
 *     HYBRIDKEM_ERR_STRUCT_SIZE the struct is left untouched, as its size is
 *     not known; hybridkem_suite_info_get, hybridkem_sig_suite_info_get and
 *     hybridkem_suite_id_at document their own outputs.
 *   - Checks run in this order: NULL pointers, suite id, then lengths, then
 *     the contents (public key, group elements, scalars).
 *   - No panic, C++ exception or Rust unwinding ever crosses this boundary: an
 *     internal failure is reported as HYBRIDKEM_ERR_INTERNAL.
 *
 * THREAD SAFETY
 *   Every function is reentrant and thread-safe: there is no global mutable
 *   state, no initialisation call and no teardown call. Any number of threads
 *   may call any functions concurrently, as long as they do not share output
 *   buffers (or write an input buffer another thread is reading).
 *
 * SECRETS
 *   Secret: private keys (the seed: 32 bytes, or ML-KEM's 64-byte d ‖ z), shared secrets, and the
 *   randomness of hybridkem_encapsulate_derand. Public: public keys and
 *   ciphertexts. The library wipes (zeroizes) every secret intermediate it
 *   creates — expanded seeds, scalars, ML-KEM and ECDH secrets, combiner
 *   inputs — before returning, on success and failure alike; AWS-LC frees its
 *   keys with cleansing. The CALLER owns its buffers and must wipe its own
 *   copies of private keys and shared secrets when done (e.g.
 *   CryptographicOperations.ZeroMemory in C#, Arrays.fill in Kotlin).
 *   Status names and codes never contain secret bytes.
 *
 * ABI VERSIONING
 *   HYBRIDKEM_ABI_VERSION is the version this header describes;
 *   hybridkem_abi_version() is the version of the loaded library. A client
 *   must check at load time that they are equal and refuse to run otherwise.
 *   The ABI version is incremented only on an incompatible change (a changed
 *   signature, struct layout, meaning of a status code, or a removed
 *   function). These are compatible additions and do NOT change it: new
 *   functions, new suites, new status codes (numbers are never reused or
 *   renumbered; treat an unknown code as a failure), new #defines.
 *
 * STRUCT_SIZE RULE
 *   Every struct the library fills starts with `uint32_t struct_size`. The
 *   caller sets it to sizeof(the struct) as compiled from this header before
 *   the call. The library accepts exactly the sizes some ABI version defined
 *   (version 1: sizeof(hybridkem_suite_info) and sizeof(hybridkem_sig_suite_info)
 *   are 40 on 64-bit and 32 on 32-bit targets), writes only that many bytes, and otherwise returns
 *   HYBRIDKEM_ERR_STRUCT_SIZE without touching the struct.
 *
 * EXAMPLE (C; error handling shortened)
 *
 *   if (hybridkem_abi_version() != HYBRIDKEM_ABI_VERSION) abort();
 *   hybridkem_suite_info info = { .struct_size = sizeof info };
 *   hybridkem_suite_info_get(HYBRIDKEM_SUITE_X_WING, &info);
 *   uint8_t sk[HYBRIDKEM_PRIVATE_KEY_LEN], ss1[32], ss2[32];
 *   uint8_t *pk = malloc(info.public_key_len), *ct = malloc(info.ciphertext_len);
 *   // Receiver: a private key and its public key.
 *   hybridkem_generate_private_key(info.suite_id, sk, sizeof sk);
 *   hybridkem_derive_public_key(info.suite_id, sk, sizeof sk, pk, info.public_key_len);
 *   // Sender: encapsulate to pk; send ct, keep ss1.
 *   int32_t st = hybridkem_encapsulate(info.suite_id, pk, info.public_key_len,
 *                                      ct, info.ciphertext_len, ss1, sizeof ss1);
 *   if (st != HYBRIDKEM_OK) fprintf(stderr, "%s\n", hybridkem_status_name(st));
 *   // Receiver: decapsulate ct; ss2 == ss1.
 *   hybridkem_decapsulate(info.suite_id, sk, sizeof sk, ct, info.ciphertext_len, ss2, sizeof ss2);
 *   // ... use the shared secret, then wipe sk, ss1, ss2.
 */

#ifndef HYBRIDKEM_H
#define HYBRIDKEM_H

/* Generated from the Rust source (native/src) by cbindgen: do not edit. Change the Rust
 * item and its /// doc, then run native/scripts/generate-header.sh. */

#include <stddef.h>
#include <stdint.h>

/**
 * The ABI version this header describes (see ABI VERSIONING).
 */
#define HYBRIDKEM_ABI_VERSION 1

/**
 * ---- Status codes: ABI-stable numbers, never reused or renumbered. ----
 *
 * Success; every output holds its result.
 */
#define HYBRIDKEM_OK 0

/**
 * A pointer argument was NULL.
 */
#define HYBRIDKEM_ERR_NULL_POINTER 1

/**
 * No suite (or signature algorithm) has this id (or hybridkem_suite_id_at:
 * index >= suite count).
 */
#define HYBRIDKEM_ERR_UNKNOWN_SUITE 2

/**
 * A buffer length differs from the suite's length for that buffer.
 */
#define HYBRIDKEM_ERR_INVALID_LENGTH 3

/**
 * Encapsulation: the ML-KEM encapsulation key inside the public key fails
 * FIPS 203 §7.2's modulus check (a coefficient is not reduced mod q).
 */
#define HYBRIDKEM_ERR_INVALID_PUBLIC_KEY 4

/**
 * The traditional (X25519 / P-256 / P-384) element is invalid: encapsulation
 * — in the public key; decapsulation — in the ciphertext. A NIST point that
 * is not an uncompressed SEC1 point on the curve, or an X25519 u-coordinate
 * giving the all-zero shared secret (RFC 7748 §6.1, low-order points; for
 * DHKEM-X25519-HKDF-SHA256 the whole public key or ciphertext, RFC 9180
 * §7.1.4).
 */
#define HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT 5

/**
 * RandomScalar found no scalar in [1, n-1] in the seed's or the randomness'
 * windows (P-256 / P-384 suites only). With a random seed or the library's
 * own randomness this does not happen in practice (probability < 2^-190);
 * hybridkem_encapsulate_derand can reach it with chosen randomness.
 */
#define HYBRIDKEM_ERR_NO_VALID_SCALAR 6

/**
 * A struct's struct_size is not a size this library knows (STRUCT_SIZE RULE).
 */
#define HYBRIDKEM_ERR_STRUCT_SIZE 7

/**
 * The operating system's CSPRNG failed (generate_private_key, encapsulate,
 * sig_generate_private_key, sig_sign).
 */
#define HYBRIDKEM_ERR_RANDOM 8

/**
 * AWS-LC failed where it should not (e.g. out of memory), or an internal
 * panic was caught. Never expected; the call had no effect but zeroing.
 */
#define HYBRIDKEM_ERR_INTERNAL 9

/**
 * Statuses 10-16: only the hybridkem_channel_* functions (and the test-only
 * hybridkem_noise_*) return them (the Noise channel, spec/TRANSPORT.md §6.6). After any of them the channel is
 * dead: every later call on it is HYBRIDKEM_ERR_CHANNEL_CLOSED.
 *
 * No common parameters, a refusal from the peer (or one we sent), a pattern
 * not accepted, a malformed offer or choice, a choice not in our offer.
 */
#define HYBRIDKEM_ERR_CHANNEL_NEGOTIATION 10

/**
 * A handshake message failed to authenticate or has the wrong length.
 */
#define HYBRIDKEM_ERR_CHANNEL_HANDSHAKE 11

/**
 * The peer's static key is not the one given for its suite.
 */
#define HYBRIDKEM_ERR_CHANNEL_PEER_KEY 12

/**
 * A transport message failed to authenticate (tampered, replayed, reordered,
 * dropped).
 */
#define HYBRIDKEM_ERR_CHANNEL_DECRYPT 13

/**
 * The byte stream ended inside a frame, before the handshake completed, or
 * without the peer's close.
 */
#define HYBRIDKEM_ERR_CHANNEL_TRUNCATED 14

/**
 * A frame over 65535 bytes, a non-empty handshake payload, an unknown
 * transport message type, data on a rekey/close, a frame after close.
 */
#define HYBRIDKEM_ERR_CHANNEL_PROTOCOL 15

/**
 * The channel is closed or failed earlier.
 */
#define HYBRIDKEM_ERR_CHANNEL_CLOSED 16

/**
 * ---- Suites (wire ids, spec/WIRE-FORMAT.md §1). ----
 *
 * X25519-MLKEM768, wire id 0xff01.
 */
#define HYBRIDKEM_SUITE_X25519_MLKEM768 65281

/**
 * X25519-MLKEM1024, wire id 0xff02.
 */
#define HYBRIDKEM_SUITE_X25519_MLKEM1024 65282

/**
 * X-Wing, wire id 0x647a.
 */
#define HYBRIDKEM_SUITE_X_WING 25722

/**
 * MLKEM768-P256, wire id 0xff03.
 */
#define HYBRIDKEM_SUITE_MLKEM768_P256 65283

/**
 * MLKEM1024-P384, wire id 0xff04.
 */
#define HYBRIDKEM_SUITE_MLKEM1024_P384 65284

/**
 * HPKE-MLKEM768-P256, wire id 0x0050.
 */
#define HYBRIDKEM_SUITE_HPKE_MLKEM768_P256 80

/**
 * HPKE-MLKEM1024-P384, wire id 0x0051.
 */
#define HYBRIDKEM_SUITE_HPKE_MLKEM1024_P384 81

/**
 * Single-algorithm suites (spec/WIRE-FORMAT.md §1.4), with their HPKE KEM ids:
 * ML-KEM alone (FIPS 203; private key = the 64-byte seed d ‖ z, encapsulation
 * randomness = the 32-byte m) and DHKEM(X25519, HKDF-SHA256) of RFC 9180
 * (private key = the X25519 private key, randomness = 32 bytes of ikmE).
 *
 * ML-KEM-768, wire id 0x0041.
 */
#define HYBRIDKEM_SUITE_ML_KEM_768 65

/**
 * ML-KEM-1024, wire id 0x0042.
 */
#define HYBRIDKEM_SUITE_ML_KEM_1024 66

/**
 * DHKEM-X25519-HKDF-SHA256, wire id 0x0020.
 */
#define HYBRIDKEM_SUITE_DHKEM_X25519_HKDF_SHA256 32

/**
 * A hybrid suite's private key is a 32-byte seed (so is DHKEM's X25519
 * private key); ML-KEM-768 and ML-KEM-1024 take the 64-byte d ‖ z
 * (HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN). Read a suite's length from
 * hybridkem_suite_info.private_key_len. Every shared secret is 32 bytes.
 */
#define HYBRIDKEM_PRIVATE_KEY_LEN 32

#define HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN 64

#define HYBRIDKEM_MAX_PRIVATE_KEY_LEN 64

#define HYBRIDKEM_SHARED_SECRET_LEN 32

/**
 * ---- Signatures: ML-DSA (FIPS 204), EdDSA (RFC 8032) and composite
 *      ML-DSA + EdDSA (draft-ietf-lamps-pq-composite-sigs-19). ----
 *
 * The CONVENTIONS above hold: exact lengths, NULL checked first (an empty
 * message or context is a non-NULL pointer with length 0), then the
 * algorithm or suite id (unknown -> HYBRIDKEM_ERR_UNKNOWN_SUITE), then
 * lengths, and all-or-nothing outputs. A context is at most 255 bytes
 * (FIPS 204 Algorithm 2; the composite len(ctx) byte); longer ->
 * HYBRIDKEM_ERR_INVALID_LENGTH. A verdict output (`int32_t *valid`) is 1 when
 * the signature verifies and 0 when it does not, with status HYBRIDKEM_OK: a
 * bad signature, or a public key that does not decode, is a verdict of 0, not
 * an error. On any error every verdict output is set to 0 (left untouched for
 * an unknown id, as outputs are).
 *
 * Secret: ML-DSA seeds and expanded secret keys, EdDSA private keys,
 * composite private keys, and the `rnd` of the _derand functions.
 *
 * Example (composite; error handling shortened):
 *   uint16_t s = HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512;
 *   uint8_t sk[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PRIVATE_KEY_LEN];
 *   uint8_t pk[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PUBLIC_KEY_LEN];
 *   uint8_t sig[HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_SIGNATURE_LEN];
 *   int32_t mldsa_ok, eddsa_ok;
 *   hybridkem_sig_generate_private_key(s, sk, sizeof sk);
 *   hybridkem_sig_derive_public_key(s, sk, sizeof sk, pk, sizeof pk);
 *   hybridkem_sig_sign(s, sk, sizeof sk, msg, msg_len, ctx, ctx_len, sig, sizeof sig);
 *   hybridkem_sig_verify(s, pk, sizeof pk, msg, msg_len, ctx, ctx_len, sig, sizeof sig,
 *                        &mldsa_ok, &eddsa_ok);   // valid only if both are 1
 * ML-DSA-44/65/87 and Ed25519 run in AWS-LC (ML-DSA: mldsa-native); Ed448 in
 * the ed448-goldilocks crate.
 *
 * Algorithm ids of the component functions.
 */
#define HYBRIDKEM_MLDSA44 44

#define HYBRIDKEM_MLDSA65 65

#define HYBRIDKEM_MLDSA87 87

#define HYBRIDKEM_ED25519 25519

#define HYBRIDKEM_ED448 448

/**
 * ML-DSA lengths: the keygen seed (xi), the hedging randomness rnd.
 */
#define HYBRIDKEM_MLDSA_SEED_LEN 32

#define HYBRIDKEM_MLDSA_RND_LEN 32

#define HYBRIDKEM_SIG_MAX_CONTEXT_LEN 255

/**
 * public key / expanded secret key (FIPS 204 skEncode) / signature
 */
#define HYBRIDKEM_MLDSA44_PUBLIC_KEY_LEN 1312

#define HYBRIDKEM_MLDSA44_SECRET_KEY_LEN 2560

#define HYBRIDKEM_MLDSA44_SIGNATURE_LEN 2420

#define HYBRIDKEM_MLDSA65_PUBLIC_KEY_LEN 1952

#define HYBRIDKEM_MLDSA65_SECRET_KEY_LEN 4032

#define HYBRIDKEM_MLDSA65_SIGNATURE_LEN 3309

#define HYBRIDKEM_MLDSA87_PUBLIC_KEY_LEN 2592

#define HYBRIDKEM_MLDSA87_SECRET_KEY_LEN 4896

#define HYBRIDKEM_MLDSA87_SIGNATURE_LEN 4627

/**
 * EdDSA: private key (RFC 8032 seed) = public key length; signature twice that.
 */
#define HYBRIDKEM_ED25519_KEY_LEN 32

#define HYBRIDKEM_ED25519_SIGNATURE_LEN 64

#define HYBRIDKEM_ED448_KEY_LEN 57

#define HYBRIDKEM_ED448_SIGNATURE_LEN 114

/**
 * Composite suites (wire ids, spec/WIRE-FORMAT.md §6) and their lengths.
 * Private key = 32-byte ML-DSA seed ‖ EdDSA private key (it is also the
 * keygen seed); public key = ML-DSA pk ‖ EdDSA pk; signature = ML-DSA sig ‖
 * EdDSA sig. M' = "CompositeAlgorithmSignatures2025" ‖ Label ‖ len(ctx) ‖
 * ctx ‖ PH(M); ML-DSA signs M' with its context set to the Label, EdDSA signs
 * M'. PH is SHA-512 (0xfe01, 0xfe02) or SHAKE256 with 64 bytes (0xfe03).
 *
 * MLDSA44-Ed25519-SHA512, wire id 0xfe01.
 */
#define HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512 65025

/**
 * MLDSA65-Ed25519-SHA512, wire id 0xfe02.
 */
#define HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512 65026

/**
 * MLDSA87-Ed448-SHAKE256, wire id 0xfe03.
 */
#define HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256 65027

#define HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PRIVATE_KEY_LEN 64

#define HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PUBLIC_KEY_LEN 1344

#define HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_SIGNATURE_LEN 2484

#define HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PRIVATE_KEY_LEN 64

#define HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PUBLIC_KEY_LEN 1984

#define HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_SIGNATURE_LEN 3373

#define HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PRIVATE_KEY_LEN 89

#define HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PUBLIC_KEY_LEN 2649

#define HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_SIGNATURE_LEN 4741

/**
 * ---- The Noise channel (spec/TRANSPORT.md §6) ----
 *
 * A sans-IO channel: the library does no I/O. The caller moves bytes: what
 * hybridkem_channel_take_output gives goes to the peer; what the peer sent
 * goes into hybridkem_channel_feed; authenticated plaintext comes out of
 * hybridkem_channel_read. PQNoise patterns pqNK / pqIK / pqXX over any suite
 * above, ChaChaPoly or AESGCM, SHA256 or SHA512; the offer/choice/refusal and
 * prologue of §6.4, 2-byte frames (§6.3), transport messages data / rekey /
 * close (§6.5), rekey after 2^20 messages or 2^30 bytes (§6.6).
 *
 * The one exception to "never allocates what the caller frees": a channel is
 * allocated by hybridkem_channel_new and freed (keys and buffers wiped) by
 * hybridkem_channel_free. A channel is not thread-safe: use it from one thread
 * at a time. After any channel status (10-16) the channel is dead: it
 * releases no more plaintext, gives no more output (except a refusal it
 * queued) and every later call is HYBRIDKEM_ERR_CHANNEL_CLOSED.
 *
 * Sequence: new -> set_keys (per suite) -> start -> loop { take_output /
 * feed / read / write } -> close -> feed_end -> free.
 */
#define HYBRIDKEM_CHANNEL_INITIATOR 0

#define HYBRIDKEM_CHANNEL_RESPONDER 1

#define HYBRIDKEM_CHANNEL_PATTERN_PQNK 1

#define HYBRIDKEM_CHANNEL_PATTERN_PQIK 2

#define HYBRIDKEM_CHANNEL_PATTERN_PQXX 3

/**
 * Entry bytes (§6.4): version 0x01, mode (1 classical, 2 hybrid, 3 pq-only),
 * suite id big-endian, cipher (1 ChaChaPoly, 2 AESGCM), hash (1 SHA256,
 * 2 SHA512).
 */
#define HYBRIDKEM_CHANNEL_ENTRY_LEN 6

/**
 * hybridkem_channel_state flags.
 */
#define HYBRIDKEM_CHANNEL_ESTABLISHED 1

#define HYBRIDKEM_CHANNEL_PEER_CLOSED 2

#define HYBRIDKEM_CHANNEL_SENT_CLOSE 4

#define HYBRIDKEM_CHANNEL_FAILED 8

/**
 * A Noise channel (opaque; see hybridkem_channel_new).
 */
typedef struct hybridkem_channel hybridkem_channel;

/**
 * A Noise handshake for transcript vectors (opaque; see hybridkem_noise_new).
 */
typedef struct hybridkem_noise hybridkem_noise;

/**
 * An expanded private key (opaque; see hybridkem_private_key_import).
 */
typedef struct hybridkem_private_key hybridkem_private_key;

/**
 * One suite's sizes, in bytes. Layout is fixed for ABI version 1:
 * offsets 0, 4, 6, 8, 12, 16, 20, 24, then `name` at 32 (64-bit) or 28
 * (32-bit). In C#: [StructLayout(LayoutKind.Sequential)] with the same field
 * types (uint, ushort, ushort, 5 x uint, IntPtr for name).
 */
typedef struct hybridkem_suite_info {
    /**
     * in: sizeof(hybridkem_suite_info)
     */
    uint32_t struct_size;
    /**
     * out: the suite's wire id
     */
    uint16_t suite_id;
    /**
     * out: 0
     */
    uint16_t reserved;
    /**
     * out: encapsulation key pk_M ‖ pk_T (ek alone; pk alone)
     */
    uint32_t public_key_len;
    /**
     * out: 32 (a hybrid's seed; DHKEM's X25519 key) or 64 (ML-KEM's d ‖ z)
     */
    uint32_t private_key_len;
    /**
     * out: ct_M ‖ ct_T (ML-KEM's c alone; DHKEM's enc)
     */
    uint32_t ciphertext_len;
    /**
     * out: 32
     */
    uint32_t shared_secret_len;
    /**
     * out: input length of hybridkem_encapsulate_derand
     */
    uint32_t randomness_len;
    /**
     * out: static, NUL-terminated, e.g. "X25519-MLKEM768"; do not free
     */
    const char *name;
} hybridkem_suite_info;

/**
 * One composite suite's sizes, in bytes: what a client allocates for
 * hybridkem_sig_* instead of copying the #defines above. Layout is fixed for
 * ABI version 1 and is hybridkem_suite_info's: offsets 0, 4, 6, 8, 12, 16,
 * 20, 24, then `name` at 32 (64-bit) or 28 (32-bit); sizeof 40 (64-bit) or
 * 32 (32-bit). In C#: [StructLayout(LayoutKind.Sequential)] with uint,
 * ushort, ushort, 5 x uint, IntPtr.
 */
typedef struct hybridkem_sig_suite_info {
    /**
     * in: sizeof(hybridkem_sig_suite_info)
     */
    uint32_t struct_size;
    /**
     * out: the suite's wire id
     */
    uint16_t suite_id;
    /**
     * out: 0
     */
    uint16_t reserved;
    /**
     * out: ML-DSA pk ‖ EdDSA pk
     */
    uint32_t public_key_len;
    /**
     * out: 32-byte ML-DSA seed ‖ EdDSA private key
     */
    uint32_t private_key_len;
    /**
     * out: ML-DSA sig ‖ EdDSA sig
     */
    uint32_t signature_len;
    /**
     * out: 255 (HYBRIDKEM_SIG_MAX_CONTEXT_LEN)
     */
    uint32_t max_context_len;
    /**
     * out: 32, the rnd of hybridkem_sig_sign_derand
     */
    uint32_t rnd_len;
    /**
     * out: static, NUL-terminated, e.g. "MLDSA65-Ed25519-SHA512"; do not free
     */
    const char *name;
} hybridkem_sig_suite_info;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * ---- Library information. ----
 *
 * The ABI version of the loaded library; compare with HYBRIDKEM_ABI_VERSION.
 */
uint32_t hybridkem_abi_version(void);

/**
 * A static, NUL-terminated name for a status code, e.g.
 * "HYBRIDKEM_ERR_INVALID_LENGTH"; "HYBRIDKEM_ERR_UNKNOWN_STATUS" for a number
 * this library does not define. Never NULL; do not free.
 */
const char *hybridkem_status_name(int32_t status);

/**
 * A static, NUL-terminated version of this library, e.g. "0.1.0"; never NULL.
 */
const char *hybridkem_library_version(void);

/**
 * A static, NUL-terminated description of the cryptographic implementation,
 * e.g. "AWS-LC (aws-lc-sys 0.47.0)"; never NULL.
 */
const char *hybridkem_implementation(void);

/**
 * ---- Suite table. ----
 *
 * How many suites this library implements (10 in version 0.1.0).
 */
size_t hybridkem_suite_count(void);

/**
 * The id of the suite at `index` (0 <= index < hybridkem_suite_count()), in
 * spec/WIRE-FORMAT.md §1's order.
 * NULL suite_id -> ERR_NULL_POINTER; index out of range -> ERR_UNKNOWN_SUITE
 * (and *suite_id = 0).
 */
int32_t hybridkem_suite_id_at(size_t index, uint16_t *suite_id);

/**
 * Fills *info for suite_id.
 * NULL info -> ERR_NULL_POINTER; wrong info->struct_size -> ERR_STRUCT_SIZE
 * (struct untouched); unknown suite -> ERR_UNKNOWN_SUITE (every field but
 * struct_size zeroed, name NULL).
 */
int32_t hybridkem_suite_info_get(uint16_t suite_id, struct hybridkem_suite_info *info);

/**
 * ---- KEM operations. ----
 *
 * A fresh private key from the OS CSPRNG (AWS-LC RAND_bytes): the suite's
 * private_key_len random bytes (32, or 64 for ML-KEM's d ‖ z).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (private_key_len is not
 * the suite's), RANDOM. Secret output.
 */
int32_t hybridkem_generate_private_key(uint16_t suite_id, uint8_t *private_key, size_t private_key_len);

/**
 * The public key of a private key (deterministic: same seed, same key).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, NO_VALID_SCALAR
 * (NIST suites; practically unreachable), INTERNAL.
 */
int32_t hybridkem_derive_public_key(uint16_t suite_id,
                                    const uint8_t *private_key,
                                    size_t private_key_len,
                                    uint8_t *public_key,
                                    size_t public_key_len);

/**
 * Encapsulation to public_key with fresh randomness from the OS CSPRNG.
 * Writes the ciphertext (public, send it) and the shared secret (secret).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INVALID_PUBLIC_KEY
 * (ML-KEM modulus check), INVALID_GROUP_ELEMENT (traditional part of the
 * public key), NO_VALID_SCALAR (practically unreachable), RANDOM, INTERNAL.
 */
int32_t hybridkem_encapsulate(uint16_t suite_id,
                              const uint8_t *public_key,
                              size_t public_key_len,
                              uint8_t *ciphertext,
                              size_t ciphertext_len,
                              uint8_t *shared_secret,
                              size_t shared_secret_len);

/**
 * Deterministic encapsulation with caller-given randomness (randomness_len
 * from hybridkem_suite_info: ML-KEM's 32-byte m ‖ the ephemeral scalar's
 * bytes; m alone for ML-KEM-768/1024; ikmE for DHKEM). FOR TEST VECTORS ONLY: reusing randomness breaks security; use
 * hybridkem_encapsulate. Errors: as hybridkem_encapsulate but never RANDOM;
 * NO_VALID_SCALAR when no window of the randomness is a valid scalar.
 */
int32_t hybridkem_encapsulate_derand(uint16_t suite_id,
                                     const uint8_t *public_key,
                                     size_t public_key_len,
                                     const uint8_t *randomness,
                                     size_t randomness_len,
                                     uint8_t *ciphertext,
                                     size_t ciphertext_len,
                                     uint8_t *shared_secret,
                                     size_t shared_secret_len);

/**
 * Decapsulation of ciphertext with private_key. A tampered ML-KEM ciphertext
 * is NOT an error: it yields ML-KEM's implicit-rejection secret (FIPS 203
 * §7.3), so the shared secret simply differs from the sender's.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INVALID_GROUP_ELEMENT
 * (traditional part of the ciphertext), NO_VALID_SCALAR (practically
 * unreachable), INTERNAL.
 */
int32_t hybridkem_decapsulate(uint16_t suite_id,
                              const uint8_t *private_key,
                              size_t private_key_len,
                              const uint8_t *ciphertext,
                              size_t ciphertext_len,
                              uint8_t *shared_secret,
                              size_t shared_secret_len);

/**
 * ---- Expanded private keys (a server decapsulating many ciphertexts to one
 *      key). ----
 *
 * hybridkem_decapsulate expands the private key on every call (SHAKE256,
 * ML-KEM key generation, the traditional public key). An expanded key does
 * that once: it holds AWS-LC's ML-KEM key (the expanded decapsulation key),
 * the traditional scalar, both public values and the seed, in memory the
 * library allocates. hybridkem_decapsulate_with_key then gives exactly the
 * shared secret hybridkem_decapsulate gives with the seed (the same
 * composition runs; only the two key-generation steps are answered from the
 * key), with the same statuses.
 *
 * The CONVENTIONS hold, with these differences:
 *   - This is the one place the library allocates memory the caller must
 *     release: every key from hybridkem_private_key_import must be passed to
 *     hybridkem_private_key_free exactly once (leaked otherwise).
 *   - hybridkem_private_key_import writes *key_out (a pointer) on success and
 *     sets it to NULL on any failure (when key_out is not NULL). The seed is
 *     checked as hybridkem_derive_public_key checks it.
 *   - hybridkem_decapsulate_with_key takes no suite id: the key knows it
 *     (hybridkem_private_key_suite). ciphertext_len must be the key's suite's.
 *     NULL key -> HYBRIDKEM_ERR_NULL_POINTER, shared_secret zeroed.
 *   - hybridkem_private_key_free takes the ADDRESS of the caller's pointer:
 *     it wipes the key (every secret field is zeroized; AWS-LC cleanses its
 *     key when freeing it), frees it and sets the caller's pointer to NULL.
 *     So with that variable, a second free is a no-op and a later
 *     decapsulation is HYBRIDKEM_ERR_NULL_POINTER: free leaves nothing
 *     reusable behind. NULL, or a pointer to NULL, is a no-op. Other COPIES
 *     of the pointer are dangling after free, as with free(): using or
 *     freeing one is undefined behaviour the library cannot detect.
 *   - Threads: a key is read-only after import; any number of threads may
 *     decapsulate with one key at once. Free must happen after every use has
 *     returned.
 *
 *   hybridkem_private_key *key = NULL;
 *   if (hybridkem_private_key_import(id, sk, sizeof sk, &key) != HYBRIDKEM_OK) ...;
 *   hybridkem_decapsulate_with_key(key, ct, ct_len, ss, sizeof ss);   // many times
 *   hybridkem_private_key_free(&key);                                 // key == NULL now
 */
int32_t hybridkem_private_key_import(uint16_t suite_id,
                                     const uint8_t *private_key,
                                     size_t private_key_len,
                                     struct hybridkem_private_key **key_out);

int32_t hybridkem_decapsulate_with_key(const struct hybridkem_private_key *key,
                                       const uint8_t *ciphertext,
                                       size_t ciphertext_len,
                                       uint8_t *shared_secret,
                                       size_t shared_secret_len);

/**
 * The key's suite id. NULL key or suite_id -> HYBRIDKEM_ERR_NULL_POINTER.
 */
int32_t hybridkem_private_key_suite(const struct hybridkem_private_key *key, uint16_t *suite_id);

void hybridkem_private_key_free(struct hybridkem_private_key **key);

/**
 * Fills *info for a composite suite id, as hybridkem_suite_info_get does for
 * KEM suites. NULL info -> ERR_NULL_POINTER; wrong info->struct_size ->
 * ERR_STRUCT_SIZE (struct untouched); unknown suite -> ERR_UNKNOWN_SUITE
 * (every field but struct_size zeroed, name NULL).
 */
int32_t hybridkem_sig_suite_info_get(uint16_t suite_id, struct hybridkem_sig_suite_info *info);

/**
 * ML-DSA.KeyGen_internal(seed) (FIPS 204 Algorithm 6): the public key and the
 * expanded secret key. Deterministic. Errors: NULL_POINTER, UNKNOWN_SUITE,
 * INVALID_LENGTH, INTERNAL.
 */
int32_t hybridkem_mldsa_keygen(uint16_t alg,
                               const uint8_t *seed,
                               size_t seed_len,
                               uint8_t *public_key,
                               size_t public_key_len,
                               uint8_t *secret_key,
                               size_t secret_key_len);

/**
 * ML-DSA.Sign (FIPS 204 Algorithm 2, pure) with the context string `context`
 * and the 32-byte hedging randomness `rnd` (fresh random bytes for hedged
 * signing; all zeros gives the deterministic variant, for test vectors).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (incl. a context over
 * 255 bytes), INTERNAL.
 */
int32_t hybridkem_mldsa_sign(uint16_t alg,
                             const uint8_t *secret_key,
                             size_t secret_key_len,
                             const uint8_t *message,
                             size_t message_len,
                             const uint8_t *context,
                             size_t context_len,
                             const uint8_t *rnd,
                             size_t rnd_len,
                             uint8_t *signature,
                             size_t signature_len);

/**
 * ML-DSA.Verify (FIPS 204 Algorithm 3): *valid = 1 or 0.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
 */
int32_t hybridkem_mldsa_verify(uint16_t alg,
                               const uint8_t *public_key,
                               size_t public_key_len,
                               const uint8_t *message,
                               size_t message_len,
                               const uint8_t *signature,
                               size_t signature_len,
                               const uint8_t *context,
                               size_t context_len,
                               int32_t *valid);

/**
 * The EdDSA public key of a private key (RFC 8032 §5.1.5 / §5.2.5).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
 */
int32_t hybridkem_eddsa_public_key(uint16_t alg,
                                   const uint8_t *private_key,
                                   size_t private_key_len,
                                   uint8_t *public_key,
                                   size_t public_key_len);

/**
 * Pure EdDSA (Ed25519 / Ed448, empty context), deterministic.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INTERNAL.
 */
int32_t hybridkem_eddsa_sign(uint16_t alg,
                             const uint8_t *private_key,
                             size_t private_key_len,
                             const uint8_t *message,
                             size_t message_len,
                             uint8_t *signature,
                             size_t signature_len);

/**
 * Pure EdDSA verification with RFC 8032's strict decoding (S below the group
 * order, canonical encodings): *valid = 1 or 0.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH.
 */
int32_t hybridkem_eddsa_verify(uint16_t alg,
                               const uint8_t *public_key,
                               size_t public_key_len,
                               const uint8_t *message,
                               size_t message_len,
                               const uint8_t *signature,
                               size_t signature_len,
                               int32_t *valid);

/**
 * A fresh composite private key from the OS CSPRNG.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, RANDOM.
 */
int32_t hybridkem_sig_generate_private_key(uint16_t suite_id, uint8_t *private_key, size_t private_key_len);

/**
 * The composite public key of a private key (deterministic).
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, INTERNAL.
 */
int32_t hybridkem_sig_derive_public_key(uint16_t suite_id,
                                        const uint8_t *private_key,
                                        size_t private_key_len,
                                        uint8_t *public_key,
                                        size_t public_key_len);

/**
 * Composite-ML-DSA.Sign, hedged: ML-DSA's rnd comes from the OS CSPRNG.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, RANDOM, INTERNAL.
 */
int32_t hybridkem_sig_sign(uint16_t suite_id,
                           const uint8_t *private_key,
                           size_t private_key_len,
                           const uint8_t *message,
                           size_t message_len,
                           const uint8_t *context,
                           size_t context_len,
                           uint8_t *signature,
                           size_t signature_len);

/**
 * Composite-ML-DSA.Sign with the caller's 32-byte ML-DSA rnd (all zeros: the
 * deterministic signature). FOR TEST VECTORS; use hybridkem_sig_sign.
 * Errors: as hybridkem_sig_sign but never RANDOM.
 */
int32_t hybridkem_sig_sign_derand(uint16_t suite_id,
                                  const uint8_t *private_key,
                                  size_t private_key_len,
                                  const uint8_t *message,
                                  size_t message_len,
                                  const uint8_t *context,
                                  size_t context_len,
                                  const uint8_t *rnd,
                                  size_t rnd_len,
                                  uint8_t *signature,
                                  size_t signature_len);

/**
 * Composite-ML-DSA.Verify with both component verdicts: the signature is
 * valid only when *mldsa_valid and *eddsa_valid are both 1.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH (public key, context,
 * signature).
 */
int32_t hybridkem_sig_verify(uint16_t suite_id,
                             const uint8_t *public_key,
                             size_t public_key_len,
                             const uint8_t *message,
                             size_t message_len,
                             const uint8_t *context,
                             size_t context_len,
                             const uint8_t *signature,
                             size_t signature_len,
                             int32_t *mldsa_valid,
                             int32_t *eddsa_valid);

/**
 * role: INITIATOR or RESPONDER. patterns: the initiator's pattern id; the
 * responder's accepted patterns as a mask of (1 << id). entries: 1..16
 * entries of 6 bytes — the initiator's offer in order, the responder's
 * preferences in order; every entry must be one this library runs, its mode
 * the suite's (§6.2). *out is NULL on failure.
 * Errors: NULL_POINTER, INVALID_LENGTH (entries_len not 6..96 in steps of 6),
 * CHANNEL_NEGOTIATION (role, pattern or an entry).
 */
int32_t hybridkem_channel_new(uint32_t role,
                              uint32_t patterns,
                              const uint8_t *entries,
                              size_t entries_len,
                              struct hybridkem_channel **out);

/**
 * Before start: keys for one suite. private_key: our static private key (the
 * suite's private key, as hybridkem_generate_private_key makes; the public
 * key is derived); remote_public_key: the peer's static public key (needed by
 * pqNK/pqIK initiators; otherwise, if given, the key the peer must present,
 * else CHANNEL_PEER_KEY). Either may be NULL with length 0. Replaces earlier
 * keys of the suite. The library copies them.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, CHANNEL_CLOSED (started).
 */
int32_t hybridkem_channel_set_keys(struct hybridkem_channel *ch,
                                   uint16_t suite_id,
                                   const uint8_t *private_key,
                                   size_t private_key_len,
                                   const uint8_t *remote_public_key,
                                   size_t remote_public_key_len);

/**
 * Checks the keys against the pattern and entries (the initiator needs the
 * keys its pattern needs for every entry's suite); an initiator queues its
 * offer. Errors: NULL_POINTER, CHANNEL_NEGOTIATION, CHANNEL_CLOSED.
 */
int32_t hybridkem_channel_start(struct hybridkem_channel *ch);

/**
 * Bytes from the peer. *consumed < len only while 256 KiB of plaintext wait
 * to be read: read, then feed the rest. Errors: NULL_POINTER and 10-16.
 */
int32_t hybridkem_channel_feed(struct hybridkem_channel *ch, const uint8_t *data, size_t len, size_t *consumed);

/**
 * The peer's stream ended: OK after its close, else CHANNEL_TRUNCATED.
 */
int32_t hybridkem_channel_feed_end(struct hybridkem_channel *ch);

/**
 * Plaintext to send: split into messages of at most 65518 bytes; written
 * before the handshake completes it is held and sent right after it.
 * Errors: NULL_POINTER, CHANNEL_CLOSED (after close or failure).
 */
int32_t hybridkem_channel_write(struct hybridkem_channel *ch, const uint8_t *data, size_t len);

/**
 * Sends a rekey message and rekeys the sending direction (Noise §11.3).
 */
int32_t hybridkem_channel_rekey(struct hybridkem_channel *ch);

/**
 * Sends the close message (after held data); nothing is written after it.
 */
int32_t hybridkem_channel_close(struct hybridkem_channel *ch);

/**
 * Moves up to cap bytes to send to the peer into out (*written of them).
 */
int32_t hybridkem_channel_take_output(struct hybridkem_channel *ch, uint8_t *out, size_t cap, size_t *written);

/**
 * Moves up to cap bytes of authenticated plaintext into out (*written).
 */
int32_t hybridkem_channel_read(struct hybridkem_channel *ch, uint8_t *out, size_t cap, size_t *written);

/**
 * Flags (HYBRIDKEM_CHANNEL_*), bytes waiting in take_output, plaintext
 * bytes waiting in read.
 */
int32_t hybridkem_channel_state(struct hybridkem_channel *ch,
                                uint32_t *flags,
                                size_t *output_len,
                                size_t *plaintext_len);

/**
 * After the handshake: the chosen entry (6 bytes), the handshake hash (32 or
 * 64 bytes; hash_cap 64 always fits) and the peer's static public key
 * (remote_cap: the suite's public key length fits; *remote_len 0 if none).
 * Errors: NULL_POINTER, INVALID_LENGTH (a cap too small), CHANNEL_CLOSED
 * (not established).
 */
int32_t hybridkem_channel_info(struct hybridkem_channel *ch,
                               uint8_t *entry,
                               uint8_t *hash,
                               size_t hash_cap,
                               size_t *hash_len,
                               uint8_t *remote,
                               size_t remote_cap,
                               size_t *remote_len);

/**
 * After the handshake: the pattern it ran (HYBRIDKEM_CHANNEL_PATTERN_*), so
 * a responder accepting several knows which one the initiator chose.
 * Errors: NULL_POINTER, CHANNEL_CLOSED (not established).
 */
int32_t hybridkem_channel_pattern(struct hybridkem_channel *ch, uint32_t *pattern_id);

/**
 * Frees the channel, wiping its keys and buffers. NULL is a no-op.
 */
void hybridkem_channel_free(struct hybridkem_channel *ch);

/**
 * ---- Noise transcript vectors (spec/TRANSPORT.md §6.9): FOR TESTS ONLY ----
 *
 * One PQNoise handshake of §6.1 (pattern, suite, cipher, hash as in the
 * channel's ids) with no negotiation and no framing, any handshake payload,
 * and randomness the CALLER fixes: so that a binding can replay
 * spec/vectors/transport/ byte for byte. Fixed randomness is only as secret
 * as the caller's bytes, and reusing it reuses the ephemeral key and the
 * shared secrets: never use these functions for a real connection (that is
 * hybridkem_channel_*, which draws from the library's RNG).
 *
 * Inputs may be NULL with length 0. A handshake is allocated by
 * hybridkem_noise_new and freed (keys wiped) by hybridkem_noise_free; it is
 * not thread-safe. After any status 10-16 it is dead and every later call is
 * HYBRIDKEM_ERR_CHANNEL_CLOSED. On failure the output buffer and *written are
 * zeroed.
 *
 * pattern_id: HYBRIDKEM_CHANNEL_PATTERN_*; cipher_id 1 ChaChaPoly, 2 AESGCM;
 * hash_id 1 SHA256, 2 SHA512; initiator 1 or 0. local_private_key: our
 * static private key (the suite's private key; the public key is derived),
 * length 0 when the pattern gives this side none. remote_public_key: the
 * responder's static public key known in advance (pqNK/pqIK initiator), else
 * length 0. random: every random byte this side draws, in the order its
 * tokens draw them (§6.9: `e` the suite's keygen seed, `ekem`/`skem` its
 * encapsulation randomness), at most 1024 bytes; a draw past the end fails
 * the handshake (CHANNEL_HANDSHAKE). prologue: at most 65535 bytes.
 * *out is NULL on failure.
 * Errors: NULL_POINTER, UNKNOWN_SUITE, INVALID_LENGTH, CHANNEL_NEGOTIATION
 * (pattern, cipher, hash, role, or keys the pattern needs but lacks).
 */
int32_t hybridkem_noise_new(uint32_t pattern_id,
                            uint16_t suite_id,
                            uint32_t cipher_id,
                            uint32_t hash_id,
                            uint32_t initiator,
                            const uint8_t *prologue,
                            size_t prologue_len,
                            const uint8_t *local_private_key,
                            size_t local_private_key_len,
                            const uint8_t *remote_public_key,
                            size_t remote_public_key_len,
                            const uint8_t *random,
                            size_t random_len,
                            struct hybridkem_noise **out);

/**
 * Writes the next handshake message carrying payload (at most 65535 bytes)
 * into out (cap 65535 always fits; *written its length). After the last
 * message the handshake splits into the transport cipher states.
 * Errors: NULL_POINTER, INVALID_LENGTH, CHANNEL_PROTOCOL (not our turn, or
 * the message would exceed 65535 bytes), CHANNEL_HANDSHAKE, CHANNEL_CLOSED.
 */
int32_t hybridkem_noise_write_message(struct hybridkem_noise *h,
                                      const uint8_t *payload,
                                      size_t payload_len,
                                      uint8_t *out,
                                      size_t cap,
                                      size_t *written);

/**
 * Reads the peer's handshake message; its payload goes to out.
 * Errors: NULL_POINTER, INVALID_LENGTH, CHANNEL_PROTOCOL (our turn to write),
 * CHANNEL_HANDSHAKE (fails to authenticate or parse), CHANNEL_CLOSED.
 */
int32_t hybridkem_noise_read_message(struct hybridkem_noise *h,
                                     const uint8_t *message,
                                     size_t message_len,
                                     uint8_t *out,
                                     size_t cap,
                                     size_t *written);

/**
 * After the last handshake message: the handshake hash (32 or 64 bytes; cap
 * 64 always fits). Before it: CHANNEL_CLOSED.
 */
int32_t hybridkem_noise_handshake_hash(struct hybridkem_noise *h, uint8_t *out, size_t cap, size_t *written);

/**
 * After the handshake: ENCRYPT(k, n, "", plaintext) with our sending cipher
 * state, n from 0 (cap >= plaintext_len + 16).
 */
int32_t hybridkem_noise_encrypt(struct hybridkem_noise *h,
                                const uint8_t *plaintext,
                                size_t plaintext_len,
                                uint8_t *out,
                                size_t cap,
                                size_t *written);

/**
 * After the handshake: DECRYPT with our receiving cipher state
 * (cap >= ciphertext_len - 16). Errors include CHANNEL_DECRYPT.
 */
int32_t hybridkem_noise_decrypt(struct hybridkem_noise *h,
                                const uint8_t *ciphertext,
                                size_t ciphertext_len,
                                uint8_t *out,
                                size_t cap,
                                size_t *written);

/**
 * Frees the handshake, wiping its keys. NULL is a no-op.
 */
void hybridkem_noise_free(struct hybridkem_noise *h);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* HYBRIDKEM_H */
