/*
 * nquads.c: the W3C RDF 1.1 N-Quads syntax, strict parser and canonical
 * serializer (the form RDFC-1.0 hashes and outputs).
 */
#include "nquads.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define NQ_ERR  "nquads_syntax"

typedef struct {
    badge_arena_t       *arena;
    const unsigned char *p;
    const unsigned char *end;
    size_t               line;
    badge_err_t         *err;
    badge_buf_t          tmp;      /* unescaping scratch, reused per term */
} badge_nq_parser_t;


void
badge_quads_init(badge_quads_t *q, badge_arena_t *a, size_t limit)
{
    q->arena = a;
    q->items = NULL;
    q->n = 0;
    q->cap = 0;
    q->limit = limit;
}


int
badge_quads_add(badge_quads_t *q, const badge_quad_t *quad)
{
    badge_quad_t *items;
    size_t        cap;

    if (q->limit != 0 && q->n >= q->limit) {
        return -1;
    }
    if (q->n == q->cap) {
        cap = q->cap ? q->cap * 2 : 32;
        if (cap > SIZE_MAX / sizeof(badge_quad_t)) {
            return -1;
        }
        /* the old array stays in the arena; doubling keeps the waste < 1x */
        items = badge_arena_alloc(q->arena, cap * sizeof(badge_quad_t));
        if (items == NULL) {
            return -1;
        }
        if (q->n > 0) {
            memcpy(items, q->items, q->n * sizeof(badge_quad_t));
        }
        q->items = items;
        q->cap = cap;
    }
    q->items[q->n++] = *quad;
    return 0;
}


static void
badge_nq_put_cp(badge_buf_t *b, uint32_t c)
{
    char u[4];

    if (c == 0) {
        /* modified UTF-8: keeps the value a C string (see nquads.h) */
        badge_buf_append(b, "\xC0\x80", 2);
    } else if (c < 0x80) {
        badge_buf_putc(b, (char) c);
    } else if (c < 0x800) {
        u[0] = (char) (0xC0 | (c >> 6));
        u[1] = (char) (0x80 | (c & 0x3F));
        badge_buf_append(b, u, 2);
    } else if (c < 0x10000) {
        u[0] = (char) (0xE0 | (c >> 12));
        u[1] = (char) (0x80 | ((c >> 6) & 0x3F));
        u[2] = (char) (0x80 | (c & 0x3F));
        badge_buf_append(b, u, 3);
    } else {
        u[0] = (char) (0xF0 | (c >> 18));
        u[1] = (char) (0x80 | ((c >> 12) & 0x3F));
        u[2] = (char) (0x80 | ((c >> 6) & 0x3F));
        u[3] = (char) (0x80 | (c & 0x3F));
        badge_buf_append(b, u, 4);
    }
}


static int
badge_nq_fail(badge_nq_parser_t *ps, const char *what)
{
    badge_err_set(ps->err, NQ_ERR, "line %zu: %s", ps->line, what);
    return -1;
}


static int
badge_nq_hex(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}


/* UCHAR after the backslash: p points at 'u' or 'U'. */
static int
badge_nq_uchar(badge_nq_parser_t *ps, uint32_t *cp)
{
    size_t   n, i;
    uint32_t c = 0;
    int      h;

    n = (*ps->p == 'u') ? 4 : 8;
    ps->p++;
    if ((size_t) (ps->end - ps->p) < n) {
        return badge_nq_fail(ps, "truncated \\u escape");
    }
    for (i = 0; i < n; i++) {
        h = badge_nq_hex(ps->p[i]);
        if (h < 0) {
            return badge_nq_fail(ps, "bad hex digit in \\u escape");
        }
        c = (c << 4) | (uint32_t) h;
    }
    ps->p += n;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return badge_nq_fail(ps, "\\u escape is not a Unicode scalar value");
    }
    *cp = c;
    return 0;
}


static char *
badge_nq_take(badge_nq_parser_t *ps)
{
    char *s = badge_arena_strndup(ps->arena, ps->tmp.data, ps->tmp.len);

    if (s == NULL || ps->tmp.failed) {
        badge_err_set(ps->err, "out_of_memory", "line %zu: out of memory",
                      ps->line);
        return NULL;
    }
    return s;
}


/* Characters IRIREF forbids, raw or (our choice, so output stays
 * parseable) through \u escapes. */
static int
badge_nq_iri_bad(uint32_t c)
{
    return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{'
           || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\';
}


static int
badge_nq_iri(badge_nq_parser_t *ps, const char **out)
{
    const unsigned char *q, *run;
    uint32_t             c;
    size_t               n, i;
    char                *s;

    ps->p++;    /* '<' */
    ps->tmp.len = 0;
    for ( ;; ) {
        if (ps->p >= ps->end) {
            return badge_nq_fail(ps, "unterminated IRI");
        }
        c = *ps->p;
        if (c == '>') {
            ps->p++;
            break;
        }
        if (c == '\\') {
            ps->p++;
            if (ps->p >= ps->end || (*ps->p != 'u' && *ps->p != 'U')) {
                return badge_nq_fail(ps, "bad escape in IRI");
            }
            if (badge_nq_uchar(ps, &c) != 0) {
                return -1;
            }
            if (badge_nq_iri_bad(c)) {
                return badge_nq_fail(ps,
                                     "escaped character not allowed in IRI");
            }
            badge_nq_put_cp(&ps->tmp, c);
            continue;
        }
        if (badge_nq_iri_bad(c)) {
            return badge_nq_fail(ps, "character not allowed in IRI");
        }
        /* copy the run of plain bytes at once (UTF-8 validated already;
         * bytes >= 0x80 are never special) */
        run = ps->p++;
        while (ps->p < ps->end && *ps->p != '>' && *ps->p != '\\'
               && (*ps->p >= 0x80 || !badge_nq_iri_bad(*ps->p)))
        {
            ps->p++;
        }
        badge_buf_append(&ps->tmp, run, (size_t) (ps->p - run));
    }

    /* N-Quads allows absolute IRIs only: scheme ":" ... */
    q = (const unsigned char *) ps->tmp.data;
    n = ps->tmp.len;
    if (n == 0 || !((q[0] | 0x20) >= 'a' && (q[0] | 0x20) <= 'z')) {
        return badge_nq_fail(ps, "relative IRI");
    }
    for (i = 1; i < n; i++) {
        if (q[i] == ':') {
            break;
        }
        if (!(((q[i] | 0x20) >= 'a' && (q[i] | 0x20) <= 'z')
              || (q[i] >= '0' && q[i] <= '9')
              || q[i] == '+' || q[i] == '-' || q[i] == '.'))
        {
            return badge_nq_fail(ps, "relative IRI");
        }
    }
    if (i >= n) {
        return badge_nq_fail(ps, "relative IRI");
    }
    s = badge_nq_take(ps);
    if (s == NULL) {
        return -1;
    }
    *out = s;
    return 0;
}


static int
badge_nq_pn_chars_base(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6)
           || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D)
           || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
           || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF)
           || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF)
           || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}


static int
badge_nq_pn_chars_u(uint32_t c)
{
    return badge_nq_pn_chars_base(c) || c == '_' || c == ':';
}


static int
badge_nq_pn_chars(uint32_t c)
{
    return badge_nq_pn_chars_u(c) || c == '-' || (c >= '0' && c <= '9')
           || c == 0xB7 || (c >= 0x300 && c <= 0x36F)
           || (c >= 0x203F && c <= 0x2040);
}


static int
badge_nq_bnode(badge_nq_parser_t *ps, const char **out)
{
    const unsigned char *start, *last;
    uint32_t             c;
    size_t               n;
    char                *s;

    if (ps->end - ps->p < 3 || ps->p[1] != ':') {
        return badge_nq_fail(ps, "bad blank node label");
    }
    ps->p += 2;
    start = ps->p;
    n = badge_utf8_decode(ps->p, ps->end, &c);
    if (!(badge_nq_pn_chars_u(c) || (c >= '0' && c <= '9'))) {
        return badge_nq_fail(ps, "bad blank node label");
    }
    ps->p += n;
    last = ps->p;
    while (ps->p < ps->end) {
        n = badge_utf8_decode(ps->p, ps->end, &c);
        if (c == '.') {
            ps->p += n;
            continue;
        }
        if (!badge_nq_pn_chars(c)) {
            break;
        }
        ps->p += n;
        last = ps->p;
    }
    /* a label cannot end in '.': trailing dots belong to the statement */
    ps->p = last;
    s = badge_arena_strndup(ps->arena, (const char *) start,
                            (size_t) (last - start));
    if (s == NULL) {
        badge_err_set(ps->err, "out_of_memory", "line %zu: out of memory",
                      ps->line);
        return -1;
    }
    *out = s;
    return 0;
}


static int
badge_nq_literal(badge_nq_parser_t *ps, badge_term_t *t)
{
    const unsigned char *start, *run;
    uint32_t             c;
    size_t               n;
    char                *s;
    const char          *dt;

    ps->p++;    /* '"' */
    ps->tmp.len = 0;
    for ( ;; ) {
        if (ps->p >= ps->end) {
            return badge_nq_fail(ps, "unterminated literal");
        }
        c = *ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c == '\n' || c == '\r') {
            return badge_nq_fail(ps, "line break in literal");
        }
        if (c == '\\') {
            ps->p++;
            if (ps->p >= ps->end) {
                return badge_nq_fail(ps, "unterminated literal");
            }
            switch (*ps->p) {
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 'f': c = '\f'; break;
            case '"': c = '"'; break;
            case '\'': c = '\''; break;
            case '\\': c = '\\'; break;
            case 'u':
            case 'U':
                if (badge_nq_uchar(ps, &c) != 0) {
                    return -1;
                }
                badge_nq_put_cp(&ps->tmp, c);
                continue;
            default:
                return badge_nq_fail(ps, "bad escape in literal");
            }
            ps->p++;
            badge_buf_putc(&ps->tmp, (char) c);
            continue;
        }
        if (c == 0) {
            badge_nq_put_cp(&ps->tmp, 0);
            ps->p++;
            continue;
        }
        run = ps->p++;
        while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\'
               && *ps->p != '\n' && *ps->p != '\r' && *ps->p != 0)
        {
            ps->p++;
        }
        badge_buf_append(&ps->tmp, run, (size_t) (ps->p - run));
    }
    s = badge_nq_take(ps);
    if (s == NULL) {
        return -1;
    }
    t->kind = BADGE_TERM_LITERAL;
    t->value = s;
    t->datatype = NULL;
    t->lang = NULL;

    if (ps->p < ps->end && *ps->p == '@') {
        ps->p++;
        start = ps->p;
        while (ps->p < ps->end
               && ((*ps->p | 0x20) >= 'a' && (*ps->p | 0x20) <= 'z'))
        {
            ps->p++;
        }
        if (ps->p == start) {
            return badge_nq_fail(ps, "bad language tag");
        }
        while (ps->p < ps->end && *ps->p == '-') {
            ps->p++;
            n = 0;
            while (ps->p < ps->end
                   && (((*ps->p | 0x20) >= 'a' && (*ps->p | 0x20) <= 'z')
                       || (*ps->p >= '0' && *ps->p <= '9')))
            {
                ps->p++;
                n++;
            }
            if (n == 0) {
                return badge_nq_fail(ps, "bad language tag");
            }
        }
        s = badge_arena_strndup(ps->arena, (const char *) start,
                                (size_t) (ps->p - start));
        if (s == NULL) {
            badge_err_set(ps->err, "out_of_memory", "line %zu: out of memory",
                          ps->line);
            return -1;
        }
        t->lang = s;

    } else if (ps->p < ps->end && *ps->p == '^') {
        if (ps->end - ps->p < 3 || ps->p[1] != '^' || ps->p[2] != '<') {
            return badge_nq_fail(ps, "bad datatype");
        }
        ps->p += 2;
        if (badge_nq_iri(ps, &dt) != 0) {
            return -1;
        }
        /* xsd:string is the default: store it as NULL so that equal
         * literals compare equal */
        t->datatype = strcmp(dt, BADGE_XSD_STRING) == 0 ? NULL : dt;
    }
    return 0;
}


static void
badge_nq_ws(badge_nq_parser_t *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t')) {
        ps->p++;
    }
}


static int
badge_nq_statement(badge_nq_parser_t *ps, badge_quads_t *out)
{
    badge_quad_t q;

    memset(&q, 0, sizeof(q));

    /* subject */
    if (*ps->p == '<') {
        q.s.kind = BADGE_TERM_IRI;
        if (badge_nq_iri(ps, &q.s.value) != 0) {
            return -1;
        }
    } else if (*ps->p == '_') {
        q.s.kind = BADGE_TERM_BNODE;
        if (badge_nq_bnode(ps, &q.s.value) != 0) {
            return -1;
        }
    } else {
        return badge_nq_fail(ps, "expected subject IRI or blank node");
    }
    badge_nq_ws(ps);

    /* predicate */
    if (ps->p >= ps->end || *ps->p != '<') {
        return badge_nq_fail(ps, "expected predicate IRI");
    }
    q.p.kind = BADGE_TERM_IRI;
    if (badge_nq_iri(ps, &q.p.value) != 0) {
        return -1;
    }
    badge_nq_ws(ps);

    /* object */
    if (ps->p >= ps->end) {
        return badge_nq_fail(ps, "expected object");
    }
    if (*ps->p == '<') {
        q.o.kind = BADGE_TERM_IRI;
        if (badge_nq_iri(ps, &q.o.value) != 0) {
            return -1;
        }
    } else if (*ps->p == '_') {
        q.o.kind = BADGE_TERM_BNODE;
        if (badge_nq_bnode(ps, &q.o.value) != 0) {
            return -1;
        }
    } else if (*ps->p == '"') {
        if (badge_nq_literal(ps, &q.o) != 0) {
            return -1;
        }
    } else {
        return badge_nq_fail(ps, "expected object");
    }
    badge_nq_ws(ps);

    /* optional graph label */
    if (ps->p < ps->end && *ps->p == '<') {
        q.g.kind = BADGE_TERM_IRI;
        if (badge_nq_iri(ps, &q.g.value) != 0) {
            return -1;
        }
    } else if (ps->p < ps->end && *ps->p == '_') {
        q.g.kind = BADGE_TERM_BNODE;
        if (badge_nq_bnode(ps, &q.g.value) != 0) {
            return -1;
        }
    }
    badge_nq_ws(ps);

    if (ps->p >= ps->end || *ps->p != '.') {
        return badge_nq_fail(ps, "expected '.' at end of statement");
    }
    ps->p++;
    badge_nq_ws(ps);
    if (ps->p < ps->end && *ps->p == '#') {
        while (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r') {
            ps->p++;
        }
    }
    if (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r') {
        return badge_nq_fail(ps, "expected end of line after '.'");
    }

    if (badge_quads_add(out, &q) != 0) {
        badge_err_set(ps->err, "nquads_too_large",
                      "line %zu: too many quads or out of memory", ps->line);
        return -1;
    }
    return 0;
}


int
badge_nquads_parse(badge_arena_t *a, const char *text, size_t len,
    badge_quads_t *out, badge_err_t *err)
{
    badge_nq_parser_t    ps;
    const unsigned char *p, *end;
    uint32_t             c;
    size_t               n, line;

    /* Validate the encoding once, up front, so the scanners below can
     * trust every multi-byte sequence. */
    p = (const unsigned char *) text;
    end = p + len;
    line = 1;
    while (p < end) {
        if (*p < 0x80) {
            if (*p == '\n') {
                line++;
            }
            p++;
            continue;
        }
        n = badge_utf8_decode(p, end, &c);
        if (n == 0) {
            badge_err_set(err, NQ_ERR, "line %zu: invalid UTF-8", line);
            return -1;
        }
        p += n;
    }

    ps.arena = a;
    ps.p = (const unsigned char *) text;
    ps.end = end;
    ps.line = 1;
    ps.err = err;
    badge_buf_init(&ps.tmp, a, 256);
    if (ps.tmp.failed) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }

    while (ps.p < ps.end) {
        badge_nq_ws(&ps);
        if (ps.p >= ps.end) {
            break;
        }
        switch (*ps.p) {
        case '\r':
            ps.p++;
            if (ps.p < ps.end && *ps.p == '\n') {
                ps.p++;
            }
            ps.line++;
            continue;
        case '\n':
            ps.p++;
            ps.line++;
            continue;
        case '#':
            while (ps.p < ps.end && *ps.p != '\n' && *ps.p != '\r') {
                ps.p++;
            }
            continue;
        default:
            if (badge_nq_statement(&ps, out) != 0) {
                return -1;
            }
        }
    }
    return 0;
}


void
badge_nquads_write_escaped(badge_buf_t *b, const char *s, size_t len)
{
    static const char     hex[] = "0123456789ABCDEF";
    const unsigned char  *p = (const unsigned char *) s;
    const unsigned char  *end = p + len;
    const unsigned char  *run;
    char                  esc[6];

    run = p;
    while (p < end) {
        unsigned char c = *p;
        const char   *e = NULL;

        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && c != 0xC0) {
            p++;
            continue;
        }
        badge_buf_append(b, run, (size_t) (p - run));
        switch (c) {
        case '\b': e = "\\b"; break;
        case '\t': e = "\\t"; break;
        case '\n': e = "\\n"; break;
        case '\f': e = "\\f"; break;
        case '\r': e = "\\r"; break;
        case '"':  e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        default:
            break;
        }
        if (e != NULL) {
            badge_buf_append(b, e, 2);
            p++;
        } else if (c == 0xC0) {
            /* C0 80 is our stored U+0000; a lone C0 cannot occur in
             * validated UTF-8, but copy it rather than lose it */
            if (p + 1 < end && p[1] == 0x80) {
                badge_buf_append(b, "\\u0000", 6);
                p += 2;
            } else {
                badge_buf_putc(b, (char) c);
                p++;
            }
        } else {
            esc[0] = '\\';
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xF];
            badge_buf_append(b, esc, 6);
            p++;
        }
        run = p;
    }
    badge_buf_append(b, run, (size_t) (p - run));
}


void
badge_nquads_write_term(badge_buf_t *b, const badge_term_t *t)
{
    switch (t->kind) {
    case BADGE_TERM_IRI:
        badge_buf_putc(b, '<');
        badge_buf_puts(b, t->value);
        badge_buf_putc(b, '>');
        break;
    case BADGE_TERM_BNODE:
        badge_buf_append(b, "_:", 2);
        badge_buf_puts(b, t->value);
        break;
    case BADGE_TERM_LITERAL:
        badge_buf_putc(b, '"');
        badge_nquads_write_escaped(b, t->value, strlen(t->value));
        badge_buf_putc(b, '"');
        if (t->lang != NULL) {
            badge_buf_putc(b, '@');
            badge_buf_puts(b, t->lang);
        } else if (t->datatype != NULL
                   && strcmp(t->datatype, BADGE_XSD_STRING) != 0)
        {
            badge_buf_append(b, "^^<", 3);
            badge_buf_puts(b, t->datatype);
            badge_buf_putc(b, '>');
        }
        break;
    case BADGE_TERM_NONE:
        break;
    }
}


void
badge_nquads_write_quad(badge_buf_t *b, const badge_quad_t *q)
{
    badge_nquads_write_term(b, &q->s);
    badge_buf_putc(b, ' ');
    badge_nquads_write_term(b, &q->p);
    badge_buf_putc(b, ' ');
    badge_nquads_write_term(b, &q->o);
    if (q->g.kind != BADGE_TERM_NONE) {
        badge_buf_putc(b, ' ');
        badge_nquads_write_term(b, &q->g);
    }
    badge_buf_append(b, " .\n", 3);
}


char *
badge_nquads_serialize(badge_arena_t *a, const badge_quads_t *q, size_t *len)
{
    badge_buf_t b;
    size_t      i;
    char       *s;

    badge_buf_init(&b, a, q->n * 96 + 1);
    for (i = 0; i < q->n; i++) {
        badge_nquads_write_quad(&b, &q->items[i]);
    }
    s = badge_buf_cstr(&b);
    if (s != NULL && len != NULL) {
        *len = b.len;
    }
    return s;
}
