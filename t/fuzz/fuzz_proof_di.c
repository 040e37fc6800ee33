/*
 * libFuzzer harness: Data Integrity proofs (proof_di.c, sign_di.c) on
 * arbitrary JSON, offline, with the bundled contexts only.
 *
 *   1. every proof of the input is verified (any suite, any structure);
 *   2. an input without a proof is signed (eddsa-rdfc-2022, then
 *      eddsa-jcs-2022) with a fixed key and the result verified: whatever
 *      the signer accepts, the verifier must accept too (abort otherwise).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "badge.h"
#include "ctx.h"
#include "did.h"
#include "json.h"
#include "proof_di.h"
#include "session.h"
#include "sign_di.h"

#define FUZZ_NOW  1735689600    /* 2025-01-01 */

static badge_ctx_t   *fuzz_ctx;
static badge_arena_t *fuzz_arena;
static badge_key_t    fuzz_key;
static const char    *fuzz_vm;

static void
fuzz_init(void)
{
    static const unsigned char seed[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    const char *did;

    fuzz_ctx = badge_ctx_new();
    fuzz_arena = badge_arena_new(0);
    if (fuzz_ctx == NULL || fuzz_arena == NULL) {
        abort();
    }
    (void) badge_ctx_set_option(fuzz_ctx, BADGE_OPT_KEY_FROM_FRAGMENT, 1);
    fuzz_key.type = BADGE_KEY_ED25519;
    fuzz_key.pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
                                                 seed, sizeof(seed));
    did = fuzz_key.pkey != NULL ? badge_did_key_encode(fuzz_arena, &fuzz_key)
                                : NULL;
    fuzz_vm = did != NULL ? badge_did_key_vm_id(fuzz_arena, did) : NULL;
    if (fuzz_vm == NULL) {
        abort();
    }
}

/* Verify every proof; returns 1 if all of them are valid. */
static int
fuzz_verify(const json_t *doc)
{
    badge_verify_opts_t    vo;
    badge_di_verify_opts_t o;
    badge_di_result_t      res[BADGE_DI_MAX_PROOFS];
    badge_session_t       *s;
    badge_err_t            err;
    int                    n, i, ok;

    memset(&vo, 0, sizeof(vo));
    vo.now = FUZZ_NOW;
    s = badge_session_new(fuzz_ctx, &vo);
    if (s == NULL) {
        return 0;
    }
    memset(&o, 0, sizeof(o));
    o.purpose = "assertionMethod";
    badge_err_clear(&err);
    n = badge_di_verify_all(s, doc, &o, res, BADGE_DI_MAX_PROOFS, &err);
    ok = n > 0;
    for (i = 0; i < n; i++) {
        ok &= res[i].state == BADGE_DI_VALID;
    }
    badge_session_free(s);
    return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const badge_di_suite_t suites[] = { BADGE_DI_EDDSA_RDFC_2022,
                                               BADGE_DI_EDDSA_JCS_2022 };
    badge_di_sign_opts_t  so;
    badge_arena_t        *a;
    badge_err_t           err;
    json_t               *doc, *signedv;
    size_t                i;

    if (fuzz_ctx == NULL) {
        fuzz_init();
    }
    doc = badge_json_parse((const char *) data, size, &err);
    if (doc == NULL || !json_is_object(doc)) {
        json_decref(doc);
        return 0;
    }
    if (json_object_get(doc, "proof") != NULL) {
        (void) fuzz_verify(doc);
        json_decref(doc);
        return 0;
    }
    for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        a = badge_arena_new(64 << 20);
        if (a == NULL) {
            break;
        }
        memset(&so, 0, sizeof(so));
        so.suite = suites[i];
        so.verification_method = fuzz_vm;
        so.created = FUZZ_NOW - 3600;
        so.canon.cache = fuzz_ctx->jsonld_cache;
        signedv = badge_di_sign(a, doc, &fuzz_key, &so, &err);
        if (signedv != NULL && !fuzz_verify(signedv)) {
            abort();    /* signed, yet not verifiable */
        }
        json_decref(signedv);
        badge_arena_free(a);
    }
    json_decref(doc);
    return 0;
}
