/*
 * jsonld_util.c: keywords, a string hash map in the arena, IRI helpers
 * (RFC 3986 reference resolution, well-formedness), UTF-8 checking and the
 * error helpers shared by the JSON-LD processor.
 */
#include "jsonld_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const jl_kw[JL_K__N] = {
    "@base", "@container", "@context", "@direction", "@graph",
    "@id", "@import", "@included", "@index", "@json",
    "@language", "@list", "@nest", "@none", "@prefix",
    "@propagate", "@protected", "@reverse", "@set", "@type",
    "@value", "@version", "@vocab"
};

const char *
jl_keyword(const char *s)
{
    int lo, hi, i;

    if (s == NULL || s[0] != '@') {
        return NULL;
    }
    /* jl_kw is sorted: only the entries with the same second character */
    switch (s[1]) {
    case 'b': lo = JL_K_BASE; hi = JL_K_BASE; break;
    case 'c': lo = JL_K_CONTAINER; hi = JL_K_CONTEXT; break;
    case 'd': lo = JL_K_DIRECTION; hi = JL_K_DIRECTION; break;
    case 'g': lo = JL_K_GRAPH; hi = JL_K_GRAPH; break;
    case 'i': lo = JL_K_ID; hi = JL_K_INDEX; break;
    case 'j': lo = JL_K_JSON; hi = JL_K_JSON; break;
    case 'l': lo = JL_K_LANGUAGE; hi = JL_K_LIST; break;
    case 'n': lo = JL_K_NEST; hi = JL_K_NONE; break;
    case 'p': lo = JL_K_PREFIX; hi = JL_K_PROTECTED; break;
    case 'r': lo = JL_K_REVERSE; hi = JL_K_REVERSE; break;
    case 's': lo = JL_K_SET; hi = JL_K_SET; break;
    case 't': lo = JL_K_TYPE; hi = JL_K_TYPE; break;
    case 'v': lo = JL_K_VALUE; hi = JL_K_VOCAB; break;
    default: return NULL;
    }
    for (i = lo; i <= hi; i++) {
        if (strcmp(s, jl_kw[i]) == 0) {
            return jl_kw[i];
        }
    }
    return NULL;
}

int
jl_keyword_form(const char *s)
{
    const char *p;

    if (s[0] != '@' || s[1] == '\0') {
        return 0;
    }
    for (p = s + 1; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
            return 0;
        }
    }
    return 1;
}

/* ---- errors ---- */

void
jl_err(jl_state_t *st, const char *code, const char *spec, const char *fmt,
    ...)
{
    char    detail[200];
    va_list ap;

    if (st->failed) {
        return;         /* the first error is the one reported */
    }
    st->failed = 1;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (detail[0] != '\0') {
        badge_err_set(st->err, code, "%s: %s", spec, detail);
    } else {
        badge_err_set(st->err, code, "%s", spec);
    }
}

void
jl_oom(jl_state_t *st)
{
    jl_err(st, E_NOMEM, "%s", "");
}

void
jl_note_dropped(jl_state_t *st, const char *what)
{
    void       **slot;
    const char **n;
    size_t       cap;

    if (st->dropped_map.s == NULL
        && jl_smap_init(&st->dropped_map, st->a, 8) != 0)
    {
        return;
    }
    slot = jl_smap_put(&st->dropped_map, what, strlen(what));
    if (slot == NULL || *slot != NULL) {
        return;
    }
    *slot = (void *) what;
    if (st->n_dropped == st->cap_dropped) {
        cap = st->cap_dropped ? st->cap_dropped * 2 : 8;
        n = badge_arena_alloc(st->a, cap * sizeof(*n));
        if (n == NULL) {
            return;
        }
        if (st->n_dropped) {
            memcpy(n, st->dropped, st->n_dropped * sizeof(*n));
        }
        st->dropped = n;
        st->cap_dropped = cap;
    }
    st->dropped[st->n_dropped++] = badge_arena_strdup(st->a, what);
}

/* ---- string map ---- */

/* 8 bytes per step: byte-wise FNV is latency bound and showed up in
 * profiles of large credentials */
uint64_t
jl_hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t             h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;

    while (n >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ (w * 0xbf58476d1ce4e5b9ull)) * 0x94d049bb133111ebull;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ (w * 0xbf58476d1ce4e5b9ull)) * 0x94d049bb133111ebull;
    h ^= h >> 29;
    return h;
}

uint32_t
jl_hash(const char *s, size_t n)
{
    uint64_t h = jl_hash64(s, n, 0x2545f4914f6cdd1dull);

    return (uint32_t) (h ^ (h >> 32));
}

int
jl_smap_init(jl_smap_t *m, badge_arena_t *a, uint32_t hint)
{
    uint32_t cap = 8;

    while (cap < hint * 2) {
        cap *= 2;
    }
    m->a = a;
    m->n = 0;
    m->cap = cap;
    m->s = badge_arena_calloc(a, cap * sizeof(jl_slot_t));
    return m->s == NULL ? -1 : 0;
}

void **
jl_smap_get(const jl_smap_t *m, const char *k, size_t klen)
{
    uint32_t   h, i;
    jl_slot_t *sl;

    if (m->s == NULL) {
        return NULL;
    }
    h = jl_hash(k, klen);
    for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        sl = &m->s[i];
        if (sl->k == NULL) {
            return NULL;
        }
        if (sl->h == h && sl->klen == klen && memcmp(sl->k, k, klen) == 0) {
            return &sl->v;
        }
    }
}

static int
jl_smap_grow(jl_smap_t *m)
{
    jl_slot_t *old = m->s, *ns;
    uint32_t   oc = m->cap, nc = m->cap * 2, i, j;

    ns = badge_arena_calloc(m->a, nc * sizeof(jl_slot_t));
    if (ns == NULL) {
        return -1;
    }
    for (i = 0; i < oc; i++) {
        if (old[i].k == NULL) {
            continue;
        }
        for (j = old[i].h & (nc - 1); ns[j].k != NULL; j = (j + 1) & (nc - 1))
        {
            /* probe */
        }
        ns[j] = old[i];
    }
    m->s = ns;
    m->cap = nc;
    return 0;
}

void **
jl_smap_put(jl_smap_t *m, const char *k, size_t klen)
{
    uint32_t   h, i;
    jl_slot_t *sl;

    if ((m->n + 1) * 2 > m->cap && jl_smap_grow(m) != 0) {
        return NULL;
    }
    h = jl_hash(k, klen);
    for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        sl = &m->s[i];
        if (sl->k == NULL) {
            sl->k = k;
            sl->klen = klen;
            sl->h = h;
            sl->v = NULL;
            m->n++;
            return &sl->v;
        }
        if (sl->h == h && sl->klen == klen && memcmp(sl->k, k, klen) == 0) {
            return &sl->v;
        }
    }
}

/* ---- IRIs ---- */

static int
jl_scheme_len(const char *s)
{
    const char *p = s;

    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
        return 0;
    }
    for (p++; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
            || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'
            || *p == '.')
        {
            continue;
        }
        break;
    }
    return *p == ':' ? (int) (p - s) : 0;
}

int
jl_is_absolute_iri(const char *s)
{
    const char *p;

    if (s[0] == '_' && s[1] == ':') {
        p = s + 2;
    } else {
        int n = jl_scheme_len(s);

        if (n == 0) {
            return 0;
        }
        p = s + n + 1;
    }
    for (; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'
            || *p == '\f' || *p == '\v')
        {
            return 0;
        }
    }
    return 1;
}

/* characters an IRI may not contain (RFC 3987): 1; "#": 2 (counted) */
static const unsigned char jl_iri_bad[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0,
};

int
jl_is_wf_iri(const char *s)
{
    const unsigned char *p;
    int                  n, hash = 0;

    n = jl_scheme_len(s);
    if (n == 0) {
        return 0;
    }
    for (p = (const unsigned char *) s + n + 1; *p; p++) {
        if (jl_iri_bad[*p]) {
            if (jl_iri_bad[*p] == 1 || hash++) {
                return 0;         /* a fragment cannot contain "#" */
            }
        }
    }
    return 1;
}

int
jl_is_bnode(const char *s)
{
    return s[0] == '_' && s[1] == ':';
}

int
jl_lang_wf(const char *s)
{
    const char *p = s;
    int         n = 0;

    for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'); p++) {
        n++;
    }
    if (n < 1 || n > 8) {
        return 0;
    }
    while (*p == '-') {
        p++;
        n = 0;
        for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
               || (*p >= '0' && *p <= '9'); p++)
        {
            n++;
        }
        if (n < 1 || n > 8) {
            return 0;
        }
    }
    return *p == '\0';
}

char *
jl_strcat2(badge_arena_t *a, const char *x, const char *y)
{
    size_t lx = strlen(x), ly = strlen(y);
    char  *r = badge_arena_alloc(a, lx + ly + 1);

    if (r != NULL) {
        memcpy(r, x, lx);
        memcpy(r + lx, y, ly + 1);
    }
    return r;
}

char *
jl_lower(badge_arena_t *a, const char *s)
{
    const char *p;
    char       *r, *q;

    for (p = s; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            break;
        }
    }
    if (*p == '\0') {
        return (char *) s;     /* already lower case: no copy */
    }
    r = badge_arena_strdup(a, s);
    if (r == NULL) {
        return NULL;
    }
    for (q = r; *q; q++) {
        if (*q >= 'A' && *q <= 'Z') {
            *q = (char) (*q - 'A' + 'a');
        }
    }
    return r;
}

/* RFC 3986 components: each part is (ptr, len) with ptr NULL if absent */
typedef struct {
    const char *scheme;    size_t scheme_len;
    const char *auth;      size_t auth_len;
    const char *path;      size_t path_len;
    const char *query;     size_t query_len;
    const char *frag;      size_t frag_len;
} jl_uri_t;

static void
jl_uri_split(const char *s, jl_uri_t *u)
{
    const char *p = s, *e;
    int         n;

    memset(u, 0, sizeof(*u));
    n = jl_scheme_len(s);
    if (n > 0) {
        u->scheme = s;
        u->scheme_len = (size_t) n;
        p = s + n + 1;
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        e = p + strcspn(p, "/?#");
        u->auth = p;
        u->auth_len = (size_t) (e - p);
        p = e;
    }
    e = p + strcspn(p, "?#");
    u->path = p;
    u->path_len = (size_t) (e - p);
    p = e;
    if (*p == '?') {
        p++;
        e = p + strcspn(p, "#");
        u->query = p;
        u->query_len = (size_t) (e - p);
        p = e;
    }
    if (*p == '#') {
        p++;
        u->frag = p;
        u->frag_len = strlen(p);
    }
}

/* remove_dot_segments (RFC 3986 5.2.4) of in[0..n) into out; returns the
 * output length.  out must hold n + 1 bytes. */
static size_t
jl_remove_dots(const char *in, size_t n, char *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        if (n - i >= 3 && memcmp(in + i, "../", 3) == 0) {
            i += 3;
        } else if (n - i >= 2 && memcmp(in + i, "./", 2) == 0) {
            i += 2;
        } else if (n - i >= 3 && memcmp(in + i, "/./", 3) == 0) {
            i += 2;
        } else if (n - i == 2 && memcmp(in + i, "/.", 2) == 0) {
            i += 1;
            out[o++] = '/';
            i += 1;
        } else if ((n - i >= 4 && memcmp(in + i, "/../", 4) == 0)
                   || (n - i == 3 && memcmp(in + i, "/..", 3) == 0))
        {
            if (n - i == 3) {
                i += 3;
                /* replace with "/" after popping */
                while (o > 0 && out[o - 1] != '/') {
                    o--;
                }
                if (o > 0) {
                    o--;
                }
                out[o++] = '/';
                continue;
            }
            i += 3;
            while (o > 0 && out[o - 1] != '/') {
                o--;
            }
            if (o > 0) {
                o--;
            }
        } else if ((n - i == 1 && in[i] == '.')
                   || (n - i == 2 && in[i] == '.' && in[i + 1] == '.'))
        {
            i = n;
        } else {
            /* move the first segment (with its leading "/") */
            if (in[i] == '/') {
                out[o++] = in[i++];
            }
            while (i < n && in[i] != '/') {
                out[o++] = in[i++];
            }
        }
    }
    out[o] = '\0';
    return o;
}

const char *
jl_resolve(badge_arena_t *a, const char *base, const char *ref)
{
    jl_uri_t    b, r;
    const char *auth, *query, *frag;
    size_t      auth_len, query_len, frag_len, plen, cap;
    char       *merged, *path, *out, *q;
    int         has_auth, has_query;

    if (base == NULL) {
        return ref;
    }
    jl_uri_split(ref, &r);
    jl_uri_split(base, &b);

    cap = strlen(base) + strlen(ref) + 8;
    merged = badge_arena_alloc(a, cap);
    path = badge_arena_alloc(a, cap);
    out = badge_arena_alloc(a, cap * 2);
    if (merged == NULL || path == NULL || out == NULL) {
        return NULL;
    }

    if (r.scheme != NULL) {
        size_t n = jl_remove_dots(r.path, r.path_len, path);

        q = out;
        memcpy(q, r.scheme, r.scheme_len);
        q += r.scheme_len;
        *q++ = ':';
        if (r.auth != NULL) {
            *q++ = '/';
            *q++ = '/';
            memcpy(q, r.auth, r.auth_len);
            q += r.auth_len;
        }
        memcpy(q, path, n);
        q += n;
        if (r.query != NULL) {
            *q++ = '?';
            memcpy(q, r.query, r.query_len);
            q += r.query_len;
        }
        if (r.frag != NULL) {
            *q++ = '#';
            memcpy(q, r.frag, r.frag_len);
            q += r.frag_len;
        }
        *q = '\0';
        return out;
    }

    if (r.auth != NULL) {
        has_auth = 1;
        auth = r.auth;
        auth_len = r.auth_len;
        plen = jl_remove_dots(r.path, r.path_len, path);
        has_query = r.query != NULL;
        query = r.query;
        query_len = r.query_len;
    } else {
        has_auth = b.auth != NULL;
        auth = b.auth;
        auth_len = b.auth_len;
        if (r.path_len == 0) {
            memcpy(path, b.path, b.path_len);
            plen = b.path_len;
            path[plen] = '\0';
            if (r.query != NULL) {
                has_query = 1;
                query = r.query;
                query_len = r.query_len;
            } else {
                has_query = b.query != NULL;
                query = b.query;
                query_len = b.query_len;
            }
        } else {
            if (r.path[0] == '/') {
                plen = jl_remove_dots(r.path, r.path_len, path);
            } else {
                size_t m = 0;

                if (b.auth != NULL && b.path_len == 0) {
                    merged[m++] = '/';
                } else {
                    size_t k = b.path_len;

                    while (k > 0 && b.path[k - 1] != '/') {
                        k--;
                    }
                    memcpy(merged, b.path, k);
                    m = k;
                }
                memcpy(merged + m, r.path, r.path_len);
                m += r.path_len;
                plen = jl_remove_dots(merged, m, path);
            }
            has_query = r.query != NULL;
            query = r.query;
            query_len = r.query_len;
        }
    }
    frag = r.frag;
    frag_len = r.frag_len;

    q = out;
    if (b.scheme != NULL) {
        memcpy(q, b.scheme, b.scheme_len);
        q += b.scheme_len;
        *q++ = ':';
    }
    if (has_auth) {
        *q++ = '/';
        *q++ = '/';
        memcpy(q, auth, auth_len);
        q += auth_len;
    }
    memcpy(q, path, plen);
    q += plen;
    if (has_query) {
        *q++ = '?';
        memcpy(q, query, query_len);
        q += query_len;
    }
    if (frag != NULL) {
        *q++ = '#';
        memcpy(q, frag, frag_len);
        q += frag_len;
    }
    *q = '\0';
    return out;
}

int
jl_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s, *e = p + n;
    unsigned             c;

    while (p < e) {
        uint64_t w;

        if (e - p >= 8) {
            memcpy(&w, p, 8);
            if ((w & 0x8080808080808080ull) == 0) {
                p += 8;           /* ASCII fast path */
                continue;
            }
        }
        c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            if (e - p < 2 || (p[1] & 0xc0) != 0x80) {
                return 0;
            }
            p += 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            if (e - p < 3 || (p[1] & 0xc0) != 0x80
                || (p[2] & 0xc0) != 0x80)
            {
                return 0;
            }
            if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f)) {
                return 0;        /* overlong or surrogate */
            }
            p += 3;
        } else if (c >= 0xf0 && c <= 0xf4) {
            if (e - p < 4 || (p[1] & 0xc0) != 0x80
                || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            {
                return 0;
            }
            if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f)) {
                return 0;
            }
            p += 4;
        } else {
            return 0;
        }
    }
    return 1;
}
