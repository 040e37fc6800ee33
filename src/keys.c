/*
 * keys.c: public keys (OpenSSL 3 EVP only) from JWK, PEM and multibase,
 * and signature verification under a fixed algorithm-to-key-type table.
 *
 * Only key types the formats need are accepted: Ed25519, P-256, P-384 and
 * RSA of 2048 bits or more.  The algorithm named by a token is only ever
 * used to pick a row of badge_key_algs[] whose key type must be the key's
 * own: a token cannot turn an RSA public key into an HMAC secret, or ask
 * for "none".
 */
#include "keys.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "b64.h"
#include "json.h"
#include "multibase.h"

#define BADGE_RSA_MIN_BITS  2048
#define BADGE_RSA_MAX_BITS  16384
/* a JWK member decodes to at most this (an RSA modulus of 16384 bits) */
#define BADGE_JWK_MAX_BYTES  2048

typedef struct {
    const char        *alg;
    badge_key_type_t   type;
    const char        *md;         /* NULL: EdDSA hashes internally */
    int                pss;
    size_t             ec_size;    /* bytes of r and of s for ECDSA */
} badge_key_alg_t;

static const badge_key_alg_t badge_key_algs[] = {
    { "EdDSA", BADGE_KEY_ED25519, NULL, 0, 0 },
    { "Ed25519", BADGE_KEY_ED25519, NULL, 0, 0 },  /* RFC 9864 name */
    { "ES256", BADGE_KEY_P256, "SHA256", 0, 32 },
    { "ES384", BADGE_KEY_P384, "SHA384", 0, 48 },
    { "RS256", BADGE_KEY_RSA, "SHA256", 0, 0 },
    { "RS384", BADGE_KEY_RSA, "SHA384", 0, 0 },
    { "RS512", BADGE_KEY_RSA, "SHA512", 0, 0 },
    { "PS256", BADGE_KEY_RSA, "SHA256", 1, 0 },
    { "PS384", BADGE_KEY_RSA, "SHA384", 1, 0 },
    { "PS512", BADGE_KEY_RSA, "SHA512", 1, 0 },
    { NULL, 0, NULL, 0, 0 }
};

static const char *
badge_key_type_name(badge_key_type_t t)
{
    switch (t) {
    case BADGE_KEY_ED25519:
        return "Ed25519";
    case BADGE_KEY_P256:
        return "P-256";
    case BADGE_KEY_P384:
        return "P-384";
    case BADGE_KEY_RSA:
        return "RSA";
    }
    return "unknown";
}

/* Wraps pkey (taking it) after checking that it is a type we accept. */
static badge_key_t *
badge_key_wrap(EVP_PKEY *pkey, badge_err_t *err)
{
    badge_key_t *k;
    char         group[64];
    size_t       glen = 0;
    int          bits;

    if (pkey == NULL) {
        badge_err_set(err, "key_invalid", "not a valid key");
        return NULL;
    }
    k = calloc(1, sizeof(*k));
    if (k == NULL) {
        EVP_PKEY_free(pkey);
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    k->pkey = pkey;
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_ED25519:
        k->type = BADGE_KEY_ED25519;
        return k;
    case EVP_PKEY_RSA:
        bits = EVP_PKEY_get_bits(pkey);
        if (bits < BADGE_RSA_MIN_BITS || bits > BADGE_RSA_MAX_BITS) {
            badge_err_set(err, "key_unsupported", "RSA keys of %d bits are "
                "not accepted (%d to %d)", bits, BADGE_RSA_MIN_BITS,
                BADGE_RSA_MAX_BITS);
            break;
        }
        k->type = BADGE_KEY_RSA;
        return k;
    case EVP_PKEY_EC:
        if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &glen) != 1)
        {
            badge_err_set(err, "key_invalid", "EC key without a curve");
            break;
        }
        if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0)
        {
            k->type = BADGE_KEY_P256;
            return k;
        }
        if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0)
        {
            k->type = BADGE_KEY_P384;
            return k;
        }
        badge_err_set(err, "key_unsupported", "EC curve %s is not "
            "supported (P-256, P-384)", group);
        break;
    default:
        badge_err_set(err, "key_unsupported", "key type %s is not "
            "supported (Ed25519, P-256, P-384, RSA)",
            OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
        break;
    }
    ERR_clear_error();
    badge_key_free(k);
    return NULL;
}

/* An EC public key from an encoded point (compressed or not), checked to
 * be on the curve. */
static EVP_PKEY *
badge_key_ec_from_point(const char *group, const unsigned char *pt,
    size_t len)
{
    OSSL_PARAM    params[3];
    EVP_PKEY_CTX *pctx, *cctx;
    EVP_PKEY     *pkey = NULL;

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
        (char *) group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
        (void *) pt, len);
    params[2] = OSSL_PARAM_construct_end();
    pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (pctx == NULL || EVP_PKEY_fromdata_init(pctx) != 1
        || EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
        EVP_PKEY_CTX_free(pctx);
        ERR_clear_error();
        return NULL;
    }
    EVP_PKEY_CTX_free(pctx);
    /* fromdata decodes the point; make sure it is a valid public key */
    cctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (cctx == NULL || EVP_PKEY_public_check(cctx) != 1) {
        EVP_PKEY_CTX_free(cctx);
        EVP_PKEY_free(pkey);
        ERR_clear_error();
        return NULL;
    }
    EVP_PKEY_CTX_free(cctx);
    return pkey;
}

static EVP_PKEY *
badge_key_rsa_from_ne(const unsigned char *n, size_t nlen,
    const unsigned char *e, size_t elen)
{
    OSSL_PARAM_BLD *bld;
    OSSL_PARAM     *params = NULL;
    EVP_PKEY_CTX   *pctx = NULL;
    EVP_PKEY       *pkey = NULL;
    BIGNUM         *bn_n, *bn_e;

    bn_n = BN_bin2bn(n, (int) nlen, NULL);
    bn_e = BN_bin2bn(e, (int) elen, NULL);
    bld = OSSL_PARAM_BLD_new();
    if (bn_n == NULL || bn_e == NULL || bld == NULL
        || !BN_is_odd(bn_e) || BN_is_one(bn_e) || BN_num_bits(bn_e) > 32
        || !BN_is_odd(bn_n)
        || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) != 1
        || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) != 1
        || (params = OSSL_PARAM_BLD_to_param(bld)) == NULL
        || (pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL
        || EVP_PKEY_fromdata_init(pctx) != 1
        || EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    ERR_clear_error();
    return pkey;
}

/* A base64url JWK member, decoded; 0 on success. */
static int
badge_jwk_member(const json_t *jwk, const char *name, unsigned char *out,
    size_t cap, size_t *len, badge_err_t *err)
{
    const char *v = badge_json_str(jwk, name);

    if (v == NULL) {
        badge_err_set(err, "key_invalid", "JWK without \"%s\"", name);
        return -1;
    }
    if (strlen(v) > cap / 3 * 4
        || badge_b64url_decode(v, strlen(v), out, cap, len) != 0
        || *len == 0)
    {
        badge_err_set(err, "key_invalid", "JWK \"%s\" is not valid "
            "base64url", name);
        return -1;
    }
    return 0;
}

badge_key_t *
badge_key_from_jwk(const json_t *jwk, badge_err_t *err)
{
    unsigned char  x[BADGE_JWK_MAX_BYTES], y[BADGE_JWK_MAX_BYTES];
    unsigned char  pt[1 + 2 * 48];
    size_t         xlen, ylen, size;
    const char    *kty, *crv, *group;
    EVP_PKEY      *pkey;

    if (!json_is_object(jwk)) {
        badge_err_set(err, "key_invalid", "a JWK must be a JSON object");
        return NULL;
    }
    kty = badge_json_str(jwk, "kty");
    crv = badge_json_str(jwk, "crv");
    if (kty == NULL) {
        badge_err_set(err, "key_invalid", "JWK without \"kty\"");
        return NULL;
    }
    if (strcmp(kty, "OKP") == 0) {
        if (crv == NULL || strcmp(crv, "Ed25519") != 0) {
            badge_err_set(err, "key_unsupported", "OKP curve %s is not "
                "supported (Ed25519)", crv != NULL ? crv : "(none)");
            return NULL;
        }
        if (badge_jwk_member(jwk, "x", x, sizeof(x), &xlen, err) != 0) {
            return NULL;
        }
        if (xlen != 32) {
            badge_err_set(err, "key_invalid", "Ed25519 JWK \"x\" is not 32 "
                "bytes");
            return NULL;
        }
        pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, 32);
        return badge_key_wrap(pkey, err);
    }
    if (strcmp(kty, "EC") == 0) {
        if (crv != NULL && strcmp(crv, "P-256") == 0) {
            group = "P-256";
            size = 32;
        } else if (crv != NULL && strcmp(crv, "P-384") == 0) {
            group = "P-384";
            size = 48;
        } else {
            badge_err_set(err, "key_unsupported", "EC curve %s is not "
                "supported (P-256, P-384)", crv != NULL ? crv : "(none)");
            return NULL;
        }
        if (badge_jwk_member(jwk, "x", x, sizeof(x), &xlen, err) != 0
            || badge_jwk_member(jwk, "y", y, sizeof(y), &ylen, err) != 0)
        {
            return NULL;
        }
        /* RFC 7518 6.2.1.2: full-length coordinates, no shortening */
        if (xlen != size || ylen != size) {
            badge_err_set(err, "key_invalid", "%s JWK coordinates are not "
                "%zu bytes", group, size);
            return NULL;
        }
        pt[0] = 0x04;
        memcpy(pt + 1, x, size);
        memcpy(pt + 1 + size, y, size);
        pkey = badge_key_ec_from_point(group, pt, 1 + 2 * size);
        if (pkey == NULL) {
            badge_err_set(err, "key_invalid", "%s JWK is not a point on the "
                "curve", group);
            return NULL;
        }
        return badge_key_wrap(pkey, err);
    }
    if (strcmp(kty, "RSA") == 0) {
        if (badge_jwk_member(jwk, "n", x, sizeof(x), &xlen, err) != 0
            || badge_jwk_member(jwk, "e", y, sizeof(y), &ylen, err) != 0)
        {
            return NULL;
        }
        pkey = badge_key_rsa_from_ne(x, xlen, y, ylen);
        if (pkey == NULL) {
            badge_err_set(err, "key_invalid", "not a valid RSA JWK");
            return NULL;
        }
        return badge_key_wrap(pkey, err);
    }
    badge_err_set(err, "key_unsupported", "JWK key type \"%s\" is not "
        "supported (OKP, EC, RSA)", kty);
    return NULL;
}

/* Never prompt for a pass phrase: an encrypted key simply fails. */
static int
badge_key_no_password(char *buf, int size, int rwflag, void *u)
{
    (void) buf;
    (void) size;
    (void) rwflag;
    (void) u;
    return -1;
}

/* A "PUBLIC KEY" block through d2i_PUBKEY: OpenSSL 3's
 * PEM_read_bio_PUBKEY builds a decoder context per call, which cost 70% of
 * an OB 2.0 signed verification (its key is a PEM document). */
static EVP_PKEY *
badge_key_pem_public(BIO *bio)
{
    char                *name = NULL, *header = NULL;
    unsigned char       *der = NULL;
    const unsigned char *p;
    long                 dlen = 0;
    EVP_PKEY            *pkey = NULL;

    if (PEM_read_bio(bio, &name, &header, &der, &dlen) == 1
        && strcmp(name, PEM_STRING_PUBLIC) == 0 && header[0] == '\0')
    {
        p = der;
        pkey = d2i_PUBKEY(NULL, &p, dlen);
        if (pkey != NULL && p != der + dlen) {   /* trailing bytes */
            EVP_PKEY_free(pkey);
            pkey = NULL;
        }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    return pkey;
}

/*
 * Public keys from PEM documents, remembered by their exact text: an
 * issuer's key document is fetched again for every credential it signed,
 * and decoding it is dearer than the RSA verification itself.  Only public
 * keys are kept.  One memo per badge_ctx_t, shared by its threads (Apache's
 * event MPM), hence the lock; an EVP_PKEY may verify in several threads at
 * once.
 */
#define BADGE_KEY_MEMO_SLOTS  16
#define BADGE_KEY_MEMO_MAX    4096

struct badge_key_memo_s {
    pthread_mutex_t  mu;
    unsigned         next;
    struct {
        char        *pem;
        size_t       len;
        EVP_PKEY    *pkey;
    } slot[BADGE_KEY_MEMO_SLOTS];
};

badge_key_memo_t *
badge_key_memo_new(void)
{
    badge_key_memo_t *m = calloc(1, sizeof(*m));

    if (m != NULL && pthread_mutex_init(&m->mu, NULL) != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void
badge_key_memo_free(badge_key_memo_t *m)
{
    size_t i;

    if (m == NULL) {
        return;
    }
    for (i = 0; i < BADGE_KEY_MEMO_SLOTS; i++) {
        free(m->slot[i].pem);
        EVP_PKEY_free(m->slot[i].pkey);
    }
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static EVP_PKEY *
badge_key_memo_get(badge_key_memo_t *m, const void *pem, size_t len)
{
    EVP_PKEY *pkey = NULL;
    size_t    i;

    if (pthread_mutex_lock(&m->mu) != 0) {
        return NULL;
    }
    for (i = 0; i < BADGE_KEY_MEMO_SLOTS; i++) {
        if (m->slot[i].pkey != NULL && m->slot[i].len == len
            && memcmp(m->slot[i].pem, pem, len) == 0)
        {
            if (EVP_PKEY_up_ref(m->slot[i].pkey) == 1) {
                pkey = m->slot[i].pkey;
            }
            break;
        }
    }
    pthread_mutex_unlock(&m->mu);
    return pkey;
}

static void
badge_key_memo_put(badge_key_memo_t *m, const void *pem, size_t len,
    EVP_PKEY *pkey)
{
    char     *copy, *old_pem;
    EVP_PKEY *old_pkey;
    unsigned  i;

    if (len > BADGE_KEY_MEMO_MAX || (copy = malloc(len)) == NULL) {
        return;
    }
    memcpy(copy, pem, len);
    if (EVP_PKEY_up_ref(pkey) != 1) {
        free(copy);
        return;
    }
    if (pthread_mutex_lock(&m->mu) != 0) {
        EVP_PKEY_free(pkey);
        free(copy);
        return;
    }
    i = m->next++ % BADGE_KEY_MEMO_SLOTS;
    old_pem = m->slot[i].pem;
    old_pkey = m->slot[i].pkey;
    m->slot[i].pem = copy;
    m->slot[i].len = len;
    m->slot[i].pkey = pkey;
    pthread_mutex_unlock(&m->mu);
    free(old_pem);
    EVP_PKEY_free(old_pkey);
}

badge_key_t *
badge_key_from_pem(const void *pem, size_t len, badge_err_t *err)
{
    return badge_key_from_pem_memo(NULL, pem, len, err);
}

badge_key_t *
badge_key_from_pem_memo(badge_key_memo_t *memo, const void *pem, size_t len,
    badge_err_t *err)
{
    BIO      *bio;
    EVP_PKEY *pkey;
    X509     *cert;

    if (len > 64 * 1024 || len > (size_t) INT32_MAX) {
        badge_err_set(err, "key_invalid", "PEM too large");
        return NULL;
    }
    pkey = memo != NULL ? badge_key_memo_get(memo, pem, len) : NULL;
    if (pkey != NULL) {
        return badge_key_wrap(pkey, err);
    }
    bio = BIO_new_mem_buf(pem, (int) len);
    if (bio == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    pkey = badge_key_pem_public(bio);
    if (pkey != NULL) {
        if (memo != NULL) {
            badge_key_memo_put(memo, pem, len, pkey);
        }
    } else {
        (void) BIO_reset(bio);
        pkey = PEM_read_bio_PUBKEY(bio, NULL, badge_key_no_password, NULL);
    }
    if (pkey == NULL) {
        (void) BIO_reset(bio);
        pkey = PEM_read_bio_PrivateKey(bio, NULL, badge_key_no_password,
            NULL);
    }
    if (pkey == NULL) {
        (void) BIO_reset(bio);
        cert = PEM_read_bio_X509(bio, NULL, badge_key_no_password, NULL);
        if (cert != NULL) {
            pkey = X509_get_pubkey(cert);
            X509_free(cert);
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    if (pkey == NULL) {
        badge_err_set(err, "key_invalid", "no public or (unencrypted) "
            "private key in the PEM text");
        return NULL;
    }
    return badge_key_wrap(pkey, err);
}

badge_key_t *
badge_key_from_multibase(const char *mb, badge_err_t *err)
{
    unsigned char        raw[128];
    const unsigned char *key;
    size_t               rawlen, keylen;
    uint64_t             codec;
    EVP_PKEY            *pkey;

    if (mb == NULL || strlen(mb) > 200
        || badge_multibase_decode(mb, raw, sizeof(raw), &rawlen) != 0
        || badge_multicodec_split(raw, rawlen, &codec, &key, &keylen) != 0)
    {
        badge_err_set(err, "key_invalid", "not a base58btc multibase key");
        return NULL;
    }
    switch (codec) {
    case BADGE_MULTICODEC_ED25519_PUB:
        if (keylen != 32) {
            break;
        }
        pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
        return badge_key_wrap(pkey, err);
    case BADGE_MULTICODEC_P256_PUB:
    case BADGE_MULTICODEC_P384_PUB:
        /* Multikey: compressed points only */
        if (keylen != (codec == BADGE_MULTICODEC_P256_PUB ? 33u : 49u)
            || (key[0] != 0x02 && key[0] != 0x03))
        {
            break;
        }
        pkey = badge_key_ec_from_point(
            codec == BADGE_MULTICODEC_P256_PUB ? "P-256" : "P-384",
            key, keylen);
        if (pkey == NULL) {
            break;
        }
        return badge_key_wrap(pkey, err);
    default:
        badge_err_set(err, "key_unsupported", "multicodec 0x%llx keys are "
            "not supported (Ed25519, P-256, P-384)",
            (unsigned long long) codec);
        return NULL;
    }
    badge_err_set(err, "key_invalid", "malformed multicodec 0x%llx key",
        (unsigned long long) codec);
    return NULL;
}

/* A copy holding the public half only (configuration never keeps
 * private keys in memory longer than it must). */
static badge_key_t *
badge_key_public_only(badge_key_t *k, badge_err_t *err)
{
    unsigned char       *der = NULL;
    const unsigned char *p;
    EVP_PKEY            *pub;
    int                  n;

    n = i2d_PUBKEY(k->pkey, &der);
    badge_key_free(k);
    if (n <= 0) {
        ERR_clear_error();
        badge_err_set(err, "key_invalid", "cannot extract the public key");
        return NULL;
    }
    p = der;
    pub = d2i_PUBKEY(NULL, &p, n);
    OPENSSL_free(der);
    return badge_key_wrap(pub, err);
}

badge_key_t *
badge_key_parse(const void *data, size_t len, badge_err_t *err)
{
    const char  *p = data;
    char         mb[256];
    json_t      *jwk;
    badge_key_t *k;
    size_t       n;

    while (len > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    {
        p++;
        len--;
    }
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'
                       || p[len - 1] == '\r' || p[len - 1] == '\n'))
    {
        len--;
    }
    if (len >= 10 && memcmp(p, "-----BEGIN", 10) == 0) {
        k = badge_key_from_pem(p, len, err);
        return k != NULL ? badge_key_public_only(k, err) : NULL;
    }
    if (len > 0 && p[0] == '{') {
        jwk = badge_json_parse(p, len, err);
        if (jwk == NULL) {
            return NULL;
        }
        k = badge_key_from_jwk(jwk, err);
        json_decref(jwk);
        return k;
    }
    if (len > 1 && p[0] == 'z' && len < sizeof(mb)) {
        for (n = 0; n < len; n++) {
            mb[n] = p[n];
        }
        mb[len] = '\0';
        return badge_key_from_multibase(mb, err);
    }
    badge_err_set(err, "key_invalid", "a key must be PEM, a JWK or a "
        "multibase (z...) public key");
    return NULL;
}

badge_key_t *
badge_key_dup(const badge_key_t *k)
{
    badge_key_t *d;

    if (k == NULL) {
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    if (EVP_PKEY_up_ref(k->pkey) != 1) {
        free(d);
        return NULL;
    }
    d->type = k->type;
    d->pkey = k->pkey;
    return d;
}

void
badge_key_free(badge_key_t *k)
{
    if (k != NULL) {
        EVP_PKEY_free(k->pkey);
        free(k);
    }
}

int
badge_key_equal(const badge_key_t *a, const badge_key_t *b)
{
    int r;

    if (a == NULL || b == NULL || a->type != b->type) {
        return 0;
    }
    r = EVP_PKEY_eq(a->pkey, b->pkey);
    ERR_clear_error();
    return r == 1;
}

/* JOSE r||s (each n bytes) to the DER ECDSA-Sig-Value OpenSSL verifies.
 * Returns a length and an OPENSSL_malloc'ed *der, or 0. */
static int
badge_key_ecdsa_raw_to_der(const unsigned char *sig, size_t n,
    unsigned char **der)
{
    ECDSA_SIG *es;
    BIGNUM    *r, *s;
    int        len;

    es = ECDSA_SIG_new();
    r = BN_bin2bn(sig, (int) n, NULL);
    s = BN_bin2bn(sig + n, (int) n, NULL);
    if (es == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(es, r, s)) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return 0;
    }
    *der = NULL;
    len = i2d_ECDSA_SIG(es, der);
    ECDSA_SIG_free(es);
    return len > 0 ? len : 0;
}

int
badge_key_verify(const badge_key_t *k, const char *alg,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len, badge_err_t *err)
{
    const badge_key_alg_t *a;
    EVP_MD_CTX            *mctx = NULL;
    EVP_PKEY_CTX          *pctx = NULL;
    unsigned char         *der = NULL;
    int                    derlen, rc = -1;

    if (alg == NULL) {
        badge_err_set(err, "alg_missing", "no signature algorithm given");
        return -1;
    }
    if (strcmp(alg, "none") == 0 || strncmp(alg, "HS", 2) == 0) {
        badge_err_set(err, "alg_forbidden", "algorithm \"%s\" is never "
            "accepted", alg);
        return -1;
    }
    for (a = badge_key_algs; a->alg != NULL; a++) {
        if (strcmp(a->alg, alg) == 0) {
            break;
        }
    }
    if (a->alg == NULL) {
        badge_err_set(err, "alg_unsupported", "algorithm \"%.40s\" is not "
            "supported", alg);
        return -1;
    }
    if (k == NULL || k->pkey == NULL || a->type != k->type) {
        badge_err_set(err, "alg_key_mismatch", "algorithm %s does not fit "
            "a%s %s key", alg,
            k != NULL && k->type == BADGE_KEY_RSA ? "n" : "",
            k != NULL ? badge_key_type_name(k->type) : "missing");
        return -1;
    }
    if (a->ec_size != 0) {
        if (sig_len != 2 * a->ec_size) {
            badge_err_set(err, "signature_invalid", "%s signature is %zu "
                "bytes, not %zu", alg, sig_len, 2 * a->ec_size);
            return -1;
        }
        derlen = badge_key_ecdsa_raw_to_der(sig, a->ec_size, &der);
        if (derlen == 0) {
            ERR_clear_error();
            badge_err_set(err, "out_of_memory", "out of memory");
            return -1;
        }
        sig = der;
        sig_len = (size_t) derlen;
    } else if (k->type == BADGE_KEY_RSA
               && sig_len != (size_t) EVP_PKEY_get_size(k->pkey))
    {
        badge_err_set(err, "signature_invalid", "%s signature is %zu bytes, "
            "not the key's %d", alg, sig_len, EVP_PKEY_get_size(k->pkey));
        return -1;
    }
    mctx = EVP_MD_CTX_new();
    if (mctx == NULL
        || EVP_DigestVerifyInit_ex(mctx, &pctx, a->md, NULL, NULL, k->pkey,
                                   NULL) != 1
        || (a->pss
            && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
                || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                       RSA_PSS_SALTLEN_DIGEST) != 1)))
    {
        badge_err_set(err, "signature_error", "cannot set up %s "
            "verification", alg);
    } else if (EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1) {
        rc = 0;
    } else {
        badge_err_set(err, "signature_invalid", "the %s signature does not "
            "match", alg);
    }
    EVP_MD_CTX_free(mctx);
    OPENSSL_free(der);
    ERR_clear_error();
    return rc;
}

const char *
badge_key_default_alg(const badge_key_t *k)
{
    if (k == NULL) {
        return NULL;
    }
    switch (k->type) {
    case BADGE_KEY_ED25519:
        return "EdDSA";
    case BADGE_KEY_P256:
        return "ES256";
    case BADGE_KEY_P384:
        return "ES384";
    case BADGE_KEY_RSA:
        return "RS256";
    }
    return NULL;
}
