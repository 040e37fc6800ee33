/*
 * did.h: decentralized identifiers and verification methods.
 *
 *   did:key   the key is the identifier (Ed25519 0xed01, P-256 0x1200,
 *             P-384 0x1201)
 *   did:jwk   the identifier is a base64url JWK
 *   did:web   the DID document is fetched from https://host/.../did.json
 *   https:    a controller document (or a JWK / JWK Set) at the URL
 *
 * The pure helpers (mapping, decoding, document parsing) need no session;
 * badge_did_resolve_method() asks the session for documents and is what
 * proof checkers call.  Layer: above keys and jws; below the formats.
 */
#ifndef BADGE_DID_H
#define BADGE_DID_H

#include <jansson.h>

#include "arena.h"
#include "badge.h"
#include "error.h"
#include "keys.h"

typedef enum {
    BADGE_DID_OK = 0,
    BADGE_DID_PENDING,       /* a document was requested: rerun later */
    BADGE_DID_UNAVAILABLE,   /* could not be checked (fetch failed,
                                unsupported method): report "unchecked" */
    BADGE_DID_FAIL           /* invalid, or the key is not authorized for
                                the purpose: report "fail" */
} badge_did_result_t;

/* The DID (or URL) part of a DID URL / verification method id, without
 * the fragment, in the arena. */
char *badge_did_base(badge_arena_t *a, const char *vm_id);

/* did:web:host[%3Aport][:path...] -> https://host[:port]/path/did.json or
 * https://host[:port]/.well-known/did.json.  NULL with err
 * ("did_invalid") if it is not a well-formed did:web. */
char *badge_did_web_url(badge_arena_t *a, const char *did,
    badge_err_t *err);

/* The key a did:key or did:jwk stands for (with or without fragment); a
 * malloc'ed key (badge_key_free).  did:jwk refuses private keys and, when
 * purpose is set, keys marked "use": "enc". */
badge_key_t *badge_did_key_decode(const char *did, badge_err_t *err);
badge_key_t *badge_did_jwk_decode(const char *did, const char *purpose,
    badge_err_t *err);

/* did:key / did:jwk of a key (Ed25519, P-256, P-384 for did:key; any for
 * did:jwk), and the verification method id a signer puts in "kid". */
char *badge_did_key_encode(badge_arena_t *a, const badge_key_t *k);
char *badge_did_jwk_encode(badge_arena_t *a, const badge_key_t *k);
char *badge_did_key_vm_id(badge_arena_t *a, const char *did);

/*
 * In a DID document or controller document doc whose id is doc_id: find
 * the verification method vm_id (absolute; the document may use relative
 * "#frag" ids), check that its controller is doc_id, and, when purpose is
 * set ("assertionMethod", "authentication"), that the document lists it
 * under that relationship.  Returns the method object or NULL with err
 * ("did_document_invalid", "did_method_not_found",
 * "did_method_not_authorized", "did_controller_mismatch").
 */
const json_t *badge_did_doc_find_method(badge_arena_t *a, const json_t *doc,
    const char *doc_id, const char *vm_id, const char *purpose,
    badge_err_t *err);

/* The key of a verification method object: publicKeyMultibase (Multikey,
 * Ed25519VerificationKey2020), publicKeyJwk (JsonWebKey2020, JsonWebKey)
 * or publicKeyBase58 (Ed25519VerificationKey2018).  Malloc'ed. */
badge_key_t *badge_did_method_key(const json_t *vm, badge_err_t *err);

/*
 * Resolve a verification method id to its key: did:key and did:jwk
 * directly, did:web and https controller documents through
 * badge_session_document().  On BADGE_DID_OK, *key is owned by the session
 * (released with it) and *controller (may be NULL) is the DID or document
 * URL the key belongs to.  err says why otherwise.
 */
/* Ask the host for the JSON document at url and parse it (a DID document,
 * a key or controller document): OK, PENDING (rerun), UNAVAILABLE (could
 * not be had) or FAIL (not JSON), with err set. */
badge_did_result_t badge_did_fetch_json(badge_session_t *s, const char *url,
    json_t **out, badge_err_t *err);

badge_did_result_t badge_did_resolve_method(badge_session_t *s,
    const char *vm_id, const char *purpose, badge_key_t **key,
    const char **controller, badge_err_t *err);

#endif
