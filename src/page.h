/*
 * page.h: public badge pages, shared by nginx's badge_page, Apache's
 * badge-page handler and `badgectl render`.
 *
 *   1. At configuration load: badge_page_template_load() (optional, a
 *      custom template; errors name the line) and badge_page_csp() for
 *      the Content-Security-Policy header.
 *   2. Per request: badge_page_id_valid() on the id taken from the URI,
 *      then map it to <dir>/<id>.json; badge_page_negotiate() decides
 *      between the page and the JSON; badge_page_lang() the language.
 *   3. For the page: verify the credential with a badge_session_t as
 *      usual (same fetch loop as badge_verify), then badge_page_render()
 *      with that session; the HTML lives in the session's arena.
 *
 * Headers the glue sends with a page:
 *   Content-Type: text/html; charset=utf-8      (badge_page_content_type)
 *   Content-Security-Policy: badge_page_csp(tpl)
 *   Vary: Accept, Accept-Language
 *   ETag: badge_page_etag_data() of the HTML (the page shows the live
 *         status, so the JSON file's mtime/size alone is not enough)
 *   Cache-Control: no-cache   (revalidate: revocation must show at once)
 *   X-Content-Type-Options: nosniff, Referrer-Policy: strict-origin-when-
 *   cross-origin
 * With the JSON: Content-Type from badge_page_content_type(), Vary:
 * Accept, ETag badge_page_etag() of the file, Access-Control-Allow-Origin:
 * * (it is public and verifiers fetch it from browsers).
 *
 * Only the glue and the CLI include this header.  Layer: the top (it may
 * read the session and its report; nothing in the core includes it).
 */
#ifndef BADGE_PAGE_H
#define BADGE_PAGE_H

#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "badge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Templates (configuration time)                                       */

typedef struct badge_page_template_s badge_page_template_t;

/*
 * Compile a page template (docs/page-template.md).  The result is
 * immutable and may be shared by threads and worker processes.  NULL with
 * a message naming the line in err ("line 12: section 'tags' is not
 * closed ...") on a syntax error or out of memory.
 */
badge_page_template_t *badge_page_template_compile(const char *text,
    size_t len, char *err, size_t errlen);
/* The same from a file (at most 1 MiB); the message names the file. */
badge_page_template_t *badge_page_template_load(const char *path,
    char *err, size_t errlen);
void badge_page_template_free(badge_page_template_t *t);

/* The built-in template's source: a starting point for a custom one. */
const char *badge_page_default_template(size_t *len);

/*
 * A ready Content-Security-Policy value for pages rendered with tpl (NULL:
 * the built-in template): default-src 'none', the sha256 of every inline
 * <script> and <style> block of the template, img-src http: https: data:,
 * base-uri 'none', form-action 'none', frame-ancestors 'none'.  A block
 * whose text has a {{placeholder}} cannot be hashed: styles then get
 * 'unsafe-inline', scripts are left out (and blocked).  Static string
 * (built-in) or owned by tpl.
 */
const char *badge_page_csp(const badge_page_template_t *tpl);

/* ------------------------------------------------------------------ */
/* Rendering                                                            */

/* A document given beside the credential: an OB 2.0 BadgeClass or issuer
 * profile that the assertion names by URL. */
typedef struct {
    const char  *url;
    const char  *body;
    size_t       len;
} badge_page_doc_t;

typedef struct {
    const char  *lang;           /* "ja" or "en" (anything else: "en") */
    const char  *page_url;       /* this page's absolute URL: og:url, QR
                                    code, copy link, LinkedIn certUrl */
    const char  *json_url;       /* the JSON download ("...json" or
                                    "?format=json"); NULL: none */
    const char  *baked_png_url;  /* a baked badge exists; NULL: none */
    const char  *baked_svg_url;
    const char  *lang_other_url; /* link to the page in the other
                                    language; NULL: page_url?lang=xx */
    const badge_page_template_t *tpl;   /* NULL: the built-in one */
    const badge_page_doc_t      *docs;  /* documents beside the
                                           credential (also looked up:
                                           the session's supplied and
                                           pinned documents) */
    size_t       n_docs;
    /* Last resort for a document the page would show (a BadgeClass,
     * issuer profile, criteria, endorsement) that is nowhere above: the
     * body, valid until badge_page_render() returns, or NULL.  A server
     * must not block on the network here; NULL: no such lookup. */
    const char *(*doc_fn)(void *ud, const char *url, size_t *len);
    void        *doc_ud;
    time_t       now;            /* "checked on" date; 0: the session's */
} badge_page_opts_t;

/*
 * The page for the credential verified by s (a finished session: the
 * status banner and the checks come from its report).  credential is what
 * to show: JSON (OB 2.0 assertion, OB 3.0 / VC), a VC-JWT (its payload is
 * shown), or a baked PNG/SVG; NULL: the session's input.  Returns the
 * HTML, NUL-terminated, in the session's arena (valid until
 * badge_session_free), with its length in *len; NULL with err when the
 * credential cannot be read at all or out of memory.
 */
const char *badge_page_render(badge_session_t *s, const void *credential,
    size_t credential_len, const badge_page_opts_t *opts, size_t *len,
    char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The index (badge_page_index on)                                      */

typedef struct {
    const char  *id;      /* a valid id (badge_page_id_valid); the link is
                             page_url (the index URL, with a slash added)
                             + id */
    const char  *name;
    const char  *issuer;
    const char  *date;    /* ISO 8601, shown as a date */
    const char  *image;   /* http(s) or data:image URL */
} badge_page_index_item_t;

/* Fill item from a credential file's JSON (strings in a); 0, or -1 if it
 * is not a JSON object.  OB 2.0 assertions that name their BadgeClass by
 * URL get the id as name. */
int badge_page_index_item(badge_arena_t *a, const char *id,
    const void *json, size_t len, const char *lang,
    badge_page_index_item_t *item);

/* The index page (opts: lang, page_url, lang_other_url), in a. */
const char *badge_page_index_html(badge_arena_t *a,
    const badge_page_index_item_t *items, size_t n,
    const badge_page_opts_t *opts, size_t *len);

/* ------------------------------------------------------------------ */
/* HTTP helpers for both glues                                          */

typedef enum {
    BADGE_PAGE_HTML = 0,
    BADGE_PAGE_JSON,
    BADGE_PAGE_JSONLD
} badge_page_format_t;

/*
 * What to answer for a request: uri is the request URI (path and query,
 * as received); a path ending in ".json" or "?format=json" means JSON,
 * ".jsonld" or "format=jsonld" JSON-LD, "format=html" the page.
 * Otherwise the Accept header decides by q-value (text/html,
 * application/xhtml+xml -> page; application/json -> JSON;
 * application/ld+json, application/vc+ld+json -> JSON-LD); on a tie,
 * with only a wildcard or with no header, the page (link previews and
 * browsers get HTML; verifiers ask for JSON by name).  Both may be NULL.
 */
badge_page_format_t badge_page_negotiate(const char *accept,
    size_t accept_len, const char *uri, size_t uri_len);
/* "text/html; charset=utf-8", "application/json",
 * "application/ld+json". */
const char *badge_page_content_type(badge_page_format_t f);

/* "ja" or "en": a lang=ja|en argument in the query wins, else
 * Accept-Language (the first of ja/en with q > 0), else "en". */
const char *badge_page_lang(const char *query, size_t query_len,
    const char *accept_language, size_t al_len);

/*
 * 1 if id may name a badge file: 1..128 bytes of [A-Za-z0-9._-], not
 * starting with '.', without "..".  So "../x", "%2e%2e", "x%00", "a/b",
 * ".hidden" and an embedded NUL (len counts it) are refused.  Check it on
 * the id as it will be used for the file name, after any URI decoding.
 */
int badge_page_id_valid(const char *id, size_t len);

/* Strong ETags, NUL-terminated into buf (at least 48 bytes); return the
 * length, 0 if buf is too small.  From a file's mtime and size (as
 * nginx does), or from content (the rendered page). */
size_t badge_page_etag(char *buf, size_t size, time_t mtime,
    long long file_size);
size_t badge_page_etag_data(char *buf, size_t size, const void *data,
    size_t len);

#ifdef __cplusplus
}
#endif

#endif /* BADGE_PAGE_H */
