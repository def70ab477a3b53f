/* Unloading the shared library must not crash its host. A thread loads
 * libhybridkem_native with dlopen, calls it (AWS-LC then registers per-thread
 * state with a destructor inside the library), unloads it with dlclose and
 * exits, several times over: the destructor runs at thread exit, and would
 * run from unmapped memory if dlclose had unmapped the library (build.rs
 * links it NODELETE for this). Usage: dlclose_test path/to/libhybridkem_native.so */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hybridkem.h"

typedef int32_t (*generate_fn)(uint16_t, uint8_t *, size_t);
typedef int32_t (*derive_fn)(uint16_t, const uint8_t *, size_t, uint8_t *, size_t);

static const char *library;

static void *load_call_unload(void *arg) {
    (void)arg;
    void *lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return "dlopen failed";
    }
    generate_fn generate = (generate_fn)(uintptr_t)dlsym(lib, "hybridkem_generate_private_key");
    derive_fn derive = (derive_fn)(uintptr_t)dlsym(lib, "hybridkem_derive_public_key");
    if (!generate || !derive) return "dlsym failed";
    uint8_t sk[32], pk[1216];
    int32_t st = generate(HYBRIDKEM_SUITE_X_WING, sk, sizeof sk);
    if (st == HYBRIDKEM_OK) st = derive(HYBRIDKEM_SUITE_X_WING, sk, sizeof sk, pk, sizeof pk);
    memset(sk, 0, sizeof sk);
    if (dlclose(lib) != 0) return "dlclose failed";
    return st == HYBRIDKEM_OK ? NULL : "call failed";
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/libhybridkem_native.so\n", argv[0]);
        return 2;
    }
    library = argv[1];
    for (int i = 0; i < 5; i++) {
        pthread_t thread;
        void *failure = NULL;
        if (pthread_create(&thread, NULL, load_call_unload, NULL) != 0 || pthread_join(thread, &failure) != 0) return 1;
        if (failure) {
            fprintf(stderr, "FAIL run %d: %s\n", i, (const char *)failure);
            return 1;
        }
    }
    printf("ok dlopen, call, dlclose, thread exit: 5 threads, no crash\n");
    return 0;
}
