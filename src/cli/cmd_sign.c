/*
 * cmd_sign.c: badgectl sign, an unsigned Open Badges 3.0 / VC credential
 * secured as a VC-JWT (Data Integrity signing comes later).
 *
 *   badgectl sign --key FILE --format jwt [--kid KID] [--alg ALG] [--vc11]
 *       [--out FILE] FILE|-
 *
 * The payload is the credential (VC 2.0, typ "vc+jwt") with iss, jti, sub,
 * nbf and exp copied from it, or with --vc11 a VC-JWT 1.1 token whose "vc"
 * claim is the credential (typ "JWT").  The kid is the issuer's did:key or
 * did:jwk verification method when the issuer is the key's own DID;
 * otherwise --kid is required.  The algorithm follows from the key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "cmd_sign_di.h"
#include "did.h"
#include "json.h"
#include "jws.h"
#include "keys.h"
#include "vc.h"

static void
badgectl_sign_usage(FILE *f)
{
    fprintf(f, "usage: badgectl sign --key FILE --format jwt [--kid KID] "
        "[--alg ALG] [--vc11]\n"
        "                     [--out FILE] CREDENTIAL|-\n"
        "  --key FILE    private key (PEM, e.g. from badgectl keygen)\n"
        "  --kid KID     verification method id (default: the issuer's "
        "did:key/did:jwk)\n"
        "  --alg ALG     EdDSA, ES256, ES384, RS256 or PS256 (must fit the "
        "key)\n"
        "  --vc11        VC-JWT 1.1 form (\"vc\" claim) instead of the VC 2.0 "
        "payload form\n");
}

/* Copy a date property as a NumericDate claim. */
static int
badgectl_sign_date_claim(json_t *payload, const json_t *cred,
    const char *claim, const char *prop1, const char *prop2)
{
    const char *v = badge_json_str(cred, prop1);
    time_t      t;

    if (v == NULL) {
        v = badge_json_str(cred, prop2);
    }
    if (v == NULL) {
        return 0;
    }
    if (badge_vc_parse_date(v, &t) != 0) {
        fprintf(stderr, "badgectl sign: %s is not a valid date-time\n", v);
        return -1;
    }
    return json_object_set_new(payload, claim,
        json_integer((json_int_t) t));
}

/* The kid for a did:key / did:jwk issuer that is this key, or NULL. */
static const char *
badgectl_sign_default_kid(badge_arena_t *a, const badge_key_t *k,
    const char *issuer)
{
    const char  *did = NULL;
    badge_key_t *ik;
    badge_err_t  err;

    if (strncmp(issuer, "did:key:", 8) == 0) {
        did = badge_did_key_encode(a, k);
        if (did == NULL || strcmp(did, issuer) != 0) {
            fprintf(stderr, "badgectl sign: the issuer %s is not this key's "
                "did:key (%s)\n", issuer, did != NULL ? did : "none");
            return NULL;
        }
    } else if (strncmp(issuer, "did:jwk:", 8) == 0) {
        /* JSON member order may differ: compare the keys themselves */
        ik = badge_did_jwk_decode(issuer, NULL, &err);
        if (ik == NULL || !badge_key_equal(ik, k)) {
            fprintf(stderr, "badgectl sign: the issuer's did:jwk is not "
                "this key\n");
            badge_key_free(ik);
            return NULL;
        }
        badge_key_free(ik);
        did = issuer;
    } else {
        fprintf(stderr, "badgectl sign: --kid is required when the issuer "
            "is not a did:key or did:jwk (e.g. --kid %s#key-1)\n", issuer);
        return NULL;
    }
    return badge_did_key_vm_id(a, did);
}

int
badgectl_cmd_sign(int argc, char **argv)
{
    const char    *keyfile = NULL, *format = NULL, *kid = NULL;
    const char    *alg = NULL, *input = NULL, *outfile = NULL;
    const char    *issuer, *id, *sub = NULL, *jwt;
    unsigned char *keybuf = NULL, *body = NULL;
    size_t         keylen, len;
    badge_key_t   *k = NULL;
    badge_arena_t *a = NULL;
    badge_err_t    err;
    json_t        *cred = NULL, *payload = NULL, *header = NULL;
    const json_t  *subj;
    char          *ptext = NULL;
    FILE          *f;
    int            i, vc11 = 0, code = BADGECTL_USAGE;

    /* Data Integrity proofs (the default, eddsa-rdfc-2022) are signed by
     * cmd_sign_di.c; --format jwt stays here */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[i + 1];
        }
    }
    if (format == NULL || strcmp(format, "jwt") != 0) {
        return badgectl_sign_di(argc, argv);
    }
    format = NULL;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            keyfile = argv[++i];
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strcmp(argv[i], "--kid") == 0 && i + 1 < argc) {
            kid = argv[++i];
        } else if (strcmp(argv[i], "--alg") == 0 && i + 1 < argc) {
            alg = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            outfile = argv[++i];
        } else if (strcmp(argv[i], "--vc11") == 0) {
            vc11 = 1;
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_sign_usage(stdout);
            return BADGECTL_OK;
        } else if ((argv[i][0] != '-' || argv[i][1] == '\0')
                   && input == NULL)
        {
            input = argv[i];
        } else {
            badgectl_sign_usage(stderr);
            return BADGECTL_USAGE;
        }
    }
    if (keyfile == NULL || input == NULL) {
        badgectl_sign_usage(stderr);
        return BADGECTL_USAGE;
    }
    if (format == NULL || strcmp(format, "jwt") != 0) {
        fprintf(stderr, "badgectl sign: only --format jwt is supported "
            "for now\n");
        return BADGECTL_USAGE;
    }
    badge_err_clear(&err);
    a = badge_arena_new(0);
    if (a == NULL) {
        goto done;
    }
    if (badgectl_read_file(keyfile, 1024 * 1024, &keybuf, &keylen) != 0) {
        fprintf(stderr, "badgectl sign: cannot read %s\n", keyfile);
        goto done;
    }
    k = badge_key_from_pem(keybuf, keylen, &err);
    if (k == NULL) {
        fprintf(stderr, "badgectl sign: %s: %s\n", keyfile, err.message);
        goto done;
    }
    if (badgectl_read_file(input, 16 * 1024 * 1024, &body, &len) != 0) {
        fprintf(stderr, "badgectl sign: cannot read %s\n", input);
        goto done;
    }
    cred = badge_json_parse((const char *) body, len, &err);
    if (cred == NULL || !json_is_object(cred)) {
        fprintf(stderr, "badgectl sign: %s is not a JSON object: %s\n",
            input, cred == NULL ? err.message : "");
        goto done;
    }
    if (json_object_get(cred, "proof") != NULL) {
        fprintf(stderr, "badgectl sign: the credential already has a "
            "proof; sign the unsigned credential\n");
        goto done;
    }
    issuer = badge_json_id(cred, "issuer");
    if (issuer == NULL) {
        fprintf(stderr, "badgectl sign: the credential has no issuer id\n");
        goto done;
    }
    if (kid == NULL
        && (kid = badgectl_sign_default_kid(a, k, issuer)) == NULL)
    {
        goto done;
    }
    id = badge_json_str(cred, "id");
    subj = json_object_get(cred, "credentialSubject");
    sub = badge_json_str(json_is_array(subj) ? json_array_get(subj, 0)
                                             : subj, "id");
    if (vc11) {
        payload = json_object();
        if (payload == NULL
            || json_object_set(payload, "vc", cred) != 0)
        {
            goto oom;
        }
    } else {
        payload = json_deep_copy(cred);
        if (payload == NULL) {
            goto oom;
        }
    }
    if (json_object_set_new(payload, "iss", json_string(issuer)) != 0
        || (id != NULL
            && json_object_set_new(payload, "jti", json_string(id)) != 0)
        || (sub != NULL
            && json_object_set_new(payload, "sub", json_string(sub)) != 0))
    {
        goto oom;
    }
    if (badgectl_sign_date_claim(payload, cred, "nbf",
            vc11 ? "issuanceDate" : "validFrom",
            vc11 ? "validFrom" : "issuanceDate") != 0
        || badgectl_sign_date_claim(payload, cred, "exp",
            vc11 ? "expirationDate" : "validUntil",
            vc11 ? "validUntil" : "expirationDate") != 0)
    {
        goto done;
    }
    ptext = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
    header = json_pack("{s:s, s:s}", "kid", kid, "typ",
        vc11 ? "JWT" : "vc+jwt");
    if (ptext == NULL || header == NULL) {
        goto oom;
    }
    jwt = badge_jws_sign(a, k, alg, header, ptext, strlen(ptext), &err);
    if (jwt == NULL) {
        fprintf(stderr, "badgectl sign: %s\n", err.message);
        code = BADGECTL_NOT_OK;
        goto done;
    }
    if (outfile != NULL) {
        f = fopen(outfile, "w");
        if (f == NULL) {
            fprintf(stderr, "badgectl sign: %s: %s\n", outfile,
                strerror(errno));
            goto done;
        }
        fprintf(f, "%s\n", jwt);
        if (fclose(f) != 0) {
            fprintf(stderr, "badgectl sign: cannot write %s\n", outfile);
            goto done;
        }
    } else {
        printf("%s\n", jwt);
    }
    code = BADGECTL_OK;
    goto done;

oom:
    fprintf(stderr, "badgectl sign: out of memory\n");

done:
    free(ptext);
    json_decref(header);
    json_decref(payload);
    json_decref(cred);
    free(body);
    if (keybuf != NULL) {
        OPENSSL_cleanse(keybuf, keylen);
        free(keybuf);
    }
    badge_key_free(k);
    badge_arena_free(a);
    return code;
}
