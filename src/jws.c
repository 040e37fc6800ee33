/*
 * jws.c: compact JWS parsing and signing, and JWK export.
 */
#include "jws.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "b64.h"
#include "json.h"

int
badge_jws_parse(badge_arena_t *a, const char *compact, size_t len,
    badge_jws_t *jws, badge_err_t *err)
{
    const char    *dot1, *dot2, *p;
    unsigned char *hdr;
    size_t         hlen, plen, slen;
    const json_t  *v;

    memset(jws, 0, sizeof(*jws));
    dot1 = memchr(compact, '.', len);
    dot2 = dot1 != NULL
           ? memchr(dot1 + 1, '.', len - (size_t) (dot1 + 1 - compact))
           : NULL;
    if (dot1 == NULL || dot2 == NULL
        || memchr(dot2 + 1, '.', len - (size_t) (dot2 + 1 - compact)))
    {
        badge_err_set(err, "jws_malformed", "a compact JWS has exactly "
            "three parts separated by dots");
        return -1;
    }
    hlen = (size_t) (dot1 - compact);
    plen = (size_t) (dot2 - dot1 - 1);
    slen = len - (size_t) (dot2 + 1 - compact);
    if (hlen == 0) {
        badge_err_set(err, "jws_malformed", "the JWS header is empty");
        return -1;
    }
    if (BADGE_B64_DECODED_MAX(hlen) > BADGE_JWS_MAX_HEADER) {
        badge_err_set(err, "jws_header_too_large", "the JWS header is "
            "larger than %d bytes", BADGE_JWS_MAX_HEADER);
        return -1;
    }
    hdr = badge_b64url_decode_arena(a, compact, hlen, &hlen);
    p = dot1 + 1;
    jws->payload = badge_b64url_decode_arena(a, p, plen, &jws->payload_len);
    p = dot2 + 1;
    jws->sig = badge_b64url_decode_arena(a, p, slen, &jws->sig_len);
    if (hdr == NULL || jws->payload == NULL || jws->sig == NULL) {
        badge_err_set(err, "jws_base64", "a part of the JWS is not "
            "canonical base64url (no padding, no other characters)");
        return -1;
    }
    jws->signing_input = compact;
    jws->signing_input_len = (size_t) (dot2 - compact);
    jws->header = badge_json_parse((const char *) hdr, hlen, err);
    if (jws->header == NULL) {
        badge_err_set(err, "jws_header_invalid", "the JWS header is not "
            "valid JSON");
        return -1;
    }
    if (!json_is_object(jws->header)) {
        badge_err_set(err, "jws_header_invalid", "the JWS header is not a "
            "JSON object");
        goto fail;
    }
    v = json_object_get(jws->header, "alg");
    if (v == NULL) {
        badge_err_set(err, "jws_alg_missing", "the JWS header has no "
            "\"alg\"");
        goto fail;
    }
    jws->alg = json_string_value(v);
    if (jws->alg == NULL || jws->alg[0] == '\0') {
        badge_err_set(err, "jws_header_invalid", "\"alg\" is not a "
            "non-empty string");
        goto fail;
    }
    v = json_object_get(jws->header, "kid");
    if (v != NULL && (jws->kid = json_string_value(v)) == NULL) {
        badge_err_set(err, "jws_header_invalid", "\"kid\" is not a string");
        goto fail;
    }
    v = json_object_get(jws->header, "typ");
    if (v != NULL && (jws->typ = json_string_value(v)) == NULL) {
        badge_err_set(err, "jws_header_invalid", "\"typ\" is not a string");
        goto fail;
    }
    v = json_object_get(jws->header, "jwk");
    if (v != NULL) {
        if (!json_is_object(v)) {
            badge_err_set(err, "jws_header_invalid", "\"jwk\" is not an "
                "object");
            goto fail;
        }
        jws->jwk = v;
    }
    v = json_object_get(jws->header, "crit");
    if (v != NULL) {
        if (!json_is_array(v)) {
            badge_err_set(err, "jws_header_invalid", "\"crit\" is not an "
                "array");
            goto fail;
        }
        jws->crit = v;
    }
    return 0;

fail:
    json_decref(jws->header);
    jws->header = NULL;
    return -1;
}

int
badge_jws_verify(const badge_jws_t *jws, const badge_key_t *k,
    badge_err_t *err)
{
    return badge_key_verify(k, jws->alg,
        (const unsigned char *) jws->signing_input, jws->signing_input_len,
        jws->sig, jws->sig_len, err);
}

typedef struct {
    const char        *alg;
    badge_key_type_t   type;
    const char        *md;
    int                pss;
    size_t             ec_size;
} badge_jws_alg_t;

/* What badgectl signs with; verification has its own table in keys.c,
 * and every signature made here is verified with it before it is used. */
static const badge_jws_alg_t badge_jws_sign_algs[] = {
    { "EdDSA", BADGE_KEY_ED25519, NULL, 0, 0 },
    { "ES256", BADGE_KEY_P256, "SHA256", 0, 32 },
    { "ES384", BADGE_KEY_P384, "SHA384", 0, 48 },
    { "RS256", BADGE_KEY_RSA, "SHA256", 0, 0 },
    { "PS256", BADGE_KEY_RSA, "SHA256", 1, 0 },
    { NULL, 0, NULL, 0, 0 }
};

/* DER ECDSA-Sig-Value to JOSE r||s; 0 on success. */
static int
badge_jws_ecdsa_der_to_raw(const unsigned char *der, size_t len,
    unsigned char *out, size_t n)
{
    const unsigned char *p = der;
    const BIGNUM        *r, *s;
    ECDSA_SIG           *es;
    int                  ok;

    es = d2i_ECDSA_SIG(NULL, &p, (long) len);
    if (es == NULL) {
        return -1;
    }
    ECDSA_SIG_get0(es, &r, &s);
    ok = BN_bn2binpad(r, out, (int) n) == (int) n
         && BN_bn2binpad(s, out + n, (int) n) == (int) n;
    ECDSA_SIG_free(es);
    return ok ? 0 : -1;
}

char *
badge_jws_sign(badge_arena_t *a, const badge_key_t *k, const char *alg,
    json_t *header, const void *payload, size_t len, badge_err_t *err)
{
    const badge_jws_alg_t *ja;
    EVP_MD_CTX            *mctx = NULL;
    EVP_PKEY_CTX          *pctx = NULL;
    unsigned char         *sig = NULL, raw[2 * 66];
    size_t                 siglen = 0;
    char                  *hjson = NULL, *h64, *p64, *input, *s64, *out = NULL;
    badge_buf_t            b;

    if (alg == NULL) {
        alg = badge_key_default_alg(k);
    }
    for (ja = badge_jws_sign_algs; ja->alg != NULL; ja++) {
        if (alg != NULL && strcmp(ja->alg, alg) == 0) {
            break;
        }
    }
    if (ja->alg == NULL || k == NULL || ja->type != k->type) {
        badge_err_set(err, "alg_key_mismatch", "cannot sign %s with this "
            "key (use %s)", alg != NULL ? alg : "(none)",
            k != NULL ? badge_key_default_alg(k) : "a key");
        return NULL;
    }
    if (json_object_set_new(header, "alg", json_string(alg)) != 0) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    hjson = json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (hjson == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    h64 = badge_b64url_encode_arena(a, (unsigned char *) hjson,
        strlen(hjson));
    free(hjson);
    p64 = badge_b64url_encode_arena(a, payload, len);
    input = h64 != NULL && p64 != NULL
            ? badge_arena_sprintf(a, "%s.%s", h64, p64) : NULL;
    if (input == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL
        || EVP_DigestSignInit_ex(mctx, &pctx, ja->md, NULL, NULL, k->pkey,
                                 NULL) != 1
        || (ja->pss
            && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
                || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                       RSA_PSS_SALTLEN_DIGEST) != 1))
        || EVP_DigestSign(mctx, NULL, &siglen, (unsigned char *) input,
                          strlen(input)) != 1
        || (sig = OPENSSL_malloc(siglen)) == NULL
        || EVP_DigestSign(mctx, sig, &siglen, (unsigned char *) input,
                          strlen(input)) != 1)
    {
        badge_err_set(err, "sign_failed", "signing failed (is it a private "
            "key?)");
        goto done;
    }
    if (ja->ec_size != 0) {
        if (badge_jws_ecdsa_der_to_raw(sig, siglen, raw, ja->ec_size) != 0)
        {
            badge_err_set(err, "sign_failed", "bad ECDSA signature");
            goto done;
        }
        s64 = badge_b64url_encode_arena(a, raw, 2 * ja->ec_size);
    } else {
        s64 = badge_b64url_encode_arena(a, sig, siglen);
    }
    badge_buf_init(&b, a, strlen(input) + 1024);
    badge_buf_puts(&b, input);
    badge_buf_putc(&b, '.');
    badge_buf_puts(&b, s64 != NULL ? s64 : "");
    out = s64 != NULL ? badge_buf_cstr(&b) : NULL;
    if (out == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        goto done;
    }
    /* a signature we cannot verify ourselves is never handed out */
    {
        badge_jws_t jws;
        int         rc;

        if (badge_jws_parse(a, out, strlen(out), &jws, err) != 0) {
            out = NULL;
            goto done;
        }
        rc = badge_jws_verify(&jws, k, err);
        json_decref(jws.header);
        if (rc != 0) {
            out = NULL;
        }
    }

done:
    OPENSSL_free(sig);
    EVP_MD_CTX_free(mctx);
    ERR_clear_error();
    return out;
}

/* base64url of a BIGNUM parameter, padded to size bytes (0: minimal). */
static json_t *
badge_jwk_bn(const badge_key_t *k, const char *param, size_t size)
{
    BIGNUM        *bn = NULL;
    unsigned char  buf[2048];
    char           enc[BADGE_B64_ENCODED_LEN(2048) + 1];
    int            n;
    json_t        *v = NULL;

    if (EVP_PKEY_get_bn_param(k->pkey, param, &bn) != 1) {
        return NULL;
    }
    if (size == 0) {
        size = (size_t) BN_num_bytes(bn);
    }
    if (size <= sizeof(buf)) {
        n = BN_bn2binpad(bn, buf, (int) size);
        if (n == (int) size
            && badge_b64url_encode(buf, size, enc, sizeof(enc)) > 0)
        {
            v = json_string(enc);
        }
    }
    BN_free(bn);
    return v;
}

json_t *
badge_jwk_from_key(const badge_key_t *k, badge_err_t *err)
{
    json_t        *jwk, *x = NULL, *y = NULL;
    unsigned char  raw[32];
    char           enc[64];
    size_t         rawlen = sizeof(raw), size;

    jwk = json_object();
    if (jwk == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    switch (k->type) {
    case BADGE_KEY_ED25519:
        if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &rawlen) != 1
            || rawlen != 32
            || badge_b64url_encode(raw, rawlen, enc, sizeof(enc)) == 0)
        {
            break;
        }
        json_object_set_new(jwk, "crv", json_string("Ed25519"));
        json_object_set_new(jwk, "kty", json_string("OKP"));
        json_object_set_new(jwk, "x", json_string(enc));
        ERR_clear_error();
        return jwk;
    case BADGE_KEY_P256:
    case BADGE_KEY_P384:
        size = k->type == BADGE_KEY_P256 ? 32 : 48;
        x = badge_jwk_bn(k, OSSL_PKEY_PARAM_EC_PUB_X, size);
        y = badge_jwk_bn(k, OSSL_PKEY_PARAM_EC_PUB_Y, size);
        if (x == NULL || y == NULL) {
            break;
        }
        json_object_set_new(jwk, "crv", json_string(
            k->type == BADGE_KEY_P256 ? "P-256" : "P-384"));
        json_object_set_new(jwk, "kty", json_string("EC"));
        json_object_set_new(jwk, "x", x);
        json_object_set_new(jwk, "y", y);
        ERR_clear_error();
        return jwk;
    case BADGE_KEY_RSA:
        x = badge_jwk_bn(k, OSSL_PKEY_PARAM_RSA_E, 0);
        y = badge_jwk_bn(k, OSSL_PKEY_PARAM_RSA_N, 0);
        if (x == NULL || y == NULL) {
            break;
        }
        json_object_set_new(jwk, "e", x);
        json_object_set_new(jwk, "kty", json_string("RSA"));
        json_object_set_new(jwk, "n", y);
        ERR_clear_error();
        return jwk;
    }
    json_decref(x);
    json_decref(y);
    json_decref(jwk);
    ERR_clear_error();
    badge_err_set(err, "key_invalid", "cannot export the key as a JWK");
    return NULL;
}
