/*
 * issuer.h: the issuer's side of a site (not verification): its DID
 * document, the did:web names and paths, and the responses the nginx and
 * Apache glue serve as static endpoints (DID document, hosted OB 2.0
 * assertions with 410 Gone for revoked ones).
 *
 * Everything here is a pure function of its arguments except
 * badge_issuer_key_load(), which reads a key file (configuration time).
 * Status lists are in status_publish.h, the registry in status_registry.h.
 *
 * Layer: top (next to report/page); may include keys, did, jws, the
 * registry; nothing below includes it.
 */
#ifndef BADGE_ISSUER_H
#define BADGE_ISSUER_H

#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "error.h"
#include "keys.h"
#include "status_registry.h"

/* Media types and caching of the issuer endpoints (for the glue). */
#define BADGE_ISSUER_CT_DID        "application/did+ld+json"
#define BADGE_ISSUER_CT_LD         "application/ld+json"
#define BADGE_ISSUER_CT_JSON       "application/json"
/* DID documents change when keys rotate: an hour lets a rotation spread. */
#define BADGE_ISSUER_CACHE_DID     "public, max-age=3600"
/* Status, revocation lists and hosted assertions: a revocation should be
 * visible within minutes. */
#define BADGE_ISSUER_CACHE_STATUS  "public, max-age=300"
/* Every issuer endpoint is public data read by other sites' verifiers in
 * browsers: the glue sends "Access-Control-Allow-Origin: *". */
#define BADGE_ISSUER_CORS          "*"

/* The fragment of the key's verification method in a did:web document. */
#define BADGE_ISSUER_KEY_ID        "key-1"

/*
 * What to answer.  The glue copies it into its response: status line,
 * Content-Type, Cache-Control, Last-Modified (when last_modified != 0),
 * Access-Control-Allow-Origin: BADGE_ISSUER_CORS, and the body.
 */
typedef struct {
    int          status;          /* 200, 410, 404, 500 */
    const char  *content_type;    /* static string */
    const char  *cache_control;   /* static string */
    char        *body;            /* from alloc(pool, len + 1), NUL-ended */
    size_t       len;
    time_t       last_modified;   /* 0: none */
} badge_issuer_response_t;

/* Where response bodies go: ngx_pnalloc(r->pool, n), apr_palloc(r->pool,
 * n)...  NULL alloc means malloc (the caller free()s body). */
typedef void *(*badge_alloc_fn)(void *pool, size_t n);

/* ------------------------------------------------------------------ */
/* Keys and DID documents                                               */

/*
 * Read a key file (PEM private or public key, JWK, multibase public key),
 * keeping the private half when there is one (signing).  Configuration
 * time I/O.  A malloc'ed key (badge_key_free) or NULL with err
 * ("file_unreadable", "key_invalid", ...).
 */
badge_key_t *badge_issuer_key_load(const char *path, badge_err_t *err);

/* Flags of badge_issuer_did_document() */
#define BADGE_ISSUER_DID_NO_JWK       0x01   /* Multikey entry only */
#define BADGE_ISSUER_DID_NO_MULTIKEY  0x02   /* JsonWebKey entry only */

/*
 * The DID document of key (its public half) for did, as pretty JSON text
 * in a:
 *
 *   did:web:...  @context DID v1 + Multikey v1 (bundled; the two JWK
 *                terms are defined inline), a Multikey "#key-1" (Ed25519,
 *                P-256, P-384) and a JsonWebKey "#key-1-jwk" (for RSA, the
 *                JsonWebKey alone is "#key-1"), both under assertionMethod
 *                and authentication;
 *   did:key      (or NULL) the did:key document of the key (Ed25519,
 *                P-256, P-384);
 *   did:jwk      the did:jwk document ("#0", JsonWebKey).
 *
 * key_id is the fragment for did:web (NULL: BADGE_ISSUER_KEY_ID).
 * NULL with err: "did_invalid", "key_unsupported", "out_of_memory".
 */
char *badge_issuer_did_document(badge_arena_t *a, const badge_key_t *key,
    const char *did, const char *key_id, unsigned flags, badge_err_t *err);

/* The DID a key stands for when did is "did:key" / "did:jwk" (or NULL:
 * did:key), or did itself, checked, for a did:web. */
char *badge_issuer_did_of(badge_arena_t *a, const badge_key_t *key,
    const char *did, badge_err_t *err);

/*
 * The verification method id a signer names for key under issuer: the
 * did:key / did:jwk method, or issuer#key_id for did:web (key_id NULL:
 * BADGE_ISSUER_KEY_ID; for an RSA key, the JsonWebKey entry is that id
 * too).  NULL with err for an https issuer (say which method explicitly).
 */
char *badge_issuer_vm_id(badge_arena_t *a, const badge_key_t *key,
    const char *issuer, const char *key_id, badge_err_t *err);

/* did:web:HOST[%3APORT][:PATH...] for a server name, a port (0, 443: no
 * port) and an optional URL path ("/issuers/x" -> ":issuers:x").  NULL
 * with err ("did_invalid") for a host did:web cannot name. */
char *badge_issuer_did_from_server_name(badge_arena_t *a, const char *host,
    int port, const char *path, badge_err_t *err);

/* The URL path where did's document must be served ("/.well-known/
 * did.json", "/issuers/x/did.json"); uses did.h's did:web mapping. */
char *badge_issuer_did_path(badge_arena_t *a, const char *did,
    badge_err_t *err);

/*
 * The DID document endpoint: badge_issuer_did_document() as a 200
 * response (BADGE_ISSUER_CT_DID, BADGE_ISSUER_CACHE_DID).  Build it once
 * at configuration time; it never changes until the next reload.
 * 0, or -1 with err.
 */
int badge_issuer_did_response(const badge_key_t *key, const char *did,
    const char *key_id, unsigned flags, badge_alloc_fn alloc, void *pool,
    badge_issuer_response_t *out, badge_err_t *err);

/* ------------------------------------------------------------------ */
/* Hosted Open Badges 2.0                                               */

/*
 * Answer a request for a hosted OB 2.0 document (an Assertion, BadgeClass,
 * Issuer...) whose file the glue has read: 200 with the bytes as they are
 * (BADGE_ISSUER_CT_LD), or, for an Assertion the registry marks revoked
 * (or that says "revoked": true itself), 410 Gone with
 * {"id": ..., "revoked": true, "revocationReason": ...}, which is what
 * OB 2.0 verifiers expect.  reg may be NULL (no registry).  Suspension
 * has no OB 2.0 meaning: a suspended assertion is served.  A file that is
 * not a JSON object is a 500 (the site's mistake, with err).
 * 0, or -1 with err (out still set: a 500 JSON body).
 */
int badge_issuer_ob2_response(const void *doc, size_t len,
    const badge_registry_t *reg, badge_alloc_fn alloc, void *pool,
    badge_issuer_response_t *out, badge_err_t *err);

/* ------------------------------------------------------------------ */
/* Small shared helpers                                                 */

/* t as "YYYY-MM-DDThh:mm:ssZ" into buf (at least 21 bytes); 0 or -1. */
int badge_issuer_format_time(time_t t, char *buf, size_t cap);

/* Copy n bytes (and a NUL) with alloc (NULL: malloc).  NULL when out of
 * memory. */
char *badge_issuer_copy(badge_alloc_fn alloc, void *pool, const char *p,
    size_t n);

/* A 500 response with a JSON error body {"error": code, "message": ...}. */
int badge_issuer_error_response(badge_alloc_fn alloc, void *pool,
    const badge_err_t *err, badge_issuer_response_t *out);

#endif
