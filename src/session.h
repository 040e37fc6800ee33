/*
 * session.h: one verification.  Its arena holds the input, the documents
 * the host supplied, and every run's parse trees and report.  A run is
 * repeatable: badge_session_run() starts the pipeline afresh each time with
 * the documents supplied so far, so the formats need no resumable state.
 */
#ifndef BADGE_SESSION_H
#define BADGE_SESSION_H

#include <jansson.h>

#include "arena.h"
#include "badge.h"
#include "ctx.h"
#include "error.h"
#include "report.h"

/* How many fetch rounds one verification may take (a status list's own
 * issuer DID, its key, ...).  Past it, missing documents are unchecked. */
#define BADGE_MAX_ROUNDS  6

typedef struct badge_doc_s {
    const char           *url;
    int                   http_status;   /* 0: could not be fetched */
    const char           *content_type;
    const unsigned char  *body;
    size_t                len;
    struct badge_doc_s   *next;
} badge_doc_t;

typedef enum {
    BADGE_DOC_OK = 0,          /* *doc is set, http_status 2xx */
    BADGE_DOC_PENDING,         /* asked the host for it: go on, rerun */
    BADGE_DOC_UNAVAILABLE      /* cannot have it: why says so */
} badge_doc_result_t;

typedef struct badge_cleanup_s {
    void                   (*fn)(void *);
    void                    *data;
    struct badge_cleanup_s  *next;
} badge_cleanup_t;

struct badge_session_s {
    const badge_ctx_t     *ctx;
    badge_arena_t         *arena;
    badge_verify_opts_t    opts;
    time_t                 now;
    unsigned char         *input;
    size_t                 input_len;
    const char            *input_url;
    badge_doc_t           *docs;        /* supplied by the host */
    unsigned               n_docs;
    const char           **needed;      /* this run's requests */
    size_t                 n_needed;
    size_t                 cap_needed;
    int                    rounds;
    int                    final_round; /* no more fetching: pending docs
                                           become unavailable */
    badge_report_t        *report;      /* this run's report */
    char                  *report_json;
    size_t                 report_json_len;
    char                  *report_text;
    size_t                 report_text_len;
    badge_cleanup_t       *cleanups;
    unsigned               endorsements; /* verified in this run, across
                                            a presentation's credentials */
    int                    oom;
};

/*
 * Ask for the document at url.  Pinned documents (badge_ctx_add_document)
 * and documents already supplied are answered at once; otherwise the URL
 * is checked against the URL policy and queued for the host.
 */
badge_doc_result_t badge_session_document(badge_session_t *s,
    const char *url, const badge_doc_t **doc, badge_err_t *why);

/* Run fn(data) when the session is freed (EVP keys, jansson trees). */
int badge_session_cleanup(badge_session_t *s, void (*fn)(void *),
    void *data);
/* Parse JSON with the core's limits (no duplicate keys, depth bound);
 * the tree is released with the session.  NULL with err on failure. */
json_t *badge_session_parse_json(badge_session_t *s, const char *text,
    size_t len, badge_err_t *err);
/* Keep a jansson value alive until the session ends (takes the ref). */
json_t *badge_session_keep_json(badge_session_t *s, json_t *v);

#endif
