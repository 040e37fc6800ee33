/*
 * cmd_sign_di.c: badgectl sign --format di, an unsigned credential (or
 * presentation, or status list credential) secured with an embedded Data
 * Integrity proof.
 *
 *   badgectl sign --format di --key FILE [--suite SUITE] [--vm ID]
 *       [--purpose P] [--created RFC3339|none] [--expires RFC3339]
 *       [--challenge C] [--domain D] [--doc URL=FILE] [--docs P=DIR]
 *       [--out FILE] FILE|-
 *
 * SUITE: eddsa-rdfc-2022 (default for Ed25519 keys), eddsa-jcs-2022,
 * ecdsa-rdfc-2019 (default for P-256/P-384 keys), ecdsa-jcs-2019.  The
 * verification method defaults to the issuer's did:key / did:jwk method
 * when the issuer is the key's own DID; otherwise --vm is required (--kid
 * is accepted as its synonym).  A document that already has proofs gets
 * one more (a proof set).  Contexts come from the bundled store, or from
 * --doc/--docs (e.g. a test context); nothing is fetched.
 *
 * Entered from badgectl_cmd_sign (cmd_sign.c) for --format di or --suite.
 */
#include "cmd_sign_di.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "arena.h"
#include "cli.h"
#include "datetime.h"
#include "did.h"
#include "json.h"
#include "keys.h"
#include "sign_di.h"

typedef struct {
    badgectl_docmap_t *map;
    badge_arena_t     *arena;
} badgectl_sign_di_loader_t;

static void
badgectl_sign_di_usage(FILE *f)
{
    fprintf(f, "usage: badgectl sign --format di --key FILE [--suite SUITE] "
        "[--vm ID]\n"
        "           [--purpose P] [--created RFC3339|none] "
        "[--expires RFC3339]\n"
        "           [--challenge C] [--domain D] [--doc URL=FILE] "
        "[--docs PREFIX=DIR]\n"
        "           [--out FILE] CREDENTIAL|-\n"
        "  --key FILE    private key (PKCS#8 PEM, e.g. from badgectl "
        "keygen)\n"
        "  --suite S     eddsa-rdfc-2022 (default, Ed25519), eddsa-jcs-2022,"
        "\n"
        "                ecdsa-rdfc-2019 (default, P-256/P-384), "
        "ecdsa-jcs-2019\n"
        "  --vm ID       verification method id (default: the issuer's "
        "did:key/did:jwk)\n"
        "  --purpose P   assertionMethod (default) or authentication\n"
        "  --created T   the proof's creation time (default: now; none: "
        "omit)\n");
}

/* Contexts beyond the bundled ones, from --doc/--docs. */
static int
badgectl_sign_di_load(void *udata, const char *url, const char **body,
    size_t *len, badge_err_t *err)
{
    badgectl_sign_di_loader_t *l = udata;
    unsigned char             *b = NULL;
    size_t                     n = 0;
    char                      *copy;
    int                        rc;

    rc = badgectl_docmap_lookup(l->map, url, &b, &n);
    if (rc <= 0) {
        badge_err_set(err, "jsonld_context_not_bundled", "context %s is not "
            "bundled; supply it with --doc URL=FILE", url);
        return -1;
    }
    copy = badge_arena_strndup(l->arena, (const char *) b, n);
    free(b);
    if (copy == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    *body = copy;
    *len = n;
    return 0;
}

static int
badgectl_sign_di_suite(const char *name, badge_di_suite_t *suite)
{
    static const badge_di_suite_t all[] = {
        BADGE_DI_EDDSA_RDFC_2022, BADGE_DI_EDDSA_JCS_2022,
        BADGE_DI_ECDSA_RDFC_2019, BADGE_DI_ECDSA_JCS_2019,
        BADGE_DI_ED25519_2020
    };
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (strcmp(name, badge_di_suite_name(all[i])) == 0) {
            *suite = all[i];
            return 0;
        }
    }
    return -1;
}

/* The issuer's own did:key / did:jwk method, when the key is the DID. */
static const char *
badgectl_sign_di_default_vm(badge_arena_t *a, const badge_key_t *k,
    const char *issuer)
{
    char *did = NULL;

    if (issuer != NULL && strncmp(issuer, "did:key:", 8) == 0) {
        did = badge_did_key_encode(a, k);
    } else if (issuer != NULL && strncmp(issuer, "did:jwk:", 8) == 0) {
        did = badge_did_jwk_encode(a, k);
    }
    if (did == NULL || strcmp(did, issuer) != 0) {
        fprintf(stderr, "badgectl sign: the issuer %s is not this key's "
            "did:key or did:jwk; give the verification method with --vm "
            "(e.g. --vm %s#key-1)\n", issuer != NULL ? issuer : "(none)",
            issuer != NULL ? issuer : "ISSUER");
        return NULL;
    }
    return badge_did_key_vm_id(a, did);
}

int
badgectl_sign_di(int argc, char **argv)
{
    badge_di_sign_opts_t       o;
    badgectl_sign_di_loader_t  l;
    const char                *keyfile = NULL, *input = NULL, *out = NULL;
    const char                *created = NULL, *issuer, *suite = NULL;
    unsigned char             *keybuf = NULL, *body = NULL;
    size_t                     keylen = 0, len;
    badge_key_t               *k = NULL;
    badge_err_t                err;
    json_t                    *doc = NULL, *signedv = NULL;
    const json_t              *holder;
    char                      *text = NULL;
    FILE                      *f;
    int                        i, rc, code = BADGECTL_USAGE;

    memset(&o, 0, sizeof(o));
    memset(&l, 0, sizeof(l));
    badge_err_clear(&err);
    l.map = badgectl_docmap_new();
    l.arena = badge_arena_new(0);
    if (l.map == NULL || l.arena == NULL) {
        fprintf(stderr, "badgectl sign: out of memory\n");
        goto done;
    }
    for (i = 1; i < argc; i++) {
        rc = badgectl_docmap_option(l.map, argc, argv, &i);
        if (rc < 0) {
            goto done;
        }
        if (rc > 0) {
            continue;
        }
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            keyfile = argv[++i];
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (strcmp(argv[++i], "di") != 0) {
                fprintf(stderr, "badgectl sign: --format %s is not Data "
                    "Integrity\n", argv[i]);
                goto done;
            }
        } else if (strcmp(argv[i], "--suite") == 0 && i + 1 < argc) {
            suite = argv[++i];
        } else if ((strcmp(argv[i], "--vm") == 0
                    || strcmp(argv[i], "--kid") == 0) && i + 1 < argc)
        {
            o.verification_method = argv[++i];
        } else if (strcmp(argv[i], "--purpose") == 0 && i + 1 < argc) {
            o.purpose = argv[++i];
        } else if (strcmp(argv[i], "--created") == 0 && i + 1 < argc) {
            created = argv[++i];
        } else if (strcmp(argv[i], "--expires") == 0 && i + 1 < argc) {
            o.expires = argv[++i];
        } else if (strcmp(argv[i], "--challenge") == 0 && i + 1 < argc) {
            o.challenge = argv[++i];
        } else if (strcmp(argv[i], "--domain") == 0 && i + 1 < argc) {
            o.domain = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0
                   || strcmp(argv[i], "--help") == 0)
        {
            badgectl_sign_di_usage(stdout);
            code = BADGECTL_OK;
            goto done;
        } else if ((argv[i][0] != '-' || argv[i][1] == '\0')
                   && input == NULL)
        {
            input = argv[i];
        } else {
            badgectl_sign_di_usage(stderr);
            goto done;
        }
    }
    if (keyfile == NULL || input == NULL) {
        badgectl_sign_di_usage(stderr);
        goto done;
    }
    if (suite != NULL && badgectl_sign_di_suite(suite, &o.suite) != 0) {
        fprintf(stderr, "badgectl sign: unknown suite %s\n", suite);
        goto done;
    }
    if (created != NULL) {
        if (strcmp(created, "none") == 0) {
            o.created = (time_t) -1;
        } else if (badge_datetime_parse(created, &o.created) != 0) {
            fprintf(stderr, "badgectl sign: --created %s is not a "
                "date-time\n", created);
            goto done;
        }
    }
    if (o.expires != NULL) {
        time_t t;

        if (badge_datetime_parse(o.expires, &t) != 0) {
            fprintf(stderr, "badgectl sign: --expires %s is not a "
                "date-time\n", o.expires);
            goto done;
        }
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
    doc = badge_json_parse((const char *) body, len, &err);
    if (doc == NULL || !json_is_object(doc)) {
        fprintf(stderr, "badgectl sign: %s is not a JSON object%s%s\n",
            input, doc == NULL ? ": " : "", doc == NULL ? err.message : "");
        goto done;
    }
    if (o.verification_method == NULL) {
        /* a presentation is signed by its holder */
        holder = json_object_get(doc, "holder");
        issuer = badge_json_has_string(json_object_get(doc, "type"),
                                       "VerifiablePresentation")
                 ? (json_is_string(holder) ? json_string_value(holder)
                                           : badge_json_str(holder, "id"))
                 : badge_json_id(doc, "issuer");
        o.verification_method = badgectl_sign_di_default_vm(l.arena, k,
                                                            issuer);
        if (o.verification_method == NULL) {
            goto done;
        }
    }
    o.canon.load = badgectl_sign_di_load;
    o.canon.load_udata = &l;
    signedv = badge_di_sign(l.arena, doc, k, &o, &err);
    if (signedv == NULL) {
        fprintf(stderr, "badgectl sign: %s (%s)\n", err.message,
            err.code != NULL ? err.code : "error");
        code = BADGECTL_NOT_OK;
        goto done;
    }
    text = json_dumps(signedv, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        fprintf(stderr, "badgectl sign: out of memory\n");
        goto done;
    }
    if (out != NULL) {
        f = fopen(out, "w");
        if (f == NULL) {
            fprintf(stderr, "badgectl sign: %s: %s\n", out, strerror(errno));
            goto done;
        }
        fprintf(f, "%s\n", text);
        if (fclose(f) != 0) {
            fprintf(stderr, "badgectl sign: cannot write %s\n", out);
            goto done;
        }
    } else {
        printf("%s\n", text);
    }
    code = BADGECTL_OK;

done:
    free(text);
    json_decref(signedv);
    json_decref(doc);
    free(body);
    if (keybuf != NULL) {
        OPENSSL_cleanse(keybuf, keylen);
        free(keybuf);
    }
    badge_key_free(k);
    badgectl_docmap_free(l.map);
    badge_arena_free(l.arena);
    return code;
}
