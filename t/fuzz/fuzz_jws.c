/* libFuzzer harness: compact JWS parsing (jws.h) and, for what parses,
 * signature verification under the token's alg with fixed keys of every
 * type (alg/key mismatch, none, HMAC must all be refused cleanly). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "jws.h"
#include "keys.h"

static badge_key_t *badge_fuzz_keys[2];

static void
badge_fuzz_init(void)
{
    /* RFC 8037 A.2 Ed25519 public key (as Multikey), and a P-256 JWK */
    static const char ed[] =
        "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw";
    static const char p256[] =
        "{\"kty\":\"EC\",\"crv\":\"P-256\","
        "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
        "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
    badge_err_t err;

    badge_fuzz_keys[0] = badge_key_parse(ed, strlen(ed), &err);
    badge_fuzz_keys[1] = badge_key_parse(p256, strlen(p256), &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a;
    badge_jws_t    jws;
    badge_err_t    err;
    size_t         i;

    if (badge_fuzz_keys[0] == NULL && badge_fuzz_keys[1] == NULL) {
        badge_fuzz_init();
    }
    a = badge_arena_new(8 << 20);
    if (a == NULL) {
        return 0;
    }
    memset(&jws, 0, sizeof(jws));
    if (badge_jws_parse(a, (const char *) data, size, &jws, &err) == 0) {
        for (i = 0; i < 2; i++) {
            if (badge_fuzz_keys[i] != NULL) {
                (void) badge_jws_verify(&jws, badge_fuzz_keys[i], &err);
            }
        }
    }
    if (jws.header != NULL) {
        json_decref(jws.header);
    }
    badge_arena_free(a);
    return 0;
}
