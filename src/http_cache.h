/*
 * http_cache.h: caching finished verifications in a server's cache, for
 * the nginx and the Apache glue alike (nginx: a shared-memory zone;
 * Apache: an mod_socache provider).  What both do identically lives here:
 *
 *   - the cache key: SHA-256 over the configuration's identity (a digest
 *     of everything that shapes the badge_ctx_t and the fetching, chained
 *     with badge_cache_chain()), the report language, the kind of input
 *     ("data" or "url") and the input bytes;
 *   - the cached value: a badge_result_t (verified, the HTTP status, the
 *     report JSON and the fields the glue exports as variables) packed
 *     into one self-describing byte string, and read back with every
 *     length checked (a cache is shared memory, or memcached...: its
 *     bytes are not trusted to be what was stored);
 *   - which results may be cached at all (badge_result_cacheable()).
 *
 * No I/O, no server headers.  Layer: on top of the core, beside
 * http_glue.h (public API of badge.h only).
 */
#ifndef BADGE_HTTP_CACHE_H
#define BADGE_HTTP_CACHE_H

#include <stddef.h>

#include "badge.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BADGE_CACHE_KEY_LEN  32          /* SHA-256 */

/* The result of a verification, from a session or from the cache. */
typedef struct {
    int          verified;                   /* 1 or 0 */
    int          http_status;                /* badge_http_report_status() */
    const char  *report;                     /* the JSON report */
    size_t       report_len;
    const char  *fields[BADGE_FIELD__COUNT]; /* NULL: absent */
    /* badge_session_first_failure(): why it is (not) verified */
    int          outcome;                    /* badge_outcome_t */
    const char  *fail_check;                 /* "signature", "issuer",
                                                "input"...; NULL */
    const char  *fail_code;                  /* its code; NULL */
} badge_result_t;

/* Fill r from a finished session (pointers into the session, valid until
 * badge_session_free).  0, or -1 when there is no report. */
int badge_result_from_session(badge_session_t *s, badge_result_t *r);

/*
 * Pack r into buf (size bytes).  Returns the length of the whole record
 * like snprintf: if it is > size nothing useful was written.
 */
size_t badge_result_pack(const badge_result_t *r, unsigned char *buf,
    size_t size);

/*
 * Read a record made by badge_result_pack().  The strings of r point into
 * buf (which must outlive r); every one is NUL-terminated there.  0, or
 * -1 if buf is not a whole, well-formed record of this version.
 */
int badge_result_unpack(const unsigned char *buf, size_t len,
    badge_result_t *r);

/*
 * out = SHA-256("badge-cache-chain" || prev || len(data) || data); prev
 * may be NULL (the start of a chain).  The glue chains every directive
 * that shapes verification (trust, keys, pinned documents, limits, fetch
 * policy), so that two configurations that verify alike share entries
 * and two that differ never do, across reloads and servers.  out may be
 * prev.  0, or -1 (no SHA-256: out of memory).
 */
int badge_cache_chain(unsigned char out[BADGE_CACHE_KEY_LEN],
    const unsigned char *prev, const void *data, size_t len);

/*
 * The cache key of a verification: config is the configuration digest
 * (from badge_cache_chain), lang the report language ("en", "ja"), kind
 * "data" (input is the credential) or "url" (input is the URL it is
 * fetched from).  0 or -1.
 */
int badge_cache_key(unsigned char key[BADGE_CACHE_KEY_LEN],
    const unsigned char config[BADGE_CACHE_KEY_LEN], const char *lang,
    const char *kind, const void *input, size_t len);

/*
 * 1 if r may be cached.  transient is what the glue knows about the
 * run: 1 if a document could not be fetched (network error, timeout, a
 * 5xx answer): such a result says more about the moment than about the
 * credential and is not kept.  Results without a report, and answers
 * other than 200/400, are not kept either.
 */
int badge_result_cacheable(const badge_result_t *r, int transient);

#ifdef __cplusplus
}
#endif

#endif /* BADGE_HTTP_CACHE_H */
