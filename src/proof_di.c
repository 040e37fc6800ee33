/*
 * proof_di.c: Data Integrity proof verification (vc-data-integrity,
 * vc-di-eddsa, vc-di-ecdsa).
 *
 * The order of the work is chosen for the common failures and for the
 * fetch rounds: the proof's own fields first (cheap), then the key (which
 * may need a document: then nothing else is computed this round), then
 * the canonicalization and hashing (the expensive part), then the
 * signature.
 */
#include "proof_di.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "ctx.h"
#include "datetime.h"
#include "did.h"
#include "jcs.h"
#include "json.h"
#include "multibase.h"
#include "nquads.h"
#include "rdfc.h"

/* Longest proofValue signature (P-384 raw r||s is 96 bytes). */
#define BADGE_DI_MAX_SIG  128

/* ------------------------------------------------------------------ */
/* Suites                                                               */

badge_di_suite_t
badge_di_suite(const json_t *proof, const char **name, badge_err_t *err)
{
    const char *type, *cs;

    if (name != NULL) {
        *name = NULL;
    }
    if (!json_is_object(proof)) {
        badge_err_set(err, "proof_invalid", "a proof is not a JSON object");
        return BADGE_DI_SUITE_UNKNOWN;
    }
    type = badge_json_str(proof, "type");
    if (type == NULL) {
        badge_err_set(err, "proof_invalid", "the proof has no type (or "
            "it is not a string)");
        return BADGE_DI_SUITE_UNKNOWN;
    }
    if (strcmp(type, "Ed25519Signature2020") == 0) {
        if (name != NULL) {
            *name = type;
        }
        return BADGE_DI_ED25519_2020;
    }
    if (strcmp(type, "DataIntegrityProof") != 0) {
        badge_err_set(err, "proof_type_unsupported", "proof type %.80s is "
            "not supported (DataIntegrityProof, Ed25519Signature2020)",
            type);
        return BADGE_DI_SUITE_UNKNOWN;
    }
    cs = badge_json_str(proof, "cryptosuite");
    if (cs == NULL) {
        badge_err_set(err, "proof_invalid", "a DataIntegrityProof without "
            "a cryptosuite string");
        return BADGE_DI_SUITE_UNKNOWN;
    }
    if (name != NULL) {
        *name = cs;
    }
    /* eddsa-2022 is the draft name of eddsa-rdfc-2022: same algorithm */
    if (strcmp(cs, "eddsa-rdfc-2022") == 0 || strcmp(cs, "eddsa-2022") == 0)
    {
        return BADGE_DI_EDDSA_RDFC_2022;
    }
    if (strcmp(cs, "eddsa-jcs-2022") == 0) {
        return BADGE_DI_EDDSA_JCS_2022;
    }
    if (strcmp(cs, "ecdsa-rdfc-2019") == 0) {
        return BADGE_DI_ECDSA_RDFC_2019;
    }
    if (strcmp(cs, "ecdsa-jcs-2019") == 0) {
        return BADGE_DI_ECDSA_JCS_2019;
    }
    badge_err_set(err, "cryptosuite_unsupported", "cryptosuite %.80s is not "
        "supported (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, "
        "ecdsa-jcs-2019)", cs);
    return BADGE_DI_SUITE_UNKNOWN;
}

const char *
badge_di_suite_name(badge_di_suite_t suite)
{
    switch (suite) {
    case BADGE_DI_EDDSA_RDFC_2022:
        return "eddsa-rdfc-2022";
    case BADGE_DI_EDDSA_JCS_2022:
        return "eddsa-jcs-2022";
    case BADGE_DI_ECDSA_RDFC_2019:
        return "ecdsa-rdfc-2019";
    case BADGE_DI_ECDSA_JCS_2019:
        return "ecdsa-jcs-2019";
    case BADGE_DI_ED25519_2020:
        return "Ed25519Signature2020";
    default:
        return "unknown";
    }
}

int
badge_di_suite_is_rdfc(badge_di_suite_t suite)
{
    return suite == BADGE_DI_EDDSA_RDFC_2022
           || suite == BADGE_DI_ECDSA_RDFC_2019
           || suite == BADGE_DI_ED25519_2020;
}

int
badge_di_suite_is_ecdsa(badge_di_suite_t suite)
{
    return suite == BADGE_DI_ECDSA_RDFC_2019
           || suite == BADGE_DI_ECDSA_JCS_2019;
}

/* ------------------------------------------------------------------ */
/* Transformation and hashing                                           */

/* A context value as a list: an array as is, anything else as [v]. */
static size_t
badge_di_ctx_len(const json_t *c)
{
    return json_is_array(c) ? json_array_size(c) : (c != NULL);
}

static const json_t *
badge_di_ctx_at(const json_t *c, size_t i)
{
    return json_is_array(c) ? json_array_get(c, i) : c;
}

/* The document's @context starts with the proof's, in order. */
static int
badge_di_ctx_prefix(const json_t *doc_ctx, const json_t *proof_ctx)
{
    size_t i, n = badge_di_ctx_len(proof_ctx);

    if (n == 0 || n > badge_di_ctx_len(doc_ctx)) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!json_equal((json_t *) badge_di_ctx_at(doc_ctx, i),
                        (json_t *) badge_di_ctx_at(proof_ctx, i)))
        {
            return 0;
        }
    }
    return 1;
}

/* The proof of doc whose id is id. */
static json_t *
badge_di_find_proof(const json_t *doc, const char *id)
{
    json_t *all = json_object_get(doc, "proof"), *p;
    size_t  i;

    if (json_is_object(all)) {
        p = all;
        return badge_json_str(p, "id") != NULL
               && strcmp(badge_json_str(p, "id"), id) == 0 ? p : NULL;
    }
    json_array_foreach(all, i, p) {
        if (badge_json_str(p, "id") != NULL
            && strcmp(badge_json_str(p, "id"), id) == 0)
        {
            return p;
        }
    }
    return NULL;
}

/* Data Integrity 4.4: a chained proof signs the proofs it names. */
static int
badge_di_chain(const json_t *doc, const json_t *prev, json_t *unsecured,
    badge_err_t *err)
{
    json_t       *list, *p;
    const json_t *e;
    size_t        i, n;

    list = json_array();
    if (list == NULL) {
        goto oom;
    }
    n = json_is_array(prev) ? json_array_size(prev) : 1;
    for (i = 0; i < n; i++) {
        e = json_is_array(prev) ? json_array_get(prev, i) : prev;
        if (!json_is_string(e)) {
            json_decref(list);
            badge_err_set(err, "proof_chain_broken", "previousProof is "
                "not a string or a list of strings");
            return -1;
        }
        p = badge_di_find_proof(doc, json_string_value(e));
        if (p == NULL) {
            json_decref(list);
            badge_err_set(err, "proof_chain_broken", "previousProof "
                "%.200s is not among the document's proofs",
                json_string_value(e));
            return -1;
        }
        if (json_array_append(list, p) != 0) {
            json_decref(list);
            goto oom;
        }
    }
    if (json_object_set_new(unsecured, "proof", list) != 0) {
        goto oom;
    }
    return 0;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return -1;
}

int
badge_di_prepare(const json_t *doc, const json_t *proof,
    badge_di_suite_t suite, json_t **unsecured, json_t **config,
    badge_err_t *err)
{
    json_t       *u = NULL, *c = NULL;
    const json_t *pctx, *prev, *uctx;

    (void) suite;   /* the @context rules are the same for every suite */
    *unsecured = NULL;
    *config = NULL;
    /* shallow copies: the members are shared, never modified */
    u = json_copy((json_t *) doc);
    c = json_copy((json_t *) proof);
    if (u == NULL || c == NULL) {
        goto oom;
    }
    json_object_del(u, "proof");
    json_object_del(c, "proofValue");

    /* vc-di-eddsa/ecdsa Verify Proof: a proof's own @context must start
     * the document's, and then stands for it */
    pctx = json_object_get(proof, "@context");
    if (pctx != NULL) {
        if (!badge_di_ctx_prefix(json_object_get(doc, "@context"), pctx)) {
            badge_err_set(err, "proof_context_mismatch", "the proof's "
                "@context is not the beginning of the document's");
            goto fail;
        }
        if (json_object_set(u, "@context", (json_t *) pctx) != 0) {
            goto oom;
        }
    }
    prev = json_object_get(proof, "previousProof");
    if (prev != NULL && badge_di_chain(doc, prev, u, err) != 0) {
        goto fail;
    }
    /* Configure Proof: the configuration carries the document's
     * @context, so that its terms mean the same */
    uctx = json_object_get(u, "@context");
    if (uctx != NULL && json_object_set(c, "@context", (json_t *) uctx) != 0)
    {
        goto oom;
    }
    *unsecured = u;
    *config = c;
    return 0;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
fail:
    json_decref(u);
    json_decref(c);
    return -1;
}

/* RDFC-1.0 canonical N-Quads of a JSON-LD document. */
static int
badge_di_canon_rdfc(badge_arena_t *a, json_t *v,
    const badge_di_canon_opts_t *o, const char ***dropped,
    size_t *n_dropped, char **out, size_t *len, badge_err_t *err)
{
    badge_jsonld_opts_t  jo;
    badge_rdfc_opts_t    ro;
    badge_quads_t        q;

    memset(&jo, 0, sizeof(jo));
    memset(&ro, 0, sizeof(ro));
    if (o != NULL) {
        jo.load = o->load;
        jo.load_udata = o->load_udata;
        jo.cache = o->cache;
        ro.max_work = o->rdfc_max_work;
    }
    if (badge_jsonld_to_rdf(a, v, &jo, &q, err) != 0) {
        return -1;
    }
    *dropped = jo.dropped;
    *n_dropped = jo.n_dropped;
    return badge_rdfc_canonicalize(a, &q, &ro, out, len, err);
}

static int
badge_di_digest(int sha384, const void *p, size_t n, unsigned char *md)
{
    unsigned int mdlen = 0;

    return EVP_Digest(p, n, md, &mdlen, sha384 ? EVP_sha384() : EVP_sha256(),
                      NULL) == 1 ? 0 : -1;
}

int
badge_di_hash_data(badge_arena_t *a, badge_di_suite_t suite, int sha384,
    json_t *unsecured, json_t *config, const badge_di_canon_opts_t *o,
    badge_di_hash_t *out, badge_err_t *err)
{
    const char **d1 = NULL, **d2 = NULL;
    size_t       n1 = 0, n2 = 0, hl = sha384 ? 48 : 32;
    char        *doc, *cfg;
    size_t       doc_len, cfg_len;

    memset(out, 0, sizeof(*out));
    if (badge_di_suite_is_rdfc(suite)) {
        if (badge_di_canon_rdfc(a, unsecured, o, &d1, &n1, &doc, &doc_len,
                                err) != 0
            || badge_di_canon_rdfc(a, config, o, &d2, &n2, &cfg, &cfg_len,
                                   err) != 0)
        {
            return -1;
        }
    } else {
        doc = badge_jcs_serialize(a, unsecured, &doc_len);
        cfg = doc != NULL ? badge_jcs_serialize(a, config, &cfg_len) : NULL;
        if (cfg == NULL) {
            badge_err_set(err, "jcs_invalid", "the document cannot be "
                "canonicalized with JCS (a number that is not finite, "
                "invalid UTF-8, or too deep)");
            return -1;
        }
    }
    if (n1 + n2 > 0) {
        out->dropped = badge_arena_alloc(a, (n1 + n2) * sizeof(char *));
        if (out->dropped == NULL) {
            badge_err_set(err, "out_of_memory", "out of memory");
            return -1;
        }
        if (n1 > 0) {
            memcpy(out->dropped, d1, n1 * sizeof(char *));
        }
        if (n2 > 0) {
            memcpy(out->dropped + n1, d2, n2 * sizeof(char *));
        }
        out->n_dropped = n1 + n2;
    }
    out->doc = doc;
    out->doc_len = doc_len;
    out->config = cfg;
    out->config_len = cfg_len;
    if (badge_di_digest(sha384, cfg, cfg_len, out->config_hash) != 0
        || badge_di_digest(sha384, doc, doc_len, out->doc_hash) != 0)
    {
        badge_err_set(err, "hash_error", "cannot compute SHA-%d",
            sha384 ? 384 : 256);
        return -1;
    }
    memcpy(out->hash, out->config_hash, hl);
    memcpy(out->hash + hl, out->doc_hash, hl);
    out->hash_len = 2 * hl;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Steps                                                                */

static void
badge_di_step(badge_di_step_t *st, badge_di_state_t state, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
badge_di_step(badge_di_step_t *st, badge_di_state_t state, const char *code,
    const char *fmt, ...)
{
    va_list ap;

    st->state = state;
    st->code = code;
    va_start(ap, fmt);
    vsnprintf(st->message, sizeof(st->message), fmt, ap);
    va_end(ap);
}

/* The proof's own fields: purpose, dates, challenge and domain. */
static int
badge_di_check_fields(badge_session_t *s, const json_t *proof,
    const badge_di_verify_opts_t *o, badge_di_result_t *res)
{
    const char   *purpose, *v;
    const json_t *vm, *dom;
    time_t        t;
    long          skew = badge_ctx_get_option(s->ctx, BADGE_OPT_CLOCK_SKEW);

    purpose = badge_json_str(proof, "proofPurpose");
    if (purpose == NULL) {
        badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_invalid",
            "the proof has no proofPurpose");
        return -1;
    }
    if (o->purpose != NULL && strcmp(purpose, o->purpose) != 0) {
        badge_di_step(&res->proof, BADGE_DI_INVALID,
            "proof_purpose_mismatch", "the proof's purpose is %.60s, not "
            "%s", purpose, o->purpose);
        return -1;
    }
    vm = json_object_get(proof, "verificationMethod");
    res->vm = json_is_string(vm) ? json_string_value(vm)
                                 : badge_json_str(vm, "id");
    if (res->vm == NULL) {
        badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_invalid",
            "the proof has no verificationMethod id");
        return -1;
    }
    v = badge_json_str(proof, "proofValue");
    if (v == NULL) {
        badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_value_missing",
            "the proof has no proofValue string");
        return -1;
    }
    if (json_object_get(proof, "created") != NULL) {
        v = badge_json_str(proof, "created");
        if (v == NULL || badge_datetime_parse(v, &t) != 0) {
            badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_invalid",
                "the proof's created is not a date-time");
            return -1;
        }
        if (t > s->now + skew) {
            badge_di_step(&res->proof, BADGE_DI_INVALID,
                "proof_created_future", "the proof was created in the "
                "future (%.40s)", v);
            return -1;
        }
    } else if (res->suite == BADGE_DI_ED25519_2020) {
        badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_invalid",
            "an Ed25519Signature2020 proof must have created");
        return -1;
    }
    if (json_object_get(proof, "expires") != NULL) {
        v = badge_json_str(proof, "expires");
        if (v == NULL || badge_datetime_parse(v, &t) != 0) {
            badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_invalid",
                "the proof's expires is not a date-time");
            return -1;
        }
        if (s->now - skew >= t) {
            badge_di_step(&res->proof, BADGE_DI_INVALID, "proof_expired",
                "the proof expired at %.40s", v);
            return -1;
        }
    }
    if (o->challenge != NULL) {
        v = badge_json_str(proof, "challenge");
        if (v == NULL || strcmp(v, o->challenge) != 0) {
            badge_di_step(&res->proof, BADGE_DI_INVALID,
                "challenge_mismatch", "the proof's challenge is %s",
                v == NULL ? "missing" : "not the one expected");
            return -1;
        }
    }
    if (o->domain != NULL) {
        dom = json_object_get(proof, "domain");
        if (!badge_json_has_string(dom, o->domain)) {
            badge_di_step(&res->proof, BADGE_DI_INVALID, "domain_mismatch",
                "the proof's domain is %s", dom == NULL
                    ? "missing" : "not the one expected");
            return -1;
        }
    }
    badge_di_step(&res->proof, BADGE_DI_VALID, "proof_valid",
        "%s proof for %s", res->suite_name, purpose);
    return 0;
}

/* Whom a configured key belongs to: its issuer, else its kid's DID/URL. */
static const char *
badge_di_trusted_owner(badge_session_t *s, const badge_trusted_key_t *t)
{
    return t->issuer != NULL ? t->issuer : badge_did_base(s->arena, t->kid);
}

/* 1 if list (a relationship of a controller document) names vm_id. */
static int
badge_di_listed(const json_t *list, const char *doc_id, const char *vm_id)
{
    const json_t *e;
    const char   *ref;
    size_t        i, n;

    n = json_is_array(list) ? json_array_size(list) : 0;
    for (i = 0; i < n; i++) {
        e = json_array_get(list, i);
        ref = json_is_string(e) ? json_string_value(e)
                                : badge_json_str(e, "id");
        if (ref == NULL) {
            continue;
        }
        if (strcmp(ref, vm_id) == 0) {
            return 1;
        }
        /* "#key-1" relative to the controller document */
        if (ref[0] == '#' && strncmp(vm_id, doc_id, strlen(doc_id)) == 0
            && strcmp(vm_id + strlen(doc_id), ref) == 0)
        {
            return 1;
        }
    }
    return 0;
}

static void
badge_di_release_key(void *k)
{
    badge_key_free(k);
}

/*
 * An https verification method that is a document of its own (a Multikey
 * or JsonWebKey document with a controller), as Open Badges 3.0 issuers
 * publish: the controller document must list it under the purpose.
 * Returns BADGE_DID_UNAVAILABLE with err->code NULL when the document is
 * not such a key document (the caller then resolves it the DID way).
 */
static badge_did_result_t
badge_di_key_document(badge_session_t *s, const char *vm,
    const char *purpose, badge_key_t **key, const char **owner,
    badge_err_t *err)
{
    json_t             *doc, *cdoc;
    const char         *ctl, *id, *url;
    badge_did_result_t  rc;
    badge_key_t        *k;

    rc = badge_did_fetch_json(s, vm, &doc, err);
    if (rc != BADGE_DID_OK) {
        return rc;
    }
    id = badge_json_str(doc, "id");
    ctl = badge_json_str(doc, "controller");
    if (id == NULL || strcmp(id, vm) != 0 || ctl == NULL
        || (json_object_get(doc, "publicKeyMultibase") == NULL
            && json_object_get(doc, "publicKeyJwk") == NULL))
    {
        badge_err_clear(err);
        return BADGE_DID_UNAVAILABLE;
    }
    /* the controller's own document must claim the key */
    if (strncmp(ctl, "did:web:", 8) == 0) {
        url = badge_did_web_url(s->arena, ctl, err);
        if (url == NULL) {
            return BADGE_DID_FAIL;
        }
    } else if (strncmp(ctl, "https://", 8) == 0
               || strncmp(ctl, "http://", 7) == 0)
    {
        url = ctl;
    } else {
        badge_err_set(err, "did_method_unsupported", "the key's controller "
            "%.200s is not a did:web or https controller", ctl);
        return BADGE_DID_UNAVAILABLE;
    }
    rc = badge_did_fetch_json(s, url, &cdoc, err);
    if (rc != BADGE_DID_OK) {
        return rc;
    }
    id = badge_json_str(cdoc, "id");
    if (id == NULL || strcmp(id, ctl) != 0) {
        badge_err_set(err, "did_document_invalid", "the controller document "
            "at %.200s is not %.200s's", url, ctl);
        return BADGE_DID_FAIL;
    }
    if (!badge_di_listed(json_object_get(cdoc, purpose), ctl, vm)) {
        badge_err_set(err, "did_method_not_authorized", "%.200s is not "
            "listed under %s by its controller %.200s", vm, purpose, ctl);
        return BADGE_DID_FAIL;
    }
    k = badge_did_method_key(doc, err);
    if (k == NULL) {
        return BADGE_DID_FAIL;
    }
    if (badge_session_cleanup(s, badge_di_release_key, k) != 0) {
        badge_key_free(k);
        badge_err_set(err, "out_of_memory", "out of memory");
        return BADGE_DID_FAIL;
    }
    *key = k;
    *owner = ctl;
    return BADGE_DID_OK;
}

/* The key of res->vm.  0 with *key, or -1 with res->key set (pending,
 * unchecked or invalid). */
static int
badge_di_key(badge_session_t *s, const badge_di_verify_opts_t *o,
    badge_di_result_t *res, const badge_key_t **key)
{
    const badge_trusted_key_t *t;
    const char                *vm = res->vm, *owner = NULL, *base;
    badge_key_t               *k = NULL;
    badge_did_result_t         rc = BADGE_DID_UNAVAILABLE;
    badge_err_t                err;

    badge_err_clear(&err);
    /* a key configured for this very method: no fetch */
    for (t = s->ctx->keys; t != NULL; t = t->next) {
        if (t->kid != NULL && strcmp(t->kid, vm) == 0) {
            *key = t->key;
            res->owner = badge_di_trusted_owner(s, t);
            res->key_trusted = 1;
            res->key_source = "configured key";
            return 0;
        }
    }
    /* a key configured for the controller, for a method under its id */
    base = badge_did_base(s->arena, vm);
    if (base == NULL) {
        s->oom = 1;
        badge_di_step(&res->key, BADGE_DI_UNCHECKED, "out_of_memory",
            "out of memory");
        return -1;
    }
    if (o->controller != NULL && strcmp(base, o->controller) == 0) {
        for (t = s->ctx->keys; t != NULL; t = t->next) {
            if (t->kid == NULL && t->issuer != NULL
                && strcmp(t->issuer, o->controller) == 0)
            {
                *key = t->key;
                res->owner = t->issuer;
                res->key_trusted = 1;
                res->key_source = "key configured for the issuer";
                return 0;
            }
        }
    }
    if ((strncmp(vm, "https://", 8) == 0 || strncmp(vm, "http://", 7) == 0)
        && strchr(vm, '#') == NULL)
    {
        rc = badge_di_key_document(s, vm, o->purpose, &k, &owner, &err);
        res->key_source = "key document";
    }
    if (rc == BADGE_DID_UNAVAILABLE && err.code == NULL) {
        rc = badge_did_resolve_method(s, vm, o->purpose, &k, &owner, &err);
        res->key_source = strncmp(vm, "did:key:", 8) == 0 ? "did:key"
            : strncmp(vm, "did:jwk:", 8) == 0 ? "did:jwk"
            : strncmp(vm, "did:web:", 8) == 0 ? "did:web document"
            : "controller document";
    }
    switch (rc) {
    case BADGE_DID_OK:
        break;
    case BADGE_DID_PENDING:
        res->key.state = BADGE_DI_PENDING;
        return -1;
    case BADGE_DID_UNAVAILABLE:
        badge_di_step(&res->key, BADGE_DI_UNCHECKED,
            err.code != NULL ? err.code : "key_unresolvable",
            "key %.200s: %s", vm, err.message);
        return -1;
    default:
        badge_di_step(&res->key, BADGE_DI_INVALID,
            err.code != NULL ? err.code : "key_invalid",
            "key %.200s: %s", vm, err.message);
        return -1;
    }
    /* a resolved key that is also configured: the configuration says
     * whose it is */
    for (t = s->ctx->keys; t != NULL; t = t->next) {
        if (badge_key_equal(t->key, k)) {
            *key = t->key;
            res->owner = badge_di_trusted_owner(s, t);
            res->key_trusted = 1;
            res->key_source = "configured key";
            return 0;
        }
    }
    *key = k;
    res->owner = owner;
    return 0;
}

/* The key type the suite needs, and the JOSE algorithm to verify with. */
static const char *
badge_di_alg(badge_di_suite_t suite, const badge_key_t *k)
{
    if (badge_di_suite_is_ecdsa(suite)) {
        return k->type == BADGE_KEY_P256 ? "ES256"
               : k->type == BADGE_KEY_P384 ? "ES384" : NULL;
    }
    return k->type == BADGE_KEY_ED25519 ? "EdDSA" : NULL;
}

static void
badge_di_finish(badge_di_result_t *res)
{
    const badge_di_step_t *steps[4];
    size_t                 i;
    int                    unchecked = 0;

    steps[0] = &res->proof;
    steps[1] = &res->context;
    steps[2] = &res->key;
    steps[3] = &res->signature;
    for (i = 0; i < 4; i++) {
        if (steps[i]->state == BADGE_DI_PENDING) {
            res->state = BADGE_DI_PENDING;
            return;
        }
    }
    for (i = 0; i < 4; i++) {
        if (steps[i]->state == BADGE_DI_INVALID) {
            res->state = BADGE_DI_INVALID;
            return;
        }
        unchecked |= steps[i]->state != BADGE_DI_VALID;
    }
    res->state = unchecked ? BADGE_DI_UNCHECKED : BADGE_DI_VALID;
}

/* "a, b, c" of the first dropped terms. */
static void
badge_di_dropped_list(const badge_di_result_t *res, char *buf, size_t len)
{
    size_t i, used = 0;
    int    n;

    buf[0] = '\0';
    for (i = 0; i < res->n_dropped && used + 1 < len; i++) {
        n = snprintf(buf + used, len - used, "%s%.60s", i > 0 ? ", " : "",
            res->dropped[i]);
        if (n < 0) {
            break;
        }
        used += (size_t) n;
    }
}

void
badge_di_verify_proof(badge_session_t *s, const json_t *doc,
    const json_t *proof, const badge_di_verify_opts_t *o,
    badge_di_result_t *res)
{
    const badge_key_t     *key = NULL;
    const char            *alg, *pv;
    json_t                *unsecured = NULL, *config = NULL;
    badge_di_canon_opts_t  co;
    badge_di_hash_t        h;
    badge_err_t            err;
    unsigned char          sig[BADGE_DI_MAX_SIG];
    size_t                 sig_len, want;
    char                   terms[200];
    int                    rc, key_ok;

    memset(res, 0, sizeof(*res));
    res->proof.state = BADGE_DI_SKIPPED;
    res->context.state = BADGE_DI_SKIPPED;
    res->key.state = BADGE_DI_SKIPPED;
    res->signature.state = BADGE_DI_SKIPPED;
    badge_err_clear(&err);

    res->suite = badge_di_suite(proof, &res->suite_name, &err);
    if (res->suite == BADGE_DI_SUITE_UNKNOWN) {
        badge_di_step(&res->proof, BADGE_DI_INVALID, err.code, "%s",
            err.message);
        goto done;
    }
    if (badge_di_check_fields(s, proof, o, res) != 0) {
        goto done;
    }

    /* the key: a pending document ends this round early */
    if (badge_di_key(s, o, res, &key) != 0) {
        goto done;
    }
    alg = badge_di_alg(res->suite, key);
    key_ok = 1;
    if (alg == NULL) {
        badge_di_step(&res->key, BADGE_DI_INVALID, "key_type_mismatch",
            "%s needs %s key, and %.200s is not one", res->suite_name,
            badge_di_suite_is_ecdsa(res->suite) ? "a P-256 or P-384"
                                                : "an Ed25519", res->vm);
        goto done;
    }
    if (o->controller != NULL
        && (res->owner == NULL || strcmp(res->owner, o->controller) != 0))
    {
        badge_di_step(&res->key, BADGE_DI_INVALID, "key_not_issuer",
            "the key %.200s belongs to %.200s, not to %.200s", res->vm,
            res->owner != NULL ? res->owner : "(unknown)", o->controller);
        key_ok = 0;
    } else {
        badge_di_step(&res->key, BADGE_DI_VALID,
            res->key_trusted ? "key_trusted" : "key_controller",
            "%.200s (%s) belongs to %.200s", res->vm, res->key_source,
            res->owner != NULL ? res->owner : "(anyone: not checked)");
    }

    /* transformation and hashing */
    if (badge_di_prepare(doc, proof, res->suite, &unsecured, &config, &err)
        != 0)
    {
        if (strcmp(err.code, "out_of_memory") == 0) {
            s->oom = 1;
        }
        badge_di_step(&res->proof, BADGE_DI_INVALID, err.code, "%s",
            err.message);
        goto done;
    }
    memset(&co, 0, sizeof(co));
    co.load = o->load;
    co.load_udata = o->load_udata;
    co.cache = s->ctx->jsonld_cache;
    co.rdfc_max_work = (size_t) badge_ctx_get_option(s->ctx,
                                                     BADGE_OPT_RDFC_MAX_WORK);
    rc = badge_di_hash_data(s->arena, res->suite,
        key->type == BADGE_KEY_P384, unsecured, config, &co, &h, &err);
    json_decref(unsecured);
    json_decref(config);
    if (rc != 0) {
        if (strcmp(err.code, "out_of_memory") == 0) {
            s->oom = 1;
        }
        if (strcmp(err.code, "jsonld_context_not_bundled") == 0) {
            /* the one context error a sender can provoke at will */
            badge_di_step(&res->context, BADGE_DI_INVALID, err.code,
                "an @context that is not bundled (contexts are never "
                "fetched, so the credential cannot be read): %s",
                err.message);
        } else {
            badge_di_step(&res->context, BADGE_DI_INVALID, err.code, "%s",
                err.message);
        }
        goto done;
    }
    res->dropped = h.dropped;
    res->n_dropped = h.n_dropped;
    if (h.n_dropped > 0) {
        /* JSON-LD drops what no context defines: those claims would be
         * shown but are not signed */
        badge_di_dropped_list(res, terms, sizeof(terms));
        badge_di_step(&res->context, BADGE_DI_INVALID, "undefined_terms",
            "%zu term%s not defined by the @context, so not signed: %s",
            h.n_dropped, h.n_dropped == 1 ? " is" : "s are", terms);
    } else if (badge_di_suite_is_rdfc(res->suite)) {
        badge_di_step(&res->context, BADGE_DI_VALID, "context_valid",
            "every term is defined by the bundled contexts");
    } else {
        badge_di_step(&res->context, BADGE_DI_VALID, "context_valid",
            "JCS: the JSON is signed as is");
    }

    /* the signature */
    pv = badge_json_str(proof, "proofValue");
    want = key->type == BADGE_KEY_P384 ? 96 : 64;
    if (pv == NULL || pv[0] != 'z'
        || badge_multibase_decode(pv, sig, sizeof(sig), &sig_len) != 0
        || sig_len != want)
    {
        badge_di_step(&res->signature, BADGE_DI_INVALID,
            "proof_value_invalid", "proofValue is not a base58btc "
            "multibase (\"z...\") %zu-byte signature", want);
        goto done;
    }
    badge_err_clear(&err);
    if (badge_key_verify(key, alg, h.hash, h.hash_len, sig, sig_len, &err)
        != 0)
    {
        badge_di_step(&res->signature, BADGE_DI_INVALID,
            err.code != NULL ? err.code : "signature_invalid",
            "the %s signature does not verify: %s", res->suite_name,
            err.message);
        goto done;
    }
    badge_di_step(&res->signature, BADGE_DI_VALID, "signature_valid",
        "the %s signature is valid%s", res->suite_name,
        key_ok ? "" : " (but not by the expected key)");

done:
    badge_di_finish(res);
}

int
badge_di_verify_all(badge_session_t *s, const json_t *doc,
    const badge_di_verify_opts_t *o, badge_di_result_t *res, size_t cap,
    badge_err_t *err)
{
    const json_t *all = json_object_get(doc, "proof");
    size_t        i, n;

    if (all == NULL) {
        return 0;
    }
    if (json_is_object(all)) {
        n = 1;
    } else if (json_is_array(all)) {
        n = json_array_size(all);
    } else {
        badge_err_set(err, "proof_invalid", "proof is not an object or a "
            "list of objects");
        return -1;
    }
    if (n == 0) {
        return 0;
    }
    if (n > BADGE_DI_MAX_PROOFS || n > cap) {
        badge_err_set(err, "proof_too_many", "%zu proofs; at most %d are "
            "verified", n, BADGE_DI_MAX_PROOFS);
        return -1;
    }
    for (i = 0; i < n; i++) {
        badge_di_verify_proof(s, doc,
            json_is_array(all) ? json_array_get(all, i) : all, o, &res[i]);
    }
    return (int) n;
}

badge_di_state_t
badge_di_verify_document(badge_session_t *s, const json_t *doc,
    const char *purpose, const char *controller, badge_err_t *why)
{
    badge_di_verify_opts_t  o;
    badge_di_result_t      *res;
    const badge_di_step_t  *st[4];
    badge_di_state_t        state = BADGE_DI_VALID;
    int                     n, i, j;

    res = badge_arena_alloc(s->arena, BADGE_DI_MAX_PROOFS * sizeof(*res));
    if (res == NULL) {
        s->oom = 1;
        badge_err_set(why, "out_of_memory", "out of memory");
        return BADGE_DI_UNCHECKED;
    }
    memset(&o, 0, sizeof(o));
    o.purpose = purpose;
    /* never "anyone's key": a missing controller matches none */
    o.controller = controller != NULL ? controller : "";
    n = badge_di_verify_all(s, doc, &o, res, BADGE_DI_MAX_PROOFS, why);
    if (n < 0) {
        return BADGE_DI_INVALID;
    }
    if (n == 0) {
        badge_err_set(why, "proof_missing", "the document has no proof");
        return BADGE_DI_INVALID;
    }
    for (i = 0; i < n; i++) {
        if (res[i].state == BADGE_DI_PENDING) {
            return BADGE_DI_PENDING;
        }
    }
    /* the first invalid proof decides; else the first unchecked one */
    for (i = 0; i < n; i++) {
        if (res[i].state == BADGE_DI_VALID
            || (state == BADGE_DI_UNCHECKED
                && res[i].state != BADGE_DI_INVALID))
        {
            continue;
        }
        st[0] = &res[i].proof;
        st[1] = &res[i].context;
        st[2] = &res[i].key;
        st[3] = &res[i].signature;
        badge_err_set(why, "proof_unchecked", "a proof could not be "
            "checked");
        for (j = 0; j < 4; j++) {
            if (st[j]->state == res[i].state) {
                badge_err_set(why, st[j]->code != NULL ? st[j]->code
                                                       : "proof_invalid",
                    "%s", st[j]->message);
                break;
            }
        }
        state = res[i].state;
        if (state == BADGE_DI_INVALID) {
            break;
        }
    }
    return state;
}
