/*
 * badge.h: the one public header of libbadge, the credential-verification
 * core shared by badgectl, the nginx module and the Apache module.
 *
 * The pipeline a newcomer should see in src/:
 *
 *   input -> detect format -> parse -> proof -> issuer/keys -> status
 *         -> report -> (page)
 *
 * The core does no I/O.  Verification is a pure function of the input
 * bytes, the documents supplied so far, the trust configuration and the
 * clock.  When it needs a document it does not have (a DID document, a
 * status list, a hosted assertion...), badge_session_run() answers
 * BADGE_NEED_DOCUMENTS; the host fetches the URLs its own way (nginx:
 * subrequests, Apache: blocking client, CLI: libcurl or a file map), hands
 * them over with badge_session_supply() and runs again.
 *
 * A badge_ctx_t is built once at configuration time and is immutable and
 * thread-safe afterwards.  A badge_session_t is one verification; all its
 * memory is in one arena released by badge_session_free().
 */
#ifndef BADGE_H
#define BADGE_H

#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BADGE_VERSION  "0.1.0"

typedef struct badge_ctx_s      badge_ctx_t;
typedef struct badge_session_s  badge_session_t;

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

typedef enum {
    BADGE_OPT_CLOCK_SKEW = 1,       /* seconds tolerated on dates; 300 */
    BADGE_OPT_MAX_INPUT,            /* bytes of input accepted; 1 MiB */
    BADGE_OPT_MAX_DOCUMENT,         /* bytes of one fetched doc; 2 MiB */
    BADGE_OPT_MAX_FETCHES,          /* documents per verification; 16 */
    BADGE_OPT_REQUIRE_TRUSTED,      /* 1: an unknown issuer fails */
    BADGE_OPT_ALLOW_PRIVATE_URLS,   /* 1: fetch loopback/private hosts */
    BADGE_OPT_ALLOW_HTTP,           /* 1: fetch http:// as well */
    BADGE_OPT_KEY_FROM_FRAGMENT,    /* TEST ONLY: trust <url>#<multibase> */
    BADGE_OPT_RDFC_MAX_WORK,        /* bound on RDFC-1.0 hash-n-degree */
    BADGE_OPT_STATUS_MIN_BITS_FAIL  /* 1: lists under 131072 bits fail */
} badge_option_t;

badge_ctx_t *badge_ctx_new(void);
void badge_ctx_free(badge_ctx_t *ctx);

int badge_ctx_set_option(badge_ctx_t *ctx, badge_option_t opt, long value);
long badge_ctx_get_option(const badge_ctx_t *ctx, badge_option_t opt);

/* Trust an issuer: a DID ("did:web:example.ac.jp") or an issuer URL. */
int badge_ctx_trust_issuer(badge_ctx_t *ctx, const char *issuer,
    char *err, size_t errlen);

/*
 * Add a trusted key.  key is PEM (public or private; only the public half
 * is kept), a JWK (JSON) or a multibase public key ("z6Mk...").  kid is the
 * verification method id it stands for (e.g. "did:web:x#key-1" or
 * "https://example.edu/issuers/565049#key-1"), or NULL for a key that may
 * verify any credential of `issuer`.  issuer may be NULL when kid is set.
 * A key added this way also makes its issuer trusted.
 */
int badge_ctx_add_key(badge_ctx_t *ctx, const char *issuer, const char *kid,
    const void *key, size_t len, char *err, size_t errlen);

/* Pin a document: answered for url without asking the host to fetch it
 * (offline verification of DID documents, status lists, issuer profiles). */
int badge_ctx_add_document(badge_ctx_t *ctx, const char *url,
    const void *body, size_t len, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Verification                                                         */

typedef struct {
    time_t       now;          /* 0: time(NULL) at session creation */
    const char  *recipient;    /* identity to check the recipient against:
                                  an email, URL or DID; NULL: not checked */
    const char  *challenge;    /* presentations: expected challenge */
    const char  *domain;       /* presentations: expected domain */
    const char  *lang;         /* "en" (default) or "ja": report messages */
} badge_verify_opts_t;

typedef enum {
    BADGE_DONE = 0,            /* the report is ready */
    BADGE_NEED_DOCUMENTS = 1,  /* fetch badge_session_needed() and rerun */
    BADGE_FAILED = -1          /* out of memory; no report */
} badge_step_t;

badge_session_t *badge_session_new(const badge_ctx_t *ctx,
    const badge_verify_opts_t *opts);
void badge_session_free(badge_session_t *s);

/* The input: the bytes received (JSON, JWT, PNG, SVG), copied. */
int badge_session_set_input(badge_session_t *s, const void *data,
    size_t len);
/* Or a URL to start from (the host is asked to fetch it). */
int badge_session_set_input_url(badge_session_t *s, const char *url);

badge_step_t badge_session_run(badge_session_t *s);

/* After BADGE_NEED_DOCUMENTS: the absolute URLs still needed.  They have
 * passed the URL policy (scheme, literal private addresses); the host must
 * still refuse to connect to private addresses after DNS resolution
 * (badge_addr_is_private) and must not follow redirects to them. */
size_t badge_session_needed(const badge_session_t *s,
    const char *const **urls);

/*
 * Hand over a fetched document.  http_status 0 means it could not be
 * fetched (network error, timeout, refused by policy): the checks that
 * needed it become "unchecked", not "fail".  content_type may be NULL.
 */
int badge_session_supply(badge_session_t *s, const char *url,
    int http_status, const char *content_type, const void *body,
    size_t len);

/* Results, valid until badge_session_free(). */
int badge_session_verified(const badge_session_t *s);
const char *badge_session_report_json(badge_session_t *s, size_t *len);
/* A human summary, one line per check, in the session's language. */
const char *badge_session_report_text(badge_session_t *s, size_t *len);

typedef enum {
    BADGE_FIELD_FORMAT = 0,        /* e.g. "vc-jwt", "ob2-hosted" */
    BADGE_FIELD_ISSUER,            /* issuer id (DID or URL) */
    BADGE_FIELD_ISSUER_NAME,
    BADGE_FIELD_SUBJECT,           /* credentialSubject id, if any */
    BADGE_FIELD_ACHIEVEMENT,       /* achievement / BadgeClass id */
    BADGE_FIELD_ACHIEVEMENT_NAME,
    BADGE_FIELD_ACHIEVEMENT_TYPE,
    BADGE_FIELD_CREDENTIAL_ID,
    BADGE_FIELD_VALID_FROM,        /* ISO 8601 */
    BADGE_FIELD_VALID_UNTIL,
    BADGE_FIELD_STATUS,            /* "verified", "expired", "revoked",
                                      "suspended", "not_verified" */
    BADGE_FIELD_ERROR,             /* code of the first failing check */
    BADGE_FIELD__COUNT
} badge_field_t;

/* NULL when absent.  Never any control character (CR, LF...: a field
 * may go into an HTTP header): each is replaced by a space. */
const char *badge_session_field(const badge_session_t *s, badge_field_t f);

/*
 * Why a finished session is (not) verified, for hosts that answer
 * differently by cause (a gate: 401 for a credential that does not
 * verify, 403 for a genuine one the policy does not admit):
 *
 *   BADGE_OUTCOME_VERIFIED   verified; *check and *code are NULL.
 *   BADGE_OUTCOME_FAILED     the first failing check: *check is its name
 *                            ("signature", "status", "issuer", ...) and
 *                            *code its code (= BADGE_FIELD_ERROR); or, when
 *                            the input could not be read at all, *check is
 *                            "input" and *code the first error's code.
 *   BADGE_OUTCOME_UNCHECKED  nothing failed, but the verdict is false only
 *                            because something could not be checked (a DID
 *                            document could not be fetched...): *check and
 *                            *code name the first unchecked check, e.g.
 *                            "key" / "key_unavailable".
 *   BADGE_OUTCOME_NO_REPORT  no report (the run is not over, or failed).
 *
 * Either pointer may be NULL.  A status check that is only unchecked does
 * not make a credential unverified (the report then says "unchecked" for
 * it), so BADGE_OUTCOME_VERIFIED does not mean every check passed.
 */
typedef enum {
    BADGE_OUTCOME_NO_REPORT = -1,
    BADGE_OUTCOME_VERIFIED = 0,
    BADGE_OUTCOME_FAILED = 1,
    BADGE_OUTCOME_UNCHECKED = 2
} badge_outcome_t;

badge_outcome_t badge_session_first_failure(const badge_session_t *s,
    const char **check, const char **code);

/* ------------------------------------------------------------------ */
/* URL policy (the SSRF guard), for hosts                               */

/* 0 if url may be fetched under ctx's policy, -1 with a reason if not. */
int badge_url_check(const badge_ctx_t *ctx, const char *url, char *err,
    size_t errlen);
/* 1 if the address (struct sockaddr *) is loopback, private, link-local,
 * unspecified, multicast or otherwise not a public unicast address. */
int badge_addr_is_private(const void *sockaddr);

#ifdef __cplusplus
}
#endif

#endif /* BADGE_H */
