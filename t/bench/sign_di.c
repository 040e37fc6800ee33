/*
 * sign_di.c: bench fixture helper (tools/bench.sh), used only while
 * `badgectl sign` cannot make Data Integrity proofs: signs CREDENTIAL
 * with KEY (an Ed25519 PKCS#8 PEM) under SUITE (eddsa-rdfc-2022,
 * eddsa-jcs-2022, Ed25519Signature2020), with the verification method of
 * the key's did:key, and prints the signed credential.
 *
 *   sign_di KEY SUITE CREDENTIAL
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "did.h"
#include "error.h"
#include "json.h"
#include "keys.h"
#include "sign_di.h"

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long  n;

    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t) n + 1);
    *len = fread(buf, 1, (size_t) n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

int
main(int argc, char **argv)
{
    badge_arena_t        *a;
    badge_key_t          *k;
    badge_err_t           err;
    badge_di_sign_opts_t  o;
    json_t               *doc, *out;
    char                 *pem, *text, *did, *vm;
    size_t                len;

    if (argc != 4) {
        fprintf(stderr, "usage: sign_di KEY SUITE CREDENTIAL\n");
        return 2;
    }
    a = badge_arena_new(0);
    pem = slurp(argv[1], &len);
    k = pem != NULL ? badge_key_from_pem(pem, len, &err) : NULL;
    text = slurp(argv[3], &len);
    doc = text != NULL ? badge_json_parse(text, len, &err) : NULL;
    if (k == NULL || doc == NULL) {
        fprintf(stderr, "sign_di: cannot read the key or the credential\n");
        return 2;
    }
    memset(&o, 0, sizeof(o));
    if (strcmp(argv[2], "eddsa-rdfc-2022") == 0) {
        o.suite = BADGE_DI_EDDSA_RDFC_2022;
    } else if (strcmp(argv[2], "eddsa-jcs-2022") == 0) {
        o.suite = BADGE_DI_EDDSA_JCS_2022;
    } else if (strcmp(argv[2], "Ed25519Signature2020") == 0) {
        /* the suite's terms come from its own context */
        json_t *ctx = json_object_get(doc, "@context");

        o.suite = BADGE_DI_ED25519_2020;
        if (json_is_array(ctx)) {
            json_array_append_new(ctx, json_string(
                "https://w3id.org/security/suites/ed25519-2020/v1"));
        }
    } else {
        fprintf(stderr, "sign_di: unknown suite %s\n", argv[2]);
        return 2;
    }
    did = badge_did_key_encode(a, k);
    vm = did != NULL ? badge_did_key_vm_id(a, did) : NULL;
    if (vm == NULL) {
        fprintf(stderr, "sign_di: no did:key for this key\n");
        return 2;
    }
    o.verification_method = vm;
    badge_err_clear(&err);
    out = badge_di_sign(a, doc, k, &o, &err);
    if (out == NULL) {
        fprintf(stderr, "sign_di: %s: %s\n", err.code, err.message);
        return 1;
    }
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
    json_decref(doc);
    badge_key_free(k);
    free(text);
    free(pem);
    badge_arena_free(a);
    return 0;
}
