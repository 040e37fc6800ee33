/*
 * proof_di.h: Data Integrity proofs (W3C VC Data Integrity 1.0) with the
 * cryptosuites of vc-di-eddsa and vc-di-ecdsa:
 *
 *   DataIntegrityProof + eddsa-rdfc-2022  (also its old name eddsa-2022)
 *   DataIntegrityProof + eddsa-jcs-2022
 *   DataIntegrityProof + ecdsa-rdfc-2019  (P-256/SHA-256, P-384/SHA-384)
 *   DataIntegrityProof + ecdsa-jcs-2019   (the same over JCS)
 *   Ed25519Signature2020                  (the legacy RDF suite)
 *
 * Verifying a proof: unsecured document = the document without "proof"
 * (with the previous proofs of a chain); proof configuration = the proof
 * without proofValue, with the document's @context; both are canonicalized
 * (RDFC-1.0 of their JSON-LD toRdf, or JCS) and hashed;
 * hashData = H(canonical config) || H(canonical document) is what the
 * issuer signed (Ed25519 over hashData; ECDSA with SHA-256/384 over
 * hashData, raw r||s).  proofValue is multibase base58btc ("z").
 *
 * The verification method is resolved to a key that must belong to the
 * expected controller (the issuer, or a presentation's holder): a key
 * configured for that method id or that issuer first (no fetch), else
 * did:key, did:jwk, did:web or an https controller document / key
 * document through the session.
 *
 * This layer reports results, not report checks: the formats (ldp.c)
 * turn them into the report.  Layer: above keys, DIDs, JSON-LD, RDFC, JCS;
 * below the formats.
 */
#ifndef BADGE_PROOF_DI_H
#define BADGE_PROOF_DI_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "jsonld.h"
#include "keys.h"
#include "session.h"

/* Proofs per document accepted (a proof set or chain). */
#define BADGE_DI_MAX_PROOFS  8

typedef enum {
    BADGE_DI_SUITE_UNKNOWN = 0,
    BADGE_DI_EDDSA_RDFC_2022,
    BADGE_DI_EDDSA_JCS_2022,
    BADGE_DI_ECDSA_RDFC_2019,
    BADGE_DI_ECDSA_JCS_2019,
    BADGE_DI_ED25519_2020
} badge_di_suite_t;

/*
 * The suite a proof object names (type, and cryptosuite for a
 * DataIntegrityProof).  *name (may be NULL) gets the name as written.
 * UNKNOWN with err: "proof_invalid", "proof_type_unsupported",
 * "cryptosuite_unsupported".
 */
badge_di_suite_t badge_di_suite(const json_t *proof, const char **name,
    badge_err_t *err);
/* "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019",
 * "ecdsa-jcs-2019", "Ed25519Signature2020". */
const char *badge_di_suite_name(badge_di_suite_t suite);
/* 1 for the suites that canonicalize with RDFC-1.0. */
int badge_di_suite_is_rdfc(badge_di_suite_t suite);
/* 1 for the ECDSA suites (P-256 or P-384 keys), 0 for Ed25519. */
int badge_di_suite_is_ecdsa(badge_di_suite_t suite);

/* ------------------------------------------------------------------ */
/* Transformation and hashing (also what the signer uses)              */

typedef struct {
    /* contexts beyond the bundled ones (tests, badgectl --doc); NULL =
     * bundled only */
    badge_jsonld_load_fn   load;
    void                  *load_udata;
    badge_jsonld_cache_t  *cache;            /* processed contexts */
    size_t                 rdfc_max_work;    /* 0 = default */
} badge_di_canon_opts_t;

typedef struct {
    const char     *doc;            /* canonical unsecured document */
    size_t          doc_len;
    const char     *config;         /* canonical proof configuration */
    size_t          config_len;
    unsigned char   config_hash[48];
    unsigned char   doc_hash[48];
    unsigned char   hash[96];       /* config_hash || doc_hash */
    size_t          hash_len;       /* 64 (SHA-256) or 96 (SHA-384) */
    /* terms JSON-LD dropped (not in any context, so not signed), from
     * the document and the configuration; NULL for JCS */
    const char    **dropped;
    size_t          n_dropped;
} badge_di_hash_t;

/*
 * The unsecured document and the proof configuration for proof (one of
 * doc's proofs): new references the caller releases.  Applies the
 * suite's @context rules (a proof's own @context must be a prefix of the
 * document's and replaces it) and proof chains (previousProof: the
 * referenced proofs of doc stay in the unsecured document).
 * Errors: "proof_context_mismatch", "proof_chain_broken",
 * "out_of_memory".
 */
int badge_di_prepare(const json_t *doc, const json_t *proof,
    badge_di_suite_t suite, json_t **unsecured, json_t **config,
    badge_err_t *err);

/*
 * Canonicalize both and hash them (SHA-384 when sha384, for ECDSA P-384).
 * Everything lands in a.  Errors are those of toRdf
 * ("jsonld_context_not_bundled", ...), RDFC ("rdfc_too_complex") and
 * "jcs_invalid".
 */
int badge_di_hash_data(badge_arena_t *a, badge_di_suite_t suite,
    int sha384, json_t *unsecured, json_t *config,
    const badge_di_canon_opts_t *o, badge_di_hash_t *out, badge_err_t *err);

/* ------------------------------------------------------------------ */
/* Verification                                                         */

typedef enum {
    BADGE_DI_VALID = 0,
    BADGE_DI_INVALID,        /* fail */
    BADGE_DI_PENDING,        /* documents requested: rerun */
    BADGE_DI_UNCHECKED,      /* could not be checked (key unavailable) */
    BADGE_DI_SKIPPED         /* not reached: an earlier step failed */
} badge_di_state_t;

/* The outcome of one step of verifying a proof. */
typedef struct {
    badge_di_state_t  state;
    const char       *code;
    char              message[320];
} badge_di_step_t;

typedef struct {
    const char            *purpose;      /* required proofPurpose */
    /* the key must belong to it (issuer / holder id); NULL: anyone's key
     * (tests of the cryptography alone) */
    const char            *controller;
    const char            *challenge;    /* required values, or NULL */
    const char            *domain;
    /* contexts beyond the bundled ones: tests only */
    badge_jsonld_load_fn   load;
    void                  *load_udata;
} badge_di_verify_opts_t;

typedef struct {
    badge_di_state_t   state;        /* overall */
    badge_di_suite_t   suite;
    const char        *suite_name;   /* as written in the proof */
    const char        *vm;           /* verification method id */
    const char        *owner;        /* whom the key belongs to */
    int                key_trusted;  /* a configured key */
    const char        *key_source;   /* "configured key", "did:key"... */
    /* proof: type, purpose, dates, challenge/domain, chain;
     * context: toRdf (bundled contexts, dropped terms);
     * key: resolution and controller; signature: the cryptography */
    badge_di_step_t    proof;
    badge_di_step_t    context;
    badge_di_step_t    key;
    badge_di_step_t    signature;
    const char       **dropped;
    size_t             n_dropped;
} badge_di_result_t;

/*
 * Verify one proof of doc.  res->state is VALID only if every step is;
 * PENDING when a document was requested (nothing else is decided then).
 */
void badge_di_verify_proof(badge_session_t *s, const json_t *doc,
    const json_t *proof, const badge_di_verify_opts_t *o,
    badge_di_result_t *res);

/*
 * Every proof of doc ("proof": an object or an array, at most
 * BADGE_DI_MAX_PROOFS).  res holds cap results; returns how many proofs
 * there are (0: none), or -1 with err when "proof" is malformed or has
 * too many entries.
 */
int badge_di_verify_all(badge_session_t *s, const json_t *doc,
    const badge_di_verify_opts_t *o, badge_di_result_t *res, size_t cap,
    badge_err_t *err);

/*
 * One verdict for a document whose proofs are not reported check by check
 * (a status list credential, an issuer profile): every proof valid for
 * purpose with a key of controller.  VALID; INVALID or UNCHECKED with why
 * (code and message of the first failing step; also when there is no
 * proof: "proof_missing"); PENDING when a document was requested.
 */
badge_di_state_t badge_di_verify_document(badge_session_t *s,
    const json_t *doc, const char *purpose, const char *controller,
    badge_err_t *why);

#endif
