/*
 * jose_helpers.h: test-only helpers to make keys and sign JWTs with OpenSSL
 * directly, independently of the code under test (keys.c, jws.c), so that
 * a bug shared by signer and verifier cannot make a test pass.
 * Included by test_keys.c, test_jws.c, test_did.c and test_vcjwt.c.
 */
#ifndef JOSE_HELPERS_H
#define JOSE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

/* not every test uses every helper */
#define TH_FN  static __attribute__((unused))

TH_FN EVP_PKEY *
th_keygen(const char *type)
{
    if (strcmp(type, "ed25519") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    }
    if (strcmp(type, "p256") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    }
    if (strcmp(type, "p384") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    }
    if (strcmp(type, "secp256k1") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
    }
    if (strcmp(type, "rsa1024") == 0) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 1024);
    }
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
}

/* malloc'ed PEM of the public (priv = 0) or private key */
TH_FN char *
th_pem(EVP_PKEY *k, int priv)
{
    BIO  *b = BIO_new(BIO_s_mem());
    char *p, *out;
    long  n;

    if (priv) {
        PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
    } else {
        PEM_write_bio_PUBKEY(b, k);
    }
    n = BIO_get_mem_data(b, &p);
    out = malloc((size_t) n + 1);
    memcpy(out, p, (size_t) n);
    out[n] = '\0';
    BIO_free(b);
    return out;
}

/* malloc'ed base64url without padding */
TH_FN char *
th_b64url(const void *p, size_t n)
{
    char   *out = malloc(4 * ((n + 2) / 3) + 1);
    size_t  i, len;

    len = (size_t) EVP_EncodeBlock((unsigned char *) out, p, (int) n);
    while (len > 0 && out[len - 1] == '=') {
        len--;
    }
    for (i = 0; i < len; i++) {
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    }
    out[len] = '\0';
    return out;
}

TH_FN char *
th_bn_b64url(EVP_PKEY *k, const char *param, int size)
{
    BIGNUM        *bn = NULL;
    unsigned char  buf[1024];
    char          *out;

    EVP_PKEY_get_bn_param(k, param, &bn);
    if (size == 0) {
        size = BN_num_bytes(bn);
    }
    BN_bn2binpad(bn, buf, size);
    BN_free(bn);
    out = th_b64url(buf, (size_t) size);
    return out;
}

/* malloc'ed public JWK JSON text */
TH_FN char *
th_jwk(EVP_PKEY *k)
{
    char          *x, *y, *out = malloc(2048);
    unsigned char  raw[32];
    size_t         n = 32;

    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_ED25519:
        EVP_PKEY_get_raw_public_key(k, raw, &n);
        x = th_b64url(raw, n);
        snprintf(out, 2048, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            "\"x\":\"%s\"}", x);
        free(x);
        break;
    case EVP_PKEY_EC:
        n = EVP_PKEY_get_bits(k) == 384 ? 48 : 32;
        x = th_bn_b64url(k, OSSL_PKEY_PARAM_EC_PUB_X, (int) n);
        y = th_bn_b64url(k, OSSL_PKEY_PARAM_EC_PUB_Y, (int) n);
        snprintf(out, 2048, "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\","
            "\"y\":\"%s\"}", n == 48 ? "P-384" : "P-256", x, y);
        free(x);
        free(y);
        break;
    default:
        x = th_bn_b64url(k, OSSL_PKEY_PARAM_RSA_N, 0);
        y = th_bn_b64url(k, OSSL_PKEY_PARAM_RSA_E, 0);
        snprintf(out, 2048, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"}",
            x, y);
        free(x);
        free(y);
        break;
    }
    return out;
}

/* Raw JOSE signature of msg under alg (EdDSA, ES256, ES384, RS256,
 * PS256); malloc'ed, length in *len. */
TH_FN unsigned char *
th_sign_raw(EVP_PKEY *k, const char *alg, const void *msg, size_t mlen,
    size_t *len)
{
    EVP_MD_CTX    *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX  *pc = NULL;
    const char    *md = NULL;
    unsigned char *sig, *raw;
    const unsigned char *p;
    size_t         slen = 0, n;
    ECDSA_SIG     *es;
    const BIGNUM  *r, *s;

    if (strcmp(alg, "EdDSA") != 0) {
        md = strcmp(alg, "ES384") == 0 ? "SHA384" : "SHA256";
    }
    EVP_DigestSignInit_ex(c, &pc, md, NULL, NULL, k, NULL);
    if (strcmp(alg, "PS256") == 0) {
        EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST);
    }
    EVP_DigestSign(c, NULL, &slen, msg, mlen);
    sig = malloc(slen);
    EVP_DigestSign(c, sig, &slen, msg, mlen);
    EVP_MD_CTX_free(c);
    if (alg[0] != 'E' || strcmp(alg, "EdDSA") == 0) {
        *len = slen;
        return sig;
    }
    n = strcmp(alg, "ES384") == 0 ? 48 : 32;
    p = sig;
    es = d2i_ECDSA_SIG(NULL, &p, (long) slen);
    ECDSA_SIG_get0(es, &r, &s);
    raw = malloc(2 * n);
    BN_bn2binpad(r, raw, (int) n);
    BN_bn2binpad(s, raw + n, (int) n);
    ECDSA_SIG_free(es);
    free(sig);
    *len = 2 * n;
    return raw;
}

/*
 * A compact JWS of header and payload (JSON texts).  k == NULL: no
 * signature (alg none); alg "HS256": HMAC keyed with hmac_key.
 */
TH_FN char *
th_jwt(EVP_PKEY *k, const char *alg, const char *header,
    const char *payload, const void *hmac_key, size_t hmac_len)
{
    char          *h = th_b64url(header, strlen(header));
    char          *p = th_b64url(payload, strlen(payload));
    char          *input, *s, *out;
    unsigned char *sig = NULL, mac[EVP_MAX_MD_SIZE];
    size_t         slen = 0;
    unsigned int   mlen = 0;

    input = malloc(strlen(h) + strlen(p) + 2);
    sprintf(input, "%s.%s", h, p);
    if (alg != NULL && strcmp(alg, "HS256") == 0) {
        size_t ml = 0;

        EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, hmac_key, hmac_len,
            (unsigned char *) input, strlen(input), mac, sizeof(mac), &ml);
        mlen = (unsigned int) ml;
        s = th_b64url(mac, mlen);
    } else if (k != NULL) {
        sig = th_sign_raw(k, alg, input, strlen(input), &slen);
        s = th_b64url(sig, slen);
    } else {
        s = th_b64url("", 0);
    }
    out = malloc(strlen(input) + strlen(s) + 2);
    sprintf(out, "%s.%s", input, s);
    free(h);
    free(p);
    free(input);
    free(sig);
    free(s);
    return out;
}

#endif
