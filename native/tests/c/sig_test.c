/* The signature part of the C ABI from C, as a client compiles against
 * include/hybridkem.h: the published composite vector for
 * MLDSA44-Ed25519-SHA512 (keys, both published signatures with per-component
 * verdicts, the deterministic Ed25519 part as a known answer), round trips of
 * every composite suite and every component algorithm, and every status a
 * caller can provoke with outputs zeroed (or left untouched for an unknown
 * id), and hybridkem_sig_suite_info_get against the published sizes.
 * Run by native/scripts/test-c-abi.sh, also under valgrind. Exits
 * non-zero on the first failed check. */
#include "check.h"
#include "composite_vector.h"

/* A value of composite_vector.h: hex strings concatenated. */
static size_t unhex_parts(const char *const *parts, uint8_t *out, size_t cap) {
    size_t n = 0;
    for (; *parts; parts++) n += unhex(*parts, out + n, cap - n);
    return n;
}

#define MAX_PK HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PUBLIC_KEY_LEN
#define MAX_SK HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PRIVATE_KEY_LEN
#define MAX_SIG HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_SIGNATURE_LEN

struct composite {
    uint16_t id;
    size_t sk, pk, sig, mldsa_sig;
};

static const struct composite COMPOSITES[] = {
    {HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512, HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PRIVATE_KEY_LEN,
     HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_PUBLIC_KEY_LEN, HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512_SIGNATURE_LEN,
     HYBRIDKEM_MLDSA44_SIGNATURE_LEN},
    {HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512, HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PRIVATE_KEY_LEN,
     HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_PUBLIC_KEY_LEN, HYBRIDKEM_SIG_MLDSA65_ED25519_SHA512_SIGNATURE_LEN,
     HYBRIDKEM_MLDSA65_SIGNATURE_LEN},
    {HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256, HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PRIVATE_KEY_LEN,
     HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_PUBLIC_KEY_LEN, HYBRIDKEM_SIG_MLDSA87_ED448_SHAKE256_SIGNATURE_LEN,
     HYBRIDKEM_MLDSA87_SIGNATURE_LEN},
};

static void verdicts(uint16_t suite, const uint8_t *pk, size_t pk_len, const uint8_t *m, size_t m_len, const uint8_t *ctx,
                     size_t ctx_len, const uint8_t *sig, size_t sig_len, int32_t want_mldsa, int32_t want_eddsa,
                     const char *what) {
    int32_t mv = -1, ev = -1;
    EXPECT_STATUS(hybridkem_sig_verify(suite, pk, pk_len, m, m_len, ctx, ctx_len, sig, sig_len, &mv, &ev), HYBRIDKEM_OK);
    CHECK(mv == want_mldsa && ev == want_eddsa, "%s: verdicts ML-DSA %d, EdDSA %d; want %d, %d", what, mv, ev, want_mldsa,
          want_eddsa);
}

static void test_published_vector(void) {
    const uint16_t suite = HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512;
    const size_t ML_SIG = HYBRIDKEM_MLDSA44_SIGNATURE_LEN;
    static uint8_t m[256], ctx[256], sk[64], pk[1344], s[2484], s_ctx[2484], got_pk[1344], sig[2484];
    size_t m_len = unhex_parts(COMPOSITE_M, m, sizeof m), ctx_len = unhex_parts(COMPOSITE_CTX, ctx, sizeof ctx);
    CHECK(unhex_parts(COMPOSITE_SK, sk, sizeof sk) == sizeof sk, "sk length");
    CHECK(unhex_parts(COMPOSITE_PK, pk, sizeof pk) == sizeof pk, "pk length");
    CHECK(unhex_parts(COMPOSITE_S, s, sizeof s) == sizeof s, "s length");
    CHECK(unhex_parts(COMPOSITE_S_WITH_CONTEXT, s_ctx, sizeof s_ctx) == sizeof s_ctx, "sWithContext length");
    CHECK(ctx_len > 0, "the vector's context is not empty");

    EXPECT_STATUS(hybridkem_sig_derive_public_key(suite, sk, sizeof sk, got_pk, sizeof got_pk), HYBRIDKEM_OK);
    CHECK(memcmp(got_pk, pk, sizeof pk) == 0, "derive_public_key(sk) is the published pk");

    /* The published signatures verify, each with its own context only. */
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, 0, s, sizeof s, 1, 1, "s, empty context");
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, ctx_len, s_ctx, sizeof s_ctx, 1, 1, "sWithContext");
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, ctx_len, s, sizeof s, 0, 0, "s under the vector's context");
    verdicts(suite, pk, sizeof pk, m, m_len - 1, ctx, 0, s, sizeof s, 0, 0, "s over a shorter message");

    /* Per-component verdicts: a changed byte in one part fails that part only. */
    s[10] ^= 1;
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, 0, s, sizeof s, 0, 1, "ML-DSA part changed");
    s[10] ^= 1;
    s[ML_SIG + 5] ^= 1;
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, 0, s, sizeof s, 1, 0, "Ed25519 part changed");
    s[ML_SIG + 5] ^= 1;

    /* Known answer: Ed25519 is deterministic and signs M', which does not
     * depend on ML-DSA's rnd, so our Ed25519 part equals the published one. */
    static const uint8_t zeros[HYBRIDKEM_MLDSA_RND_LEN];
    EXPECT_STATUS(hybridkem_sig_sign_derand(suite, sk, sizeof sk, m, m_len, ctx, 0, zeros, sizeof zeros, sig, sizeof sig),
                  HYBRIDKEM_OK);
    CHECK(memcmp(sig + ML_SIG, s + ML_SIG, sizeof sig - ML_SIG) == 0, "Ed25519 part of s (empty context)");
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, 0, sig, sizeof sig, 1, 1, "our deterministic signature");
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, m, m_len, ctx, ctx_len, sig, sizeof sig), HYBRIDKEM_OK);
    CHECK(memcmp(sig + ML_SIG, s_ctx + ML_SIG, sizeof sig - ML_SIG) == 0, "Ed25519 part of sWithContext");
    verdicts(suite, pk, sizeof pk, m, m_len, ctx, ctx_len, sig, sizeof sig, 1, 1, "our hedged signature");

    /* The components on their own: ML-DSA-44 keygen from the seed half and
     * Ed25519's public key from the other half give the halves of pk. */
    static uint8_t mpk[HYBRIDKEM_MLDSA44_PUBLIC_KEY_LEN], msk[HYBRIDKEM_MLDSA44_SECRET_KEY_LEN], epk[32];
    EXPECT_STATUS(hybridkem_mldsa_keygen(HYBRIDKEM_MLDSA44, sk, 32, mpk, sizeof mpk, msk, sizeof msk), HYBRIDKEM_OK);
    CHECK(memcmp(mpk, pk, sizeof mpk) == 0, "ML-DSA-44 keygen(seed) is pk's ML-DSA part");
    EXPECT_STATUS(hybridkem_eddsa_public_key(HYBRIDKEM_ED25519, sk + 32, 32, epk, sizeof epk), HYBRIDKEM_OK);
    CHECK(memcmp(epk, pk + sizeof mpk, sizeof epk) == 0, "Ed25519 public key is pk's Ed25519 part");
}

static void test_composite_round_trips(void) {
    static const uint8_t msg[] = "hybridkem composite round trip";
    static const uint8_t ctx[] = "context";
    static const uint8_t zeros[HYBRIDKEM_MLDSA_RND_LEN];
    static uint8_t sk[MAX_SK], pk[MAX_PK], a[MAX_SIG], b[MAX_SIG];
    for (size_t i = 0; i < sizeof COMPOSITES / sizeof COMPOSITES[0]; i++) {
        const struct composite *c = &COMPOSITES[i];
        EXPECT_STATUS(hybridkem_sig_generate_private_key(c->id, sk, c->sk), HYBRIDKEM_OK);
        CHECK(!all_zero(sk, c->sk), "fresh private key");
        EXPECT_STATUS(hybridkem_sig_derive_public_key(c->id, sk, c->sk, pk, c->pk), HYBRIDKEM_OK);
        /* Hedged: both verify, and differ in the ML-DSA part only. */
        EXPECT_STATUS(hybridkem_sig_sign(c->id, sk, c->sk, msg, sizeof msg, ctx, sizeof ctx, a, c->sig), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_sig_sign(c->id, sk, c->sk, msg, sizeof msg, ctx, sizeof ctx, b, c->sig), HYBRIDKEM_OK);
        verdicts(c->id, pk, c->pk, msg, sizeof msg, ctx, sizeof ctx, a, c->sig, 1, 1, "hedged");
        verdicts(c->id, pk, c->pk, msg, sizeof msg, ctx, sizeof ctx - 1, a, c->sig, 0, 0, "another context");
        CHECK(memcmp(a, b, c->mldsa_sig) != 0, "suite 0x%04x: hedged ML-DSA parts differ", c->id);
        CHECK(memcmp(a + c->mldsa_sig, b + c->mldsa_sig, c->sig - c->mldsa_sig) == 0, "EdDSA parts are equal");
        /* Deterministic (rnd = 0^32), over an empty message and context. */
        EXPECT_STATUS(hybridkem_sig_sign_derand(c->id, sk, c->sk, msg, 0, ctx, 0, zeros, sizeof zeros, a, c->sig), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_sig_sign_derand(c->id, sk, c->sk, msg, 0, ctx, 0, zeros, sizeof zeros, b, c->sig), HYBRIDKEM_OK);
        CHECK(memcmp(a, b, c->sig) == 0, "suite 0x%04x: deterministic signatures are equal", c->id);
        verdicts(c->id, pk, c->pk, msg, 0, ctx, 0, a, c->sig, 1, 1, "deterministic, empty message");
        a[c->sig - 1] ^= 0x01;
        verdicts(c->id, pk, c->pk, msg, 0, ctx, 0, a, c->sig, 1, 0, "EdDSA part changed");
    }
}

static void test_components(void) {
    static const struct {
        uint16_t alg;
        size_t pk, sk, sig;
    } MLDSA[] = {
        {HYBRIDKEM_MLDSA44, HYBRIDKEM_MLDSA44_PUBLIC_KEY_LEN, HYBRIDKEM_MLDSA44_SECRET_KEY_LEN, HYBRIDKEM_MLDSA44_SIGNATURE_LEN},
        {HYBRIDKEM_MLDSA65, HYBRIDKEM_MLDSA65_PUBLIC_KEY_LEN, HYBRIDKEM_MLDSA65_SECRET_KEY_LEN, HYBRIDKEM_MLDSA65_SIGNATURE_LEN},
        {HYBRIDKEM_MLDSA87, HYBRIDKEM_MLDSA87_PUBLIC_KEY_LEN, HYBRIDKEM_MLDSA87_SECRET_KEY_LEN, HYBRIDKEM_MLDSA87_SIGNATURE_LEN},
    };
    static const uint8_t seed[32] = {1, 2, 3}, rnd[32] = {9}, msg[] = "component", ctx[] = "ctx";
    static uint8_t pk[HYBRIDKEM_MLDSA87_PUBLIC_KEY_LEN], sk[HYBRIDKEM_MLDSA87_SECRET_KEY_LEN], sig[HYBRIDKEM_MLDSA87_SIGNATURE_LEN];
    for (size_t i = 0; i < 3; i++) {
        int32_t valid = -1;
        EXPECT_STATUS(hybridkem_mldsa_keygen(MLDSA[i].alg, seed, sizeof seed, pk, MLDSA[i].pk, sk, MLDSA[i].sk), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_mldsa_sign(MLDSA[i].alg, sk, MLDSA[i].sk, msg, sizeof msg, ctx, sizeof ctx, rnd, sizeof rnd, sig,
                                           MLDSA[i].sig),
                      HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_mldsa_verify(MLDSA[i].alg, pk, MLDSA[i].pk, msg, sizeof msg, sig, MLDSA[i].sig, ctx, sizeof ctx, &valid),
                      HYBRIDKEM_OK);
        CHECK(valid == 1, "ML-DSA-%u verifies", MLDSA[i].alg);
        EXPECT_STATUS(hybridkem_mldsa_verify(MLDSA[i].alg, pk, MLDSA[i].pk, msg, sizeof msg, sig, MLDSA[i].sig, ctx, 0, &valid),
                      HYBRIDKEM_OK);
        CHECK(valid == 0, "ML-DSA-%u: another context does not verify", MLDSA[i].alg);
    }
    static const struct {
        uint16_t alg;
        size_t key, sig;
    } ED[] = {{HYBRIDKEM_ED25519, HYBRIDKEM_ED25519_KEY_LEN, HYBRIDKEM_ED25519_SIGNATURE_LEN},
              {HYBRIDKEM_ED448, HYBRIDKEM_ED448_KEY_LEN, HYBRIDKEM_ED448_SIGNATURE_LEN}};
    static uint8_t ek[57] = {7}, epk[57], esig[114], esig2[114];
    for (size_t i = 0; i < 2; i++) {
        int32_t valid = -1;
        EXPECT_STATUS(hybridkem_eddsa_public_key(ED[i].alg, ek, ED[i].key, epk, ED[i].key), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_eddsa_sign(ED[i].alg, ek, ED[i].key, msg, sizeof msg, esig, ED[i].sig), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_eddsa_sign(ED[i].alg, ek, ED[i].key, msg, sizeof msg, esig2, ED[i].sig), HYBRIDKEM_OK);
        CHECK(memcmp(esig, esig2, ED[i].sig) == 0, "EdDSA %u is deterministic", ED[i].alg);
        EXPECT_STATUS(hybridkem_eddsa_verify(ED[i].alg, epk, ED[i].key, msg, sizeof msg, esig, ED[i].sig, &valid), HYBRIDKEM_OK);
        CHECK(valid == 1, "EdDSA %u verifies", ED[i].alg);
        EXPECT_STATUS(hybridkem_eddsa_verify(ED[i].alg, epk, ED[i].key, msg, sizeof msg - 1, esig, ED[i].sig, &valid), HYBRIDKEM_OK);
        CHECK(valid == 0, "EdDSA %u: another message does not verify", ED[i].alg);
    }
}

static void test_statuses(void) {
    const uint16_t suite = HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512;
    static uint8_t sk[64] = {5}, pk[1344], sig[2484 + 8], big_ctx[HYBRIDKEM_SIG_MAX_CONTEXT_LEN + 1], msk[2560], mpk[1312];
    static const uint8_t msg[] = "m", rnd[32];
    int32_t mv, ev;

    EXPECT_STATUS(hybridkem_sig_derive_public_key(suite, sk, sizeof sk, pk, sizeof pk), HYBRIDKEM_OK);
    /* NULL first, even with zero lengths; then the id; then lengths. */
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, NULL, 0, msg, 0, sig, 2484), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_sig_verify(suite, pk, sizeof pk, msg, 1, NULL, 0, sig, 2484, &mv, &ev), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_sig_verify(suite, pk, sizeof pk, msg, 1, msg, 0, sig, 2484, NULL, &ev), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_sig_generate_private_key(suite, NULL, 64), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_mldsa_keygen(HYBRIDKEM_MLDSA44, NULL, 32, mpk, sizeof mpk, msk, sizeof msk), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_eddsa_verify(HYBRIDKEM_ED25519, pk, 32, msg, 1, sig, 64, NULL), HYBRIDKEM_ERR_NULL_POINTER);

    /* Unknown ids: outputs untouched (there is no length for them). */
    memset(sig, 0xAA, sizeof sig);
    mv = ev = 7;
    EXPECT_STATUS(hybridkem_sig_sign(0xfe00, sk, sizeof sk, msg, 1, msg, 0, sig, 2484), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    EXPECT_STATUS(hybridkem_sig_verify(0x647a, pk, sizeof pk, msg, 1, msg, 0, sig, 2484, &mv, &ev), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(all_byte(sig, sizeof sig, 0xAA) && mv == 7 && ev == 7, "outputs untouched for an unknown suite");
    EXPECT_STATUS(hybridkem_mldsa_sign(45, msk, sizeof msk, msg, 1, msg, 0, rnd, 32, sig, 2420), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    EXPECT_STATUS(hybridkem_eddsa_sign(25518, sk, 32, msg, 1, sig, 64), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(all_byte(sig, sizeof sig, 0xAA), "outputs untouched for an unknown algorithm");

    /* Wrong lengths: INVALID_LENGTH, the output zeroed over min(passed, its length) and nothing past it. */
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, msg, 1, msg, 0, sig, 2484 + 8), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(sig, 2484) && all_byte(sig + 2484, 8, 0xAA), "signature zeroed up to its length only");
    memset(sig, 0xAA, sizeof sig);
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, 63, msg, 1, msg, 0, sig, 2484), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(sig, 2484), "signature zeroed (short private key)");
    memset(sig, 0xAA, sizeof sig);
    EXPECT_STATUS(hybridkem_sig_sign_derand(suite, sk, sizeof sk, msg, 1, msg, 0, rnd, 31, sig, 2484), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(sig, 2484), "signature zeroed (short rnd)");
    memset(sig, 0xAA, sizeof sig);
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, msg, 1, big_ctx, sizeof big_ctx, sig, 2484), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(sig, 2484), "signature zeroed (context of 256 bytes)");
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, msg, 1, big_ctx, sizeof big_ctx - 1, sig, 2484), HYBRIDKEM_OK);
    mv = ev = 7;
    EXPECT_STATUS(hybridkem_sig_verify(suite, pk, sizeof pk, msg, 1, big_ctx, sizeof big_ctx, sig, 2484, &mv, &ev),
                  HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(mv == 0 && ev == 0, "verdicts zeroed on an error");
    mv = ev = 7;
    EXPECT_STATUS(hybridkem_sig_verify(suite, pk, sizeof pk, msg, 1, msg, 0, sig, 2483, &mv, &ev), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(mv == 0 && ev == 0, "verdicts zeroed (short signature)");
    memset(mpk, 0xAA, sizeof mpk);
    memset(msk, 0xAA, sizeof msk);
    EXPECT_STATUS(hybridkem_mldsa_keygen(HYBRIDKEM_MLDSA44, sk, 32, mpk, sizeof mpk, msk, 100), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(mpk, sizeof mpk) && all_zero(msk, 100) && all_byte(msk + 100, sizeof msk - 100, 0xAA),
          "ML-DSA keygen outputs zeroed over the lengths passed");

    /* A public key that does not decode is a verdict, not an error. */
    memset(pk + 1312, 0xFF, 32);
    EXPECT_STATUS(hybridkem_sig_sign(suite, sk, sizeof sk, msg, 1, msg, 0, sig, 2484), HYBRIDKEM_OK);
    verdicts(suite, pk, sizeof pk, msg, 1, msg, 0, sig, 2484, 1, 0, "undecodable Ed25519 public key");
}

/* hybridkem_sig_suite_info_get: the sizes a client allocates by. Expected
 * values are the published ones written out (FIPS 204 Table 2 ML-DSA public
 * key / signature sizes + RFC 8032's Ed25519 32/64 and Ed448 57/114 bytes;
 * private key = 32-byte ML-DSA seed + EdDSA seed), not the header's
 * #defines, which are checked against them too; then the struct_size rule. */
static void test_sig_suite_info(void) {
    static const struct {
        uint16_t id;
        uint32_t sk, pk, sig;
        const char *name;
    } want[] = {
        {0xfe01, 32 + 32, 1312 + 32, 2420 + 64, "MLDSA44-Ed25519-SHA512"},
        {0xfe02, 32 + 32, 1952 + 32, 3309 + 64, "MLDSA65-Ed25519-SHA512"},
        {0xfe03, 32 + 57, 2592 + 57, 4627 + 114, "MLDSA87-Ed448-SHAKE256"},
    };
    CHECK(sizeof(hybridkem_sig_suite_info) == (sizeof(void *) == 8 ? 40 : 32), "sizeof %zu",
          sizeof(hybridkem_sig_suite_info));
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        hybridkem_sig_suite_info info;
        memset(&info, 0x5a, sizeof info);
        info.struct_size = sizeof info;
        EXPECT_STATUS(hybridkem_sig_suite_info_get(want[i].id, &info), HYBRIDKEM_OK);
        CHECK(info.suite_id == want[i].id && info.reserved == 0, "suite %04x: id", want[i].id);
        CHECK(info.private_key_len == want[i].sk && info.public_key_len == want[i].pk && info.signature_len == want[i].sig,
              "suite %04x: sizes %u/%u/%u, want %u/%u/%u", want[i].id, info.private_key_len, info.public_key_len,
              info.signature_len, want[i].sk, want[i].pk, want[i].sig);
        CHECK(info.max_context_len == 255 && info.rnd_len == 32, "suite %04x: context %u, rnd %u", want[i].id,
              info.max_context_len, info.rnd_len);
        CHECK(info.name != NULL && strcmp(info.name, want[i].name) == 0, "suite %04x: name", want[i].id);
        CHECK(info.private_key_len == COMPOSITES[i].sk && info.public_key_len == COMPOSITES[i].pk &&
                  info.signature_len == COMPOSITES[i].sig && COMPOSITES[i].id == want[i].id,
              "suite %04x: header #defines agree", want[i].id);
    }

    hybridkem_sig_suite_info info;
    uint32_t bad_sizes[] = {0, 8, (uint32_t)sizeof info - 1, (uint32_t)sizeof info + 8};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        memset(&info, 0x5a, sizeof info);
        info.struct_size = bad_sizes[i];
        EXPECT_STATUS(hybridkem_sig_suite_info_get(HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512, &info), HYBRIDKEM_ERR_STRUCT_SIZE);
        CHECK(info.suite_id == 0x5a5a, "struct left untouched");
    }
    EXPECT_STATUS(hybridkem_sig_suite_info_get(HYBRIDKEM_SIG_MLDSA44_ED25519_SHA512, NULL), HYBRIDKEM_ERR_NULL_POINTER);
    /* A KEM suite id is not a signature suite. */
    memset(&info, 0x5a, sizeof info);
    info.struct_size = sizeof info;
    EXPECT_STATUS(hybridkem_sig_suite_info_get(HYBRIDKEM_SUITE_X_WING, &info), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(info.struct_size == sizeof info && info.suite_id == 0 && info.public_key_len == 0 && info.signature_len == 0 &&
              info.max_context_len == 0 && info.name == NULL,
          "zeroed for an unknown suite");
}

int main(void) {
    test_published_vector();
    test_composite_round_trips();
    test_components();
    test_statuses();
    test_sig_suite_info();
    return report_passed("sig_test");
}
