/* memmem() is a GNU extension; nginx builds the core without -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/*
 * template.c: the page template language (see template.h).  A template is
 * compiled once into a flat array of nodes; a section node knows where its
 * body ends, so rendering is a loop over ranges with a small context
 * stack.  Rendering never writes to the template.
 */
#include "template.h"

#include <string.h>
#include <strings.h>

typedef enum {
    BADGE_TPL_TEXT = 0,
    BADGE_TPL_VAR,          /* {{x}} */
    BADGE_TPL_RAW,          /* {{{x}}} {{&x}} */
    BADGE_TPL_SECTION,      /* {{#x}} */
    BADGE_TPL_INVERTED      /* {{^x}} */
} badge_tpl_kind_t;

typedef struct {
    badge_tpl_kind_t   kind;
    const char        *s;       /* literal text, or the name */
    size_t             len;
    const char       **path;    /* the name split at '.'; NULL for "." */
    size_t             npath;
    size_t             end;     /* sections: index after the body */
    unsigned           line;
} badge_tpl_node_t;

struct badge_tpl_s {
    badge_tpl_node_t  *nodes;
    size_t             n;
};

/* ------------------------------------------------------------------ */
/* Values                                                               */

static badge_tv_t *
badge_tv_new(badge_arena_t *a, badge_tv_type_t type)
{
    badge_tv_t *v = badge_arena_calloc(a, sizeof(*v));

    if (v != NULL) {
        v->type = type;
    }
    return v;
}

badge_tv_t *
badge_tv_object(badge_arena_t *a)
{
    return badge_tv_new(a, BADGE_TV_OBJECT);
}

badge_tv_t *
badge_tv_list(badge_arena_t *a)
{
    return badge_tv_new(a, BADGE_TV_LIST);
}

badge_tv_t *
badge_tv_scalar(badge_arena_t *a, badge_tv_type_t type, const char *str)
{
    badge_tv_t *v = badge_tv_new(a, type);

    if (v == NULL) {
        return NULL;
    }
    v->str = badge_arena_strdup(a, str != NULL ? str : "");
    if (v->str == NULL) {
        return NULL;
    }
    v->len = strlen(v->str);
    v->truth = v->len > 0;
    return v;
}

badge_tv_t *
badge_tv_push(badge_arena_t *a, badge_tv_t *list, badge_tv_t *v)
{
    (void) a;
    if (list == NULL || v == NULL) {
        return NULL;
    }
    v->next = NULL;
    if (list->last != NULL) {
        list->last->next = v;
    } else {
        list->first = v;
    }
    list->last = v;
    list->count++;
    return v;
}

badge_tv_t *
badge_tv_put(badge_arena_t *a, badge_tv_t *obj, const char *key,
    badge_tv_t *v)
{
    if (obj == NULL || v == NULL) {
        return NULL;
    }
    v->key = badge_arena_strdup(a, key);
    if (v->key == NULL) {
        return NULL;
    }
    return badge_tv_push(a, obj, v);
}

badge_tv_t *
badge_tv_set(badge_arena_t *a, badge_tv_t *obj, const char *key,
    badge_tv_type_t type, const char *str)
{
    if (obj == NULL) {
        return NULL;
    }
    if (str == NULL || str[0] == '\0') {
        return obj;
    }
    if (badge_tv_put(a, obj, key, badge_tv_scalar(a, type, str)) == NULL) {
        return NULL;
    }
    return obj;
}

badge_tv_t *
badge_tv_set_bool(badge_arena_t *a, badge_tv_t *obj, const char *key,
    int truth)
{
    badge_tv_t *v = badge_tv_new(a, BADGE_TV_BOOL);

    if (v == NULL) {
        return NULL;
    }
    v->truth = truth != 0;
    return badge_tv_put(a, obj, key, v) != NULL ? obj : NULL;
}

const badge_tv_t *
badge_tv_get(const badge_tv_t *obj, const char *key)
{
    const badge_tv_t *v;

    if (obj == NULL || obj->type != BADGE_TV_OBJECT) {
        return NULL;
    }
    for (v = obj->first; v != NULL; v = v->next) {
        if (strcmp(v->key, key) == 0) {
            return v;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Escaping                                                             */

/* Length of the well-formed UTF-8 sequence at p (1..4), 0 if malformed;
 * *cp is the code point. */
static size_t
badge_utf8_next(const unsigned char *p, size_t n, unsigned long *cp)
{
    unsigned long c;
    size_t        k, i;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        k = 2;
        c = p[0] & 0x1f;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        k = 3;
        c = p[0] & 0x0f;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        k = 4;
        c = p[0] & 0x07;
    } else {
        return 0;
    }
    if (k > n) {
        return 0;
    }
    for (i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    /* overlong forms, surrogates, past U+10FFFF */
    if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) || c > 0x10ffff
        || (c >= 0xd800 && c <= 0xdfff))
    {
        return 0;
    }
    *cp = c;
    return k;
}

void
badge_tpl_escape(badge_buf_t *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t               i = 0, run = 0, k;
    unsigned long        cp;
    const char          *rep;

    /* copy runs of plain bytes at once; stop at what needs work */
    while (i < len) {
        rep = NULL;
        k = badge_utf8_next(p + i, len - i, &cp);
        if (k == 0) {
            rep = "\xef\xbf\xbd";          /* U+FFFD for a broken byte */
            k = 1;
        } else if (cp == '&') {
            rep = "&amp;";
        } else if (cp == '<') {
            rep = "&lt;";
        } else if (cp == '>') {
            rep = "&gt;";
        } else if (cp == '"') {
            rep = "&quot;";
        } else if (cp == '\'') {
            rep = "&#39;";
        } else if (cp == '`') {
            rep = "&#96;";
        } else if ((cp < 0x20 && cp != '\t' && cp != '\n')
                   || (cp >= 0x7f && cp <= 0x9f)
                   /* bidi embeddings, overrides and isolates: text from a
                    * credential must not reorder the page around it */
                   || (cp >= 0x202a && cp <= 0x202e)
                   || (cp >= 0x2066 && cp <= 0x2069))
        {
            rep = "";
        }
        if (rep == NULL) {
            run += k;
            i += k;
            continue;
        }
        badge_buf_append(b, s + i - run, run);
        badge_buf_puts(b, rep);
        run = 0;
        i += k;
    }
    badge_buf_append(b, s + i - run, run);
}

static int
badge_tpl_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    return len >= n && strncasecmp(s, prefix, n) == 0;
}

int
badge_tpl_url_ok(const char *url, size_t len)
{
    size_t i;

    if (url == NULL || len == 0) {
        return 0;
    }
    /* no spaces, controls, quotes or backslashes anywhere: browsers strip
     * or reinterpret them ("java\tscript:", "/\evil.example") */
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char) url[i];

        if (c <= 0x20 || c == 0x7f || c == '\\' || c == '"' || c == '\''
            || c == '<' || c == '>' || c == '`')
        {
            return 0;
        }
    }
    if (badge_tpl_prefix(url, len, "https://")) {
        return len > 8;
    }
    if (badge_tpl_prefix(url, len, "http://")) {
        return len > 7;
    }
    if (url[0] == '/') {
        return len == 1 || url[1] != '/';
    }
    /* a relative reference: no scheme before the first / ? # */
    for (i = 0; i < len; i++) {
        if (url[i] == '/' || url[i] == '?' || url[i] == '#') {
            return 1;
        }
        if (url[i] == ':') {
            return 0;
        }
    }
    return 1;
}

int
badge_tpl_image_ok(const char *url, size_t len)
{
    static const char *const types[] = {
        "data:image/png;base64,", "data:image/jpeg;base64,",
        "data:image/gif;base64,", "data:image/webp;base64,",
        "data:image/svg+xml;base64,", NULL
    };
    size_t i, n;
    int    t;

    if (badge_tpl_url_ok(url, len)) {
        return 1;
    }
    for (t = 0; types[t] != NULL; t++) {
        n = strlen(types[t]);
        if (!badge_tpl_prefix(url, len, types[t])) {
            continue;
        }
        for (i = n; i < len; i++) {
            unsigned char c = (unsigned char) url[i];

            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                  || (c >= '0' && c <= '9') || c == '+' || c == '/'
                  || c == '='))
            {
                return 0;
            }
        }
        return len > n;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Compiling                                                            */

typedef struct {
    badge_arena_t     *arena;
    badge_tpl_node_t  *nodes;
    size_t             n;
    size_t             cap;
} badge_tpl_build_t;

static badge_tpl_node_t *
badge_tpl_add(badge_tpl_build_t *bd, badge_tpl_kind_t kind, unsigned line)
{
    badge_tpl_node_t *nn;
    size_t            cap;

    if (bd->n == bd->cap) {
        cap = bd->cap ? bd->cap * 2 : 64;
        nn = badge_arena_alloc(bd->arena, cap * sizeof(*nn));
        if (nn == NULL) {
            return NULL;
        }
        if (bd->n > 0) {
            memcpy(nn, bd->nodes, bd->n * sizeof(*nn));
        }
        bd->nodes = nn;
        bd->cap = cap;
    }
    nn = &bd->nodes[bd->n++];
    memset(nn, 0, sizeof(*nn));
    nn->kind = kind;
    nn->line = line;
    return nn;
}

static unsigned
badge_tpl_count_lines(const char *s, size_t len)
{
    unsigned n = 0;
    size_t   i;

    for (i = 0; i < len; i++) {
        n += s[i] == '\n';
    }
    return n;
}

static int
badge_tpl_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Check and split a name ("a.b.c" or "."); -1 with err. */
static int
badge_tpl_name(badge_tpl_build_t *bd, badge_tpl_node_t *nd, const char *s,
    size_t len, unsigned line, badge_err_t *err)
{
    size_t i, start, k;

    if (len == 0) {
        badge_err_set(err, "template_syntax", "line %u: empty tag", line);
        return -1;
    }
    nd->s = badge_arena_strndup(bd->arena, s, len);
    if (nd->s == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    nd->len = len;
    if (len == 1 && s[0] == '.') {
        return 0;                       /* path NULL: the current item */
    }
    nd->npath = 1;
    for (i = 0; i < len; i++) {
        if (s[i] == '.') {
            nd->npath++;
        } else if (!badge_tpl_name_char(s[i])) {
            badge_err_set(err, "template_syntax",
                "line %u: bad character in name '%.*s' (names are "
                "letters, digits, _ - and .)", line, (int) len, s);
            return -1;
        }
    }
    nd->path = badge_arena_alloc(bd->arena, nd->npath * sizeof(char *));
    if (nd->path == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    for (i = 0, start = 0, k = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (i == start) {
                badge_err_set(err, "template_syntax",
                    "line %u: empty part in name '%.*s'", line, (int) len,
                    s);
                return -1;
            }
            nd->path[k] = badge_arena_strndup(bd->arena, s + start,
                                              i - start);
            if (nd->path[k++] == NULL) {
                badge_err_set(err, "out_of_memory", "out of memory");
                return -1;
            }
            start = i + 1;
        }
    }
    return 0;
}

/*
 * A section, inverted, close or comment tag alone on its line takes the
 * whole line with it (as in Mustache), so that templates can put block
 * tags on lines of their own without leaving blank lines in the page.
 * Returns how many bytes after the tag to skip, or -1 if not standalone.
 */
static long
badge_tpl_standalone(const char *text, size_t len, size_t open,
    size_t close_end)
{
    size_t i = open, j;

    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
        i--;
    }
    if (i > 0 && text[i - 1] != '\n') {
        return -1;
    }
    for (j = close_end; j < len && (text[j] == ' ' || text[j] == '\t');
         j++)
    {
        /* void */
    }
    if (j < len && text[j] == '\r') {
        j++;
    }
    if (j < len && text[j] != '\n') {
        return -1;
    }
    if (j < len) {
        j++;
    }
    return (long) (j - close_end);
}

static void
badge_tpl_trim_last_text(badge_tpl_build_t *bd, const char *text,
    size_t open)
{
    badge_tpl_node_t *last;
    size_t            ws = 0;

    while (ws < open && (text[open - ws - 1] == ' '
                         || text[open - ws - 1] == '\t'))
    {
        ws++;
    }
    if (ws == 0 || bd->n == 0) {
        return;
    }
    last = &bd->nodes[bd->n - 1];
    if (last->kind == BADGE_TPL_TEXT && last->len >= ws
        && last->s + last->len == text + open)
    {
        last->len -= ws;
    }
}

badge_tpl_t *
badge_tpl_compile(badge_arena_t *a, const char *text, size_t len,
    badge_err_t *err)
{
    badge_tpl_build_t  bd;
    badge_tpl_node_t  *nd;
    badge_tpl_t       *t;
    size_t             open_idx[BADGE_TPL_MAX_DEPTH];
    unsigned           open_line[BADGE_TPL_MAX_DEPTH];
    size_t             depth = 0, pos = 0, o, c, inner, ilen, close_len;
    const char        *p, *q, *in;
    unsigned           line = 1, tag_line;
    char               sigil;
    long               skip;

    memset(&bd, 0, sizeof(bd));
    bd.arena = a;
    while (pos < len) {
        p = memmem(text + pos, len - pos, "{{", 2);
        o = p != NULL ? (size_t) (p - text) : len;
        if (o > pos) {
            nd = badge_tpl_add(&bd, BADGE_TPL_TEXT, line);
            if (nd == NULL) {
                goto oom;
            }
            nd->s = text + pos;
            nd->len = o - pos;
            line += badge_tpl_count_lines(text + pos, o - pos);
        }
        if (p == NULL) {
            break;
        }
        tag_line = line;
        inner = o + 2;
        close_len = 2;
        if (inner < len && text[inner] == '{') {
            inner++;
            close_len = 3;
        }
        q = memmem(text + inner, len - inner, close_len == 3 ? "}}}" : "}}",
                   close_len);
        if (q == NULL) {
            badge_err_set(err, "template_syntax", "line %u: '%s' is not "
                "closed by '%s'", tag_line, close_len == 3 ? "{{{" : "{{",
                close_len == 3 ? "}}}" : "}}");
            return NULL;
        }
        c = (size_t) (q - text);
        line += badge_tpl_count_lines(text + o, c - o);
        in = text + inner;
        ilen = c - inner;
        /* trim spaces inside the braces */
        while (ilen > 0 && (*in == ' ' || *in == '\t' || *in == '\n')) {
            in++;
            ilen--;
        }
        while (ilen > 0 && (in[ilen - 1] == ' ' || in[ilen - 1] == '\t'
                            || in[ilen - 1] == '\n'))
        {
            ilen--;
        }
        sigil = close_len == 3 ? '{' : (ilen > 0 ? in[0] : '\0');
        if (close_len == 2 && strchr("#^/!&>=<{", sigil) != NULL
            && sigil != '\0')
        {
            in++;
            ilen--;
            while (ilen > 0 && (*in == ' ' || *in == '\t')) {
                in++;
                ilen--;
            }
        }
        pos = c + close_len;
        if (sigil == '>' || sigil == '<' || sigil == '=') {
            badge_err_set(err, "template_syntax", "line %u: '{{%c' (%s) is "
                "not supported", tag_line, sigil,
                sigil == '=' ? "changing delimiters" : "partials");
            return NULL;
        }
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!') {
            skip = badge_tpl_standalone(text, len, o, pos);
            if (skip >= 0) {
                badge_tpl_trim_last_text(&bd, text, o);
                pos += (size_t) skip;
                line += skip > 0 && text[pos - 1] == '\n';
            }
        }
        if (sigil == '!') {
            continue;
        }
        if (sigil == '/') {
            if (depth == 0) {
                badge_err_set(err, "template_syntax", "line %u: '{{/%.*s}}' "
                    "closes no open section", tag_line, (int) ilen, in);
                return NULL;
            }
            nd = &bd.nodes[open_idx[depth - 1]];
            if (nd->len != ilen || memcmp(nd->s, in, ilen) != 0) {
                badge_err_set(err, "template_syntax", "line %u: '{{/%.*s}}' "
                    "closes '%s' opened on line %u", tag_line, (int) ilen,
                    in, nd->s, open_line[depth - 1]);
                return NULL;
            }
            nd->end = bd.n;
            depth--;
            continue;
        }
        nd = badge_tpl_add(&bd, sigil == '#' ? BADGE_TPL_SECTION
                                : sigil == '^' ? BADGE_TPL_INVERTED
                                : (sigil == '{' || sigil == '&')
                                  ? BADGE_TPL_RAW : BADGE_TPL_VAR,
                           tag_line);
        if (nd == NULL) {
            goto oom;
        }
        if (badge_tpl_name(&bd, nd, in, ilen, tag_line, err) != 0) {
            return NULL;
        }
        if (sigil == '#' || sigil == '^') {
            if (depth == BADGE_TPL_MAX_DEPTH) {
                badge_err_set(err, "template_syntax", "line %u: sections "
                    "nested deeper than %d", tag_line, BADGE_TPL_MAX_DEPTH);
                return NULL;
            }
            open_idx[depth] = bd.n - 1;
            open_line[depth] = tag_line;
            depth++;
        }
    }
    if (depth > 0) {
        nd = &bd.nodes[open_idx[depth - 1]];
        badge_err_set(err, "template_syntax", "line %u: section '%s' is not "
            "closed (end of template at line %u)", open_line[depth - 1],
            nd->s, line);
        return NULL;
    }
    t = badge_arena_calloc(a, sizeof(*t));
    if (t == NULL) {
        goto oom;
    }
    t->nodes = bd.nodes;
    t->n = bd.n;
    return t;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                            */

#define BADGE_TPL_STACK  (BADGE_TPL_MAX_DEPTH + 2)

typedef struct {
    const badge_tpl_t  *t;
    badge_buf_t        *out;
    const badge_tv_t   *stack[BADGE_TPL_STACK];
    size_t              depth;
    long                work;
    badge_err_t        *err;
} badge_tpl_run_t;

static const badge_tv_t *
badge_tpl_lookup(const badge_tpl_run_t *r, const badge_tpl_node_t *nd)
{
    const badge_tv_t *v = NULL;
    size_t            i;

    if (nd->path == NULL) {
        return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
    }
    for (i = r->depth; i > 0; i--) {
        v = badge_tv_get(r->stack[i - 1], nd->path[0]);
        if (v != NULL) {
            break;
        }
    }
    for (i = 1; v != NULL && i < nd->npath; i++) {
        v = badge_tv_get(v, nd->path[i]);
    }
    return v;
}

static int
badge_tv_truthy(const badge_tv_t *v)
{
    if (v == NULL) {
        return 0;
    }
    switch (v->type) {
    case BADGE_TV_LIST:
        return v->count > 0;
    case BADGE_TV_OBJECT:
        return 1;
    case BADGE_TV_BOOL:
        return v->truth;
    default:
        return v->len > 0;
    }
}

static void
badge_tpl_emit(badge_buf_t *out, const badge_tv_t *v, int raw)
{
    if (v == NULL) {
        return;
    }
    switch (v->type) {
    case BADGE_TV_TEXT:
        badge_tpl_escape(out, v->str, v->len);
        break;
    case BADGE_TV_URL:
        if (badge_tpl_url_ok(v->str, v->len)) {
            badge_tpl_escape(out, v->str, v->len);
        } else {
            badge_buf_putc(out, '#');
        }
        break;
    case BADGE_TV_IMAGE:
        if (badge_tpl_image_ok(v->str, v->len)) {
            badge_tpl_escape(out, v->str, v->len);
        } else {
            badge_buf_putc(out, '#');
        }
        break;
    case BADGE_TV_SAFE:
        if (raw) {
            badge_buf_append(out, v->str, v->len);
        } else {
            badge_tpl_escape(out, v->str, v->len);
        }
        break;
    default:
        break;
    }
}

static int
badge_tpl_range(badge_tpl_run_t *r, size_t from, size_t to)
{
    const badge_tpl_node_t *nd;
    const badge_tv_t       *v, *item;
    size_t                  i = from;

    while (i < to) {
        if (++r->work > BADGE_TPL_MAX_WORK) {
            badge_err_set(r->err, "template_too_much_work",
                "the template does too much work for this data");
            return -1;
        }
        if (r->out->len > BADGE_TPL_MAX_OUTPUT) {
            badge_err_set(r->err, "template_output_too_large",
                "the page would be larger than %d bytes",
                BADGE_TPL_MAX_OUTPUT);
            return -1;
        }
        nd = &r->t->nodes[i];
        switch (nd->kind) {
        case BADGE_TPL_TEXT:
            badge_buf_append(r->out, nd->s, nd->len);
            break;
        case BADGE_TPL_VAR:
        case BADGE_TPL_RAW:
            badge_tpl_emit(r->out, badge_tpl_lookup(r, nd),
                           nd->kind == BADGE_TPL_RAW);
            break;
        case BADGE_TPL_SECTION:
            v = badge_tpl_lookup(r, nd);
            if (badge_tv_truthy(v) && r->depth < BADGE_TPL_STACK) {
                if (v->type == BADGE_TV_LIST) {
                    for (item = v->first; item != NULL; item = item->next) {
                        r->stack[r->depth++] = item;
                        if (badge_tpl_range(r, i + 1, nd->end) != 0) {
                            return -1;
                        }
                        r->depth--;
                    }
                } else {
                    r->stack[r->depth++] = v;
                    if (badge_tpl_range(r, i + 1, nd->end) != 0) {
                        return -1;
                    }
                    r->depth--;
                }
            }
            i = nd->end;
            continue;
        case BADGE_TPL_INVERTED:
            if (!badge_tv_truthy(badge_tpl_lookup(r, nd))
                && badge_tpl_range(r, i + 1, nd->end) != 0)
            {
                return -1;
            }
            i = nd->end;
            continue;
        }
        i++;
    }
    return 0;
}

int
badge_tpl_render(const badge_tpl_t *t, const badge_tv_t *root,
    badge_buf_t *out, badge_err_t *err)
{
    badge_tpl_run_t r;

    memset(&r, 0, sizeof(r));
    r.t = t;
    r.out = out;
    r.err = err;
    r.stack[r.depth++] = root;
    if (badge_tpl_range(&r, 0, t->n) != 0) {
        return -1;
    }
    if (out->failed) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    return 0;
}
