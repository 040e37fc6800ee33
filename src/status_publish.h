/*
 * status_publish.h: the issuer's status lists, built from the registry
 * (status_registry.h):
 *
 *   bitstring  a BitstringStatusListCredential (W3C Bitstring Status List
 *              v1.0, VC 2.0): encodedList = "u" + base64url(GZIP(bits)),
 *              bit 0 the most significant bit of byte 0; one list per
 *              purpose (revocation, suspension); validFrom/validUntil
 *              short so that caches refresh; signed with a Data Integrity
 *              proof (eddsa-rdfc-2022 for Ed25519, ecdsa-rdfc-2019 for
 *              P-256/P-384) by sign_di.h, or unsigned when no key is given;
 *   1edtech    a 1EdTech Revocation List (OB 3.0 "1EdTechRevocationList"
 *              status): {"id", "issuer", "revokedCredentials":
 *              [{"id", "revoked": true, "revocationReason"}]};
 *   ob2        an Open Badges 2.0 RevocationList: {"@context", "id",
 *              "type": "RevocationList", "issuer", "revokedAssertions":
 *              [{"id", "revocationReason"}]}.
 *
 * status.c and ob2.c (the verifiers) read back exactly these shapes; the
 * unit tests check the round trip.
 *
 * Layer: issuer side (top): includes issuer.h, the registry, sign_di.h.
 */
#ifndef BADGE_STATUS_PUBLISH_H
#define BADGE_STATUS_PUBLISH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "issuer.h"
#include "keys.h"
#include "status_registry.h"

/* Default validity of a published bitstring list: a day. */
#define BADGE_PUBLISH_DEFAULT_VALIDITY  86400

typedef enum {
    BADGE_PUBLISH_BITSTRING = 1,
    BADGE_PUBLISH_1EDTECH,
    BADGE_PUBLISH_OB2
} badge_publish_format_t;

typedef enum {
    BADGE_PURPOSE_REVOCATION = 1,
    BADGE_PURPOSE_SUSPENSION
} badge_status_purpose_t;

typedef struct {
    badge_publish_format_t   format;      /* 0 = bitstring */
    badge_status_purpose_t   purpose;     /* 0 = revocation; suspension is
                                             bitstring only */
    const char              *list_url;    /* where it is served: its id */
    const char              *issuer;      /* DID or issuer URL */
    /* the private signing key; NULL = an unsigned list (bitstring) */
    const badge_key_t       *key;
    /* NULL: badge_issuer_vm_id(key, issuer, NULL) (did:key, did:jwk,
     * did:web#key-1) */
    const char              *verification_method;
    time_t                   now;         /* 0 = time(NULL) */
    long                     validity;    /* seconds; 0 = a day; -1 = no
                                             validUntil */
} badge_publish_opts_t;

/* "bitstring", "1edtech", "ob2" / "revocation", "suspension": 0 or -1. */
int badge_publish_format_parse(const char *s, badge_publish_format_t *f);
int badge_status_purpose_parse(const char *s, badge_status_purpose_t *p);
const char *badge_status_purpose_name(badge_status_purpose_t p);

/*
 * "u" + base64url (no padding) of the GZIP (deflate, window bits 31) of
 * nbytes of bitstring, in a.  NULL with err ("out_of_memory",
 * "gzip_failed").
 */
char *badge_status_encode_list(badge_arena_t *a, const unsigned char *bits,
    size_t nbytes, badge_err_t *err);

/*
 * The list of reg for o, as pretty JSON text in a (*len its length).
 * NULL with err: "publish_invalid" (missing list_url/issuer, suspension
 * for a format without it), "key_type_mismatch" (an RSA key cannot make a
 * Data Integrity proof), the signer's codes, "out_of_memory".
 */
char *badge_status_publish(badge_arena_t *a, const badge_registry_t *reg,
    const badge_publish_opts_t *o, size_t *len, badge_err_t *err);

/* The Content-Type of a format (BADGE_ISSUER_CT_*). */
const char *badge_publish_content_type(badge_publish_format_t f);

/*
 * A ready credentialStatus entry for a credential at index in the list at
 * list_url (BitstringStatusListEntry with statusPurpose, or a
 * 1EdTechRevocationList entry): a new jansson reference, NULL when out of
 * memory.
 */
json_t *badge_status_entry_json(badge_publish_format_t f,
    badge_status_purpose_t purpose, const char *list_url, uint64_t index);

/* ------------------------------------------------------------------ */
/* The status list endpoint, for the nginx and Apache glue               */

typedef struct badge_status_endpoint_s badge_status_endpoint_t;

typedef struct {
    const char            *registry;   /* the registry file */
    long                   recheck;    /* badge_registry_watch_new() */
    badge_publish_opts_t   publish;    /* copied (strings and key); now
                                          is ignored */
} badge_status_endpoint_conf_t;

/*
 * Configuration time: load the registry, copy the settings (the key is
 * referenced, so the caller may free its own), and publish once so that
 * every error shows at startup.  NULL with err.
 */
badge_status_endpoint_t *badge_status_endpoint_new(
    const badge_status_endpoint_conf_t *conf, badge_err_t *err);
void badge_status_endpoint_free(badge_status_endpoint_t *ep);

/*
 * Request time: the current list as a 200 response (content type of the
 * format, BADGE_ISSUER_CACHE_STATUS, Last-Modified = when it was built),
 * body from alloc(pool).  The list is rebuilt (and re-signed) when the
 * registry file changed or half of its validity has passed, so a
 * revocation shows within the registry's recheck interval plus the
 * cache's max-age.  Thread-safe.
 * Returns 0; 1 when it serves the last good list because rebuilding
 * failed (err says why: log it); -1 when there is nothing to serve (out
 * is a 500 response, err says why).
 */
int badge_status_endpoint_respond(badge_status_endpoint_t *ep, time_t now,
    badge_alloc_fn alloc, void *pool, badge_issuer_response_t *out,
    badge_err_t *err);

#endif
