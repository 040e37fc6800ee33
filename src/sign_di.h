/*
 * sign_di.h: creating Data Integrity proofs (the issuer side), so that
 * badgectl, and later the nginx/Apache modules, can sign credentials and
 * status lists: eddsa-rdfc-2022 (the default), eddsa-jcs-2022 with an
 * Ed25519 key; ecdsa-rdfc-2019 and ecdsa-jcs-2019 with a P-256 or P-384
 * key.  The algorithms are proof_di.h's, run the other way.
 * Layer: proof suites (next to proof_di.h; below the formats).
 */
#ifndef BADGE_SIGN_DI_H
#define BADGE_SIGN_DI_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "keys.h"
#include "proof_di.h"

typedef struct {
    badge_di_suite_t       suite;      /* UNKNOWN = eddsa-rdfc-2022 (or
                                          ecdsa-rdfc-2019 for an EC key) */
    const char            *verification_method;   /* required */
    const char            *purpose;    /* NULL = "assertionMethod" */
    time_t                 created;    /* 0 = now; -1 = no created */
    const char            *expires;    /* optional date-time */
    const char            *id;         /* optional proof id (a URL) */
    const char            *challenge;  /* presentations */
    const char            *domain;
    const json_t          *previous_proof;   /* chain: string or array */
    badge_di_canon_opts_t  canon;      /* contexts, cache */
} badge_di_sign_opts_t;

/*
 * Sign hashData (badge_di_hash_t.hash) with a private key: Ed25519 for
 * the eddsa suites, ECDSA with SHA-256 (P-256) or SHA-384 (P-384) as raw
 * r||s for the ecdsa suites.  sig needs 96 bytes.  0, or -1 with err
 * ("key_not_private", "key_type_mismatch", "sign_failed").
 */
int badge_di_sign_hash(const badge_key_t *k, badge_di_suite_t suite,
    const unsigned char *hash, size_t hash_len, unsigned char *sig,
    size_t *sig_len, badge_err_t *err);

/*
 * The proof for doc (the document as it is: an existing proof stays, and
 * the new one joins it as a proof set, or a chain with previous_proof).
 * Returns a new reference to the proof object (proofValue set), or NULL
 * with err.  Intermediate values go to a.
 */
json_t *badge_di_create_proof(badge_arena_t *a, const json_t *doc,
    const badge_key_t *k, const badge_di_sign_opts_t *o, badge_err_t *err);

/* A copy of doc with the proof added ("proof" becomes a list if doc
 * already had one).  A new reference, or NULL with err. */
json_t *badge_di_sign(badge_arena_t *a, const json_t *doc,
    const badge_key_t *k, const badge_di_sign_opts_t *o, badge_err_t *err);

#endif
