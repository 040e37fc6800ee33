/*
 * verify_page.h: the browser verify page, the same for nginx (badge_verify)
 * and Apache (badge-verify): a form to paste a credential, upload a file
 * (multipart/form-data) or give a URL, working without JavaScript, and,
 * after a verification, the result check by check (pass, fail, warning,
 * not checked: each with its human message), in Japanese or English.
 *
 * Every value that comes from the request or the credential is
 * HTML-escaped.  The page has no script and one <style> element; serve it
 * with BADGE_VERIFY_PAGE_CSP as its Content-Security-Policy.
 *
 * Layer: top (next to report and page rendering).  A public header for
 * hosts: it includes only badge.h.
 */
#ifndef BADGE_VERIFY_PAGE_H
#define BADGE_VERIFY_PAGE_H

#include <stddef.h>

#include "badge.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BADGE_VERIFY_PAGE_TYPE  "text/html; charset=utf-8"
#define BADGE_VERIFY_PAGE_CSP                                               \
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; " \
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

typedef struct {
    const char  *action;        /* the form's action: the verify location's
                                   path (NULL: "") */
    const char  *lang;          /* "ja" or "en" (NULL: "en") */
    const char  *url;           /* the URL verified, shown again in the form
                                   (NULL: none) */
    const char  *error_code;    /* a request that could not be verified at
                                   all (415, 413, nothing given...): shown
                                   instead of a result; NULL: none */
    const char  *error_message;
} badge_verify_page_t;

/*
 * The page: with s NULL the empty form; with a finished session, its result
 * above the form.  Allocated with alloc(pool, n) (NULL alloc: malloc, the
 * caller free()s), NUL-terminated, *len set; NULL when out of memory.
 */
char *badge_verify_page_html(const badge_session_t *s,
    const badge_verify_page_t *p, void *(*alloc)(void *pool, size_t n),
    void *pool, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* BADGE_VERIFY_PAGE_H */
