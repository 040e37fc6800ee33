/*
 * sign_di.c: Data Integrity proof creation (vc-di-eddsa "Create Proof",
 * vc-di-ecdsa "Create Proof"): proof options -> the same transformation
 * and hashing the verifier does -> signature -> proofValue.
 */
#include "sign_di.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "multibase.h"

int
badge_di_sign_hash(const badge_key_t *k, badge_di_suite_t suite,
    const unsigned char *hash, size_t hash_len, unsigned char *sig,
    size_t *sig_len, badge_err_t *err)
{
    EVP_MD_CTX          *mctx = NULL;
    const EVP_MD        *md = NULL;
    ECDSA_SIG           *es = NULL;
    const BIGNUM        *r, *s;
    const unsigned char *p;
    unsigned char        der[160];
    size_t               derlen = sizeof(der), half = 0;
    int                  rc = -1;

    if (k == NULL || k->pkey == NULL) {
        badge_err_set(err, "key_not_private", "no signing key");
        return -1;
    }
    if (badge_di_suite_is_ecdsa(suite)) {
        if (k->type == BADGE_KEY_P256) {
            md = EVP_sha256();
            half = 32;
        } else if (k->type == BADGE_KEY_P384) {
            md = EVP_sha384();
            half = 48;
        } else {
            badge_err_set(err, "key_type_mismatch", "%s needs a P-256 or "
                "P-384 key", badge_di_suite_name(suite));
            return -1;
        }
    } else if (k->type != BADGE_KEY_ED25519) {
        badge_err_set(err, "key_type_mismatch", "%s needs an Ed25519 key",
            badge_di_suite_name(suite));
        return -1;
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL
        || EVP_DigestSignInit(mctx, NULL, md, NULL, k->pkey) != 1)
    {
        badge_err_set(err, "key_not_private", "the key cannot sign (not a "
            "private key?)");
        goto done;
    }
    if (half == 0) {
        /* Ed25519 signs hashData itself (PureEdDSA) */
        *sig_len = 64;
        if (EVP_DigestSign(mctx, sig, sig_len, hash, hash_len) != 1
            || *sig_len != 64)
        {
            badge_err_set(err, "key_not_private", "Ed25519 signing failed "
                "(not a private key?)");
            goto done;
        }
        rc = 0;
        goto done;
    }
    if (EVP_DigestSign(mctx, der, &derlen, hash, hash_len) != 1) {
        badge_err_set(err, "key_not_private", "ECDSA signing failed (not a "
            "private key?)");
        goto done;
    }
    /* DER -> the raw r||s the suites use */
    p = der;
    es = d2i_ECDSA_SIG(NULL, &p, (long) derlen);
    if (es == NULL) {
        badge_err_set(err, "sign_failed", "bad ECDSA signature encoding");
        goto done;
    }
    ECDSA_SIG_get0(es, &r, &s);
    if (BN_bn2binpad(r, sig, (int) half) != (int) half
        || BN_bn2binpad(s, sig + half, (int) half) != (int) half)
    {
        badge_err_set(err, "sign_failed", "bad ECDSA signature values");
        goto done;
    }
    *sig_len = 2 * half;
    rc = 0;

done:
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(mctx);
    ERR_clear_error();
    return rc;
}

static int
badge_di_set_str(json_t *o, const char *k, const char *v)
{
    return v == NULL ? 0 : json_object_set_new(o, k, json_string(v));
}

/* The proof options (the proof without its value), in the order the
 * specifications' examples use. */
static json_t *
badge_di_options(const json_t *doc, const badge_key_t *k,
    const badge_di_sign_opts_t *o, badge_di_suite_t suite, badge_err_t *err)
{
    json_t       *p;
    const json_t *ctx;
    time_t        t;
    struct tm     tm;
    char          created[32];
    int           bad = 0;

    (void) k;
    p = json_object();
    if (p == NULL) {
        goto oom;
    }
    bad |= badge_di_set_str(p, "type", suite == BADGE_DI_ED25519_2020
                                       ? "Ed25519Signature2020"
                                       : "DataIntegrityProof");
    bad |= badge_di_set_str(p, "id", o->id);
    if (suite != BADGE_DI_ED25519_2020) {
        bad |= badge_di_set_str(p, "cryptosuite", badge_di_suite_name(suite));
    }
    if (o->created != (time_t) -1) {
        t = o->created != 0 ? o->created : time(NULL);
        if (gmtime_r(&t, &tm) == NULL
            || strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm)
               == 0)
        {
            json_decref(p);
            badge_err_set(err, "date_invalid", "cannot format created");
            return NULL;
        }
        bad |= badge_di_set_str(p, "created", created);
    }
    bad |= badge_di_set_str(p, "expires", o->expires);
    bad |= badge_di_set_str(p, "verificationMethod",
                            o->verification_method);
    bad |= badge_di_set_str(p, "proofPurpose",
                            o->purpose != NULL ? o->purpose
                                               : "assertionMethod");
    bad |= badge_di_set_str(p, "challenge", o->challenge);
    bad |= badge_di_set_str(p, "domain", o->domain);
    if (o->previous_proof != NULL) {
        bad |= json_object_set(p, "previousProof",
                               (json_t *) o->previous_proof);
    }
    /* the JCS suites sign the context inside the proof */
    ctx = json_object_get(doc, "@context");
    if (!badge_di_suite_is_rdfc(suite) && ctx != NULL) {
        bad |= json_object_set(p, "@context", (json_t *) ctx);
    }
    if (bad) {
        json_decref(p);
        goto oom;
    }
    return p;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}

json_t *
badge_di_create_proof(badge_arena_t *a, const json_t *doc,
    const badge_key_t *k, const badge_di_sign_opts_t *o, badge_err_t *err)
{
    badge_di_suite_t  suite = o->suite;
    json_t           *proof, *unsecured = NULL, *config = NULL;
    badge_di_hash_t   h;
    unsigned char     sig[96];
    size_t            sig_len;
    char             *mb;

    if (!json_is_object(doc)) {
        badge_err_set(err, "input_not_object", "the document is not a JSON "
            "object");
        return NULL;
    }
    if (o->verification_method == NULL) {
        badge_err_set(err, "vm_missing", "no verification method id");
        return NULL;
    }
    if (k == NULL) {
        badge_err_set(err, "key_not_private", "no signing key");
        return NULL;
    }
    if (suite == BADGE_DI_SUITE_UNKNOWN) {
        suite = k->type == BADGE_KEY_P256 || k->type == BADGE_KEY_P384
                ? BADGE_DI_ECDSA_RDFC_2019 : BADGE_DI_EDDSA_RDFC_2022;
    }
    proof = badge_di_options(doc, k, o, suite, err);
    if (proof == NULL) {
        return NULL;
    }
    if (badge_di_prepare(doc, proof, suite, &unsecured, &config, err) != 0
        || badge_di_hash_data(a, suite, k->type == BADGE_KEY_P384, unsecured,
                              config, &o->canon, &h, err) != 0)
    {
        goto fail;
    }
    if (h.n_dropped > 0) {
        /* a proof over a document whose terms vanish signs less than it
         * shows: refuse, as the verifier would */
        badge_err_set(err, "undefined_terms", "%zu term(s) are not defined "
            "by the @context (first: %.80s): they would not be signed",
            h.n_dropped, h.dropped[0]);
        goto fail;
    }
    if (badge_di_sign_hash(k, suite, h.hash, h.hash_len, sig, &sig_len, err)
        != 0)
    {
        goto fail;
    }
    mb = badge_multibase_encode(a, sig, sig_len);
    if (mb == NULL
        || json_object_set_new(proof, "proofValue", json_string(mb)) != 0)
    {
        badge_err_set(err, "out_of_memory", "out of memory");
        goto fail;
    }
    json_decref(unsecured);
    json_decref(config);
    return proof;

fail:
    json_decref(unsecured);
    json_decref(config);
    json_decref(proof);
    return NULL;
}

json_t *
badge_di_sign(badge_arena_t *a, const json_t *doc, const badge_key_t *k,
    const badge_di_sign_opts_t *o, badge_err_t *err)
{
    json_t       *proof, *out, *list;
    const json_t *old;

    proof = badge_di_create_proof(a, doc, k, o, err);
    if (proof == NULL) {
        return NULL;
    }
    out = json_deep_copy(doc);
    if (out == NULL) {
        json_decref(proof);
        goto oom;
    }
    old = json_object_get(out, "proof");
    if (old == NULL) {
        if (json_object_set_new(out, "proof", proof) != 0) {
            goto oom_out;
        }
        return out;
    }
    /* a proof set */
    if (json_is_array(old)) {
        if (json_array_append_new((json_t *) old, proof) != 0) {
            goto oom_out;
        }
        return out;
    }
    list = json_array();
    if (list == NULL || json_array_append(list, (json_t *) old) != 0) {
        json_decref(list);
        json_decref(proof);
        goto oom_out;
    }
    /* the _new calls take the reference even when they fail */
    if (json_array_append_new(list, proof) != 0) {
        json_decref(list);
        goto oom_out;
    }
    if (json_object_set_new(out, "proof", list) != 0) {
        goto oom_out;
    }
    return out;

oom_out:
    json_decref(out);
oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}
