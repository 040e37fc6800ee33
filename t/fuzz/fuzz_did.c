/* libFuzzer harness: DIDs (did.h): did:web to URL mapping, did:key and
 * did:jwk decoding, DID URL splitting on the first line; the rest, when it
 * is JSON, as a DID document searched for the first line's method. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "did.h"
#include "json.h"
#include "keys.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t *a;
    badge_err_t    err;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t         n1 = nl != NULL ? (size_t) (nl - data) : size;
    char          *did, *base;
    badge_key_t   *k;
    json_t        *doc;
    const json_t  *vm;

    a = badge_arena_new(8 << 20);
    if (a == NULL) {
        return 0;
    }
    did = badge_arena_strndup(a, (const char *) data, n1);
    if (did == NULL || strlen(did) != n1) {
        badge_arena_free(a);
        return 0;
    }
    (void) badge_did_web_url(a, did, &err);
    base = badge_did_base(a, did);
    k = badge_did_key_decode(did, &err);
    badge_key_free(k);
    k = badge_did_jwk_decode(did, "assertionMethod", &err);
    badge_key_free(k);
    if (nl != NULL) {
        doc = badge_json_parse((const char *) nl + 1, size - n1 - 1, &err);
        if (doc != NULL) {
            vm = badge_did_doc_find_method(a, doc,
                     base != NULL ? base : did, did, "assertionMethod",
                     &err);
            if (vm != NULL) {
                k = badge_did_method_key(vm, &err);
                badge_key_free(k);
            }
            json_decref(doc);
        }
    }
    badge_arena_free(a);
    return 0;
}
