/*
 * jws.h: JSON Web Signatures in compact serialization (RFC 7515), strict:
 * exactly three parts, canonical base64url, a JSON object header without
 * duplicate members, bounded sizes.  Also JWK export of a key, and signing
 * (for badgectl and tests).
 * Layer: above keys; below DIDs and formats.
 */
#ifndef BADGE_JWS_H
#define BADGE_JWS_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "keys.h"

/* Decoded header bytes accepted (a JWK of an RSA-8192 key fits). */
#define BADGE_JWS_MAX_HEADER  (16 * 1024)

typedef struct {
    /* "<header>.<payload>" as received: what the signature covers */
    const char           *signing_input;
    size_t                signing_input_len;
    /* the header, a new reference the caller releases (json_decref or
     * badge_session_keep_json) */
    json_t               *header;
    const char           *alg;        /* never NULL after a parse */
    const char           *kid;        /* NULL when absent */
    const char           *typ;
    const json_t         *jwk;        /* object or NULL */
    const json_t         *crit;       /* array or NULL */
    /* decoded, in the arena, NUL-terminated */
    const unsigned char  *payload;
    size_t                payload_len;
    const unsigned char  *sig;
    size_t                sig_len;
} badge_jws_t;

/*
 * Split and decode a compact JWS.  Codes: "jws_malformed" (not three
 * parts), "jws_base64" (a part is not canonical base64url),
 * "jws_header_invalid" (not a JSON object, or member of the wrong type),
 * "jws_header_too_large", "jws_alg_missing", "out_of_memory".
 * The header's members are type-checked; their values are not judged
 * here (alg policy is badge_key_verify's, crit is the caller's).
 */
int badge_jws_parse(badge_arena_t *a, const char *compact, size_t len,
    badge_jws_t *jws, badge_err_t *err);

/* Verify jws's signature with k under jws->alg (badge_key_verify). */
int badge_jws_verify(const badge_jws_t *jws, const badge_key_t *k,
    badge_err_t *err);

/*
 * Sign payload with a private key: header is a JSON object (its "alg" is
 * set to alg, which must fit the key: badge_key_default_alg() if NULL).
 * Returns the compact JWS in the arena, or NULL with err.
 */
char *badge_jws_sign(badge_arena_t *a, const badge_key_t *k,
    const char *alg, json_t *header, const void *payload, size_t len,
    badge_err_t *err);

/* The public JWK of k with members in RFC 7638 order (so that its compact
 * serialization is also the thumbprint input); a new reference. */
json_t *badge_jwk_from_key(const badge_key_t *k, badge_err_t *err);

#endif
