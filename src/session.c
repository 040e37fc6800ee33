/*
 * session.c: the per-verification object, the document exchange with the
 * host, and the results the host reads back.
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "url.h"

/* Upper bound on what one session may allocate: input, documents, parse
 * trees.  Hostile inputs hit this long before the machine's memory. */
#define BADGE_SESSION_ARENA_LIMIT  (64 * 1024 * 1024)

badge_session_t *
badge_session_new(const badge_ctx_t *ctx, const badge_verify_opts_t *opts)
{
    badge_arena_t   *a;
    badge_session_t *s;

    if (ctx == NULL) {
        return NULL;
    }
    a = badge_arena_new(BADGE_SESSION_ARENA_LIMIT);
    if (a == NULL) {
        return NULL;
    }
    s = badge_arena_calloc(a, sizeof(*s));
    if (s == NULL) {
        badge_arena_free(a);
        return NULL;
    }
    s->ctx = ctx;
    s->arena = a;
    if (opts != NULL) {
        s->opts.now = opts->now;
        s->opts.recipient = badge_arena_strdup(a, opts->recipient);
        s->opts.challenge = badge_arena_strdup(a, opts->challenge);
        s->opts.domain = badge_arena_strdup(a, opts->domain);
        s->opts.lang = badge_arena_strdup(a, opts->lang);
    }
    if (s->opts.lang == NULL
        || (strcmp(s->opts.lang, "ja") != 0 && strcmp(s->opts.lang, "en")))
    {
        s->opts.lang = "en";
    }
    s->now = s->opts.now != 0 ? s->opts.now : time(NULL);
    return s;
}

void
badge_session_free(badge_session_t *s)
{
    badge_cleanup_t *c;

    if (s == NULL) {
        return;
    }
    for (c = s->cleanups; c != NULL; c = c->next) {
        c->fn(c->data);
    }
    badge_arena_free(s->arena);
}

int
badge_session_cleanup(badge_session_t *s, void (*fn)(void *), void *data)
{
    badge_cleanup_t *c = badge_arena_alloc(s->arena, sizeof(*c));

    if (c == NULL) {
        fn(data);
        s->oom = 1;
        return -1;
    }
    c->fn = fn;
    c->data = data;
    c->next = s->cleanups;
    s->cleanups = c;
    return 0;
}

static void
badge_session_decref(void *v)
{
    json_decref(v);
}

json_t *
badge_session_keep_json(badge_session_t *s, json_t *v)
{
    if (v == NULL) {
        return NULL;
    }
    if (badge_session_cleanup(s, badge_session_decref, v) != 0) {
        return NULL;
    }
    return v;
}

json_t *
badge_session_parse_json(badge_session_t *s, const char *text, size_t len,
    badge_err_t *err)
{
    return badge_session_keep_json(s, badge_json_parse(text, len, err));
}

int
badge_session_set_input(badge_session_t *s, const void *data, size_t len)
{
    s->input = badge_arena_memdup(s->arena, data, len);
    if (s->input == NULL) {
        return -1;
    }
    s->input_len = len;
    return 0;
}

int
badge_session_set_input_url(badge_session_t *s, const char *url)
{
    s->input_url = badge_arena_strdup(s->arena, url);
    return s->input_url != NULL ? 0 : -1;
}

static badge_doc_t *
badge_session_find_doc(const badge_session_t *s, const char *url)
{
    badge_doc_t *d;

    for (d = s->docs; d != NULL; d = d->next) {
        if (strcmp(d->url, url) == 0) {
            return d;
        }
    }
    return NULL;
}

int
badge_session_supply(badge_session_t *s, const char *url, int http_status,
    const char *content_type, const void *body, size_t len)
{
    badge_doc_t *d;
    long         max = badge_ctx_get_option(s->ctx, BADGE_OPT_MAX_DOCUMENT);

    if (url == NULL || badge_session_find_doc(s, url) != NULL) {
        return 0;
    }
    d = badge_arena_calloc(s->arena, sizeof(*d));
    if (d == NULL || (d->url = badge_arena_strdup(s->arena, url)) == NULL) {
        s->oom = 1;
        return -1;
    }
    d->http_status = http_status;
    if (body != NULL && max > 0 && len > (size_t) max) {
        /* too large to trust the host cut it: treat as unavailable */
        d->http_status = 0;
        body = NULL;
        len = 0;
    }
    d->content_type = badge_arena_strdup(s->arena, content_type);
    if (body != NULL) {
        /* NUL-terminated so that text parsers may use it as a string */
        d->body = (unsigned char *) badge_arena_strndup(s->arena, body, len);
        if (d->body == NULL) {
            s->oom = 1;
            return -1;
        }
    }
    d->len = len;
    d->next = s->docs;
    s->docs = d;
    s->n_docs++;
    return 0;
}

badge_doc_result_t
badge_session_document(badge_session_t *s, const char *url,
    const badge_doc_t **doc, badge_err_t *why)
{
    const badge_pinned_doc_t *p;
    badge_doc_t              *d;
    size_t                    i;
    char                      msg[200];

    p = badge_ctx_find_document(s->ctx, url);
    if (p != NULL) {
        d = badge_arena_calloc(s->arena, sizeof(*d));
        if (d == NULL) {
            s->oom = 1;
            badge_err_set(why, "out_of_memory", "out of memory");
            return BADGE_DOC_UNAVAILABLE;
        }
        d->url = p->url;
        d->http_status = 200;
        d->body = p->body;
        d->len = p->len;
        *doc = d;
        return BADGE_DOC_OK;
    }
    d = badge_session_find_doc(s, url);
    if (d != NULL) {
        if (d->http_status >= 200 && d->http_status < 300) {
            *doc = d;
            return BADGE_DOC_OK;
        }
        *doc = d;   /* callers may look at the status (410 = revoked) */
        if (d->http_status == 0) {
            badge_err_set(why, "fetch_failed", "could not fetch %s", url);
        } else {
            badge_err_set(why, "fetch_http_error", "%s answered HTTP %d",
                url, d->http_status);
        }
        return BADGE_DOC_UNAVAILABLE;
    }
    *doc = NULL;
    if (badge_url_check(s->ctx, url, msg, sizeof(msg)) != 0) {
        badge_err_set(why, "url_refused", "%s", msg);
        return BADGE_DOC_UNAVAILABLE;
    }
    if (s->final_round) {
        badge_err_set(why, "fetch_limit",
            "not fetched: too many documents needed (%s)", url);
        return BADGE_DOC_UNAVAILABLE;
    }
    if (s->n_docs + s->n_needed
        >= (size_t) badge_ctx_get_option(s->ctx, BADGE_OPT_MAX_FETCHES))
    {
        badge_err_set(why, "fetch_limit",
            "not fetched: more than %ld documents needed",
            badge_ctx_get_option(s->ctx, BADGE_OPT_MAX_FETCHES));
        return BADGE_DOC_UNAVAILABLE;
    }
    for (i = 0; i < s->n_needed; i++) {
        if (strcmp(s->needed[i], url) == 0) {
            return BADGE_DOC_PENDING;
        }
    }
    if (s->n_needed == s->cap_needed) {
        size_t       cap = s->cap_needed ? s->cap_needed * 2 : 8;
        const char **n = badge_arena_alloc(s->arena, cap * sizeof(*n));

        if (n == NULL) {
            s->oom = 1;
            badge_err_set(why, "out_of_memory", "out of memory");
            return BADGE_DOC_UNAVAILABLE;
        }
        if (s->n_needed > 0) {
            memcpy(n, s->needed, s->n_needed * sizeof(*n));
        }
        s->needed = n;
        s->cap_needed = cap;
    }
    s->needed[s->n_needed] = badge_arena_strdup(s->arena, url);
    if (s->needed[s->n_needed] == NULL) {
        s->oom = 1;
        return BADGE_DOC_UNAVAILABLE;
    }
    s->n_needed++;
    return BADGE_DOC_PENDING;
}

size_t
badge_session_needed(const badge_session_t *s, const char *const **urls)
{
    if (urls != NULL) {
        *urls = s->needed;
    }
    return s->n_needed;
}

int
badge_session_verified(const badge_session_t *s)
{
    return s->report != NULL && badge_report_verified(s->report);
}

const char *
badge_session_report_json(badge_session_t *s, size_t *len)
{
    if (s->report == NULL) {
        return NULL;
    }
    if (s->report_json == NULL) {
        s->report_json = badge_report_json(s->report, &s->report_json_len);
    }
    if (len != NULL) {
        *len = s->report_json_len;
    }
    return s->report_json;
}

const char *
badge_session_report_text(badge_session_t *s, size_t *len)
{
    if (s->report == NULL) {
        return NULL;
    }
    if (s->report_text == NULL) {
        s->report_text = badge_report_text(s->report, &s->report_text_len);
    }
    if (len != NULL) {
        *len = s->report_text_len;
    }
    return s->report_text;
}

/*
 * Fields come from the credential and go into HTTP headers (nginx
 * add_header / proxy_set_header $badge_*, Apache Header set): no control
 * character may leave here (CR LF would add headers).  A field that has
 * any gets a copy with each replaced by a space.
 */
static const char *
badge_session_clean(const badge_session_t *s, const char *v)
{
    const unsigned char *p;
    char                *c, *q;

    if (v == NULL) {
        return NULL;
    }
    for (p = (const unsigned char *) v; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            break;
        }
    }
    if (*p == '\0') {
        return v;
    }
    c = badge_arena_strdup(s->arena, v);
    if (c == NULL) {
        return NULL;
    }
    for (q = c; *q != '\0'; q++) {
        if ((unsigned char) *q < 0x20 || *q == 0x7f) {
            *q = ' ';
        }
    }
    return c;
}

const char *
badge_session_field(const badge_session_t *s, badge_field_t f)
{
    if (s->report == NULL || f >= BADGE_FIELD__COUNT) {
        return NULL;
    }
    if (f == BADGE_FIELD_FORMAT) {
        return s->report->format;
    }
    if (f == BADGE_FIELD_STATUS) {
        return badge_report_status(s->report);
    }
    return badge_session_clean(s, s->report->fields[f]);
}

badge_outcome_t
badge_session_first_failure(const badge_session_t *s, const char **check,
    const char **code)
{
    const badge_check_t *c, *unchecked = NULL;
    const char          *dummy;

    if (check == NULL) {
        check = &dummy;
    }
    if (code == NULL) {
        code = &dummy;
    }
    *check = NULL;
    *code = NULL;
    if (s == NULL || s->report == NULL) {
        return BADGE_OUTCOME_NO_REPORT;
    }
    if (s->report->errors != NULL) {
        *check = "input";
        *code = s->report->errors->code;
        return BADGE_OUTCOME_FAILED;
    }
    if (badge_report_verified(s->report)) {
        return BADGE_OUTCOME_VERIFIED;
    }
    for (c = s->report->checks; c != NULL; c = c->next) {
        if (c->status == BADGE_FAIL) {
            *check = c->check;
            *code = c->code;
            return BADGE_OUTCOME_FAILED;
        }
        if (c->status == BADGE_UNCHECKED && unchecked == NULL) {
            unchecked = c;
        }
    }
    if (unchecked != NULL) {
        *check = unchecked->check;
        *code = unchecked->code;
        return BADGE_OUTCOME_UNCHECKED;
    }
    /* nothing failed, nothing unchecked, yet not authenticated: no proof */
    *check = "proof";
    *code = "proof_missing";
    return BADGE_OUTCOME_FAILED;
}
