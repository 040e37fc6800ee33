/*
 * conf_ob3_ldp.c: the 1EdTech Open Badges 3.0 Linked Data Proof test
 * vector (t/vectors/ob3-ldp): an OpenBadgeCredential signed with
 * eddsa-rdfc-2022 by https://example.edu/issuers/565049.
 *
 * Reproduced: the canonical document and proof configuration (the
 * vector's N-Quads), their SHA-256 hashes and the signature (the values
 * the implementation guide prints, copied in README.md).  Then through the
 * whole pipeline (badge_session_run, as badgectl and the server modules
 * run it): verified with the vector's key configured as trusted for the
 * verification method; not verified without it (the key URL cannot be
 * fetched, and a key spelled in a URL fragment is never trusted by
 * itself); and not verified after any change to the credential.
 *
 * Run from the repository root.  Last line:
 *   ob3-ldp: P passed, F failed (of N)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "ctx.h"
#include "json.h"
#include "multibase.h"
#include "proof_di.h"

#define VEC      "t/vectors/ob3-ldp"
#define VM       "https://example.edu/issuers/565049#" \
                 "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#define PUBKEY   "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
/* from the implementation guide (t/vectors/ob3-ldp/README.md) */
#define DOC_HASH    "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f5256" \
                    "6bb7f9e0773"
#define PROOF_HASH  "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee4469" \
                    "8dcea10f5d19"
#define SIG_HEX     "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a" \
                    "03c4f2c3a4f1e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082" \
                    "ea8df8e703c8ecd4333503"

static int passed, failed;

static void
check(int cond, const char *fmt, ...)
{
    va_list ap;

    if (cond) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL  ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long  n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t) n + 1)) == NULL)
    {
        fclose(f);
        return NULL;
    }
    if (fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t) n;
    return buf;
}

static void
hex(const unsigned char *p, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", p[i]);
    }
    out[2 * n] = '\0';
}

static void
expect_file(const char *what, const char *got, size_t got_len,
    const char *file)
{
    char   *want;
    size_t  want_len;

    want = slurp(file, &want_len);
    check(want != NULL && got_len == want_len
          && memcmp(got, want, want_len) == 0, "%s reproduced (%s)", what,
        file);
    free(want);
}

/* The intermediate values of the guide. */
static void
intermediate(json_t *cred)
{
    const json_t         *proof = json_object_get(cred, "proof");
    json_t               *unsecured = NULL, *config = NULL;
    badge_arena_t        *a = badge_arena_new(0);
    badge_di_hash_t       h;
    badge_err_t           err;
    unsigned char         sig[96];
    size_t                sig_len = 0;
    char                  buf[2 * 96 + 1];

    badge_err_clear(&err);
    if (a == NULL
        || badge_di_prepare(cred, proof, BADGE_DI_EDDSA_RDFC_2022,
                            &unsecured, &config, &err) != 0
        || badge_di_hash_data(a, BADGE_DI_EDDSA_RDFC_2022, 0, unsecured,
                              config, NULL, &h, &err) != 0)
    {
        check(0, "canonicalization: %s", err.message);
        goto done;
    }
    check(h.n_dropped == 0, "no undefined terms");
    expect_file("canonical document", h.doc, h.doc_len,
        VEC "/document-canon.nq");
    expect_file("canonical proof configuration", h.config, h.config_len,
        VEC "/proof-canon.nq");
    hex(h.doc_hash, 32, buf);
    check(strcmp(buf, DOC_HASH) == 0, "document hash %s", buf);
    hex(h.config_hash, 32, buf);
    check(strcmp(buf, PROOF_HASH) == 0, "proof hash %s", buf);
    check(badge_multibase_decode(badge_json_str(proof, "proofValue"), sig,
                                 sizeof(sig), &sig_len) == 0
          && sig_len == 64, "proofValue decodes to 64 bytes");
    hex(sig, sig_len, buf);
    check(strcmp(buf, SIG_HEX) == 0, "signature %s", buf);

done:
    json_decref(unsecured);
    json_decref(config);
    badge_arena_free(a);
}

/* Run the pipeline; returns verified (1/0), -1 if it could not run.
 * Documents the session asks for are answered "could not fetch". */
static int
run(badge_ctx_t *ctx, const char *text, size_t len, const char **error)
{
    badge_verify_opts_t  vo;
    badge_session_t     *s;
    badge_step_t         st;
    const char *const   *urls;
    size_t               n, i;
    int                  rounds = 0, v = -1;

    memset(&vo, 0, sizeof(vo));
    vo.now = 1748736000;    /* 2025-06-01 */
    s = badge_session_new(ctx, &vo);
    if (s == NULL || badge_session_set_input(s, text, len) != 0) {
        badge_session_free(s);
        return -1;
    }
    while ((st = badge_session_run(s)) == BADGE_NEED_DOCUMENTS
           && rounds++ < 8)
    {
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            (void) badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    if (st == BADGE_DONE) {
        v = badge_session_verified(s);
        if (error != NULL) {
            *error = badge_session_field(s, BADGE_FIELD_ERROR);
            /* the string lives in the session: keep a static copy */
            if (*error != NULL) {
                static char keep[128];

                snprintf(keep, sizeof(keep), "%s", *error);
                *error = keep;
            }
        }
        if (badge_session_field(s, BADGE_FIELD_FORMAT) == NULL
            || strcmp(badge_session_field(s, BADGE_FIELD_FORMAT), "ob3-ldp")
               != 0)
        {
            check(0, "format is %s, not ob3-ldp",
                badge_session_field(s, BADGE_FIELD_FORMAT));
        }
    }
    badge_session_free(s);
    return v;
}

int
main(void)
{
    badge_ctx_t *trusting, *plain, *fragment;
    json_t      *cred, *copy;
    char        *text, *t2, err[200];
    size_t       len;
    const char  *why = NULL;
    int          v;

    text = slurp(VEC "/signed-credential.json", &len);
    cred = text != NULL ? json_loads(text, 0, NULL) : NULL;
    trusting = badge_ctx_new();
    plain = badge_ctx_new();
    fragment = badge_ctx_new();
    if (cred == NULL || trusting == NULL || plain == NULL
        || fragment == NULL)
    {
        printf("cannot set up (missing %s?)\n", VEC "/signed-credential.json");
        return 2;
    }
    intermediate(cred);

    /* the key, configured for its verification method id */
    check(badge_ctx_add_key(trusting, NULL, VM, PUBKEY, strlen(PUBKEY), err,
                            sizeof(err)) == 0, "add key: %s", err);
    v = run(trusting, text, len, &why);
    check(v == 1, "verified with the key configured (%s)",
        why != NULL ? why : "-");

    /* not configured: the key URL is not fetchable here, and the fragment
     * alone is no evidence */
    v = run(plain, text, len, &why);
    check(v == 0, "not verified without the key (%s)", why ? why : "-");
    /* the test-only switch reads the key from the fragment */
    (void) badge_ctx_set_option(fragment, BADGE_OPT_KEY_FROM_FRAGMENT, 1);
    v = run(fragment, text, len, &why);
    check(v == 1, "verified with BADGE_OPT_KEY_FROM_FRAGMENT (test only) "
        "(%s)", why ? why : "-");

    /* a changed name, achievement, date or proof: not verified */
    {
        static const char *edits[][2] = {
            { "/name", "Teamwork Badg" },
            { "/validFrom", "2010-01-02T00:00:00Z" },
            { "/credentialSubject/id", "did:example:someone-else" },
            { "/credentialSubject/achievement/name", "Teamwork!" },
            { "/issuer/name", "Example Corp." },
            { "/proof/created", "2010-01-01T19:23:25Z" },
            { "/proof/proofValue",
              "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWv"
              "qZtkMtSbz35HcbgXVEDYHxCzgkCs" },
        };
        size_t i;

        for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
            json_t     *node;
            char        path[128], *slash, *last;

            copy = json_deep_copy(cred);
            snprintf(path, sizeof(path), "%s", edits[i][0] + 1);
            node = copy;
            last = path;
            while ((slash = strchr(last, '/')) != NULL) {
                *slash = '\0';
                node = json_object_get(node, last);
                last = slash + 1;
            }
            (void) json_object_set_new(node, last,
                                       json_string(edits[i][1]));
            t2 = json_dumps(copy, 0);
            v = t2 != NULL ? run(trusting, t2, strlen(t2), &why) : -1;
            check(v == 0, "%s changed: not verified (%s)", edits[i][0],
                why ? why : "-");
            free(t2);
            json_decref(copy);
        }
    }

    json_decref(cred);
    free(text);
    badge_ctx_free(trusting);
    badge_ctx_free(plain);
    badge_ctx_free(fragment);
    printf("ob3-ldp: %d passed, %d failed (of %d)\n", passed, failed,
        passed + failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
