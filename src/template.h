/*
 * template.h: a logic-less template language for badge pages, a subset of
 * Mustache, where escaping is decided by the data, not by the template:
 *
 *   {{name}}        the value, HTML-escaped (& < > " ' and bidi controls
 *                   stripped), safe in text and in quoted attributes
 *   {{{name}}}      the same, except that a value the renderer built as
 *   {{&name}}       HTML (BADGE_TV_SAFE) is inserted as is; user text is
 *                   escaped even here
 *   {{#name}}..{{/name}}   a list: once per item; an object: once with it
 *                   on the context stack; true/non-empty: once; else never
 *   {{^name}}..{{/name}}   once if name is missing, false or empty
 *   {{! comment }}  nothing
 *   {{.}}           the current item; a.b.c looks into objects
 *
 * URL values pass the URL sanitizer (http(s) or a relative reference;
 * images also data:image/png|jpeg|gif|webp|svg+xml;base64) and become "#"
 * otherwise, whatever the template does with them.  Partials and
 * delimiter changes are not supported (a compile error says so).
 *
 * A compiled template is immutable: one may be rendered by many threads.
 * Layer: beside the report, below page.c; includes only arena/error.
 */
#ifndef BADGE_TEMPLATE_H
#define BADGE_TEMPLATE_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

#define BADGE_TPL_MAX_DEPTH   32            /* nested sections */
#define BADGE_TPL_MAX_WORK    (4L << 20)    /* nodes visited per render */
#define BADGE_TPL_MAX_OUTPUT  (16 << 20)    /* bytes per render */

/* ------------------------------------------------------------------ */
/* Values                                                               */

typedef enum {
    BADGE_TV_TEXT = 0,     /* user text: always escaped */
    BADGE_TV_URL,          /* a link target: sanitized, then escaped */
    BADGE_TV_IMAGE,        /* an image source: sanitized (data: images
                              allowed), then escaped */
    BADGE_TV_SAFE,         /* HTML built by the renderer */
    BADGE_TV_BOOL,
    BADGE_TV_LIST,
    BADGE_TV_OBJECT
} badge_tv_type_t;

typedef struct badge_tv_s badge_tv_t;

struct badge_tv_s {
    badge_tv_type_t  type;
    const char      *key;      /* member name, in an object */
    const char      *str;      /* scalars */
    size_t           len;
    int              truth;    /* BOOL */
    badge_tv_t      *first;    /* LIST / OBJECT members, in order */
    badge_tv_t      *last;
    size_t           count;
    badge_tv_t      *next;
};

badge_tv_t *badge_tv_object(badge_arena_t *a);
badge_tv_t *badge_tv_list(badge_arena_t *a);
/* A scalar (str copied); NULL when out of memory. */
badge_tv_t *badge_tv_scalar(badge_arena_t *a, badge_tv_type_t type,
    const char *str);

/* Append v to a list, or to an object under key (key copied).  Return v,
 * or NULL (out of memory, or v NULL). */
badge_tv_t *badge_tv_push(badge_arena_t *a, badge_tv_t *list,
    badge_tv_t *v);
badge_tv_t *badge_tv_put(badge_arena_t *a, badge_tv_t *obj,
    const char *key, badge_tv_t *v);
/* obj[key] = scalar; a NULL or empty str sets nothing and returns obj, so
 * that optional fields stay absent (and {{#key}} false).  NULL on OOM. */
badge_tv_t *badge_tv_set(badge_arena_t *a, badge_tv_t *obj,
    const char *key, badge_tv_type_t type, const char *str);
badge_tv_t *badge_tv_set_bool(badge_arena_t *a, badge_tv_t *obj,
    const char *key, int truth);
/* The member key of obj, or NULL. */
const badge_tv_t *badge_tv_get(const badge_tv_t *obj, const char *key);

/* ------------------------------------------------------------------ */
/* Escaping and sanitizing (also used by the page renderer directly)   */

/* HTML text / quoted attribute: & < > " ' ` escaped, bidi controls and
 * C0/C1 controls other than tab and newline removed. */
void badge_tpl_escape(badge_buf_t *b, const char *s, size_t len);
/* 1 if url may be a link target: http(s) absolute, or relative ("/x"
 * but not "//x", "?q", "#f", "x/y" with no scheme). */
int badge_tpl_url_ok(const char *url, size_t len);
/* 1 if url may be an image source: the above, or a base64 data: URI of
 * image/png, jpeg, gif, webp or svg+xml. */
int badge_tpl_image_ok(const char *url, size_t len);

/* ------------------------------------------------------------------ */
/* Templates                                                            */

typedef struct badge_tpl_s badge_tpl_t;

/* Compile text into a (the template lives in a).  NULL with err: the
 * message names the line ("line 12: section 'x' is not closed"). */
badge_tpl_t *badge_tpl_compile(badge_arena_t *a, const char *text,
    size_t len, badge_err_t *err);

/* Render with root as the outermost context, appending to out.  0, or -1
 * with err (out of memory, output or work limit). */
int badge_tpl_render(const badge_tpl_t *t, const badge_tv_t *root,
    badge_buf_t *out, badge_err_t *err);

#endif
