/*
 * fetch.h: how badgectl gets what a verification needs.  The options that
 * verify and bench share (trust, keys, clock, language, document map,
 * network policy), the session loop (run, hand over the needed documents,
 * run again), and the libcurl fetcher with its SSRF guard.
 */
#ifndef BADGECTL_FETCH_H
#define BADGECTL_FETCH_H

#include <stddef.h>

#include "badge.h"
#include "cli.h"

#define BADGECTL_FETCH_TIMEOUT    10            /* seconds */
#define BADGECTL_FETCH_REDIRECTS  5
#define BADGECTL_INPUT_LIMIT      (16 * 1024 * 1024)

typedef struct badgectl_cached_s badgectl_cached_t;

typedef struct {
    badge_ctx_t         *ctx;
    badgectl_docmap_t   *docmap;
    badge_verify_opts_t  vopts;
    int                  allow_http;
    int                  allow_private;
    int                  no_network;     /* bench: docmap only */
    int                  cache;          /* bench: keep documents */
    int                  verbose;        /* say what is fetched */
    const char          *last_trust;     /* what "--key FILE" binds to */
    badgectl_cached_t   *cached;
} badgectl_vsetup_t;

/* 0, or -1 (message printed). */
int badgectl_vsetup_init(badgectl_vsetup_t *v);
void badgectl_vsetup_free(badgectl_vsetup_t *v);

/*
 * The shared options:
 *   --offline --doc URL=FILE --docs PREFIX=DIR   (the document map)
 *   --trust ISSUER        trust an issuer (DID or URL)
 *   --key [KID=]FILE      a trusted key (PEM, JWK or multibase); KID is a
 *                         verification method id ("...#key-1") or, without
 *                         '#', an issuer; with no KID= the key is the last
 *                         --trust issuer's
 *   --require-trusted     an untrusted issuer fails
 *   --now RFC3339         the verification time
 *   --lang ja|en  --recipient ID  --allow-http  --allow-private  --verbose
 * Returns 1 if argv[*i] was one (its argument consumed), 0 if not, -1 on a
 * usage error (message printed).
 */
int badgectl_vsetup_option(badgectl_vsetup_t *v, int argc, char **argv,
    int *i);

/* Run s to the end, supplying documents from the cache, the document
 * map, or the network.  BADGE_DONE or BADGE_FAILED. */
badge_step_t badgectl_vsetup_run(badgectl_vsetup_t *v, badge_session_t *s);

/* Exit code for a finished session: 0 verified, 1 not, 2 input error. */
int badgectl_session_exit_code(badge_session_t *s);

/*
 * GET url with libcurl: https only (http too with allow_http), 10 s
 * timeouts, at most limit bytes, no proxy, redirects followed by hand with
 * every hop checked by badge_url_check(), and connections to private
 * addresses refused after DNS resolution unless allow_private.
 * Returns 0 with *status (HTTP), a malloc'ed *body and *ctype (may be
 * NULL), or -1 with err.
 */
int badgectl_fetch(const badge_ctx_t *ctx, const char *url, size_t limit,
    int allow_private, int *status, char **ctype, unsigned char **body,
    size_t *len, char *err, size_t errlen);

#endif
