/*
 * keys.h: public keys as the verifier sees them (OpenSSL 3 EVP_PKEY), read
 * from PEM, JWK or multibase (Multikey), and signature verification with an
 * algorithm that must match the key type (the token never chooses).
 * Layer: above encodings and JSON helpers; below DIDs and proof suites.
 */
#ifndef BADGE_KEYS_H
#define BADGE_KEYS_H

#include <stddef.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "error.h"

typedef enum {
    BADGE_KEY_ED25519 = 1,
    BADGE_KEY_P256,
    BADGE_KEY_P384,
    BADGE_KEY_RSA
} badge_key_type_t;

typedef struct badge_key_s {
    badge_key_type_t  type;
    EVP_PKEY         *pkey;     /* public key (a private one may be there
                                   for signing in badgectl) */
} badge_key_t;

/* All return a malloc'ed key to release with badge_key_free(), or NULL
 * with err set (codes: "key_invalid", "key_unsupported"). */
badge_key_t *badge_key_from_jwk(const json_t *jwk, badge_err_t *err);
badge_key_t *badge_key_from_pem(const void *pem, size_t len,
    badge_err_t *err);
/* The same, remembering public keys by their PEM text in memo (NULL: no
 * memo).  A memo is thread-safe; badge_ctx_t owns one. */
typedef struct badge_key_memo_s badge_key_memo_t;
badge_key_memo_t *badge_key_memo_new(void);
void badge_key_memo_free(badge_key_memo_t *m);
badge_key_t *badge_key_from_pem_memo(badge_key_memo_t *memo, const void *pem,
    size_t len, badge_err_t *err);
/* "z..." base58btc multicodec: 0xed01 Ed25519, 0x1200 P-256 compressed,
 * 0x1201 P-384 compressed. */
badge_key_t *badge_key_from_multibase(const char *mb, badge_err_t *err);
/* PEM, JWK JSON text or multibase, whichever it is. */
badge_key_t *badge_key_parse(const void *data, size_t len, badge_err_t *err);
badge_key_t *badge_key_dup(const badge_key_t *k);
void badge_key_free(badge_key_t *k);
int badge_key_equal(const badge_key_t *a, const badge_key_t *b);

/*
 * Verify sig over msg.  alg is a JOSE name ("EdDSA", "ES256", "ES384",
 * "RS256", "PS256"...); it must agree with the key type or the call fails
 * with "alg_key_mismatch".  "none" and HMAC ("HS*") always fail with
 * "alg_forbidden".  ECDSA signatures are JOSE raw r||s.
 * Returns 0 if valid, -1 otherwise (err says why).
 */
int badge_key_verify(const badge_key_t *k, const char *alg,
    const unsigned char *msg, size_t msg_len,
    const unsigned char *sig, size_t sig_len, badge_err_t *err);

/* The algorithm a key of this type signs JWTs with by default. */
const char *badge_key_default_alg(const badge_key_t *k);

#endif
