/*
 * conf_1edtech_inspector.c: every sample of 1EdTech's public validator
 * (t/vectors/1edtech-inspector, see its README.md), verified offline, with
 * the verdict the README (and the validator's own tests) promise.
 * Run from the repository root.
 *
 * Documents are supplied the way the validator's tests map them:
 *   - ob20/assets/NAME is the document at https://example.org/NAME,
 *     http://example.org/NAME and https://www.example.org/NAME;
 *   - a hosted OB 2.0 assertion is hosted at its own id (the sample file,
 *     or the JSON a baked image carries);
 *   - ob30/bit-string-list/testlist is at the raw.githubusercontent URL
 *     the samples name;
 *   - OB 3.0 keys named "<issuer URL>#<multibase>" are DERIVED HERE from
 *     the fragment and configured as trusted keys of <issuer URL>, as an
 *     administrator would configure them.  The verifier itself never
 *     trusts a key because a URL fragment spells it (README, "Caution").
 * Nothing is fetched: a URL that is not mapped answers "unavailable".
 *
 * Outcomes:
 *   passed   the verdict (and, where given, the failing check) is right;
 *   failed   wrong verdict for an implemented format; a sample judged
 *            verified that must not be is always a failure;
 *   pending  not verified because the format is not implemented yet (the
 *            report says so with a "not implemented" code, or the sample
 *            needs a suite this project does not implement); listed by
 *            name with the reason.
 * Last line:  1edtech-inspector: P passed, F failed, S pending (of N)
 * Exit status: nonzero only on failures.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "badge.h"
#include "baked.h"
#include "report.h"
#include "session.h"
#include "status.h"

#define DIR_ROOT   "t/vectors/1edtech-inspector/"
#define ASSETS     "ob20/assets/"
#define BSL_URL    "https://raw.githubusercontent.com/1EdTech/digital-" \
                   "credentials-public-validator/refs/heads/main/"       \
                   "inspector-vc/src/test/resources/ob30/bit-string-list/" \
                   "testlist"
/* a fixed clock: the samples' dates stay where they are (complete.json is
 * valid until 2030, simple-err-issued from 2040) */
#define NOW        1748736000   /* 2025-06-01T00:00:00Z */
#define MAX_PATHS  512

typedef enum {
    V,          /* must verify */
    NV,         /* must not verify; `checks` (if set) must include a
                   failing check or an error with one of these names/codes */
    DOC         /* a document, not a sample (ob20/assets) */
} expect_t;

typedef struct {
    const char *path;         /* under DIR_ROOT */
    expect_t    expect;
    const char *checks;       /* comma-separated check names or codes */
    const char *warn;         /* a code that must appear as a warning */
    const char *pending;      /* static reason: needs what we do not do */
    const char *note;
} sample_t;

static const sample_t samples[] = {
    /* ---- Open Badges 2.0, hosted (OB20Tests) ---- */
    { "ob20/basic-assertion.json", V, NULL, NULL, NULL, NULL },
    { "ob20/basic-assertion-no-public-key.json", V, NULL, NULL, NULL,
      "issuer without publicKey: fine for hosted" },
    { "ob20/basic-assertion-with-allowed-origins.json", V, NULL, NULL, NULL,
      NULL },
    { "ob20/basic-assertion-with-allowed-origins-valid-starts-with.json", V,
      NULL, NULL, NULL, NULL },
    { "ob20/basic-assertion-with-allowed-origins-valid-multiple-starts-"
      "with.json", V, NULL, NULL, NULL, NULL },
    { "ob20/basic-assertion-with-allowed-origins-invalid-starts-with.json",
      NV, "ob2_hosted_out_of_scope", NULL, NULL, NULL },
    { "ob20/basic-assertion-with-allowed-origins-invalid-multiple-starts-"
      "with.json", NV, "ob2_hosted_out_of_scope", NULL, NULL, NULL },
    { "ob20/basic-assertion-expired.json", NV, "ob2_expired", NULL, NULL,
      NULL },
    { "ob20/basic-assertion-expired-before-issued.json", NV,
      "ob2_expires_before_issued", NULL, NULL, NULL },
    { "ob20/basic-assertion-in-future.json", NV, "ob2_issued_in_future",
      NULL, NULL, NULL },
    { "ob20/basic-assertion-invalid-context.json", NV, "ob2_context_invalid",
      NULL, NULL, NULL },
    { "ob20/basic-assertion-invalid-type.json", NV, "ob2_type_invalid", NULL,
      NULL, NULL },
    { "ob20/basic-assertion-with-language.json", V, NULL, NULL, NULL, NULL },
    { "ob20/assertion-with-data-image.json", V, NULL, NULL, NULL, NULL },
    { "ob20/assertion-with-endorsements.json", V, NULL, NULL, NULL,
      "endorsements are not verified (not needed for the verdict)" },
    { "ob20/assertion-with-extension-node-basic.json", V, NULL, NULL, NULL,
      NULL },
    { "ob20/assertion-with-multiple-extensions.json", V, NULL, NULL, NULL,
      NULL },
    { "ob20/assertion-with-extension-node-invalid.json", V, NULL, NULL, NULL,
      "authentic; extension contents are not schema-validated (the Python "
      "validator's extension check is out of scope; the Java validator's "
      "tests do not judge it)" },
    { "ob20/warning-with-redirection.json", V, NULL, "ob2_redirected", NULL,
      "BadgeClass served under another id: warning" },
    { "ob20/warning-issuer-non-http.json", V, NULL,
      "ob2_issuer_id_not_http", NULL, "issuer id is a urn:uuid: warning" },
    { "ob20/simple-badge.png", V, NULL, NULL, NULL,
      "baked PNG, iTXt openbadges JSON" },
    /* ---- Open Badges 2.0, signed ---- */
    { "ob20/simple.jwt", V, NULL, NULL, NULL, NULL },
    { "ob20/simple-not-revoked.jwt", V, NULL, NULL, NULL, NULL },
    { "ob20/simple-revoked.jwt", NV, "ob2_revoked", NULL, NULL, NULL },
    /* ---- OB 2.0 objects that are not assertions: the validator
     * validates them as nodes; a verifier has nothing to verify ---- */
    { "ob20/badge-class-with-language.json", NV, "ob2_not_assertion", NULL,
      NULL, "a BadgeClass" },
    { "ob20/issuer-compact-iri-validation.json", NV, "ob2_not_assertion",
      NULL, NULL, "an Issuer" },
    { "ob20/assets/badgeclass1.json", NV, "ob2_not_assertion", NULL, NULL,
      "a BadgeClass" },
    { "ob20/assets/badge-with-data-image.json", NV, "ob2_not_assertion",
      NULL, NULL, "a BadgeClass" },
    { "ob20/assets/badgeclass-with-complex-image.json", NV,
      "ob2_not_assertion", NULL, NULL, "a BadgeClass" },
    { "ob20/rdf-validation/badge-class-invalid-issuer-type.json", NV,
      "ob2_not_assertion", NULL, NULL, "a BadgeClass" },
    { "ob20/rdf-validation/valid-badge-class.json", NV, "ob2_not_assertion",
      NULL, NULL, "a BadgeClass" },
    { "ob20/rdf-validation/valid-badge-class-empty-criteria-type.json", NV,
      "ob2_not_assertion", NULL, NULL, "a BadgeClass" },
    { "ob20/rdf-validation/valid-alignment-object.json", NV,
      "ob2_not_assertion", NULL, NULL, "an AlignmentObject" },
    { "ob20/rdf-validation/valid-issuer-extension.json", NV,
      "ob2_not_assertion", NULL, NULL, "an Issuer" },
    { "ob20/rdf-validation/invalid-one-invalid-class.json", NV,
      "ob2_not_assertion", NULL, NULL, "an Issuer (+ unknown class)" },
    { "ob20/rdf-validation/invalid-class.json", NV, "ob2_type_invalid",
      NULL, NULL, "unknown class" },
    { "ob20/rdf-validation/invalid-empty-type.json", NV, "ob2_type_invalid",
      NULL, NULL, "empty type" },
    { "ob20/rdf-validation/valid-cool-class.json", NV, "ob2_type_invalid",
      NULL, NULL, "an external class" },
    { "ob20/redirected-validation-subject.json", NV, "json_invalid", NULL,
      NULL, "a helper file (JSON with comments): must be refused" },

    /* ---- Open Badges 3.0 (README; OB30Tests) ---- */
    { "ob30/simple.json", V, NULL, NULL, NULL, NULL },
    { "ob30/simple.1ob", V, NULL, NULL, NULL, NULL },
    { "ob30/simple_v1.json", V, NULL, NULL, NULL,
      "Ed25519Signature2020" },
    { "ob30/simple-eddsa-2022.json", V, NULL, NULL, NULL,
      "legacy cryptosuite name eddsa-2022" },
    { "ob30/simple-did-key-method.json", NV, "key_not_issuer", NULL, NULL,
      "deliberate deviation from the 1EdTech validator: a did:key proof "
      "cannot speak for a urn:uuid issuer (anyone can make a did:key)" },
    { "ob30/simple-did-web-method.json", V, NULL, NULL, NULL, NULL },
    { "ob30/simple-multiple-proofs.json", V, NULL, NULL, NULL,
      "one unknown proof type beside a good proof" },
    { "ob30/simple-context-alias.json", V, NULL, NULL, NULL, NULL },
    { "ob30/simple-context-version.json", V, NULL, NULL, NULL, NULL },
    { "ob30/complete.json", V, NULL, NULL, NULL,
      "its 1EdTechRevocationList is not in the vectors: status unchecked" },
    { "ob30/complete_v1.json", NV, NULL, NULL, NULL,
      "validUntil 2020; key #key-1 is not in the vectors" },
    { "ob30/endorsement-valid.json", V, NULL, NULL, NULL, NULL },
    { "ob30/endorsement-err-schema-status-refresh.json", NV, NULL, NULL,
      NULL, NULL },
    { "ob30/simple-err-expired.json", NV, "validity", NULL, NULL, NULL },
    { "ob30/simple-err-issued.json", NV, "validity,proof", NULL, NULL,
      "valid from 2040 (the change also breaks the proof)" },
    { "ob30/simple-err-type.json", NV, "schema", NULL, NULL, NULL },
    { "ob30/simple-err-context.json", NV, "context,schema,proof", NULL,
      NULL, NULL },
    { "ob30/simple-err-issuer.json", NV, "schema", NULL, NULL, NULL },
    { "ob30/simple-err-issuer-type.json", NV, "schema,issuer,undefined_terms", NULL, NULL,
      NULL },
    { "ob30/simple-err-issuer-otheridentifier-type.json", NV,
      "schema,issuer,undefined_terms", NULL, NULL, NULL },
    { "ob30/simple-err-issuer-parentorg-type.json", NV, "schema,issuer,undefined_terms",
      NULL, NULL, NULL },
    { "ob30/simple-err-credential-subject-type.json", NV, "schema,undefined_terms", NULL,
      NULL, NULL },
    { "ob30/simple-err-credential-subject-profile-type.json", NV, "schema,undefined_terms",
      NULL, NULL, NULL },
    { "ob30/simple-err-credential-subject-identifier-type.json", NV,
      "schema,undefined_terms", NULL, NULL, NULL },
    { "ob30/simple-err-credential-subject-result-type.json", NV, "schema,undefined_terms",
      NULL, NULL, NULL },
    { "ob30/simple-err-credential-subject-achievement-result-description-"
      "type.json", NV, "schema,undefined_terms", NULL, NULL, NULL },
    { "ob30/simple-err-evidence-type.json", NV, "schema,undefined_terms", NULL, NULL, NULL },
    { "ob30/simple-err-proof-method.json", NV,
      "proof,key,signature,fetch_failed", NULL,
      NULL, NULL },
    { "ob30/simple-err-proof-method-no-scheme.json", NV,
      "proof,key,signature", NULL, NULL, NULL },
    { "ob30/simple-err-proof-method-unknown-scheme.json", NV,
      "proof,key,signature", NULL, NULL, NULL },
    { "ob30/simple-err-proof-method-unknown-did-method.json", NV,
      "proof,key,signature,did_method_unsupported", NULL, NULL, NULL },
    { "ob30/simple-err-proof-value.json", NV, "proof,signature", NULL, NULL,
      NULL },
    { "ob30/simple-noproof.json", NV, NULL, NULL, NULL, "no proof" },
    { "ob30/credential-status-revoked.json", NV, NULL, NULL, NULL,
      "did:web issuer and 1EdTechRevocationList at dc.1edtech.org: neither "
      "document is in the vectors" },
    { "ob30/bit-string-list/credential-status-revoked.json", NV,
      "status_revoked", NULL, NULL, "index 23 of testlist is set" },
    { "ob30/bit-string-list/credential-status-revoked-blank-nodes.json", NV,
      "status_revoked", NULL, NULL, "index 23 of testlist is set" },
    { "ob30/bit-string-list/testlist", V, NULL, NULL, NULL,
      "a BitstringStatusListCredential" },
    { "ob30/sd/derivedcredential.json", V, NULL, NULL,
      "ecdsa-sd-2023 (selective disclosure) is not a suite this project "
      "implements", NULL },
    { "ob30/simple-json.png", V, NULL, NULL, NULL, "baked PNG, JSON" },
    { "ob30/simple-json.svg", V, NULL, NULL, NULL, "baked SVG, JSON" },
    { "ob30/simple-jwt.png", V, NULL, NULL, NULL, "baked PNG, VC-JWT" },
    { "ob30/simple-jwt.svg", V, NULL, NULL, NULL, "baked SVG, VC-JWT" },
    { "ob30/simple-jwt_v1.png", V, NULL, NULL, NULL, "baked PNG, VC-JWT" },
    { "ob30/simple-jwt_v1.svg", V, NULL, NULL, NULL, "baked SVG, VC-JWT" },
    { "ob30/simple.jwt", NV, NULL, NULL, NULL,
      "no jwk, no kid, and no key for its issuer in the vectors: must not "
      "verify offline" },
    { "ob30/velocity.jwt", NV, NULL, NULL, NULL,
      "did:velocity: not resolvable (the validator also rejects it)" },
    { NULL, DOC, NULL, NULL, NULL, NULL }
};

/* Report codes meaning "this format is not implemented yet". */
static const char *not_implemented_codes[] = {
    "format_unsupported", "ob2_signed_unsupported", "status_unsupported",
    "proof_not_implemented", "not_implemented", NULL
};

static int n_pass, n_fail, n_pend, n_total;
static int n_sub_pass, n_sub_fail;

static char *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long  n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0)
    {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t) n + 1);
    if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    *len = (size_t) n;
    return buf;
}

static int
pin_file(badge_ctx_t *ctx, const char *url, const char *path)
{
    char   err[256], *body;
    size_t len;
    int    rc;

    body = read_all(path, &len);
    if (body == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    rc = badge_ctx_add_document(ctx, url, body, len, err, sizeof(err));
    free(body);
    return rc;
}

/* ob20/assets/NAME at the three origins the validator's tests map. */
static int
pin_assets(badge_ctx_t *ctx)
{
    static const char *origins[] = { "https://example.org/",
                                     "http://example.org/",
                                     "https://www.example.org/", NULL };
    DIR           *d = opendir(DIR_ROOT ASSETS);
    struct dirent *e;
    char           url[512], path[512];
    int            i, rc = 0;

    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL && rc == 0) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), DIR_ROOT ASSETS "%s", e->d_name);
        for (i = 0; origins[i] != NULL && rc == 0; i++) {
            snprintf(url, sizeof(url), "%s%s", origins[i], e->d_name);
            rc = pin_file(ctx, url, path);
        }
    }
    closedir(d);
    return rc;
}

/* A key configured for "<issuer URL>#<multibase>": derived from the
 * fragment here, in the test, never by the verifier. */
static void
add_fragment_keys(badge_ctx_t *ctx, const json_t *cred)
{
    const json_t *proof = json_object_get(cred, "proof"), *p;
    const char   *vm, *hash;
    char          issuer[512], err[256];
    size_t        i;

    if (json_is_object(proof)) {
        proof = json_pack("[O]", proof);
    } else {
        json_incref((json_t *) proof);
    }
    json_array_foreach(proof, i, p) {
        vm = json_string_value(json_object_get(p, "verificationMethod"));
        if (vm == NULL || strncmp(vm, "http", 4) != 0
            || (hash = strchr(vm, '#')) == NULL || hash[1] != 'z'
            || (size_t) (hash - vm) >= sizeof(issuer))
        {
            continue;
        }
        memcpy(issuer, vm, (size_t) (hash - vm));
        issuer[hash - vm] = '\0';
        /* a garbled fragment is simply not a key: nothing configured */
        (void) badge_ctx_add_key(ctx, issuer, vm, hash + 1, strlen(hash + 1),
                                 err, sizeof(err));
    }
    json_decref((json_t *) proof);
}

/* Pin what the sample needs: its own copy at its id (hosted OB 2.0),
 * fragment keys (OB 3.0). */
static void
prepare(badge_ctx_t *ctx, const char *path, const char *body, size_t len)
{
    badge_arena_t *a;
    badge_baked_t  b;
    badge_err_t    err;
    json_t        *j, *sub;
    const char    *id, *text = body;
    size_t         n = len;
    char           e2[256];

    a = badge_arena_new(0);
    badge_err_clear(&err);
    if (a != NULL
        && badge_baked_extract(a, (const unsigned char *) body, len, &b,
                               &err) == 0)
    {
        text = b.payload;
        n = b.len;
    }
    j = json_loadb(text, n, 0, NULL);
    if (j != NULL) {
        id = json_string_value(json_object_get(j, "id"));
        if (id != NULL && strstr(path, "ob20/") != NULL) {
            (void) badge_ctx_add_document(ctx, id, text, n, e2, sizeof(e2));
        }
        add_fragment_keys(ctx, j);
        json_decref(j);
    }
    badge_arena_free(a);
    /* the status list's own signer, for the samples that use the list */
    sub = strstr(path, "bit-string-list/") != NULL
          ? json_load_file(DIR_ROOT "ob30/bit-string-list/testlist", 0, NULL)
          : NULL;
    if (sub != NULL) {
        add_fragment_keys(ctx, sub);
        json_decref(sub);
    }
}

/* Run to completion offline: any document still needed is unavailable. */
static badge_session_t *
run(badge_ctx_t *ctx, const char *body, size_t len)
{
    badge_verify_opts_t  opts;
    badge_session_t     *s;
    const char *const   *urls;
    size_t               i, n;
    int                  round;
    badge_step_t         st = BADGE_FAILED;

    memset(&opts, 0, sizeof(opts));
    opts.now = NOW;
    s = badge_session_new(ctx, &opts);
    if (s == NULL || badge_session_set_input(s, body, len) != 0) {
        badge_session_free(s);
        return NULL;
    }
    for (round = 0; round < 20; round++) {
        st = badge_session_run(s);
        if (st != BADGE_NEED_DOCUMENTS) {
            break;
        }
        n = badge_session_needed(s, &urls);
        for (i = 0; i < n; i++) {
            badge_session_supply(s, urls[i], 0, NULL, NULL, 0);
        }
    }
    if (st != BADGE_DONE) {
        badge_session_free(s);
        return NULL;
    }
    return s;
}

static int
in_list(const char *list, const char *word)
{
    size_t      n = strlen(word);
    const char *p = list;

    while (p != NULL && *p != '\0') {
        if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
            return 1;
        }
        p = strchr(p, ',');
        p = p != NULL ? p + 1 : NULL;
    }
    return 0;
}

static int
code_not_implemented(const char *code)
{
    const char **c;

    for (c = not_implemented_codes; code != NULL && *c != NULL; c++) {
        if (strcmp(code, *c) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Why the report is "not implemented" (errors only, or checks too), or
 * NULL. */
static const char *
not_implemented(const badge_report_t *r, int errors_only)
{
    const badge_check_t        *c;
    const badge_report_error_t *e;

    for (e = r->errors; e != NULL; e = e->next) {
        if (code_not_implemented(e->code)) {
            return e->message;
        }
    }
    for (c = r->checks; c != NULL && !errors_only; c = c->next) {
        if (c->status != BADGE_PASS && code_not_implemented(c->code)) {
            return c->message;
        }
    }
    return NULL;
}

static int
failed_as_expected(const badge_report_t *r, const char *checks)
{
    const badge_check_t        *c;
    const badge_report_error_t *e;

    for (e = r->errors; e != NULL; e = e->next) {
        if (in_list(checks, e->code)) {
            return 1;
        }
    }
    for (c = r->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_FAIL
            && (in_list(checks, c->check) || in_list(checks, c->code)))
        {
            return 1;
        }
        /* a code listed by name also counts when it is "unchecked": a key
         * that cannot be resolved offline leaves the proof unproven */
        if (c->status == BADGE_UNCHECKED && in_list(checks, c->code)) {
            return 1;
        }
    }
    return 0;
}

static int
has_warning(const badge_report_t *r, const char *code)
{
    const badge_check_t *c;

    for (c = r->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_WARN && strcmp(c->code, code) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *
first_problem(const badge_report_t *r)
{
    const badge_check_t *c;

    if (r->errors != NULL) {
        return r->errors->code;
    }
    for (c = r->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_FAIL) {
            return c->code;
        }
    }
    for (c = r->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_UNCHECKED) {
            return c->code;
        }
    }
    return "-";
}

static void
result(const char *what, const sample_t *t, const badge_report_t *r,
    const char *why)
{
    printf("%-7s %-66s %s%s%s%s%s\n", what, t->path,
           r != NULL && badge_report_verified(r) ? "verified"
                                                 : "not verified",
           r != NULL ? " [" : "", r != NULL ? first_problem(r) : "",
           r != NULL ? "]" : "", why != NULL ? "" : "");
    if (why != NULL) {
        printf("        - %s\n", why);
    }
    if (t->note != NULL) {
        printf("        (%s)\n", t->note);
    }
}

/* The status component alone on a revoked sample: independent of the
 * proof suite, so it is judged even while Data Integrity is pending. */
static void
status_only(badge_ctx_t *ctx, const char *path, const char *body, size_t len)
{
    badge_verify_opts_t  opts;
    badge_session_t     *s;
    badge_report_t      *r;
    const badge_check_t *c;
    badge_err_t          err;
    json_t              *cred;
    int                  ok = 0;

    memset(&opts, 0, sizeof(opts));
    opts.now = NOW;
    s = badge_session_new(ctx, &opts);
    r = s != NULL ? badge_report_new(s->arena, "en") : NULL;
    cred = s != NULL ? badge_session_parse_json(s, body, len, &err) : NULL;
    if (r != NULL && cred != NULL) {
        badge_status_check(s, r, cred);
        c = badge_report_find(r, "status");
        ok = r->revoked && c != NULL && c->status == BADGE_FAIL
             && strcmp(c->code, "status_revoked") == 0 && s->n_needed == 0;
    }
    printf("%-7s %-66s status only: %s\n", ok ? "ok" : "FAILED", path,
           ok ? "revoked (bit 23 of testlist)" : "not judged revoked");
    if (ok) {
        n_sub_pass++;
    } else {
        n_sub_fail++;
    }
    badge_session_free(s);
}

static void
run_sample(const sample_t *t)
{
    char             path[512], *body;
    size_t           len;
    badge_ctx_t     *ctx;
    badge_session_t *s = NULL;
    badge_report_t  *r;
    const char      *ni = NULL;
    int              verified;

    n_total++;
    snprintf(path, sizeof(path), DIR_ROOT "%s", t->path);
    body = read_all(path, &len);
    ctx = badge_ctx_new();
    if (body == NULL || ctx == NULL || pin_assets(ctx) != 0
        || pin_file(ctx, BSL_URL, DIR_ROOT "ob30/bit-string-list/testlist")
           != 0)
    {
        n_fail++;
        printf("FAIL    %s: cannot set up\n", t->path);
        goto done;
    }
    prepare(ctx, t->path, body, len);
    s = run(ctx, body, len);
    if (s == NULL) {
        n_fail++;
        printf("FAIL    %s: the session failed (out of memory?)\n", t->path);
        goto done;
    }
    r = s->report;
    verified = badge_report_verified(r);

    if (t->expect == V && verified) {
        if (t->warn != NULL && !has_warning(r, t->warn)) {
            n_fail++;
            result("FAIL", t, r, "verified, but the expected warning "
                   "is missing");
        } else {
            n_pass++;
            result("pass", t, r, NULL);
        }
    } else if (t->expect == NV && verified) {
        n_fail++;
        result("FAIL", t, r, "verified, but must not be");
    } else if (t->pending != NULL || (ni = not_implemented(r, 1)) != NULL) {
        /* "not verified because not implemented" is no verdict at all */
        n_pend++;
        result("PENDING", t, r, t->pending != NULL ? t->pending : ni);
    } else if (t->expect == V) {
        if ((ni = not_implemented(r, 0)) != NULL) {
            n_pend++;
            result("PENDING", t, r, ni);
        } else {
            n_fail++;
            result("FAIL", t, r, "not verified, but must be");
        }
    } else if (t->checks != NULL && !failed_as_expected(r, t->checks)) {
        if ((ni = not_implemented(r, 0)) != NULL) {
            n_pend++;
            result("PENDING", t, r, ni);
        } else {
            n_fail++;
            result("FAIL", t, r, "not verified, but not for the expected "
                   "reason");
            printf("        (expected a failing %s)\n", t->checks);
        }
    } else {
        n_pass++;
        result("pass", t, r, NULL);
    }
    if (strstr(t->path, "bit-string-list/credential-status-revoked") != NULL)
    {
        status_only(ctx, t->path, body, len);
    }
done:
    badge_session_free(s);
    badge_ctx_free(ctx);
    free(body);
}

/* Every file under the vectors must be a listed sample or an asset. */
static int
walk(const char *rel, char **seen, int *n_seen)
{
    char           dir[1024], sub[512];
    DIR           *d;
    struct dirent *e;
    struct stat    st;
    int            rc = 0;

    snprintf(dir, sizeof(dir), DIR_ROOT "%s", rel);
    d = opendir(dir);
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(sub, sizeof(sub), "%s%s", rel, e->d_name);
        snprintf(dir, sizeof(dir), DIR_ROOT "%s", sub);
        if (stat(dir, &st) != 0) {
            rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            strncat(sub, "/", sizeof(sub) - strlen(sub) - 1);
            rc |= walk(sub, seen, n_seen);
        } else if (*n_seen < MAX_PATHS) {
            seen[(*n_seen)++] = strdup(sub);
        }
    }
    closedir(d);
    return rc;
}

int
main(void)
{
    char          *seen[MAX_PATHS];
    int            n_seen = 0, i, unlisted = 0;
    const sample_t *t;

    if (walk("", seen, &n_seen) != 0 || n_seen == 0) {
        fprintf(stderr, "cannot read " DIR_ROOT " (run from the repo root)\n");
        return 2;
    }
    for (i = 0; i < n_seen; i++) {
        if (seen[i] == NULL) {
            return 2;
        }
        for (t = samples; t->path != NULL; t++) {
            if (strcmp(t->path, seen[i]) == 0) {
                break;
            }
        }
        if (t->path == NULL && strncmp(seen[i], ASSETS, strlen(ASSETS)) != 0
            && strcmp(seen[i], "README.md") != 0
            && strcmp(seen[i], "LICENSE.txt") != 0)
        {
            printf("FAIL    %-66s no expectation for this sample\n",
                   seen[i]);
            unlisted++;
        }
        free(seen[i]);
    }
    for (t = samples; t->path != NULL; t++) {
        run_sample(t);
    }
    n_fail += unlisted;
    n_total += unlisted;
    printf("status-only checks: %d passed, %d failed\n", n_sub_pass,
           n_sub_fail);
    printf("1edtech-inspector: %d passed, %d failed, %d pending (of %d)\n",
           n_pass, n_fail, n_pend, n_total);
    return n_fail > 0 || n_sub_fail > 0;
}
