/*
 * conf_vc_di_eddsa.c: the W3C vc-di-eddsa test vectors (t/vectors/
 * vc-di-eddsa: eddsa-rdfc-2022, eddsa-jcs-2022, Ed25519Signature2020,
 * proof sets and chains).
 *
 * For every signed example: the proof configuration, both canonical forms,
 * both hashes, hashData, and the signature (Ed25519 is deterministic, so
 * signing with the vector's private key must give the vector's proofValue)
 * are reproduced; the signed document verifies; binding the key to the
 * credential's issuer fails (the vectors sign with a did:key that is not
 * the issuer); and changing any leaf value of the signed document, one at
 * a time, makes verification fail.
 *
 * The vectors use https://www.w3.org/ns/credentials/examples/v2 and
 * https://w3id.org/citizenship/v4rc1, which libbadge does not bundle: this
 * runner supplies them through the test document loader
 * (t/vectors/vc-di-eddsa/contexts/).
 *
 * Run from the repository root.  Last line:
 *   vc-di-eddsa: P passed, F failed (of N)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "badge.h"
#include "ctx.h"
#include "datetime.h"
#include "json.h"
#include "multibase.h"
#include "proof_di.h"
#include "session.h"
#include "sign_di.h"

#define VEC  "t/vectors/vc-di-eddsa"

static int passed, failed;
static int verbose;

static void
check(int cond, const char *fmt, ...)
{
    va_list ap;

    if (cond) {
        passed++;
        if (!verbose) {
            return;
        }
        printf("ok    ");
    } else {
        failed++;
        printf("FAIL  ");
    }
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static char *
slurp(const char *path, size_t *len)
{
    FILE   *f = fopen(path, "rb");
    char   *buf;
    long    n;

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
    if (len != NULL) {
        *len = (size_t) n;
    }
    return buf;
}

/* A file's text without trailing white space (the hex files vary). */
static char *
slurp_trim(const char *path)
{
    char   *s = slurp(path, NULL);
    size_t  n;

    if (s == NULL) {
        return NULL;
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
    {
        s[--n] = '\0';
    }
    return s;
}

static json_t *
load_json(const char *path)
{
    json_t      *v;
    json_error_t e;

    v = json_load_file(path, 0, &e);
    if (v == NULL) {
        printf("FAIL  cannot read %s: %s\n", path, e.text);
        failed++;
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* The test document loader: the contexts the vectors need             */

static const struct {
    const char *url;
    const char *file;
} test_contexts[] = {
    { "https://www.w3.org/ns/credentials/examples/v2",
      VEC "/contexts/credentials-examples-v2.jsonld" },
    { "https://w3id.org/citizenship/v4rc1",
      VEC "/contexts/citizenship-v4rc1.jsonld" },
    { NULL, NULL }
};
static char   *test_bodies[8];
static size_t  test_lens[8];

static int
test_load(void *udata, const char *url, const char **body, size_t *len,
    badge_err_t *err)
{
    size_t i;

    (void) udata;
    for (i = 0; test_contexts[i].url != NULL; i++) {
        if (strcmp(test_contexts[i].url, url) != 0) {
            continue;
        }
        if (test_bodies[i] == NULL) {
            test_bodies[i] = slurp(test_contexts[i].file, &test_lens[i]);
        }
        if (test_bodies[i] == NULL) {
            break;
        }
        *body = test_bodies[i];
        *len = test_lens[i];
        return 0;
    }
    badge_err_set(err, "jsonld_context_not_bundled", "loading remote "
        "context failed: %s", url);
    return -1;
}

/* ------------------------------------------------------------------ */

static badge_ctx_t *ctx;
static time_t       vec_now;     /* a time at which the vectors are valid */

static void
hex(const unsigned char *p, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", p[i]);
    }
    out[2 * n] = '\0';
}

/* The Ed25519 private key of a Multikey "z3u2..." (0x1300 + 32 bytes). */
static badge_key_t *
private_key(const char *mb)
{
    unsigned char        raw[64];
    const unsigned char *rest;
    size_t               n, rest_len;
    uint64_t             codec;
    badge_key_t         *k;

    if (badge_multibase_decode(mb, raw, sizeof(raw), &n) != 0
        || badge_multicodec_split(raw, n, &codec, &rest, &rest_len) != 0
        || codec != 0x1300 || rest_len != 32)
    {
        return NULL;
    }
    k = calloc(1, sizeof(*k));
    if (k == NULL) {
        return NULL;
    }
    k->type = BADGE_KEY_ED25519;
    k->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, rest, 32);
    if (k->pkey == NULL) {
        free(k);
        return NULL;
    }
    return k;
}

static badge_key_t *
key_pair(const char *file, const char *member)
{
    json_t      *kp = load_json(file), *o;
    badge_key_t *k = NULL;

    if (kp == NULL) {
        return NULL;
    }
    o = member != NULL ? json_object_get(kp, member) : kp;
    if (badge_json_str(o, "privateKeyMultibase") != NULL) {
        k = private_key(badge_json_str(o, "privateKeyMultibase"));
    }
    json_decref(kp);
    return k;
}

/* Verify one proof of doc; controller NULL checks the cryptography only.
 * Returns the state; *code gets the failing step's code. */
static badge_di_state_t
verify_one(const json_t *doc, const json_t *proof, const char *controller,
    const char **code, char *why, size_t whylen)
{
    badge_verify_opts_t    vo;
    badge_di_verify_opts_t o;
    badge_di_result_t      res;
    badge_session_t       *s;
    const badge_di_step_t *st[4];
    size_t                 i;

    memset(&vo, 0, sizeof(vo));
    vo.now = vec_now;
    s = badge_session_new(ctx, &vo);
    if (s == NULL) {
        return BADGE_DI_UNCHECKED;
    }
    memset(&o, 0, sizeof(o));
    o.purpose = "assertionMethod";
    o.controller = controller;
    o.load = test_load;
    badge_di_verify_proof(s, doc, proof, &o, &res);
    st[0] = &res.proof;
    st[1] = &res.context;
    st[2] = &res.key;
    st[3] = &res.signature;
    if (code != NULL) {
        *code = NULL;
    }
    if (why != NULL) {
        why[0] = '\0';
    }
    for (i = 0; i < 4; i++) {
        if (st[i]->state == BADGE_DI_INVALID
            || st[i]->state == BADGE_DI_UNCHECKED)
        {
            if (code != NULL) {
                *code = st[i]->code;
            }
            if (why != NULL) {
                snprintf(why, whylen, "%s", st[i]->message);
            }
            break;
        }
    }
    badge_session_free(s);
    return res.state;
}

/* Every proof of doc valid (cryptography only). */
static int
verify_all(const json_t *doc, char *why, size_t whylen)
{
    badge_verify_opts_t    vo;
    badge_di_verify_opts_t o;
    badge_di_result_t      res[BADGE_DI_MAX_PROOFS];
    badge_session_t       *s;
    badge_err_t            err;
    int                    n, i, ok = 1;

    memset(&vo, 0, sizeof(vo));
    vo.now = vec_now;
    s = badge_session_new(ctx, &vo);
    if (s == NULL) {
        return 0;
    }
    memset(&o, 0, sizeof(o));
    o.purpose = "assertionMethod";
    o.load = test_load;
    badge_err_clear(&err);
    n = badge_di_verify_all(s, doc, &o, res, BADGE_DI_MAX_PROOFS, &err);
    if (n <= 0) {
        snprintf(why, whylen, "no proofs verified: %s", err.message);
        ok = 0;
    }
    for (i = 0; i < n; i++) {
        if (res[i].state != BADGE_DI_VALID) {
            snprintf(why, whylen, "proof %d: %s / %s / %s / %s", i,
                res[i].proof.message, res[i].context.message,
                res[i].key.message, res[i].signature.message);
            ok = 0;
        }
    }
    badge_session_free(s);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Tampering: change each leaf value in turn                           */

static int
count_leaves(const json_t *v)
{
    const char *k;
    json_t     *e;
    size_t      i;
    int         n = 0;

    if (json_is_object(v)) {
        json_object_foreach((json_t *) v, k, e) {
            n += count_leaves(e);
        }
        return n;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            n += count_leaves(e);
        }
        return n;
    }
    return 1;
}

/* A value that differs but keeps the shape: the last digit turned, or the
 * last letter changed. */
static json_t *
tampered(const json_t *v)
{
    char   *s;
    size_t  n;
    json_t *r;

    if (json_is_string(v)) {
        s = strdup(json_string_value(v));
        if (s == NULL) {
            return NULL;
        }
        n = strlen(s);
        while (n > 0 && !(s[n - 1] >= '0' && s[n - 1] <= '9')) {
            n--;
        }
        if (n > 0) {
            s[n - 1] = s[n - 1] == '9' ? '0' : (char) (s[n - 1] + 1);
        } else if ((n = strlen(s)) > 0) {
            s[n - 1] = s[n - 1] == 'a' ? 'b' : 'a';
        } else {
            free(s);
            return json_string("x");
        }
        r = json_string(s);
        free(s);
        return r;
    }
    if (json_is_integer(v)) {
        return json_integer(json_integer_value(v) + 1);
    }
    if (json_is_real(v)) {
        return json_real(json_real_value(v) + 1);
    }
    if (json_is_boolean(v)) {
        return json_boolean(!json_is_true(v));
    }
    return json_string("x");
}

/* Replace the nth leaf of v (counting from *i); path gets its name. */
static int
tamper_nth(json_t *v, int n, int *i, char *path, size_t plen)
{
    const char *k;
    json_t     *e;
    size_t      j, used = strlen(path);

    if (json_is_object(v)) {
        json_object_foreach(v, k, e) {
            snprintf(path + used, plen - used, "/%s", k);
            if (!json_is_object(e) && !json_is_array(e)) {
                if ((*i)++ == n) {
                    return json_object_set_new(v, k, tampered(e)) == 0;
                }
            } else if (tamper_nth(e, n, i, path, plen)) {
                return 1;
            }
            path[used] = '\0';
        }
        return 0;
    }
    json_array_foreach(v, j, e) {
        snprintf(path + used, plen - used, "/%zu", j);
        if (!json_is_object(e) && !json_is_array(e)) {
            if ((*i)++ == n) {
                return json_array_set_new(v, j, tampered(e)) == 0;
            }
        } else if (tamper_nth(e, n, i, path, plen)) {
            return 1;
        }
        path[used] = '\0';
    }
    return 0;
}

/* Each leaf changed in turn: no proof of doc may verify any more. */
static void
tamper_all(const char *name, const json_t *doc)
{
    int     n = count_leaves(doc), t, i, bad = 0;
    json_t *copy;
    char    path[512], why[400];

    for (t = 0; t < n; t++) {
        copy = json_deep_copy(doc);
        path[0] = '\0';
        i = 0;
        if (copy == NULL || !tamper_nth(copy, t, &i, path, sizeof(path))) {
            check(0, "%s: cannot tamper leaf %d", name, t);
            json_decref(copy);
            continue;
        }
        if (verify_all(copy, why, sizeof(why))) {
            check(0, "%s: tampered %s still verifies", name, path);
            bad++;
        } else {
            check(1, "%s: tampered %s fails", name, path);
        }
        json_decref(copy);
    }
    if (verbose) {
        printf("      %s: %d leaves tampered, %d undetected\n", name, n, bad);
    }
}

/* ------------------------------------------------------------------ */
/* One signed example with its intermediate files                      */

static void
expect_file(const char *name, const char *what, const char *got,
    size_t got_len, const char *dir, const char *file)
{
    char    path[512];
    char   *want;
    size_t  want_len;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    want = slurp(path, &want_len);
    if (want == NULL) {
        check(0, "%s: cannot read %s", name, path);
        return;
    }
    /* the N-Quads files end with a newline, the JCS files with none */
    check(got != NULL && got_len == want_len && memcmp(got, want, want_len)
          == 0, "%s: %s reproduced (%s)", name, what, file);
    if (got != NULL && !(got_len == want_len
                         && memcmp(got, want, want_len) == 0))
    {
        printf("      want: %.300s\n      got:  %.300s\n", want, got);
    }
    free(want);
}

static void
expect_hex(const char *name, const char *what, const unsigned char *p,
    size_t n, const char *dir, const char *file)
{
    char  path[512], got[2 * 96 + 1];
    char *want;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    want = slurp_trim(path);
    if (want == NULL) {
        check(0, "%s: cannot read %s", name, path);
        return;
    }
    hex(p, n, got);
    check(strcmp(got, want) == 0, "%s: %s (%s)", name, what, file);
    if (strcmp(got, want) != 0) {
        printf("      want: %s\n      got:  %s\n", want, got);
    }
    free(want);
}

/* Sign opts from a proof (configuration) object. */
static void
sign_opts_from(const json_t *proof, badge_di_sign_opts_t *so)
{
    const char *c = badge_json_str(proof, "created");

    memset(so, 0, sizeof(*so));
    so->suite = badge_di_suite(proof, NULL, NULL);
    so->verification_method = badge_json_str(proof, "verificationMethod");
    so->purpose = badge_json_str(proof, "proofPurpose");
    so->id = badge_json_str(proof, "id");
    so->created = (time_t) -1;
    if (c != NULL) {
        (void) badge_datetime_parse(c, &so->created);
    }
    so->previous_proof = json_object_get(proof, "previousProof");
    so->canon.load = test_load;
    so->canon.cache = ctx->jsonld_cache;
}

static void
run_case(const char *name, const char *dir, const char *tag,
    const char *keyfile)
{
    char                  path[512], file[128], why[400];
    json_t               *signedv, *cfg_want, *unsecured = NULL;
    json_t               *config = NULL, *proof, *mine;
    const json_t         *vproof;
    badge_di_suite_t      suite;
    badge_di_canon_opts_t co;
    badge_di_hash_t       h;
    badge_di_sign_opts_t  so;
    badge_arena_t        *a;
    badge_err_t           err;
    badge_key_t          *k;
    unsigned char         sig[96];
    size_t                sig_len;
    const char           *code, *issuer;

    badge_err_clear(&err);
    snprintf(path, sizeof(path), "%s/signed%s.json", dir, tag);
    signedv = load_json(path);
    if (signedv == NULL) {
        return;
    }
    a = badge_arena_new(0);
    vproof = json_object_get(signedv, "proof");
    suite = badge_di_suite(vproof, NULL, &err);
    check(suite != BADGE_DI_SUITE_UNKNOWN, "%s: suite recognized (%s)", name,
        badge_di_suite_name(suite));

    /* proof configuration */
    if (badge_di_prepare(signedv, vproof, suite, &unsecured, &config, &err)
        != 0)
    {
        check(0, "%s: prepare: %s", name, err.message);
        goto done;
    }
    snprintf(path, sizeof(path), "%s/proofConfig%s.json", dir, tag);
    cfg_want = load_json(path);
    check(cfg_want != NULL && json_equal(config, cfg_want),
        "%s: proof configuration reproduced", name);
    json_decref(cfg_want);

    /* canonical forms and hashes */
    memset(&co, 0, sizeof(co));
    co.load = test_load;
    co.cache = ctx->jsonld_cache;
    if (badge_di_hash_data(a, suite, 0, unsecured, config, &co, &h, &err)
        != 0)
    {
        check(0, "%s: hash: %s", name, err.message);
        goto done;
    }
    check(h.n_dropped == 0, "%s: no undefined terms", name);
    snprintf(file, sizeof(file), "canonDoc%s.txt", tag);
    expect_file(name, "canonical document", h.doc, h.doc_len, dir, file);
    snprintf(file, sizeof(file), "proofCanon%s.txt", tag);
    expect_file(name, "canonical proof configuration", h.config,
        h.config_len, dir, file);
    snprintf(file, sizeof(file), "docHash%s.txt", tag);
    expect_hex(name, "document hash", h.doc_hash, 32, dir, file);
    snprintf(file, sizeof(file), "proofHash%s.txt", tag);
    expect_hex(name, "proof configuration hash", h.config_hash, 32, dir,
        file);
    snprintf(file, sizeof(file), "combinedHash%s.txt", tag);
    expect_hex(name, "hashData", h.hash, h.hash_len, dir, file);

    /* the signature, from the vector's private key */
    k = key_pair(keyfile, NULL);
    check(k != NULL, "%s: private key read", name);
    if (k != NULL) {
        if (badge_di_sign_hash(k, suite, h.hash, h.hash_len, sig, &sig_len,
                               &err) == 0)
        {
            snprintf(file, sizeof(file), "sigHex%s.txt", tag);
            expect_hex(name, "signature", sig, sig_len, dir, file);
        } else {
            check(0, "%s: sign: %s", name, err.message);
        }
        sign_opts_from(vproof, &so);
        proof = badge_di_create_proof(a, unsecured, k, &so, &err);
        snprintf(path, sizeof(path), "%s/sigBTC58%s.txt", dir, tag);
        {
            char *want = slurp_trim(path);

            check(proof != NULL && want != NULL
                  && badge_json_str(proof, "proofValue") != NULL
                  && strcmp(badge_json_str(proof, "proofValue"), want) == 0,
                "%s: badge_di_create_proof gives the vector's proofValue",
                name);
            free(want);
        }
        check(proof != NULL && json_equal(proof, (json_t *) vproof),
            "%s: badge_di_create_proof gives the vector's proof", name);
        json_decref(proof);
        mine = badge_di_sign(a, unsecured, k, &so, &err);
        check(mine != NULL && json_equal(mine, signedv),
            "%s: badge_di_sign gives the signed vector", name);
        json_decref(mine);
        badge_key_free(k);
    }

    /* verification */
    check(verify_one(signedv, vproof, NULL, &code, why, sizeof(why))
          == BADGE_DI_VALID, "%s: verifies%s%s", name, why[0] ? ": " : "",
        why);
    issuer = badge_json_id(signedv, "issuer");
    check(verify_one(signedv, vproof, issuer, &code, NULL, 0)
          == BADGE_DI_INVALID && code != NULL
          && strcmp(code, "key_not_issuer") == 0,
        "%s: the did:key is not the issuer's: refused when bound to %s",
        name, issuer);
    tamper_all(name, signedv);

done:
    json_decref(unsecured);
    json_decref(config);
    json_decref(signedv);
    badge_arena_free(a);
}

/* ------------------------------------------------------------------ */
/* Proof sets and chains                                                */

static void
sign_config(const char *name, const char *docfile, const char *cfgfile,
    const char *signedfile, const char *pair)
{
    char                  path[512];
    json_t               *doc, *cfg, *want, *proof = NULL;
    badge_di_sign_opts_t  so;
    badge_arena_t        *a = badge_arena_new(0);
    badge_key_t          *k;
    badge_err_t           err;

    badge_err_clear(&err);
    snprintf(path, sizeof(path), VEC "/proof-set-chain/%s", docfile);
    doc = load_json(path);
    snprintf(path, sizeof(path), VEC "/proof-set-chain/%s", cfgfile);
    cfg = load_json(path);
    snprintf(path, sizeof(path), VEC "/proof-set-chain/%s", signedfile);
    want = load_json(path);
    k = key_pair(VEC "/proof-set-chain/multiKeyPairs.json", pair);
    if (doc != NULL && cfg != NULL && want != NULL && k != NULL) {
        sign_opts_from(cfg, &so);
        proof = badge_di_create_proof(a, doc, k, &so, &err);
    }
    check(proof != NULL && json_equal(proof, want),
        "%s: signing %s with %s gives %s%s%s", name, cfgfile, pair,
        signedfile, proof == NULL ? ": " : "", proof == NULL ? err.message
                                                             : "");
    json_decref(proof);
    json_decref(doc);
    json_decref(cfg);
    json_decref(want);
    badge_key_free(k);
    badge_arena_free(a);
}

static void
run_sets(void)
{
    static const char *docs[] = { "signedProofSet1.json",
        "signedProofSet2.json", "signedProofChain1.json",
        "signedProofChain2.json", NULL };
    const char **d;
    char         path[512], why[400];
    json_t      *doc, *broken;
    int          ok;

    for (d = docs; *d != NULL; d++) {
        snprintf(path, sizeof(path), VEC "/proof-set-chain/%s", *d);
        doc = load_json(path);
        if (doc == NULL) {
            continue;
        }
        ok = verify_all(doc, why, sizeof(why));
        check(ok, "%s: every proof verifies%s%s", *d, ok ? "" : ": ",
            ok ? "" : why);
        tamper_all(*d, doc);
        json_decref(doc);
    }

    /* the chain's proofs sign their predecessors: dropping one breaks it */
    doc = load_json(VEC "/proof-set-chain/signedProofChain2.json");
    if (doc != NULL) {
        broken = json_deep_copy(doc);
        if (broken != NULL) {
            json_array_remove(json_object_get(broken, "proof"), 2);
        }
        check(broken != NULL && !verify_all(broken, why, sizeof(why))
              && strstr(why, "previousProof") != NULL,
            "signedProofChain2 without its third proof: the chain is "
            "broken (%s)", why);
        json_decref(broken);
        json_decref(doc);
    }

    /* the proofValues, reproduced */
    sign_config("proof set 1", "unsigned.json", "proofSetConfig1.json",
        "proofSetConfigSigned1.json", "keyPair1");
    sign_config("proof set 2", "unsigned.json", "proofSetConfig2.json",
        "proofSetConfigSigned2.json", "keyPair2");
    sign_config("proof chain 1", "signedProofSet2.json",
        "proofChainConfig1.json", "proofChainConfigSigned1.json",
        "keyPair3");
    sign_config("proof chain 2", "signedProofChain1.json",
        "proofChainConfig2.json", "proofChainConfigSigned2.json",
        "keyPair4");
}

int
main(int argc, char **argv)
{
    size_t i;

    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    ctx = badge_ctx_new();
    if (ctx == NULL) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    (void) badge_datetime_parse("2024-06-01T00:00:00Z", &vec_now);

    run_case("eddsa-rdfc-2022", VEC "/eddsa-rdfc-2022", "DataInt",
        VEC "/keyPair.json");
    run_case("eddsa-rdfc-2022/employ", VEC "/eddsa-rdfc-2022/employ",
        "DataInt", VEC "/keyPair.json");
    run_case("eddsa-jcs-2022", VEC "/eddsa-jcs-2022", "JCS",
        VEC "/keyPair.json");
    run_case("Ed25519Signature2020", VEC "/Ed25519Signature2020", "EdSig",
        VEC "/keyPair.json");
    run_sets();

    for (i = 0; i < sizeof(test_bodies) / sizeof(test_bodies[0]); i++) {
        free(test_bodies[i]);
    }
    badge_ctx_free(ctx);
    printf("vc-di-eddsa: %d passed, %d failed (of %d)\n", passed, failed,
        passed + failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
