/* The C ABI from C, exactly as a client compiles against include/hybridkem.h:
 * every suite's round trip (found through the suite table), one published
 * known answer, every status code a caller can provoke, all-or-nothing
 * outputs and the struct_size rule. Run by native/scripts/test-c-abi.sh,
 * also under valgrind. Exits non-zero on the first failed check. */
#include "check.h"
#include "xwing_vector.h"

static hybridkem_suite_info get_info(uint16_t id) {
    hybridkem_suite_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    EXPECT_STATUS(hybridkem_suite_info_get(id, &info), HYBRIDKEM_OK);
    return info;
}

static void test_library_info(void) {
    CHECK(hybridkem_abi_version() == HYBRIDKEM_ABI_VERSION, "abi %u", hybridkem_abi_version());
    CHECK(strcmp(hybridkem_status_name(HYBRIDKEM_OK), "HYBRIDKEM_OK") == 0, "name");
    CHECK(strcmp(hybridkem_status_name(HYBRIDKEM_ERR_RANDOM), "HYBRIDKEM_ERR_RANDOM") == 0, "name");
    CHECK(strcmp(hybridkem_status_name(HYBRIDKEM_ERR_INTERNAL), "HYBRIDKEM_ERR_INTERNAL") == 0, "name");
    CHECK(strcmp(hybridkem_status_name(12345), "HYBRIDKEM_ERR_UNKNOWN_STATUS") == 0, "name");
    CHECK(hybridkem_library_version() != NULL && hybridkem_implementation() != NULL, "strings");
    CHECK(hybridkem_suite_count() == 10, "count %zu", hybridkem_suite_count());
}

static void test_struct_size(void) {
    /* The layout the header documents, from the compiler's own view. */
    CHECK(sizeof(hybridkem_suite_info) == (sizeof(void *) == 8 ? 40 : 32), "sizeof %zu", sizeof(hybridkem_suite_info));
    hybridkem_suite_info info;
    uint32_t bad_sizes[] = {0, 8, (uint32_t)sizeof info - 1, (uint32_t)sizeof info + 8};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        memset(&info, 0x5a, sizeof info);
        info.struct_size = bad_sizes[i];
        EXPECT_STATUS(hybridkem_suite_info_get(HYBRIDKEM_SUITE_X_WING, &info), HYBRIDKEM_ERR_STRUCT_SIZE);
        CHECK(info.suite_id == 0x5a5a, "struct left untouched");
    }
    EXPECT_STATUS(hybridkem_suite_info_get(HYBRIDKEM_SUITE_X_WING, NULL), HYBRIDKEM_ERR_NULL_POINTER);
    memset(&info, 0x5a, sizeof info);
    info.struct_size = sizeof info;
    EXPECT_STATUS(hybridkem_suite_info_get(0x1234, &info), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(info.struct_size == sizeof info && info.suite_id == 0 && info.public_key_len == 0 && info.name == NULL, "zeroed");
}

static void test_round_trips(void) {
    for (size_t i = 0; i < hybridkem_suite_count(); i++) {
        uint16_t id = 0;
        EXPECT_STATUS(hybridkem_suite_id_at(i, &id), HYBRIDKEM_OK);
        hybridkem_suite_info info = get_info(id);
        /* 32 bytes but for ML-KEM alone, whose private key is d ‖ z (spec/WIRE-FORMAT.md §1.4). */
        int mlkem_alone = id == HYBRIDKEM_SUITE_ML_KEM_768 || id == HYBRIDKEM_SUITE_ML_KEM_1024;
        CHECK(info.suite_id == id &&
                  info.private_key_len == (mlkem_alone ? HYBRIDKEM_MLKEM_PRIVATE_KEY_LEN : HYBRIDKEM_PRIVATE_KEY_LEN) &&
                  info.shared_secret_len == HYBRIDKEM_SHARED_SECRET_LEN && info.name != NULL,
              "suite %04x", id);
        uint8_t sk_buf[HYBRIDKEM_MAX_PRIVATE_KEY_LEN], ss1[32], ss2[32];
        uint8_t *sk = sk_buf;
        size_t sk_len = info.private_key_len;
        uint8_t *pk = malloc(info.public_key_len), *ct = malloc(info.ciphertext_len), *ct2 = malloc(info.ciphertext_len);
        uint8_t *rnd = malloc(info.randomness_len);
        EXPECT_STATUS(hybridkem_generate_private_key(id, sk, sk_len), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_derive_public_key(id, sk, sk_len, pk, info.public_key_len), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_encapsulate(id, pk, info.public_key_len, ct, info.ciphertext_len, ss1, sizeof ss1), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_decapsulate(id, sk, sk_len, ct, info.ciphertext_len, ss2, sizeof ss2), HYBRIDKEM_OK);
        CHECK(memcmp(ss1, ss2, 32) == 0, "%s: decapsulated secret differs", info.name);
        /* Derandomised: the same randomness gives the same ciphertext. */
        memset(rnd, 0x11, info.randomness_len);
        EXPECT_STATUS(hybridkem_encapsulate_derand(id, pk, info.public_key_len, rnd, info.randomness_len, ct, info.ciphertext_len, ss1, 32), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_encapsulate_derand(id, pk, info.public_key_len, rnd, info.randomness_len, ct2, info.ciphertext_len, ss2, 32), HYBRIDKEM_OK);
        CHECK(memcmp(ct, ct2, info.ciphertext_len) == 0 && memcmp(ss1, ss2, 32) == 0, "%s: derand not deterministic", info.name);
        EXPECT_STATUS(hybridkem_decapsulate(id, sk, sk_len, ct, info.ciphertext_len, ss2, sizeof ss2), HYBRIDKEM_OK);
        CHECK(memcmp(ss1, ss2, 32) == 0, "%s: derand secret differs", info.name);
        printf("ok %-20s pk %4u ct %4u randomness %3u\n", info.name, info.public_key_len, info.ciphertext_len, info.randomness_len);
        free(pk);
        free(ct);
        free(ct2);
        free(rnd);
    }
    uint16_t id = 0xbeef;
    EXPECT_STATUS(hybridkem_suite_id_at(hybridkem_suite_count(), &id), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(id == 0, "id zeroed");
    EXPECT_STATUS(hybridkem_suite_id_at(0, NULL), HYBRIDKEM_ERR_NULL_POINTER);
}

static void test_known_answer(void) {
    static uint8_t seed[32], eseed[64], pk[1216], ct[1120], ss[32], out_pk[1216], out_ct[1120], out_ss[32];
    CHECK(unhex(XWING_SEED, seed, sizeof seed) == 32 && unhex(XWING_ESEED, eseed, sizeof eseed) == 64 &&
              unhex(XWING_PK, pk, sizeof pk) == 1216 && unhex(XWING_CT, ct, sizeof ct) == 1120 && unhex(XWING_SS, ss, sizeof ss) == 32,
          "vector lengths");
    EXPECT_STATUS(hybridkem_derive_public_key(HYBRIDKEM_SUITE_X_WING, seed, 32, out_pk, sizeof out_pk), HYBRIDKEM_OK);
    CHECK(memcmp(out_pk, pk, sizeof pk) == 0, "X-Wing public key");
    EXPECT_STATUS(hybridkem_encapsulate_derand(HYBRIDKEM_SUITE_X_WING, pk, sizeof pk, eseed, sizeof eseed, out_ct, sizeof out_ct, out_ss, 32), HYBRIDKEM_OK);
    CHECK(memcmp(out_ct, ct, sizeof ct) == 0, "X-Wing ciphertext");
    CHECK(memcmp(out_ss, ss, 32) == 0, "X-Wing shared secret (encapsulate)");
    memset(out_ss, 0, 32);
    EXPECT_STATUS(hybridkem_decapsulate(HYBRIDKEM_SUITE_X_WING, seed, 32, ct, sizeof ct, out_ss, 32), HYBRIDKEM_OK);
    CHECK(memcmp(out_ss, ss, 32) == 0, "X-Wing shared secret (decapsulate)");
    printf("ok X-Wing known answer (draft-connolly-cfrg-xwing-kem-10 vector #0)\n");
}

/* A fresh key pair and ciphertext of `id` for the error cases. */
struct fixture {
    hybridkem_suite_info info;
    uint8_t sk[HYBRIDKEM_MAX_PRIVATE_KEY_LEN], ss[32]; /* sk: info.private_key_len bytes used */
    uint8_t *pk, *ct, *rnd;
};

static struct fixture make(uint16_t id) {
    struct fixture f;
    f.info = get_info(id);
    f.pk = malloc(f.info.public_key_len);
    f.ct = malloc(f.info.ciphertext_len);
    f.rnd = malloc(f.info.randomness_len);
    memset(f.rnd, 0x22, f.info.randomness_len);
    EXPECT_STATUS(hybridkem_generate_private_key(id, f.sk, f.info.private_key_len), HYBRIDKEM_OK);
    EXPECT_STATUS(hybridkem_derive_public_key(id, f.sk, f.info.private_key_len, f.pk, f.info.public_key_len), HYBRIDKEM_OK);
    EXPECT_STATUS(hybridkem_encapsulate(id, f.pk, f.info.public_key_len, f.ct, f.info.ciphertext_len, f.ss, 32), HYBRIDKEM_OK);
    return f;
}

static void release(struct fixture *f) {
    free(f->pk);
    free(f->ct);
    free(f->rnd);
}

static void test_errors(void) {
    struct fixture f = make(HYBRIDKEM_SUITE_X25519_MLKEM768);
    uint32_t pkl = f.info.public_key_len, ctl = f.info.ciphertext_len;
    uint8_t *ct = malloc(ctl), *pk = malloc(pkl + 1), ss[32]; /* pk: one spare byte for the pkl + 1 case */

    /* NULL pointers; the other outputs are zeroed. */
    memset(ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, f.pk, pkl, NULL, ctl, ss, 32), HYBRIDKEM_ERR_NULL_POINTER);
    CHECK(all_zero(ss, 32), "ss zeroed");
    EXPECT_STATUS(hybridkem_decapsulate(f.info.suite_id, NULL, 32, f.ct, ctl, ss, 32), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_derive_public_key(f.info.suite_id, f.sk, 32, NULL, pkl), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_generate_private_key(f.info.suite_id, NULL, 32), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_encapsulate_derand(f.info.suite_id, f.pk, pkl, NULL, f.info.randomness_len, ct, ctl, ss, 32), HYBRIDKEM_ERR_NULL_POINTER);

    /* Unknown suite: no suite length, so the output is left untouched. */
    memset(pk, 0xaa, pkl);
    EXPECT_STATUS(hybridkem_derive_public_key(0x0000, f.sk, 32, pk, pkl), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(pk[0] == 0xaa && pk[pkl - 1] == 0xaa, "pk untouched");
    EXPECT_STATUS(hybridkem_decapsulate(0xffff, f.sk, 32, f.ct, ctl, ss, 32), HYBRIDKEM_ERR_UNKNOWN_SUITE);

    /* Wrong lengths, of inputs and of outputs. */
    memset(ct, 0xaa, ctl);
    memset(ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, f.pk, pkl - 1, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(ct, ctl) && all_zero(ss, 32), "outputs zeroed");
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, f.pk, pkl, ct, ctl - 1, ss, 32), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, f.pk, pkl, ct, ctl, ss, 31), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_decapsulate(f.info.suite_id, f.sk, 31, f.ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_decapsulate(f.info.suite_id, f.sk, 32, f.ct, ctl - 1, ss, 32), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_derive_public_key(f.info.suite_id, f.sk, 32, pk, pkl + 1), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_generate_private_key(f.info.suite_id, ss, 31), HYBRIDKEM_ERR_INVALID_LENGTH);
    EXPECT_STATUS(hybridkem_encapsulate_derand(f.info.suite_id, f.pk, pkl, f.rnd, f.info.randomness_len - 1, ct, ctl, ss, 32),
                  HYBRIDKEM_ERR_INVALID_LENGTH);

    /* FIPS 203 §7.2 modulus check: first coefficient 4095 >= q. */
    memcpy(pk, f.pk, pkl);
    pk[0] = 0xff;
    pk[1] |= 0x0f;
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, pk, pkl, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_PUBLIC_KEY);
    CHECK(all_zero(ct, ctl) && all_zero(ss, 32), "outputs zeroed");

    /* X25519 u = 0 (low order, all-zero secret), in the public key and in the ciphertext. */
    memcpy(pk, f.pk, pkl);
    memset(pk + pkl - 32, 0, 32);
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, pk, pkl, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT);
    memcpy(ct, f.ct, ctl);
    memset(ct + ctl - 32, 0, 32);
    EXPECT_STATUS(hybridkem_decapsulate(f.info.suite_id, f.sk, 32, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT);
    CHECK(all_zero(ss, 32), "ss zeroed");
    free(ct);
    free(pk);
    release(&f);

    /* P-256: a point off the curve (last byte of y flipped). */
    f = make(HYBRIDKEM_SUITE_MLKEM768_P256);
    pkl = f.info.public_key_len;
    ctl = f.info.ciphertext_len;
    pk = malloc(pkl);
    ct = malloc(ctl);
    memcpy(pk, f.pk, pkl);
    pk[pkl - 1] ^= 1;
    EXPECT_STATUS(hybridkem_encapsulate(f.info.suite_id, pk, pkl, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT);
    memcpy(ct, f.ct, ctl);
    ct[ctl - 65] = 0x02; /* a compressed-point tag: not an encoded element here */
    EXPECT_STATUS(hybridkem_decapsulate(f.info.suite_id, f.sk, 32, ct, ctl, ss, 32), HYBRIDKEM_ERR_INVALID_GROUP_ELEMENT);
    free(pk);
    free(ct);
    release(&f);

    /* HPKE-MLKEM1024-P384: randomness whose scalar window is >= n. */
    f = make(HYBRIDKEM_SUITE_HPKE_MLKEM1024_P384);
    ct = malloc(f.info.ciphertext_len);
    memset(f.rnd + 32, 0xff, f.info.randomness_len - 32);
    memset(ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_encapsulate_derand(f.info.suite_id, f.pk, f.info.public_key_len, f.rnd, f.info.randomness_len, ct,
                                               f.info.ciphertext_len, ss, 32),
                  HYBRIDKEM_ERR_NO_VALID_SCALAR);
    CHECK(all_zero(ss, 32) && all_zero(ct, f.info.ciphertext_len), "outputs zeroed");
    free(ct);
    release(&f);
    printf("ok every provokable status code\n");
}

/* A length error never writes past the suite's length: buffers of the right
 * size followed by a canary, passed with a larger length (ERR_INVALID_LENGTH),
 * are zeroed up to their real size and the canary survives. */
static void test_length_errors_stay_in_bounds(void) {
    static const uint8_t canary[8] = {0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5};
    struct fixture f = make(HYBRIDKEM_SUITE_X_WING);
    struct {
        uint8_t ss[32];
        uint8_t after[8];
    } out;
    struct {
        uint8_t pk[1216];
        uint8_t after[8];
    } pk_out;
    size_t huge[] = {40, (size_t)1 << 40, (size_t)1 << 62, SIZE_MAX};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        memset(out.ss, 0xaa, sizeof out.ss);
        memcpy(out.after, canary, sizeof canary);
        EXPECT_STATUS(hybridkem_decapsulate(HYBRIDKEM_SUITE_X_WING, f.sk, 32, f.ct, f.info.ciphertext_len, out.ss, huge[i]),
                      HYBRIDKEM_ERR_INVALID_LENGTH);
        CHECK(all_zero(out.ss, 32) && memcmp(out.after, canary, 8) == 0, "decapsulate, length %zu: zeroed past the buffer", huge[i]);
        memset(pk_out.pk, 0xaa, sizeof pk_out.pk);
        memcpy(pk_out.after, canary, sizeof canary);
        EXPECT_STATUS(hybridkem_derive_public_key(HYBRIDKEM_SUITE_X_WING, f.sk, 32, pk_out.pk, huge[i] == 40 ? 1224 : huge[i]),
                      HYBRIDKEM_ERR_INVALID_LENGTH);
        CHECK(all_zero(pk_out.pk, 1216) && memcmp(pk_out.after, canary, 8) == 0, "derive_public_key, length %zu", huge[i]);
    }
    release(&f);
    printf("ok length errors stay within the suite's lengths\n");
}

/* Expanded private keys: the vector's answer through a key, the same secret
 * as the seed for every suite (also for a tampered ciphertext: implicit
 * rejection, and an invalid traditional element: the same status), the
 * checks, and free clearing the caller's pointer (a second free and a later
 * decapsulation with it are then harmless). valgrind sees the frees. */
static void test_expanded_keys(void) {
    static uint8_t seed[32], ct[1120], ss[32], out_ss[32], ss2[32];
    CHECK(unhex(XWING_SEED, seed, sizeof seed) == 32 && unhex(XWING_CT, ct, sizeof ct) == 1120 && unhex(XWING_SS, ss, sizeof ss) == 32,
          "vector lengths");
    hybridkem_private_key *key = NULL;
    EXPECT_STATUS(hybridkem_private_key_import(HYBRIDKEM_SUITE_X_WING, seed, 32, &key), HYBRIDKEM_OK);
    CHECK(key != NULL, "key");
    uint16_t id = 0;
    EXPECT_STATUS(hybridkem_private_key_suite(key, &id), HYBRIDKEM_OK);
    CHECK(id == HYBRIDKEM_SUITE_X_WING, "key suite %u", id);
    for (int i = 0; i < 3; i++) {
        memset(out_ss, 0, 32);
        EXPECT_STATUS(hybridkem_decapsulate_with_key(key, ct, sizeof ct, out_ss, 32), HYBRIDKEM_OK);
        CHECK(memcmp(out_ss, ss, 32) == 0, "X-Wing shared secret (expanded key), call %d", i);
    }
    /* Checks: NULLs, lengths (outputs zeroed). */
    memset(out_ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_decapsulate_with_key(key, ct, sizeof ct - 1, out_ss, 32), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(out_ss, 32), "zeroed on a wrong ciphertext length");
    memset(out_ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_decapsulate_with_key(key, ct, sizeof ct, out_ss, 31), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(all_zero(out_ss, 31) && out_ss[31] == 0xaa, "zeroed within the length passed");
    EXPECT_STATUS(hybridkem_decapsulate_with_key(key, NULL, sizeof ct, out_ss, 32), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_decapsulate_with_key(key, ct, sizeof ct, NULL, 32), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_private_key_suite(NULL, &id), HYBRIDKEM_ERR_NULL_POINTER);
    EXPECT_STATUS(hybridkem_private_key_suite(key, NULL), HYBRIDKEM_ERR_NULL_POINTER);
    /* Free clears the caller's pointer. */
    hybridkem_private_key_free(&key);
    CHECK(key == NULL, "free sets the pointer to NULL");
    hybridkem_private_key_free(&key); /* a second free of the variable: a no-op */
    hybridkem_private_key_free(NULL);
    memset(out_ss, 0xaa, 32);
    EXPECT_STATUS(hybridkem_decapsulate_with_key(key, ct, sizeof ct, out_ss, 32), HYBRIDKEM_ERR_NULL_POINTER);
    CHECK(all_zero(out_ss, 32), "zeroed after use of a freed (NULL) key");

    /* Import checks: *key_out is NULL on failure. */
    key = (hybridkem_private_key *)(uintptr_t)1; /* a stale value the failure must overwrite */
    EXPECT_STATUS(hybridkem_private_key_import(0x1234, seed, 32, &key), HYBRIDKEM_ERR_UNKNOWN_SUITE);
    CHECK(key == NULL, "NULL on an unknown suite");
    key = (hybridkem_private_key *)(uintptr_t)1;
    EXPECT_STATUS(hybridkem_private_key_import(HYBRIDKEM_SUITE_X_WING, seed, 31, &key), HYBRIDKEM_ERR_INVALID_LENGTH);
    CHECK(key == NULL, "NULL on a wrong seed length");
    key = (hybridkem_private_key *)(uintptr_t)1;
    EXPECT_STATUS(hybridkem_private_key_import(HYBRIDKEM_SUITE_X_WING, NULL, 32, &key), HYBRIDKEM_ERR_NULL_POINTER);
    CHECK(key == NULL, "NULL on a NULL seed");
    EXPECT_STATUS(hybridkem_private_key_import(HYBRIDKEM_SUITE_X_WING, seed, 32, NULL), HYBRIDKEM_ERR_NULL_POINTER);

    /* Every suite: the seed's secrets, for a good, a tampered and (NIST
     * curves) an invalid traditional ciphertext. */
    for (size_t i = 0; i < hybridkem_suite_count(); i++) {
        uint16_t sid = 0;
        EXPECT_STATUS(hybridkem_suite_id_at(i, &sid), HYBRIDKEM_OK);
        struct fixture f = make(sid);
        uint32_t ctl = f.info.ciphertext_len, skl = f.info.private_key_len;
        EXPECT_STATUS(hybridkem_private_key_import(sid, f.sk, skl, &key), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_decapsulate_with_key(key, f.ct, ctl, out_ss, 32), HYBRIDKEM_OK);
        CHECK(memcmp(out_ss, f.ss, 32) == 0, "%s: expanded key gives the encapsulated secret", f.info.name);
        f.ct[5] ^= 1; /* in the ML-KEM part: implicit rejection (DHKEM: another point, another secret) */
        EXPECT_STATUS(hybridkem_decapsulate(sid, f.sk, skl, f.ct, ctl, ss2, 32), HYBRIDKEM_OK);
        EXPECT_STATUS(hybridkem_decapsulate_with_key(key, f.ct, ctl, out_ss, 32), HYBRIDKEM_OK);
        CHECK(memcmp(out_ss, ss2, 32) == 0 && memcmp(out_ss, f.ss, 32) != 0, "%s: implicit rejection as with the seed", f.info.name);
        f.ct[5] ^= 1;
        /* The traditional part set to all 0xff: not an element (NIST) or a
         * u-coordinate >= p that X25519 reduces; either way the seed's status. */
        memset(f.ct + ctl - 32, 0xff, 32);
        int32_t want = hybridkem_decapsulate(sid, f.sk, skl, f.ct, ctl, ss2, 32);
        memset(out_ss, 0xaa, 32);
        int32_t got = hybridkem_decapsulate_with_key(key, f.ct, ctl, out_ss, 32);
        CHECK(got == want, "%s: %s, the seed gives %s", f.info.name, hybridkem_status_name(got), hybridkem_status_name(want));
        CHECK(want == HYBRIDKEM_OK ? memcmp(out_ss, ss2, 32) == 0 : all_zero(out_ss, 32), "%s: same output", f.info.name);
        hybridkem_private_key_free(&key);
        CHECK(key == NULL, "freed");
        release(&f);
    }
    printf("ok expanded private keys (known answer, every suite as the seed, checks, free)\n");
}

int main(void) {
    test_library_info();
    test_struct_size();
    test_round_trips();
    test_known_answer();
    test_errors();
    test_length_errors_stay_in_bounds();
    test_expanded_keys();
    return report_passed("abi_test");
}
