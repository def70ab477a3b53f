/* The check harness shared by the C ABI tests (abi_test.c, sig_test.c): a
 * CHECK that counts and exits on the first failure (so a run that prints its
 * count passed every check), a status check that names both statuses, and
 * byte helpers. Each test is one translation unit, so the counter is one per
 * test program. The helpers are static inline so that a test not using one
 * still compiles under -Wall -Werror. */
#ifndef HYBRIDKEM_TEST_CHECK_H
#define HYBRIDKEM_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hybridkem.h"

static int checks = 0;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define EXPECT_STATUS(call, want)                                                       \
    do {                                                                                \
        int32_t got_ = (call);                                                          \
        CHECK(got_ == (want), "got %s, want %s", hybridkem_status_name(got_), #want); \
    } while (0)

/* Decodes a hex string into out; exits 2 (a broken test, not a failed
 * check) when it does not fit or is not hex. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    if (n > cap) exit(2);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) exit(2);
        out[i] = (uint8_t)v;
    }
    return n;
}

static inline int all_byte(const uint8_t *p, size_t n, uint8_t b) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != b) return 0;
    return 1;
}

static inline int all_zero(const uint8_t *p, size_t n) {
    return all_byte(p, n, 0);
}

/* The last line of every test program: the script shows only it for the
 * second (shared-library) run and under valgrind. */
static inline int report_passed(const char *test) {
    printf("%s: %d checks passed\n", test, checks);
    return 0;
}

#endif /* HYBRIDKEM_TEST_CHECK_H */
