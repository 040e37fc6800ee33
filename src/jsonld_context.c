/*
 * jsonld_context.c: JSON-LD 1.1 Context Processing, Create Term Definition
 * and IRI Expansion, and the long-lived cache of processed contexts.
 *
 * Processing a local context is a chain of transitions on an immutable
 * active context: (ctx, remote URL), (ctx, context map), (ctx, null),
 * (ctx, "set previous context").  A transition whose inputs all come from
 * bundled documents is memoised in the cache under (parent id, step); its
 * result lives in an arena owned by the cache entry and gets an id, so
 * further transitions from it can be memoised too.  Anything touching the
 * input document or a document from opts->load is built in the caller's
 * arena (or a temporary arena freed at the end of the call) instead.
 */
#include "jsonld_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contexts.h"

#define JL_CACHE_MAX_ENTRIES  2048
#define JL_DEF_PENDING        ((void *) 1)
#define JL_DEF_DONE           ((void *) 2)

enum { JL_T_INIT = 1, JL_T_URL, JL_T_MAP, JL_T_PREV, JL_T_NULL };

typedef struct jl_centry_s {
    struct jl_centry_s *next;
    uint64_t            parent;
    uint32_t            kind;
    uint32_t            flags;
    const void         *ptr;
    char               *str;        /* malloc'd copy, may be NULL */
    uint32_t            hash;
    const jl_ctx_t     *ctx;
    badge_arena_t      *arena;      /* owned; NULL for URL memos */
} jl_centry_t;

struct badge_jsonld_cache_s {
    pthread_mutex_t  mu;
    jl_centry_t    **b;
    size_t           nb;
    size_t           n;
    size_t           max;
    uint64_t         next_id;
    json_t         **docs;          /* parsed bundled documents by index */
    size_t           ndocs;
};

/* ---- the cache ---- */

badge_jsonld_cache_t *
badge_jsonld_cache_new(void)
{
    badge_jsonld_cache_t *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        return NULL;
    }
    c->nb = 1024;
    c->b = calloc(c->nb, sizeof(*c->b));
    c->ndocs = badge_contexts_count();
    c->docs = calloc(c->ndocs ? c->ndocs : 1, sizeof(*c->docs));
    if (c->b == NULL || c->docs == NULL
        || pthread_mutex_init(&c->mu, NULL) != 0)
    {
        free(c->b);
        free(c->docs);
        free(c);
        return NULL;
    }
    c->max = JL_CACHE_MAX_ENTRIES;
    return c;
}

void
badge_jsonld_cache_free(badge_jsonld_cache_t *c)
{
    jl_centry_t *e, *next;
    size_t       i;

    if (c == NULL) {
        return;
    }
    for (i = 0; i < c->nb; i++) {
        for (e = c->b[i]; e != NULL; e = next) {
            next = e->next;
            badge_arena_free(e->arena);
            free(e->str);
            free(e);
        }
    }
    for (i = 0; i < c->ndocs; i++) {
        json_decref(c->docs[i]);
    }
    pthread_mutex_destroy(&c->mu);
    free(c->b);
    free(c->docs);
    free(c);
}

static badge_jsonld_cache_t *jl_default_cache;
static pthread_once_t        jl_default_once = PTHREAD_ONCE_INIT;

static void
jl_default_init(void)
{
    jl_default_cache = badge_jsonld_cache_new();
}

/* when the library is unloaded (nginx's master dlclose()s its modules) or
 * the process ends: nothing of jansson's or ours outlives it otherwise */
__attribute__((destructor)) static void
jl_default_fini(void)
{
    badge_jsonld_cache_free(jl_default_cache);
    jl_default_cache = NULL;
}

badge_jsonld_cache_t *jl_cache_default(void);

badge_jsonld_cache_t *
jl_cache_default(void)
{
    pthread_once(&jl_default_once, jl_default_init);
    return jl_default_cache;
}

static uint32_t
jl_ckey_hash(uint64_t parent, uint32_t kind, uint32_t flags, const void *ptr,
    const char *str)
{
    uint64_t h = parent * 0x9e3779b97f4a7c15ull;

    h ^= (uint64_t) kind * 0xff51afd7ed558ccdull + flags;
    h ^= (uint64_t) (uintptr_t) ptr * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    if (str != NULL) {
        h ^= jl_hash(str, strlen(str));
    }
    return (uint32_t) (h ^ (h >> 32));
}

static int
jl_ckey_eq(const jl_centry_t *e, uint32_t h, uint64_t parent, uint32_t kind,
    uint32_t flags, const void *ptr, const char *str)
{
    if (e->hash != h || e->parent != parent || e->kind != kind
        || e->flags != flags || e->ptr != ptr)
    {
        return 0;
    }
    if (str == NULL || e->str == NULL) {
        return str == NULL && e->str == NULL;
    }
    return strcmp(str, e->str) == 0;
}

static const jl_ctx_t *
jl_cache_get(badge_jsonld_cache_t *c, uint64_t parent, uint32_t kind,
    uint32_t flags, const void *ptr, const char *str)
{
    uint32_t        h = jl_ckey_hash(parent, kind, flags, ptr, str);
    jl_centry_t    *e;
    const jl_ctx_t *r = NULL;

    pthread_mutex_lock(&c->mu);
    for (e = c->b[h & (c->nb - 1)]; e != NULL; e = e->next) {
        if (jl_ckey_eq(e, h, parent, kind, flags, ptr, str)) {
            r = e->ctx;
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return r;
}

/*
 * Publish ctx (built in arena, or already cached when arena is NULL).
 * Returns the cached context (ours, or one another thread published
 * first), or NULL when the cache is full (the caller keeps ownership).
 */
static const jl_ctx_t *
jl_cache_put(badge_jsonld_cache_t *c, uint64_t parent, uint32_t kind,
    uint32_t flags, const void *ptr, const char *str, jl_ctx_t *ctx,
    badge_arena_t *arena)
{
    uint32_t        h = jl_ckey_hash(parent, kind, flags, ptr, str);
    jl_centry_t    *e;
    const jl_ctx_t *r;

    pthread_mutex_lock(&c->mu);
    for (e = c->b[h & (c->nb - 1)]; e != NULL; e = e->next) {
        if (jl_ckey_eq(e, h, parent, kind, flags, ptr, str)) {
            r = e->ctx;
            pthread_mutex_unlock(&c->mu);
            badge_arena_free(arena);
            return r;
        }
    }
    if (c->n >= c->max) {
        pthread_mutex_unlock(&c->mu);
        return NULL;
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL || (str != NULL && (e->str = strdup(str)) == NULL)) {
        pthread_mutex_unlock(&c->mu);
        free(e);
        return NULL;
    }
    e->parent = parent;
    e->kind = kind;
    e->flags = flags;
    e->ptr = ptr;
    e->hash = h;
    e->arena = arena;
    if (ctx->id == 0) {
        ctx->id = ++c->next_id;   /* immutable from here on */
    }
    e->ctx = ctx;
    e->next = c->b[h & (c->nb - 1)];
    c->b[h & (c->nb - 1)] = e;
    c->n++;
    pthread_mutex_unlock(&c->mu);
    return ctx;
}

/* the arena of an uncacheable context build lives until the call ends */
static int
jl_keep_tmp(jl_state_t *st, badge_arena_t *a)
{
    badge_arena_t **n;
    size_t          cap;

    if (st->n_tmp == st->cap_tmp) {
        cap = st->cap_tmp ? st->cap_tmp * 2 : 8;
        n = realloc(st->tmp, cap * sizeof(*n));
        if (n == NULL) {
            badge_arena_free(a);
            jl_oom(st);
            return -1;
        }
        st->tmp = n;
        st->cap_tmp = cap;
    }
    st->tmp[st->n_tmp++] = a;
    return 0;
}

void
jl_state_cleanup(jl_state_t *st)
{
    jl_doc_t *d;
    size_t    i;

    for (d = st->docs; d != NULL; d = d->next) {
        json_decref(d->json);
    }
    st->docs = NULL;
    for (i = 0; i < st->n_tmp; i++) {
        badge_arena_free(st->tmp[i]);
    }
    free(st->tmp);
    st->tmp = NULL;
    st->n_tmp = st->cap_tmp = 0;
}

/* Build bracket: a cacheable build goes into an arena of its own. */
typedef struct {
    badge_arena_t *arena;
    badge_arena_t *saved_ca;
    int            saved_impure;
} jl_build_t;

static int
jl_build_begin(jl_state_t *st, jl_build_t *b)
{
    b->arena = badge_arena_new(0);
    if (b->arena == NULL) {
        jl_oom(st);
        return -1;
    }
    b->saved_ca = st->ca;
    b->saved_impure = st->impure;
    st->ca = b->arena;
    st->impure = 0;
    return 0;
}

static const jl_ctx_t *
jl_build_end(jl_state_t *st, jl_build_t *b, jl_ctx_t *r, uint64_t parent,
    uint32_t kind, uint32_t flags, const void *ptr, const char *str)
{
    int             impure = st->impure;
    const jl_ctx_t *c;

    st->ca = b->saved_ca;
    st->impure = b->saved_impure | impure;
    if (r == NULL || st->failed) {
        badge_arena_free(b->arena);
        return NULL;
    }
    if (!impure) {
        c = jl_cache_put(st->cache, parent, kind, flags, ptr, str, r,
                         b->arena);
        if (c != NULL) {
            return c;
        }
    }
    if (jl_keep_tmp(st, b->arena) != 0) {
        return NULL;
    }
    return r;
}

/* ---- contexts ---- */

const char jl_doc_base[] = "(document base)";

const char *
jl_ctx_base(jl_state_t *st, const jl_ctx_t *c)
{
    if (c->base != jl_doc_base) {
        return c->base;
    }
    /* a context built now that used it depends on this call's base */
    st->impure = 1;
    return st->doc_base;
}

const jl_term_t *
jl_ctx_get(const jl_ctx_t *c, const char *term, size_t len)
{
    uint32_t   h, i, mask;
    jl_term_t *t;

    if (c->n == 0) {
        return NULL;
    }
    h = jl_hash(term, len);
    mask = c->cap - 1;
    for (i = h & mask;; i = (i + 1) & mask) {
        t = c->tab[i];
        if (t == NULL) {
            return NULL;
        }
        if (t->hash == h && t->len == len
            && memcmp(t->term, term, len) == 0)
        {
            return t->removed ? NULL : t;
        }
    }
}

static jl_ctx_t *
jl_ctx_new(jl_state_t *st)
{
    jl_ctx_t *c = badge_arena_calloc(st->ca, sizeof(*c));

    if (c == NULL) {
        jl_oom(st);
        return NULL;
    }
    c->cap = 16;
    c->tab = badge_arena_calloc(st->ca, c->cap * sizeof(jl_term_t *));
    if (c->tab == NULL) {
        jl_oom(st);
        return NULL;
    }
    c->own_tab = 1;
    c->base = jl_doc_base;
    c->orig_base = jl_doc_base;
    return c;
}

/* shallow: the term table is shared until jl_ctx_own */
static jl_ctx_t *
jl_ctx_clone(jl_state_t *st, const jl_ctx_t *p)
{
    jl_ctx_t *c = badge_arena_alloc(st->ca, sizeof(*c));

    if (c == NULL) {
        jl_oom(st);
        return NULL;
    }
    *c = *p;
    c->id = 0;
    c->own_tab = 0;
    return c;
}

static int
jl_ctx_rehash(jl_state_t *st, jl_ctx_t *c, uint32_t cap)
{
    jl_term_t **nt;
    uint32_t    i, j;

    nt = badge_arena_calloc(st->ca, cap * sizeof(*nt));
    if (nt == NULL) {
        jl_oom(st);
        return -1;
    }
    for (i = 0; i < c->cap; i++) {
        if (c->tab[i] == NULL) {
            continue;
        }
        for (j = c->tab[i]->hash & (cap - 1); nt[j] != NULL;
             j = (j + 1) & (cap - 1))
        {
            /* probe */
        }
        nt[j] = c->tab[i];
    }
    c->tab = nt;
    c->cap = cap;
    c->own_tab = 1;
    return 0;
}

static int
jl_ctx_put(jl_state_t *st, jl_ctx_t *c, jl_term_t *t)
{
    uint32_t i, mask;

    if (!c->own_tab || (c->n + 1) * 2 > c->cap) {
        if (jl_ctx_rehash(st, c, (c->n + 1) * 2 > c->cap ? c->cap * 2
                                                           : c->cap) != 0)
        {
            return -1;
        }
    }
    mask = c->cap - 1;
    for (i = t->hash & mask;; i = (i + 1) & mask) {
        if (c->tab[i] == NULL) {
            c->tab[i] = t;
            c->n++;
            return 0;
        }
        if (c->tab[i]->hash == t->hash && c->tab[i]->len == t->len
            && memcmp(c->tab[i]->term, t->term, t->len) == 0)
        {
            c->tab[i] = t;
            return 0;
        }
    }
}

static int
jl_ctx_has_protected(const jl_ctx_t *c)
{
    uint32_t i;

    for (i = 0; i < c->cap; i++) {
        if (c->tab[i] != NULL && !c->tab[i]->removed && c->tab[i]->prot) {
            return 1;
        }
    }
    return 0;
}

/* ---- documents ---- */

static long
jl_bundled_index(const char *url)
{
    size_t lo = 0, hi = badge_contexts_count(), mid;
    int    c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = strcmp(url, badge_contexts_at(mid)->url);
        if (c == 0) {
            return (long) mid;
        }
        if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

/* The remote document at url (borrowed), or NULL with st failed.  *perm
 * tells whether it is a bundled document (lives as long as the cache). */
static json_t *
jl_load(jl_state_t *st, const char *url, int *perm)
{
    badge_jsonld_cache_t      *c = st->cache;
    const badge_context_doc_t *cd;
    json_error_t               je;
    badge_err_t                lerr;
    jl_doc_t                  *d;
    json_t                    *j;
    const char                *body;
    size_t                     len;
    long                       i;

    i = jl_bundled_index(url);
    if (i >= 0 && (size_t) i < c->ndocs) {
        pthread_mutex_lock(&c->mu);
        j = c->docs[i];
        if (j == NULL) {
            cd = badge_contexts_at((size_t) i);
            j = c->docs[i] = json_loadb(cd->body, cd->len, 0, &je);
        }
        pthread_mutex_unlock(&c->mu);
        if (j == NULL) {
            jl_err(st, E_LOADING_REMOTE, "bundled %s does not parse", url);
            return NULL;
        }
        *perm = 1;
        return j;
    }
    *perm = 0;
    for (d = st->docs; d != NULL; d = d->next) {
        if (strcmp(d->url, url) == 0) {
            st->impure = 1;
            return d->json;
        }
    }
    badge_err_clear(&lerr);
    if (st->opts->load == NULL
        || st->opts->load(st->opts->load_udata, url, &body, &len, &lerr) != 0)
    {
        jl_err(st, E_NOT_BUNDLED, "context not bundled: %s", url);
        return NULL;
    }
    j = json_loadb(body, len, 0, &je);
    if (j == NULL) {
        jl_err(st, E_LOADING_REMOTE, "%s: %s", url, je.text);
        return NULL;
    }
    d = badge_arena_alloc(st->a, sizeof(*d));
    if (d == NULL || (d->url = badge_arena_strdup(st->a, url)) == NULL) {
        json_decref(j);
        jl_oom(st);
        return NULL;
    }
    d->json = j;
    d->next = st->docs;
    st->docs = d;
    st->impure = 1;
    return j;
}

/* ---- IRI expansion ---- */

typedef struct {
    jl_ctx_t         *result;     /* the context being defined */
    json_t           *local;
    jl_smap_t        *defined;
    const char       *base_url;
    const jl_chain_t *chain;
    int               prot;       /* the context's @protected */
    unsigned          flags;
} jl_cdef_t;

static int jl_create_term(jl_state_t *st, jl_cdef_t *cd, const char *term);

/* re-looked-up each time: recursion may grow the map */
static void
jl_def_mark(jl_cdef_t *cd, const char *term, size_t len, void *val)
{
    void **d = jl_smap_get(cd->defined, term, len);

    if (d != NULL) {
        *d = val;
    }
}

static int
jl_need_define(jl_state_t *st, jl_cdef_t *cd, const char *name, size_t len)
{
    char   buf[128], *k;
    void **d;

    if (name[len] == '\0') {
        k = (char *) name;
    } else if (len < sizeof(buf)) {
        memcpy(buf, name, len);
        buf[len] = '\0';
        k = buf;
    } else {
        k = badge_arena_strndup(st->a, name, len);
        if (k == NULL) {
            jl_oom(st);
            return -1;
        }
    }
    if (json_object_get(cd->local, k) == NULL) {
        return 0;
    }
    d = jl_smap_get(cd->defined, k, len);
    if (d != NULL && *d == JL_DEF_DONE) {
        return 0;
    }
    if (k == buf) {
        k = badge_arena_strndup(st->a, name, len);
        if (k == NULL) {
            jl_oom(st);
            return -1;
        }
    }
    return jl_create_term(st, cd, k);
}

static const char *
jl_iri(jl_state_t *st, const jl_ctx_t *c, const char *value, int docrel,
    int vocab, jl_cdef_t *cd, badge_arena_t *a)
{
    const jl_term_t *td, *ptd;
    const char      *colon, *suffix, *r;
    size_t           len, plen;

    if (value == NULL) {
        return NULL;
    }
    if (value[0] == '@') {
        if ((r = jl_keyword(value)) != NULL) {
            return r;
        }
        if (jl_keyword_form(value)) {
            return NULL;
        }
    }
    len = strlen(value);
    if (cd != NULL) {
        if (jl_need_define(st, cd, value, len) != 0) {
            return NULL;
        }
        c = cd->result;
    }
    td = jl_ctx_get(c, value, len);
    if (td != NULL && td->iri != NULL && td->iri[0] == '@'
        && jl_keyword(td->iri) != NULL)
    {
        return td->iri;
    }
    if (vocab && td != NULL) {
        return td->iri;
    }
    colon = len > 1 ? memchr(value + 1, ':', len - 1) : NULL;
    if (colon != NULL) {
        plen = (size_t) (colon - value);
        suffix = colon + 1;
        if ((plen == 1 && value[0] == '_')
            || (suffix[0] == '/' && suffix[1] == '/'))
        {
            return value;
        }
        if (cd != NULL) {
            if (jl_need_define(st, cd, value, plen) != 0) {
                return NULL;
            }
            c = cd->result;
        }
        ptd = jl_ctx_get(c, value, plen);
        if (ptd != NULL && ptd->iri != NULL && ptd->prefix) {
            r = jl_strcat2(a, ptd->iri, suffix);
            if (r == NULL) {
                jl_oom(st);
            }
            return r;
        }
        if (jl_is_absolute_iri(value)) {
            return value;
        }
    }
    if (vocab && c->vocab != NULL) {
        r = jl_strcat2(a, c->vocab, value);
        if (r == NULL) {
            jl_oom(st);
        }
        return r;
    }
    if (docrel) {
        r = jl_resolve(a, jl_ctx_base(st, c), value);
        if (r == NULL) {
            jl_oom(st);
        }
        return r;
    }
    return value;
}

const char *
jl_expand_iri(jl_state_t *st, const jl_ctx_t *c, const char *value,
    int docrel, int vocab)
{
    return jl_iri(st, c, value, docrel, vocab, NULL, st->a);
}

/* ---- Create Term Definition ---- */

static int
jl_streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

static int
jl_term_same(const jl_term_t *a, const jl_term_t *b)
{
    if (!jl_streq(a->iri, b->iri) || a->reverse != b->reverse
        || !jl_streq(a->type, b->type) || a->has_lang != b->has_lang
        || (a->has_lang && !jl_streq(a->lang, b->lang))
        || a->has_dir != b->has_dir
        || (a->has_dir && !jl_streq(a->dir, b->dir))
        || a->container != b->container || !jl_streq(a->index, b->index)
        || !jl_streq(a->nest, b->nest) || a->prefix != b->prefix
        || a->has_ctx != b->has_ctx)
    {
        return 0;
    }
    if (a->has_ctx && a->ctx != b->ctx && !json_equal(a->ctx, b->ctx)) {
        return 0;
    }
    return 1;
}

static const char *
jl_dup(jl_state_t *st, const char *s)
{
    const char *r;

    if (s == NULL || (s[0] == '@' && jl_keyword(s) == s)) {
        return s;                 /* NULL or a canonical keyword */
    }
    r = badge_arena_strdup(st->ca, s);
    if (r == NULL) {
        jl_oom(st);
    }
    return r;
}

static int
jl_container(jl_state_t *st, json_t *v, const char *term, uint8_t *out)
{
    json_t     *item;
    size_t      i, n;
    uint8_t     bits = 0, b;
    unsigned    count = 0;
    const char *s;

    if (json_is_string(v)) {
        n = 1;
    } else if (json_is_array(v)) {
        if (st->mode10) {
            goto bad;
        }
        n = json_array_size(v);
    } else {
        goto bad;
    }
    for (i = 0; i < n; i++) {
        item = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_string(item)) {
            goto bad;
        }
        s = json_string_value(item);
        if (strcmp(s, "@list") == 0) {
            b = JL_C_LIST;
        } else if (strcmp(s, "@set") == 0) {
            b = JL_C_SET;
        } else if (strcmp(s, "@index") == 0) {
            b = JL_C_INDEX;
        } else if (strcmp(s, "@language") == 0) {
            b = JL_C_LANGUAGE;
        } else if (strcmp(s, "@graph") == 0) {
            b = JL_C_GRAPH;
        } else if (strcmp(s, "@id") == 0) {
            b = JL_C_ID;
        } else if (strcmp(s, "@type") == 0) {
            b = JL_C_TYPE;
        } else {
            goto bad;
        }
        if (st->mode10 && (b & (JL_C_GRAPH | JL_C_ID | JL_C_TYPE))) {
            goto bad;
        }
        if (!(bits & b)) {
            count++;
        }
        bits |= b;
    }
    if (bits & JL_C_LIST) {
        if (count != 1) {
            goto bad;
        }
    } else if (bits & JL_C_GRAPH) {
        b = bits & (uint8_t) ~(JL_C_GRAPH | JL_C_SET);
        if (b != 0 && b != JL_C_ID && b != JL_C_INDEX) {
            goto bad;
        }
    } else if (count > ((bits & JL_C_SET) ? 2u : 1u)) {
        goto bad;
    }
    *out = bits;
    return 0;

bad:
    jl_err(st, E_INVALID_CONTAINER, "term %s", term);
    return -1;
}

static int
jl_gen_delim_end(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && strchr(":/?#[]@", s[n - 1]) != NULL;
}

static int jl_create_term_(jl_state_t *st, jl_cdef_t *cd, const char *term);

/* terms may depend on terms (compact IRIs): bound that recursion too */
static int
jl_create_term(jl_state_t *st, jl_cdef_t *cd, const char *term)
{
    int rc;

    if (++st->depth > st->max_depth) {
        jl_err(st, E_DEPTH, "term definitions depend on each other too "
               "deeply (%s)", term);
        return -1;
    }
    rc = jl_create_term_(st, cd, term);
    st->depth--;
    return rc;
}

static int
jl_create_term_(jl_state_t *st, jl_cdef_t *cd, const char *term)
{
    jl_ctx_t        *res = cd->result;
    const jl_term_t *prev;
    jl_term_t       *def, *rm;
    json_t          *value, *v, *idv = NULL;
    void           **d;
    const char      *key, *s, *iri;
    size_t           tlen = strlen(term);
    int              simple = 0, has_id = 0;

    d = jl_smap_put(cd->defined, term, tlen);
    if (d == NULL) {
        jl_oom(st);
        return -1;
    }
    if (*d == JL_DEF_DONE) {
        return 0;
    }
    if (*d == JL_DEF_PENDING) {
        jl_err(st, E_CYCLIC_IRI, "%s", term);
        return -1;
    }
    if (tlen == 0) {
        jl_err(st, E_INVALID_TERM_DEF, "empty term");
        return -1;
    }
    *d = JL_DEF_PENDING;
    value = json_object_get(cd->local, term);

    if (strcmp(term, "@type") == 0) {
        if (st->mode10 || !json_is_object(value)) {
            goto keyword_redef;
        }
        json_object_foreach(value, key, v) {
            if (strcmp(key, "@container") == 0) {
                if (!json_is_string(v)
                    || strcmp(json_string_value(v), "@set") != 0)
                {
                    goto keyword_redef;
                }
            } else if (strcmp(key, "@id") == 0) {
                if (!json_is_string(v)
                    || strcmp(json_string_value(v), "@type") != 0)
                {
                    goto keyword_redef;
                }
            } else if (strcmp(key, "@protected") != 0) {
                goto keyword_redef;
            }
        }
        if (json_object_size(value) == 0) {
            goto keyword_redef;
        }
    } else if (term[0] == '@') {
        if (jl_keyword(term) != NULL) {
            goto keyword_redef;
        }
        if (jl_keyword_form(term)) {
            *d = JL_DEF_DONE;     /* reserved: ignored with a warning */
            return 0;
        }
    }

    prev = jl_ctx_get(res, term, tlen);
    if (prev != NULL) {
        rm = badge_arena_calloc(st->ca, sizeof(*rm));
        if (rm == NULL) {
            jl_oom(st);
            return -1;
        }
        rm->term = prev->term;
        rm->len = prev->len;
        rm->hash = prev->hash;
        rm->removed = 1;
        if (jl_ctx_put(st, res, rm) != 0) {
            return -1;
        }
    }

    if (json_is_null(value)) {
        has_id = 1;
        idv = value;
    } else if (json_is_string(value)) {
        has_id = 1;
        idv = value;
        simple = 1;
    } else if (!json_is_object(value)) {
        jl_err(st, E_INVALID_TERM_DEF, "term %s", term);
        return -1;
    } else if ((idv = json_object_get(value, "@id")) != NULL) {
        has_id = 1;
    }

    def = badge_arena_calloc(st->ca, sizeof(*def));
    if (def == NULL) {
        jl_oom(st);
        return -1;
    }
    def->term = badge_arena_strndup(st->ca, term, tlen);
    if (def->term == NULL) {
        jl_oom(st);
        return -1;
    }
    def->len = tlen;
    def->hash = jl_hash(term, tlen);
    def->prot = cd->prot ? 1 : 0;

    if (json_is_object(value)) {
        /* reject unknown entries first: cheaper and the spec's order
         * gives the same error code */
        json_object_foreach(value, key, v) {
            if (strcmp(key, "@id") && strcmp(key, "@reverse")
                && strcmp(key, "@container") && strcmp(key, "@context")
                && strcmp(key, "@direction") && strcmp(key, "@index")
                && strcmp(key, "@language") && strcmp(key, "@nest")
                && strcmp(key, "@prefix") && strcmp(key, "@protected")
                && strcmp(key, "@type"))
            {
                jl_err(st, E_INVALID_TERM_DEF, "term %s has %s", term, key);
                return -1;
            }
        }
        if ((v = json_object_get(value, "@protected")) != NULL) {
            if (!json_is_boolean(v)) {
                jl_err(st, E_INVALID_PROTECTED, "term %s", term);
                return -1;
            }
            if (st->mode10) {
                jl_err(st, E_INVALID_TERM_DEF, "@protected in 1.0");
                return -1;
            }
            def->prot = json_is_true(v);
        }
        if ((v = json_object_get(value, "@type")) != NULL) {
            if (!json_is_string(v)) {
                jl_err(st, E_INVALID_TYPE_MAPPING, "term %s", term);
                return -1;
            }
            s = jl_iri(st, res, json_string_value(v), 0, 1, cd, st->ca);
            if (st->failed) {
                return -1;
            }
            if (s == KW(JSON) || s == KW(NONE)) {
                if (st->mode10) {
                    jl_err(st, E_INVALID_TYPE_MAPPING, "%s in 1.0", s);
                    return -1;
                }
            } else if (s != KW(ID) && s != KW(VOCAB)
                       && (s == NULL || !jl_is_absolute_iri(s)
                           || jl_is_bnode(s)))
            {
                jl_err(st, E_INVALID_TYPE_MAPPING, "term %s: %s", term,
                       json_string_value(v));
                return -1;
            }
            if ((def->type = jl_dup(st, s)) == NULL) {
                return -1;
            }
        }
        if ((v = json_object_get(value, "@reverse")) != NULL) {
            if (has_id || json_object_get(value, "@nest") != NULL) {
                jl_err(st, E_INVALID_REV_PROP, "term %s", term);
                return -1;
            }
            if (!json_is_string(v)) {
                jl_err(st, E_INVALID_IRI_MAPPING, "@reverse of %s", term);
                return -1;
            }
            s = json_string_value(v);
            if (jl_keyword_form(s)) {
                jl_def_mark(cd, term, tlen, JL_DEF_DONE);
                return 0;
            }
            iri = jl_iri(st, res, s, 0, 1, cd, st->ca);
            if (st->failed) {
                return -1;
            }
            if (iri == NULL || (!jl_is_absolute_iri(iri)
                                && !jl_is_bnode(iri)))
            {
                jl_err(st, E_INVALID_IRI_MAPPING, "@reverse %s", s);
                return -1;
            }
            if ((def->iri = jl_dup(st, iri)) == NULL) {
                return -1;
            }
            if ((v = json_object_get(value, "@container")) != NULL) {
                const char *cs = json_string_value(v);

                if (json_is_null(v)) {
                    def->container = 0;
                } else if (cs != NULL && strcmp(cs, "@set") == 0) {
                    def->container = JL_C_SET;
                } else if (cs != NULL && strcmp(cs, "@index") == 0) {
                    def->container = JL_C_INDEX;
                } else {
                    jl_err(st, E_INVALID_REV_PROP, "container of %s", term);
                    return -1;
                }
            }
            def->reverse = 1;
            goto protect;
        }
    }

    if (has_id && !(json_is_string(idv)
                    && strcmp(json_string_value(idv), term) == 0))
    {
        if (json_is_null(idv)) {
            def->iri = NULL;
        } else {
            if (!json_is_string(idv)) {
                jl_err(st, E_INVALID_IRI_MAPPING, "@id of %s", term);
                return -1;
            }
            s = json_string_value(idv);
            if (jl_keyword(s) == NULL && jl_keyword_form(s)) {
                jl_def_mark(cd, term, tlen, JL_DEF_DONE);
                return 0;
            }
            iri = jl_iri(st, res, s, 0, 1, cd, st->ca);
            if (st->failed) {
                return -1;
            }
            if (iri == NULL || !(jl_keyword(iri) != NULL
                                 || jl_is_absolute_iri(iri)
                                 || jl_is_bnode(iri)))
            {
                jl_err(st, E_INVALID_IRI_MAPPING, "term %s: %s", term, s);
                return -1;
            }
            if (iri == KW(CONTEXT)) {
                jl_err(st, E_INVALID_KW_ALIAS, "term %s", term);
                return -1;
            }
            if ((tlen > 2 && memchr(term + 1, ':', tlen - 2) != NULL)
                || strchr(term, '/') != NULL)
            {
                const char *e;

                jl_def_mark(cd, term, tlen, JL_DEF_DONE);
                e = jl_iri(st, res, term, 0, 1, cd, st->a);
                if (st->failed) {
                    return -1;
                }
                if (!jl_streq(e, iri)) {
                    jl_err(st, E_INVALID_IRI_MAPPING, "term %s", term);
                    return -1;
                }
                jl_def_mark(cd, term, tlen, JL_DEF_PENDING);
            }
            if (strchr(term, ':') == NULL && strchr(term, '/') == NULL
                && simple && (jl_is_bnode(iri) || (jl_keyword(iri) == NULL
                                                   && jl_gen_delim_end(iri))))
            {
                def->prefix = 1;
            }
            if ((def->iri = jl_dup(st, iri)) == NULL) {
                return -1;
            }
        }
    } else if (tlen > 1 && (s = strchr(term + 1, ':')) != NULL) {
        const jl_term_t *ptd;
        size_t           plen = (size_t) (s - term);

        if (jl_need_define(st, cd, term, plen) != 0) {
            return -1;
        }
        ptd = jl_ctx_get(res, term, plen);
        if (ptd != NULL && ptd->iri != NULL) {
            def->iri = jl_strcat2(st->ca, ptd->iri, s + 1);
            if (def->iri == NULL) {
                jl_oom(st);
                return -1;
            }
        } else if ((def->iri = jl_dup(st, term)) == NULL) {
            return -1;
        }
    } else if (strchr(term, '/') != NULL) {
        /* a relative IRI term: expanded without the local context, as
         * jsonld.js does (it cannot depend on itself) */
        iri = jl_iri(st, res, term, 0, 1, NULL, st->ca);
        if (st->failed) {
            return -1;
        }
        if (iri == NULL || !jl_is_absolute_iri(iri)) {
            jl_err(st, E_INVALID_IRI_MAPPING, "term %s", term);
            return -1;
        }
        if ((def->iri = jl_dup(st, iri)) == NULL) {
            return -1;
        }
    } else if (strcmp(term, "@type") == 0) {
        def->iri = KW(TYPE);
    } else if (res->vocab != NULL) {
        def->iri = jl_strcat2(st->ca, res->vocab, term);
        if (def->iri == NULL) {
            jl_oom(st);
            return -1;
        }
    } else {
        jl_err(st, E_INVALID_IRI_MAPPING,
               "term %s has no IRI and there is no @vocab", term);
        return -1;
    }

    if (!json_is_object(value)) {
        goto protect;
    }
    if ((v = json_object_get(value, "@container")) != NULL) {
        if (jl_container(st, v, term, &def->container) != 0) {
            return -1;
        }
        if (def->container & JL_C_TYPE) {
            if (def->type == NULL) {
                def->type = KW(ID);
            }
            if (def->type != KW(ID) && def->type != KW(VOCAB)) {
                jl_err(st, E_INVALID_TYPE_MAPPING, "@type container %s",
                       term);
                return -1;
            }
        }
    }
    if ((v = json_object_get(value, "@index")) != NULL) {
        if (st->mode10 || !(def->container & JL_C_INDEX)) {
            jl_err(st, E_INVALID_TERM_DEF, "@index of %s", term);
            return -1;
        }
        if (!json_is_string(v) || json_string_value(v)[0] == '@') {
            jl_err(st, E_INVALID_TERM_DEF, "@index of %s", term);
            return -1;
        }
        s = jl_iri(st, res, json_string_value(v), 0, 1, cd, st->a);
        if (st->failed) {
            return -1;
        }
        if (s == NULL || !jl_is_absolute_iri(s)) {
            jl_err(st, E_INVALID_TERM_DEF, "@index of %s", term);
            return -1;
        }
        if ((def->index = jl_dup(st, json_string_value(v))) == NULL) {
            return -1;
        }
    }
    if ((v = json_object_get(value, "@context")) != NULL) {
        badge_arena_t  *saved = st->ca;
        const jl_ctx_t *r;

        if (st->mode10) {
            jl_err(st, E_INVALID_TERM_DEF, "@context in 1.0");
            return -1;
        }
        /* validate now (spec 4.2.2 step 21.3); the result is discarded,
         * so it is built in the document arena */
        st->ca = st->a;
        r = jl_process(st, res, v, cd->base_url, cd->chain,
                       JL_P_OVERRIDE | JL_P_NOVALIDATE);
        st->ca = saved;
        if (r == NULL) {
            if (st->err->code != NULL
                && strcmp(st->err->code, "jsonld_context_not_bundled") != 0
                && strcmp(st->err->code, "out_of_memory") != 0
                && strcmp(st->err->code, "jsonld_too_deep") != 0)
            {
                char inner[sizeof(st->err->message)];

                memcpy(inner, st->err->message, sizeof(inner));
                badge_err_set(st->err, "jsonld_invalid_scoped_context",
                              "invalid scoped context: %s: %s", term, inner);
            }
            return -1;
        }
        def->ctx = v;
        def->has_ctx = 1;
        if (cd->base_url != NULL
            && (def->base_url = jl_dup(st, cd->base_url)) == NULL)
        {
            return -1;
        }
    }
    if (json_object_get(value, "@type") == NULL) {
        if ((v = json_object_get(value, "@language")) != NULL) {
            if (!json_is_null(v) && !json_is_string(v)) {
                jl_err(st, E_INVALID_LANG_MAPPING, "term %s", term);
                return -1;
            }
            def->has_lang = 1;
            if (json_is_string(v)) {
                s = jl_lower(st->ca, json_string_value(v));
                if (s == NULL || (def->lang = jl_dup(st, s)) == NULL) {
                    jl_oom(st);
                    return -1;
                }
            }
        }
        if ((v = json_object_get(value, "@direction")) != NULL) {
            s = json_string_value(v);
            if (!json_is_null(v) && (s == NULL || (strcmp(s, "ltr") != 0
                                                   && strcmp(s, "rtl") != 0)))
            {
                jl_err(st, E_INVALID_DIRECTION, "term %s", term);
                return -1;
            }
            def->has_dir = 1;
            def->dir = s == NULL ? NULL : (s[0] == 'l' ? "ltr" : "rtl");
        }
    }
    if ((v = json_object_get(value, "@nest")) != NULL) {
        if (st->mode10) {
            jl_err(st, E_INVALID_TERM_DEF, "@nest in 1.0");
            return -1;
        }
        s = json_string_value(v);
        if (s == NULL || (jl_keyword(s) != NULL && jl_keyword(s) != KW(NEST)))
        {
            jl_err(st, E_INVALID_NEST, "term %s", term);
            return -1;
        }
        if ((def->nest = jl_dup(st, s)) == NULL) {
            return -1;
        }
    }
    if ((v = json_object_get(value, "@prefix")) != NULL) {
        if (st->mode10 || strchr(term, ':') != NULL
            || strchr(term, '/') != NULL)
        {
            jl_err(st, E_INVALID_TERM_DEF, "@prefix on %s", term);
            return -1;
        }
        if (!json_is_boolean(v)) {
            jl_err(st, E_INVALID_PREFIX, "term %s", term);
            return -1;
        }
        def->prefix = json_is_true(v);
        if (def->prefix && def->iri != NULL && jl_keyword(def->iri) != NULL)
        {
            jl_err(st, E_INVALID_TERM_DEF, "keyword %s as prefix", term);
            return -1;
        }
    }
protect:
    if (!(cd->flags & JL_P_OVERRIDE) && prev != NULL && prev->prot) {
        if (!jl_term_same(def, prev)) {
            jl_err(st, E_PROTECTED_REDEF, "%s", term);
            return -1;
        }
        def = (jl_term_t *) prev;
    }
    if (jl_ctx_put(st, res, def) != 0) {
        return -1;
    }
    jl_def_mark(cd, term, tlen, JL_DEF_DONE);
    return 0;

keyword_redef:
    jl_err(st, E_KEYWORD_REDEF, "%s", term);
    return -1;
}

/* ---- Context Processing ---- */

static int
jl_chain_has(const jl_chain_t *c, const char *url)
{
    for (; c != NULL; c = c->up) {
        if (strcmp(c->url, url) == 0) {
            return 1;
        }
    }
    return 0;
}

const jl_ctx_t *
jl_initial(jl_state_t *st)
{
    const jl_ctx_t *c;
    jl_ctx_t       *r;
    jl_build_t      b;

    c = jl_cache_get(st->cache, 0, JL_T_INIT, (uint32_t) st->mode10, NULL,
                     NULL);
    if (c != NULL) {
        return c;
    }
    if (jl_build_begin(st, &b) != 0) {
        return NULL;
    }
    r = jl_ctx_new(st);
    return jl_build_end(st, &b, r, 0, JL_T_INIT, (uint32_t) st->mode10,
                        NULL, NULL);
}

/* the same context with previous context set to parent */
static const jl_ctx_t *
jl_with_prev(jl_state_t *st, const jl_ctx_t *parent)
{
    const jl_ctx_t *c;
    jl_ctx_t       *r;
    jl_build_t      b;

    if (parent->id == 0) {
        r = jl_ctx_clone(st, parent);
        if (r != NULL) {
            r->prev = parent;
        }
        return r;
    }
    c = jl_cache_get(st->cache, parent->id, JL_T_PREV, 0, NULL, NULL);
    if (c != NULL) {
        return c;
    }
    if (jl_build_begin(st, &b) != 0) {
        return NULL;
    }
    r = jl_ctx_clone(st, parent);
    if (r != NULL) {
        r->prev = parent;
    }
    return jl_build_end(st, &b, r, parent->id, JL_T_PREV, 0, NULL, NULL);
}

static const jl_ctx_t *
jl_null_ctx(jl_state_t *st, const jl_ctx_t *parent, int propagate)
{
    const jl_ctx_t *c;
    jl_ctx_t       *r;
    jl_build_t      b;
    int             cacheable = parent->id != 0;

    if (cacheable) {
        c = jl_cache_get(st->cache, parent->id, JL_T_NULL,
                         (uint32_t) propagate, NULL, NULL);
        if (c != NULL) {
            return c;
        }
        if (jl_build_begin(st, &b) != 0) {
            return NULL;
        }
    }
    r = jl_ctx_new(st);
    if (r != NULL) {
        r->base = r->orig_base = parent->orig_base;
        if (!propagate) {
            r->prev = parent;
        }
    }
    if (!cacheable) {
        return r;
    }
    return jl_build_end(st, &b, r, parent->id, JL_T_NULL,
                        (uint32_t) propagate, NULL, NULL);
}

static const jl_ctx_t *
jl_process_url(jl_state_t *st, const jl_ctx_t *parent, const char *url,
    const jl_chain_t *chain, unsigned flags)
{
    const jl_ctx_t *c, *r;
    jl_chain_t      link;
    json_t         *doc, *dctx;
    int             perm, saved_impure, cacheable;

    if ((flags & JL_P_NOVALIDATE) && jl_chain_has(chain, url)) {
        return parent;
    }
    if ((chain != NULL && chain->n >= st->max_contexts)
        || ++st->n_remote > st->max_contexts)
    {
        jl_err(st, E_CONTEXT_OVERFLOW, "more than %zu remote contexts (%s)",
               st->max_contexts, url);
        return NULL;
    }
    cacheable = parent->id != 0 && !(flags & JL_P_NOVALIDATE);
    if (cacheable) {
        c = jl_cache_get(st->cache, parent->id, JL_T_URL, 0, NULL, url);
        if (c != NULL) {
            return c;
        }
    }
    saved_impure = st->impure;
    st->impure = 0;
    doc = jl_load(st, url, &perm);
    if (doc == NULL) {
        return NULL;
    }
    dctx = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
    if (dctx == NULL) {
        jl_err(st, E_INVALID_REMOTE_CTX, "%s has no @context", url);
        return NULL;
    }
    link.up = chain;
    link.url = url;
    link.n = chain ? chain->n + 1 : 1;
    r = jl_process(st, parent, dctx, url, &link,
                   (flags & JL_P_NOVALIDATE) | (perm ? JL_P_PERM : 0));
    if (r == NULL) {
        return NULL;
    }
    if (cacheable && !st->impure && r->id != 0) {
        c = jl_cache_put(st->cache, parent->id, JL_T_URL, 0, NULL, url,
                         (jl_ctx_t *) r, NULL);
        if (c != NULL) {
            r = c;
        }
    }
    st->impure |= saved_impure;
    return r;
}

static jl_ctx_t *
jl_build_map(jl_state_t *st, const jl_ctx_t *parent, json_t *map,
    const char *base_url, const jl_chain_t *chain, unsigned flags)
{
    jl_ctx_t   *res;
    json_t     *v, *merged = NULL, *local = map;
    jl_smap_t   defined;
    jl_cdef_t   cd;
    const char *key, *s;
    int         prot = 0;

    res = jl_ctx_clone(st, parent);
    if (res == NULL) {
        return NULL;
    }
    if ((v = json_object_get(map, "@version")) != NULL) {
        if (!json_is_number(v) || json_number_value(v) != 1.1) {
            jl_err(st, E_INVALID_VERSION, "%s", "");
            return NULL;
        }
        if (st->mode10) {
            jl_err(st, E_MODE_CONFLICT, "@version 1.1 in json-ld-1.0 mode");
            return NULL;
        }
    }
    if ((v = json_object_get(map, "@import")) != NULL) {
        json_t     *doc, *ictx;
        const char *url;
        int         perm;

        if (st->mode10) {
            jl_err(st, E_INVALID_CTX_ENTRY, "@import in 1.0");
            return NULL;
        }
        if (!json_is_string(v)) {
            jl_err(st, E_INVALID_IMPORT, "%s", "");
            return NULL;
        }
        url = jl_resolve(st->a, base_url, json_string_value(v));
        if (url == NULL) {
            jl_oom(st);
            return NULL;
        }
        doc = jl_load(st, url, &perm);
        if (doc == NULL) {
            return NULL;
        }
        ictx = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
        if (!json_is_object(ictx)) {
            jl_err(st, E_INVALID_REMOTE_CTX, "@import %s", url);
            return NULL;
        }
        if (json_object_get(ictx, "@import") != NULL) {
            jl_err(st, E_INVALID_CTX_ENTRY, "@import in imported %s", url);
            return NULL;
        }
        /* a shallow merged object: its members are the originals, so
         * scoped contexts keep pointing into the source documents */
        merged = json_object();
        if (merged == NULL || json_object_update(merged, ictx) != 0
            || json_object_update(merged, map) != 0)
        {
            json_decref(merged);
            jl_oom(st);
            return NULL;
        }
        local = merged;
    }
    if (chain == NULL && (v = json_object_get(local, "@base")) != NULL) {
        if (json_is_null(v)) {
            res->base = NULL;
        } else if (!json_is_string(v)) {
            jl_err(st, E_INVALID_BASE_IRI, "%s", "");
            goto fail;
        } else if (jl_is_absolute_iri(json_string_value(v))) {
            if ((res->base = jl_dup(st, json_string_value(v))) == NULL) {
                goto fail;
            }
        } else if (jl_ctx_base(st, res) != NULL) {
            s = jl_resolve(st->ca, jl_ctx_base(st, res),
                           json_string_value(v));
            if (s == NULL) {
                jl_oom(st);
                goto fail;
            }
            res->base = s;
        } else {
            jl_err(st, E_INVALID_BASE_IRI, "relative @base without base");
            goto fail;
        }
    }
    if ((v = json_object_get(local, "@vocab")) != NULL) {
        if (json_is_null(v)) {
            res->vocab = NULL;
        } else if (!json_is_string(v)) {
            jl_err(st, E_INVALID_VOCAB, "%s", "");
            goto fail;
        } else {
            s = json_string_value(v);
            if (st->mode10 && !jl_is_absolute_iri(s)) {
                jl_err(st, E_INVALID_VOCAB, "%s", s);
                goto fail;
            }
            s = jl_iri(st, res, s, 1, 1, NULL, st->ca);
            if (st->failed) {
                goto fail;
            }
            if (s == NULL) {
                jl_err(st, E_INVALID_VOCAB, "%s", json_string_value(v));
                goto fail;
            }
            if ((res->vocab = jl_dup(st, s)) == NULL) {
                goto fail;
            }
        }
    }
    if ((v = json_object_get(local, "@language")) != NULL) {
        if (json_is_null(v)) {
            res->lang = NULL;
        } else if (!json_is_string(v)) {
            jl_err(st, E_INVALID_DEFAULT_LANG, "%s", "");
            goto fail;
        } else {
            s = jl_lower(st->ca, json_string_value(v));
            if (s == NULL || (res->lang = jl_dup(st, s)) == NULL) {
                jl_oom(st);
                goto fail;
            }
        }
    }
    if ((v = json_object_get(local, "@direction")) != NULL) {
        if (st->mode10) {
            jl_err(st, E_INVALID_CTX_ENTRY, "@direction in 1.0");
            goto fail;
        }
        s = json_string_value(v);
        if (json_is_null(v)) {
            res->dir = NULL;
        } else if (s != NULL && strcmp(s, "ltr") == 0) {
            res->dir = "ltr";
        } else if (s != NULL && strcmp(s, "rtl") == 0) {
            res->dir = "rtl";
        } else {
            jl_err(st, E_INVALID_DIRECTION, "%s", "");
            goto fail;
        }
    }
    if ((v = json_object_get(local, "@propagate")) != NULL) {
        if (st->mode10) {
            jl_err(st, E_INVALID_CTX_ENTRY, "@propagate in 1.0");
            goto fail;
        }
        if (!json_is_boolean(v)) {
            jl_err(st, E_INVALID_PROPAGATE, "%s", "");
            goto fail;
        }
    }
    if ((v = json_object_get(local, "@protected")) != NULL) {
        if (!json_is_boolean(v)) {
            jl_err(st, E_INVALID_PROTECTED, "%s", "");
            goto fail;
        }
        prot = json_is_true(v);
    }

    if (jl_smap_init(&defined, st->a, (uint32_t) json_object_size(local))
        != 0)
    {
        jl_oom(st);
        goto fail;
    }
    cd.result = res;
    cd.local = local;
    cd.defined = &defined;
    cd.base_url = base_url;
    cd.chain = chain;
    cd.prot = prot;
    cd.flags = flags;
    json_object_foreach(local, key, v) {
        if (key[0] == '@'
            && (strcmp(key, "@base") == 0 || strcmp(key, "@direction") == 0
                || strcmp(key, "@import") == 0
                || strcmp(key, "@language") == 0
                || strcmp(key, "@propagate") == 0
                || strcmp(key, "@protected") == 0
                || strcmp(key, "@version") == 0
                || strcmp(key, "@vocab") == 0))
        {
            continue;
        }
        if (jl_create_term(st, &cd, key) != 0) {
            goto fail;
        }
    }
    json_decref(merged);
    return res;

fail:
    json_decref(merged);
    return NULL;
}

static const jl_ctx_t *
jl_process_map(jl_state_t *st, const jl_ctx_t *parent, json_t *map,
    const char *base_url, const jl_chain_t *chain, unsigned flags)
{
    const jl_ctx_t *c;
    jl_ctx_t       *r;
    jl_build_t      b;
    uint32_t        kf;
    int             cacheable;

    cacheable = parent->id != 0 && (flags & JL_P_PERM)
                && !(flags & JL_P_NOVALIDATE);
    if (!cacheable) {
        return jl_build_map(st, parent, map, base_url, chain, flags);
    }
    kf = (flags & JL_P_OVERRIDE) | (chain == NULL ? 0x100 : 0);
    c = jl_cache_get(st->cache, parent->id, JL_T_MAP, kf, map, base_url);
    if (c != NULL) {
        return c;
    }
    if (jl_build_begin(st, &b) != 0) {
        return NULL;
    }
    r = jl_build_map(st, parent, map, base_url, chain, flags);
    return jl_build_end(st, &b, r, parent->id, JL_T_MAP, kf, map, base_url);
}

const jl_ctx_t *
jl_process(jl_state_t *st, const jl_ctx_t *active, json_t *local,
    const char *base_url, const jl_chain_t *chain, unsigned flags)
{
    const jl_ctx_t *result = active;
    json_t         *item, *pv;
    size_t          i, n;
    int             propagate = !(flags & JL_P_NOPROP);
    const char     *url;

    if (++st->depth > st->max_depth) {
        jl_err(st, E_DEPTH, "in contexts");
        return NULL;
    }
    if (json_is_object(local)
        && (pv = json_object_get(local, "@propagate")) != NULL
        && json_is_boolean(pv))
    {
        propagate = json_is_true(pv);
    }
    if (!propagate && result->prev == NULL) {
        result = jl_with_prev(st, active);
        if (result == NULL) {
            goto fail;
        }
    }
    n = json_is_array(local) ? json_array_size(local) : 1;
    for (i = 0; i < n; i++) {
        item = json_is_array(local) ? json_array_get(local, i) : local;
        if (json_is_null(item)) {
            if (!(flags & JL_P_OVERRIDE) && jl_ctx_has_protected(result)) {
                jl_err(st, E_INVALID_CTX_NULL, "protected terms");
                goto fail;
            }
            result = jl_null_ctx(st, result, propagate);
        } else if (json_is_string(item)) {
            url = jl_resolve(st->a, base_url, json_string_value(item));
            if (url == NULL) {
                jl_oom(st);
                goto fail;
            }
            if (!jl_is_absolute_iri(url)) {
                jl_err(st, E_LOADING_DOC, "relative context %s", url);
                goto fail;
            }
            result = jl_process_url(st, result, url, chain,
                                    flags & JL_P_NOVALIDATE);
        } else if (json_is_object(item)) {
            result = jl_process_map(st, result, item, base_url, chain, flags);
        } else {
            jl_err(st, E_INVALID_LOCAL_CTX, "%s", "");
            goto fail;
        }
        if (result == NULL) {
            goto fail;
        }
    }
    st->depth--;
    return result;

fail:
    st->depth--;
    return NULL;
}
