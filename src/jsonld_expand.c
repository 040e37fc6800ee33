/*
 * jsonld_expand.c: the JSON-LD 1.1 Expansion algorithm (API spec 5.1) into
 * the arena tree of jl_val_t, and badge_jsonld_expand().
 */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

#define JL_DEFAULT_MAX_DEPTH     64
#define JL_DEFAULT_MAX_CONTEXTS  32

badge_jsonld_cache_t *jl_cache_default(void);

static jl_val_t *jl_expand_td(jl_state_t *st, const jl_ctx_t *ctx,
    const char *aprop, const jl_term_t *atd, json_t *elem,
    const char *base_url, int from_map);

/* atd: the term definition of aprop in ctx, looked up here */
static jl_val_t *
jl_expand(jl_state_t *st, const jl_ctx_t *ctx, const char *aprop,
    json_t *elem, const char *base_url, int from_map)
{
    const jl_term_t *atd;

    atd = aprop != NULL ? jl_ctx_get(ctx, aprop, strlen(aprop)) : NULL;
    return jl_expand_td(st, ctx, aprop, atd, elem, base_url, from_map);
}

/* the keyword key expands to in ctx, or NULL: one lookup, for the checks
 * that only look for keywords (type-scoped contexts, step 7) */
static const char *
jl_key_keyword(const jl_ctx_t *ctx, const char *key)
{
    const jl_term_t *td;

    if (key[0] == '@') {
        return jl_keyword(key);
    }
    td = jl_ctx_get(ctx, key, strlen(key));
    if (td != NULL && td->iri != NULL && td->iri[0] == '@') {
        return jl_keyword(td->iri);
    }
    return NULL;
}

/* IRI expansion of a key (vocab true), also giving its term definition */
static const char *
jl_expand_key(jl_state_t *st, const jl_ctx_t *ctx, const char *key,
    const jl_term_t **tdp)
{
    const jl_term_t *td;
    const char      *kw;

    *tdp = NULL;
    if (key[0] == '@') {
        if ((kw = jl_keyword(key)) != NULL) {
            return kw;
        }
        if (jl_keyword_form(key)) {
            return NULL;
        }
    }
    td = jl_ctx_get(ctx, key, strlen(key));
    if (td != NULL) {
        *tdp = td;
        return td->iri;
    }
    return jl_expand_iri(st, ctx, key, 0, 1);
}

/* ---- tree helpers ---- */

static jl_val_t *
jl_new(jl_state_t *st, int kind)
{
    jl_val_t *v = badge_arena_calloc(st->a, sizeof(*v));

    if (v == NULL) {
        jl_oom(st);
        return NULL;
    }
    v->kind = (uint8_t) kind;
    return v;
}

int
jl_vec_push(jl_state_t *st, jl_vec_t *v, jl_val_t *x)
{
    jl_val_t **n;
    uint32_t   cap;

    if (v->n == v->cap) {
        cap = v->cap ? v->cap * 2 : 4;
        n = badge_arena_alloc(st->a, cap * sizeof(*n));
        if (n == NULL) {
            jl_oom(st);
            return -1;
        }
        if (v->n) {
            memcpy(n, v->v, v->n * sizeof(*n));
        }
        v->v = n;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

/* append x, or each item of x when it is an array */
static int
jl_vec_add(jl_state_t *st, jl_vec_t *v, jl_val_t *x)
{
    uint32_t i;

    if (x == NULL) {
        return 0;
    }
    if (x->kind != JL_ARRAY) {
        return jl_vec_push(st, v, x);
    }
    for (i = 0; i < x->items.n; i++) {
        if (jl_vec_push(st, v, x->items.v[i]) != 0) {
            return -1;
        }
    }
    return 0;
}

static int
jl_types_push(jl_state_t *st, jl_val_t *v, const char *t, int front)
{
    const char **n;
    uint32_t     cap;

    if (v->n_types == v->cap_types) {
        cap = v->cap_types ? v->cap_types * 2 : 2;
        n = badge_arena_alloc(st->a, cap * sizeof(*n));
        if (n == NULL) {
            jl_oom(st);
            return -1;
        }
        if (v->n_types) {
            memcpy(n, v->types, v->n_types * sizeof(*n));
        }
        v->types = n;
        v->cap_types = cap;
    }
    if (front) {
        memmove(v->types + 1, v->types, v->n_types * sizeof(*v->types));
        v->types[0] = t;
    } else {
        v->types[v->n_types] = t;
    }
    v->n_types++;
    return 0;
}

static jl_prop_t *
jl_prop(jl_state_t *st, jl_props_t *ps, const char *iri)
{
    jl_prop_t *n;
    void     **slot;
    uint32_t   i, cap;
    size_t     len = strlen(iri);

    if (ps->idx != NULL) {
        slot = jl_smap_get(ps->idx, iri, len);
        if (slot != NULL) {
            return &ps->p[(uintptr_t) *slot];
        }
    } else {
        for (i = 0; i < ps->n; i++) {
            if (strcmp(ps->p[i].iri, iri) == 0) {
                return &ps->p[i];
            }
        }
    }
    if (ps->n == ps->cap) {
        cap = ps->cap ? ps->cap * 2 : 4;
        n = badge_arena_alloc(st->a, cap * sizeof(*n));
        if (n == NULL) {
            jl_oom(st);
            return NULL;
        }
        if (ps->n) {
            memcpy(n, ps->p, ps->n * sizeof(*n));
        }
        ps->p = n;
        ps->cap = cap;
    }
    n = &ps->p[ps->n];
    n->iri = iri;
    memset(&n->vals, 0, sizeof(n->vals));
    ps->n++;
    /* hostile objects with many properties: index them, no O(n^2) */
    if (ps->idx == NULL && ps->n > 16) {
        ps->idx = badge_arena_alloc(st->a, sizeof(*ps->idx));
        if (ps->idx == NULL || jl_smap_init(ps->idx, st->a, 64) != 0) {
            jl_oom(st);
            return NULL;
        }
        for (i = 0; i < ps->n; i++) {
            slot = jl_smap_put(ps->idx, ps->p[i].iri, strlen(ps->p[i].iri));
            if (slot == NULL) {
                jl_oom(st);
                return NULL;
            }
            *slot = (void *) (uintptr_t) i;
        }
    } else if (ps->idx != NULL) {
        slot = jl_smap_put(ps->idx, iri, len);
        if (slot == NULL) {
            jl_oom(st);
            return NULL;
        }
        *slot = (void *) (uintptr_t) (ps->n - 1);
    }
    return n;
}

static int
jl_add_value(jl_state_t *st, jl_props_t *ps, const char *iri, jl_val_t *v)
{
    jl_prop_t *p = jl_prop(st, ps, iri);

    if (p == NULL) {
        return -1;
    }
    return jl_vec_add(st, &p->vals, v);
}

static int
jl_is_graph_obj(const jl_val_t *v)
{
    return v->kind == JL_NODE && (v->keys & JL_HAS_GRAPH)
           && !(v->keys & ~(JL_HAS_GRAPH | JL_HAS_ID | JL_HAS_INDEX))
           && v->props.n == 0 && v->rev.n == 0;
}

/* wrap as a graph object {"@graph": [v]} */
static jl_val_t *
jl_graph_wrap(jl_state_t *st, jl_val_t *v)
{
    jl_val_t *g = jl_new(st, JL_NODE);

    if (g == NULL || jl_vec_add(st, &g->graph, v) != 0) {
        return NULL;
    }
    g->keys = JL_HAS_GRAPH;
    return g;
}

static const char *
jl_json_str(jl_state_t *st, json_t *j)
{
    const char *s = json_string_value(j);

    if (s != NULL && strlen(s) != json_string_length(j)) {
        jl_err(st, E_INVALID_INPUT, "NUL in string");
        return NULL;
    }
    return s;
}

static int
jl_set_scalar(jl_state_t *st, jl_val_t *v, json_t *j)
{
    v->json = j;
    switch (json_typeof(j)) {
    case JSON_STRING:
        v->vtype = JL_V_STR;
        v->str = jl_json_str(st, j);
        return v->str == NULL ? -1 : 0;
    case JSON_INTEGER:
        v->vtype = JL_V_INT;
        v->json = j;
        return 0;
    case JSON_REAL:
        v->vtype = JL_V_REAL;
        v->json = j;
        return 0;
    case JSON_TRUE:
        v->vtype = JL_V_TRUE;
        return 0;
    case JSON_FALSE:
        v->vtype = JL_V_FALSE;
        return 0;
    case JSON_NULL:
        v->vtype = JL_V_NULL;
        return 0;
    default:
        return -1;
    }
}

/* ---- Value Expansion (5.3) ---- */

/* td: the term definition of the active property in ctx (or NULL) */
static jl_val_t *
jl_value_expand(jl_state_t *st, const jl_ctx_t *ctx, const jl_term_t *td,
    json_t *j, const char *s)
{
    jl_val_t   *v;
    const char *lang, *dir;

    if (j != NULL && json_is_string(j)) {
        s = jl_json_str(st, j);
        if (s == NULL) {
            return NULL;
        }
    }
    if (td != NULL && s != NULL
        && (td->type == KW(ID) || td->type == KW(VOCAB)))
    {
        v = jl_new(st, JL_NODE);
        if (v == NULL) {
            return NULL;
        }
        v->id = jl_expand_iri(st, ctx, s, 1, td->type == KW(VOCAB));
        if (st->failed) {
            return NULL;
        }
        v->keys = JL_HAS_ID;
        return v;
    }
    v = jl_new(st, JL_VALUE);
    if (v == NULL) {
        return NULL;
    }
    v->keys = JL_HAS_VALUE;
    if (s != NULL) {
        v->vtype = JL_V_STR;
        v->str = s;
    } else if (jl_set_scalar(st, v, j) != 0) {
        return NULL;
    }
    if (td != NULL && td->type != NULL && td->type != KW(ID)
        && td->type != KW(VOCAB) && td->type != KW(NONE))
    {
        if (jl_types_push(st, v, td->type, 0) != 0) {
            return NULL;
        }
        v->keys |= JL_HAS_TYPE;
    } else if (v->vtype == JL_V_STR) {
        lang = td != NULL && td->has_lang ? td->lang : ctx->lang;
        dir = td != NULL && td->has_dir ? td->dir : ctx->dir;
        if (lang != NULL) {
            v->lang = lang;
            v->keys |= JL_HAS_LANG;
        }
        if (dir != NULL) {
            v->dir = dir;
            v->keys |= JL_HAS_DIR;
        }
    }
    return v;
}

/* ---- Expansion (5.1) ---- */

typedef struct {
    const char *key;
    json_t     *val;
    const char *exp;          /* IRI-expanded key (vocab) */
} jl_ent_t;

static int
jl_ent_cmp(const void *a, const void *b)
{
    return strcmp(((const jl_ent_t *) a)->key, ((const jl_ent_t *) b)->key);
}

static int
jl_str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

typedef struct {
    const jl_ctx_t *ctx;
    const jl_ctx_t *tsctx;     /* type-scoped context (before types) */
    const char     *aprop;
    const char     *base_url;
    const char     *input_type;
    jl_val_t       *res;
} jl_oexp_t;

static int jl_expand_entries(jl_state_t *st, jl_oexp_t *ox, json_t *elem);

static int
jl_expand_lang_map(jl_state_t *st, jl_oexp_t *ox, const jl_term_t *td,
    json_t *value, jl_val_t *out)
{
    const char *lang, *dir, *s, *e;
    json_t     *lv, *item;
    jl_val_t   *v;
    size_t      i, n;

    dir = td->has_dir ? td->dir : ox->ctx->dir;
    json_object_foreach(value, lang, lv) {
        n = json_is_array(lv) ? json_array_size(lv) : 1;
        for (i = 0; i < n; i++) {
            item = json_is_array(lv) ? json_array_get(lv, i) : lv;
            if (json_is_null(item)) {
                continue;
            }
            if (!json_is_string(item)) {
                jl_err(st, E_INVALID_LANG_MAP_VALUE, "%s", lang);
                return -1;
            }
            if ((s = jl_json_str(st, item)) == NULL) {
                return -1;
            }
            v = jl_new(st, JL_VALUE);
            if (v == NULL) {
                return -1;
            }
            v->keys = JL_HAS_VALUE;
            v->vtype = JL_V_STR;
            v->str = s;
            e = jl_expand_iri(st, ox->ctx, lang, 0, 1);
            if (st->failed) {
                return -1;
            }
            if (strcmp(lang, "@none") != 0 && e != KW(NONE)) {
                v->lang = jl_lower(st->a, lang);
                if (v->lang == NULL) {
                    jl_oom(st);
                    return -1;
                }
                v->keys |= JL_HAS_LANG;
            }
            if (dir != NULL) {
                v->dir = dir;
                v->keys |= JL_HAS_DIR;
            }
            if (jl_vec_push(st, &out->items, v) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static int
jl_expand_index_map(jl_state_t *st, jl_oexp_t *ox, const char *key,
    const jl_term_t *td, json_t *value, jl_val_t *out)
{
    const jl_ctx_t  *ctx = ox->ctx, *mctx;
    const jl_term_t *itd;
    const char      *index, *ikey, *eidx, *eikey;
    json_t          *iv;
    jl_val_t        *ev, *item, *re;
    jl_prop_t       *p;
    uint32_t         i, k, n;
    uint8_t          cont = td->container;

    ikey = td->index != NULL ? td->index : "@index";
    json_object_foreach(value, index, iv) {
        mctx = ctx;
        if (cont & (JL_C_ID | JL_C_TYPE)) {
            mctx = ctx->prev != NULL ? ctx->prev : ctx;
            if (cont & JL_C_TYPE) {
                itd = jl_ctx_get(mctx, index, strlen(index));
                if (itd != NULL && itd->has_ctx) {
                    mctx = jl_process(st, mctx, itd->ctx, itd->base_url,
                                      NULL, mctx->id ? JL_P_PERM : 0);
                    if (mctx == NULL) {
                        return -1;
                    }
                }
            } else {
                mctx = ctx;
            }
        }
        eidx = jl_expand_iri(st, ctx, index, 0, 1);
        if (st->failed) {
            return -1;
        }
        ev = jl_expand(st, mctx, key, iv, ox->base_url, 1);
        if (st->failed) {
            return -1;
        }
        if (ev == NULL) {
            continue;
        }
        n = ev->kind == JL_ARRAY ? ev->items.n : 1;
        for (i = 0; i < n; i++) {
            item = ev->kind == JL_ARRAY ? ev->items.v[i] : ev;
            if ((cont & JL_C_GRAPH) && !jl_is_graph_obj(item)) {
                item = jl_graph_wrap(st, item);
                if (item == NULL) {
                    return -1;
                }
            }
            if ((cont & JL_C_INDEX) && strcmp(ikey, "@index") != 0
                && eidx != KW(NONE))
            {
                re = jl_value_expand(st, ctx,
                                     jl_ctx_get(ctx, ikey, strlen(ikey)),
                                     NULL, index);
                if (re == NULL) {
                    return -1;
                }
                eikey = jl_expand_iri(st, ctx, ikey, 0, 1);
                if (st->failed) {
                    return -1;
                }
                if (item->kind == JL_VALUE) {
                    jl_err(st, E_INVALID_VALUE_OBJ,
                           "property-valued index on a value");
                    return -1;
                }
                if (eikey == NULL || jl_keyword(eikey) != NULL) {
                    jl_err(st, E_INVALID_TERM_DEF, "index %s", ikey);
                    return -1;
                }
                p = jl_prop(st, &item->props, eikey);
                if (p == NULL || jl_vec_push(st, &p->vals, re) != 0) {
                    return -1;
                }
                /* the re-expanded index goes first */
                for (k = p->vals.n - 1; k > 0; k--) {
                    p->vals.v[k] = p->vals.v[k - 1];
                }
                p->vals.v[0] = re;
            } else if ((cont & JL_C_INDEX) && !(item->keys & JL_HAS_INDEX)
                       && eidx != KW(NONE))
            {
                item->index = index;
                item->keys |= JL_HAS_INDEX;
            } else if ((cont & JL_C_ID) && !(item->keys & JL_HAS_ID)
                       && eidx != KW(NONE))
            {
                item->id = jl_expand_iri(st, ctx, index, 1, 0);
                if (st->failed) {
                    return -1;
                }
                item->keys |= JL_HAS_ID;
            } else if ((cont & JL_C_TYPE) && eidx != KW(NONE)
                       && eidx != NULL)
            {
                if (jl_types_push(st, item, eidx, 1) != 0) {
                    return -1;
                }
                item->keys |= JL_HAS_TYPE;
            }
            if (jl_vec_push(st, &out->items, item) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static int
jl_expand_keyword(jl_state_t *st, jl_oexp_t *ox, const char *key,
    const char *kw, json_t *value, const char ***nests, size_t *n_nests)
{
    jl_val_t   *res = ox->res, *ev;
    json_t     *item;
    const char *s, *e;
    uint32_t    i, j;
    size_t      k, n;

    if (ox->aprop == KW(REVERSE)) {
        jl_err(st, E_INVALID_REV_MAP, "%s", key);
        return -1;
    }
#define JL_COLLIDE(bit)                                                      \
    if (res->keys & (bit)) {                                                 \
        jl_err(st, E_COLLIDING_KEYWORDS, "%s", kw);                          \
        return -1;                                                           \
    }

    if (kw == KW(ID)) {
        JL_COLLIDE(JL_HAS_ID);
        if (!json_is_string(value)) {
            jl_err(st, E_INVALID_ID, "not a string");
            return -1;
        }
        if ((s = jl_json_str(st, value)) == NULL) {
            return -1;
        }
        e = jl_expand_iri(st, ox->ctx, s, 1, 0);
        if (st->failed) {
            return -1;
        }
        /* a keyword-like @id expands to null: the node keeps an @id that
         * is not well-formed, so toRdf drops it (as jsonld.js does) */
        res->id = e;
        res->keys |= JL_HAS_ID;
        return 0;
    }
    if (kw == KW(TYPE)) {
        if (st->mode10) {
            JL_COLLIDE(JL_HAS_TYPE);
        }
        n = json_is_array(value) ? json_array_size(value) : 1;
        if (!json_is_string(value) && !json_is_array(value)) {
            jl_err(st, E_INVALID_TYPE_VALUE, "%s", key);
            return -1;
        }
        for (k = 0; k < n; k++) {
            item = json_is_array(value) ? json_array_get(value, k) : value;
            if (!json_is_string(item)) {
                jl_err(st, E_INVALID_TYPE_VALUE, "%s", key);
                return -1;
            }
            if ((s = jl_json_str(st, item)) == NULL) {
                return -1;
            }
            e = jl_expand_iri(st, ox->tsctx, s, 1, 1);
            if (st->failed) {
                return -1;
            }
            if (e == NULL) {
                continue;
            }
            /* undefined: no term, not an IRI or compact IRI, no @vocab
             * (with a base it still "expands", against the base) */
            if (jl_keyword(e) == NULL
                && (!jl_is_absolute_iri(e)
                    || (strchr(s, ':') == NULL && ox->tsctx->vocab == NULL
                        && jl_ctx_get(ox->tsctx, s, strlen(s)) == NULL)))
            {
                jl_note_dropped(st, s);
            }
            if (jl_types_push(st, res, e, 0) != 0) {
                return -1;
            }
        }
        if (json_is_array(value)) {
            res->type_arr = 1;
        }
        res->keys |= JL_HAS_TYPE;
        return 0;
    }
    if (kw == KW(GRAPH)) {
        JL_COLLIDE(JL_HAS_GRAPH);
        ev = jl_expand(st, ox->ctx, KW(GRAPH), value, ox->base_url, 0);
        if (st->failed || jl_vec_add(st, &res->graph, ev) != 0) {
            return -1;
        }
        res->keys |= JL_HAS_GRAPH;
        return 0;
    }
    if (kw == KW(INCLUDED)) {
        if (st->mode10) {
            return 0;
        }
        /* "@included" as active property keeps values and lists (instead
         * of dropping them as free-floating), so they are reported */
        ev = jl_expand(st, ox->ctx, KW(INCLUDED), value, ox->base_url, 0);
        if (st->failed) {
            return -1;
        }
        n = ev == NULL ? 0 : ev->kind == JL_ARRAY ? ev->items.n : 1;
        for (k = 0; k < n; k++) {
            jl_val_t *it = ev->kind == JL_ARRAY ? ev->items.v[k] : ev;

            if (it->kind != JL_NODE) {
                jl_err(st, E_INVALID_INCLUDED, "%s", "");
                return -1;
            }
        }
        if (jl_vec_add(st, &res->included, ev) != 0) {
            return -1;
        }
        res->keys |= JL_HAS_INCLUDED;
        return 0;
    }
    if (kw == KW(VALUE)) {
        JL_COLLIDE(JL_HAS_VALUE);
        if (ox->input_type == KW(JSON)) {
            if (st->mode10) {
                jl_err(st, E_INVALID_VALUE_OBJ_VALUE, "@json in 1.0");
                return -1;
            }
            res->vtype = JL_V_JSON;
            res->json = value;
        } else if (json_is_object(value) || json_is_array(value)) {
            jl_err(st, E_INVALID_VALUE_OBJ_VALUE, "%s", "");
            return -1;
        } else if (jl_set_scalar(st, res, value) != 0) {
            return -1;
        }
        res->keys |= JL_HAS_VALUE;
        return 0;
    }
    if (kw == KW(LANGUAGE)) {
        JL_COLLIDE(JL_HAS_LANG);
        if (!json_is_string(value)) {
            jl_err(st, E_INVALID_LANG_STRING, "%s", "");
            return -1;
        }
        if ((s = jl_json_str(st, value)) == NULL) {
            return -1;
        }
        res->lang = jl_lower(st->a, s);
        if (res->lang == NULL) {
            jl_oom(st);
            return -1;
        }
        res->keys |= JL_HAS_LANG;
        return 0;
    }
    if (kw == KW(DIRECTION)) {
        if (st->mode10) {
            return 0;
        }
        JL_COLLIDE(JL_HAS_DIR);
        s = json_string_value(value);
        if (s == NULL || (strcmp(s, "ltr") != 0 && strcmp(s, "rtl") != 0)) {
            jl_err(st, E_INVALID_DIRECTION, "%s", "");
            return -1;
        }
        res->dir = s[0] == 'l' ? "ltr" : "rtl";
        res->keys |= JL_HAS_DIR;
        return 0;
    }
    if (kw == KW(INDEX)) {
        JL_COLLIDE(JL_HAS_INDEX);
        if (!json_is_string(value)) {
            jl_err(st, E_INVALID_INDEX, "%s", "");
            return -1;
        }
        if ((res->index = jl_json_str(st, value)) == NULL) {
            return -1;
        }
        res->keys |= JL_HAS_INDEX;
        return 0;
    }
    if (kw == KW(LIST)) {
        JL_COLLIDE(JL_HAS_LIST);
        if (ox->aprop == NULL || ox->aprop == KW(GRAPH)) {
            return 0;           /* free-floating list */
        }
        ev = jl_expand(st, ox->ctx, ox->aprop, value, ox->base_url, 0);
        if (st->failed || jl_vec_add(st, &res->items, ev) != 0) {
            return -1;
        }
        res->keys |= JL_HAS_LIST;
        return 0;
    }
    if (kw == KW(SET)) {
        JL_COLLIDE(JL_HAS_SET);
        ev = jl_expand(st, ox->ctx, ox->aprop, value, ox->base_url, 0);
        if (st->failed) {
            return -1;
        }
        if (ev != NULL && ev->kind != JL_ARRAY) {
            jl_val_t *arr = jl_new(st, JL_ARRAY);

            if (arr == NULL || jl_vec_push(st, &arr->items, ev) != 0) {
                return -1;
            }
            arr->type_arr = 1;          /* marks "was a single value" */
            ev = arr;
        }
        res->items.v = ev ? ev->items.v : NULL;
        res->items.n = ev ? ev->items.n : 0;
        res->items.cap = ev ? ev->items.cap : 0;
        res->type_arr = ev ? ev->type_arr : 0;
        res->keys |= JL_HAS_SET;
        return 0;
    }
    if (kw == KW(REVERSE)) {
        if (!json_is_object(value)) {
            jl_err(st, E_INVALID_REVERSE, "%s", "");
            return -1;
        }
        ev = jl_expand(st, ox->ctx, KW(REVERSE), value, ox->base_url, 0);
        if (st->failed) {
            return -1;
        }
        if (ev == NULL || ev->kind != JL_NODE) {
            return 0;
        }
        for (i = 0; i < ev->rev.n; i++) {
            for (j = 0; j < ev->rev.p[i].vals.n; j++) {
                if (jl_add_value(st, &res->props, ev->rev.p[i].iri,
                                 ev->rev.p[i].vals.v[j]) != 0)
                {
                    return -1;
                }
            }
        }
        if (ev->props.n > 0) {
            for (i = 0; i < ev->props.n; i++) {
                jl_prop_t *p = jl_prop(st, &res->rev, ev->props.p[i].iri);

                if (p == NULL) {
                    return -1;
                }
                for (j = 0; j < ev->props.p[i].vals.n; j++) {
                    jl_val_t *it = ev->props.p[i].vals.v[j];

                    if (it->kind == JL_VALUE || it->kind == JL_LIST) {
                        jl_err(st, E_INVALID_REV_VALUE, "%s",
                               ev->props.p[i].iri);
                        return -1;
                    }
                    if (jl_vec_push(st, &p->vals, it) != 0) {
                        return -1;
                    }
                }
            }
            res->keys |= JL_HAS_REVERSE;
        }
        return 0;
    }
    if (kw == KW(NEST)) {
        const char **nn = badge_arena_alloc(st->a,
                                            (*n_nests + 1) * sizeof(*nn));

        if (nn == NULL) {
            jl_oom(st);
            return -1;
        }
        if (*n_nests) {
            memcpy(nn, *nests, *n_nests * sizeof(*nn));
        }
        nn[(*n_nests)++] = key;
        *nests = nn;
        return 0;
    }
#undef JL_COLLIDE
    return 0;                   /* other keywords have no meaning here */
}

static int
jl_expand_entries(jl_state_t *st, jl_oexp_t *ox, json_t *elem)
{
    const jl_term_t *td;
    const char      *key, *ep, *kw;
    const char     **nests = NULL;
    size_t           n_nests = 0, i, k, n;
    json_t          *value, *nv, *item;
    jl_val_t        *ev, *res = ox->res, *lst, *g;
    uint32_t         j, m;

    json_object_foreach(elem, key, value) {
        if (strcmp(key, "@context") == 0) {
            continue;
        }
        ep = jl_expand_key(st, ox->ctx, key, &td);
        if (st->failed) {
            return -1;
        }
        kw = ep != NULL && ep[0] == '@' ? jl_keyword(ep) : NULL;
        if (ep == NULL || (kw == NULL && strchr(ep, ':') == NULL)) {
            if (key[0] != '@') {
                jl_note_dropped(st, key);
            }
            continue;
        }
        if (kw != NULL) {
            if (jl_expand_keyword(st, ox, key, kw, value, &nests, &n_nests)
                != 0)
            {
                return -1;
            }
            continue;
        }
        if (td != NULL && td->type == KW(JSON)) {
            ev = jl_new(st, JL_VALUE);
            if (ev == NULL || jl_types_push(st, ev, KW(JSON), 0) != 0) {
                return -1;
            }
            ev->keys = JL_HAS_VALUE | JL_HAS_TYPE;
            ev->vtype = JL_V_JSON;
            ev->json = value;
        } else if (td != NULL && (td->container & JL_C_LANGUAGE)
                   && json_is_object(value))
        {
            ev = jl_new(st, JL_ARRAY);
            if (ev == NULL
                || jl_expand_lang_map(st, ox, td, value, ev) != 0)
            {
                return -1;
            }
        } else if (td != NULL
                   && (td->container & (JL_C_INDEX | JL_C_TYPE | JL_C_ID))
                   && json_is_object(value))
        {
            ev = jl_new(st, JL_ARRAY);
            if (ev == NULL
                || jl_expand_index_map(st, ox, key, td, value, ev) != 0)
            {
                return -1;
            }
        } else {
            ev = jl_expand_td(st, ox->ctx, key, td, value, ox->base_url, 0);
            if (st->failed) {
                return -1;
            }
        }
        if (ev == NULL) {
            continue;
        }
        if (td != NULL && (td->container & JL_C_LIST)
            && ev->kind != JL_LIST)
        {
            lst = jl_new(st, JL_LIST);
            if (lst == NULL || jl_vec_add(st, &lst->items, ev) != 0) {
                return -1;
            }
            lst->keys = JL_HAS_LIST;
            ev = lst;
        }
        if (td != NULL && (td->container & JL_C_GRAPH)
            && !(td->container & (JL_C_ID | JL_C_INDEX)))
        {
            jl_val_t *arr = jl_new(st, JL_ARRAY);

            if (arr == NULL) {
                return -1;
            }
            m = ev->kind == JL_ARRAY ? ev->items.n : 1;
            for (j = 0; j < m; j++) {
                g = jl_graph_wrap(st, ev->kind == JL_ARRAY ? ev->items.v[j]
                                                           : ev);
                if (g == NULL || jl_vec_push(st, &arr->items, g) != 0) {
                    return -1;
                }
            }
            ev = arr;
        }
        if (td != NULL && td->reverse) {
            jl_prop_t *p = jl_prop(st, &res->rev, ep);

            if (p == NULL) {
                return -1;
            }
            m = ev->kind == JL_ARRAY ? ev->items.n : 1;
            for (j = 0; j < m; j++) {
                jl_val_t *it = ev->kind == JL_ARRAY ? ev->items.v[j] : ev;

                if (it->kind == JL_VALUE || it->kind == JL_LIST) {
                    jl_err(st, E_INVALID_REV_VALUE, "%s", key);
                    return -1;
                }
                if (jl_vec_push(st, &p->vals, it) != 0) {
                    return -1;
                }
            }
            res->keys |= JL_HAS_REVERSE;
        } else if (jl_add_value(st, &res->props, ep, ev) != 0) {
            return -1;
        }
    }

    for (i = 0; i < n_nests; i++) {
        jl_oexp_t nox = *ox;

        /* a nesting key's scoped context applies to the nested values */
        td = jl_ctx_get(ox->ctx, nests[i], strlen(nests[i]));
        if (td != NULL && td->has_ctx) {
            nox.ctx = jl_process(st, ox->ctx, td->ctx, td->base_url, NULL,
                                 JL_P_OVERRIDE
                                 | (ox->ctx->id ? JL_P_PERM : 0));
            if (nox.ctx == NULL) {
                return -1;
            }
        }
        nv = json_object_get(elem, nests[i]);
        n = json_is_array(nv) ? json_array_size(nv) : 1;
        for (k = 0; k < n; k++) {
            const char *nk;
            json_t     *nvv;

            item = json_is_array(nv) ? json_array_get(nv, k) : nv;
            if (!json_is_object(item)) {
                jl_err(st, E_INVALID_NEST, "%s", nests[i]);
                return -1;
            }
            json_object_foreach(item, nk, nvv) {
                if (jl_expand_iri(st, nox.ctx, nk, 0, 1) == KW(VALUE)) {
                    jl_err(st, E_INVALID_NEST, "@value in %s", nests[i]);
                    return -1;
                }
            }
            if (++st->depth > st->max_depth) {
                jl_err(st, E_DEPTH, "%s", "");
                return -1;
            }
            if (jl_expand_entries(st, &nox, item) != 0) {
                return -1;
            }
            st->depth--;
        }
    }
    return 0;
}

static jl_val_t *
jl_expand_obj(jl_state_t *st, const jl_ctx_t *ctx, const char *aprop,
    const jl_term_t *ptd, json_t *elem, const char *base_url, int from_map)
{
    const jl_term_t *td;
    const jl_ctx_t  *tsctx;
    jl_oexp_t        ox;
    jl_ent_t        *tk = NULL;
    jl_val_t        *res;
    json_t          *pctx = NULL, *c, *value, *tv;
    const char      *pbase = NULL, *key, *e, **terms;
    size_t           ntk = 0, i, k, n, nt;
    unsigned         pflags = 0;

    if (ptd != NULL && ptd->has_ctx) {
        pctx = ptd->ctx;
        pbase = ptd->base_url;
        pflags = JL_P_OVERRIDE | (ctx->id ? JL_P_PERM : 0);
    }

    /* step 7: a non-propagated (type-scoped) context does not apply to a
     * new node object */
    if (ctx->prev != NULL && !from_map) {
        int revert = 1;

        n = json_object_size(elem);
        json_object_foreach(elem, key, value) {
            e = jl_key_keyword(ctx, key);
            if (e == KW(VALUE) || (n == 1 && e == KW(ID))) {
                revert = 0;
                break;
            }
        }
        if (st->failed) {
            return NULL;
        }
        if (revert) {
            ctx = ctx->prev;
        }
    }
    if (pctx != NULL) {
        ctx = jl_process(st, ctx, pctx, pbase, NULL, pflags);
        if (ctx == NULL) {
            return NULL;
        }
    }
    if ((c = json_object_get(elem, "@context")) != NULL) {
        ctx = jl_process(st, ctx, c, base_url, NULL, 0);
        if (ctx == NULL) {
            return NULL;
        }
    }

    /* steps 10-12: type-scoped contexts, in key and value order */
    tsctx = ctx;
    json_object_foreach(elem, key, value) {
        e = jl_key_keyword(tsctx, key);
        if (e != KW(TYPE)) {
            continue;
        }
        if (tk == NULL) {
            tk = badge_arena_alloc(st->a, json_object_size(elem)
                                          * sizeof(*tk));
            if (tk == NULL) {
                jl_oom(st);
                return NULL;
            }
        }
        tk[ntk].key = key;
        tk[ntk].val = value;
        tk[ntk].exp = e;
        ntk++;
    }
    if (st->failed) {
        return NULL;
    }
    if (ntk > 1) {
        qsort(tk, ntk, sizeof(*tk), jl_ent_cmp);
    }
    for (i = 0; i < ntk; i++) {
        tv = tk[i].val;
        n = json_is_array(tv) ? json_array_size(tv) : 1;
        terms = badge_arena_alloc(st->a, (n ? n : 1) * sizeof(*terms));
        if (terms == NULL) {
            jl_oom(st);
            return NULL;
        }
        for (k = 0, nt = 0; k < n; k++) {
            json_t *it = json_is_array(tv) ? json_array_get(tv, k) : tv;

            if (json_is_string(it)) {
                terms[nt++] = json_string_value(it);
            }
        }
        if (nt > 1) {
            qsort(terms, nt, sizeof(*terms), jl_str_cmp);
        }
        for (k = 0; k < nt; k++) {
            td = jl_ctx_get(tsctx, terms[k], strlen(terms[k]));
            if (td != NULL && td->has_ctx) {
                ctx = jl_process(st, ctx, td->ctx, td->base_url, NULL,
                                 JL_P_NOPROP | (tsctx->id ? JL_P_PERM : 0));
                if (ctx == NULL) {
                    return NULL;
                }
            }
        }
    }

    ox.ctx = ctx;
    ox.tsctx = tsctx;
    ox.aprop = aprop;
    ox.base_url = base_url;
    ox.input_type = NULL;
    if (ntk > 0) {
        tv = tk[0].val;
        if (json_is_array(tv) && json_array_size(tv) > 0) {
            tv = json_array_get(tv, json_array_size(tv) - 1);
        }
        if (json_is_string(tv)) {
            ox.input_type = jl_expand_iri(st, ctx, json_string_value(tv), 0,
                                          1);
        }
    }
    res = jl_new(st, JL_OBJ);
    if (res == NULL) {
        return NULL;
    }
    ox.res = res;
    if (jl_expand_entries(st, &ox, elem) != 0) {
        return NULL;
    }

    /* steps 15-20 */
    if (res->keys & JL_HAS_VALUE) {
        if ((res->keys & ~(JL_HAS_VALUE | JL_HAS_TYPE | JL_HAS_LANG
                           | JL_HAS_DIR | JL_HAS_INDEX))
            || res->props.n > 0
            || ((res->keys & JL_HAS_TYPE)
                && (res->keys & (JL_HAS_LANG | JL_HAS_DIR))))
        {
            jl_err(st, E_INVALID_VALUE_OBJ, "%s", "");
            return NULL;
        }
        res->kind = JL_VALUE;
        if ((res->keys & JL_HAS_TYPE) && res->n_types == 1
            && res->types[0] == KW(JSON) && !res->type_arr)
        {
            if (res->vtype != JL_V_JSON) {
                /* "@type": "@json" not seen as the input type */
                res->vtype = JL_V_JSON;
                if (res->json == NULL) {
                    return NULL;
                }
            }
        } else if (res->vtype == JL_V_NULL || res->vtype == JL_V_JSON) {
            return NULL;
        } else if (res->vtype != JL_V_STR && (res->keys & JL_HAS_LANG)) {
            jl_err(st, E_INVALID_LANG_VALUE, "%s", "");
            return NULL;
        } else if ((res->keys & JL_HAS_TYPE)
                   && (res->n_types != 1 || res->type_arr
                       || !jl_is_absolute_iri(res->types[0])
                       || jl_is_bnode(res->types[0])))
        {
            jl_err(st, E_INVALID_TYPED_VALUE, "%s",
                   res->n_types ? res->types[0] : "");
            return NULL;
        }
    } else if (res->keys & (JL_HAS_SET | JL_HAS_LIST)) {
        if ((res->keys & ~(JL_HAS_SET | JL_HAS_LIST | JL_HAS_INDEX))
            || res->props.n > 0
            || (res->keys & (JL_HAS_SET | JL_HAS_LIST))
               == (JL_HAS_SET | JL_HAS_LIST))
        {
            jl_err(st, E_INVALID_SET_LIST, "%s", "");
            return NULL;
        }
        if (res->keys & JL_HAS_SET) {
            jl_val_t *arr;

            if (res->type_arr && res->items.n == 1) {
                res = res->items.v[0];      /* "@set": single value */
            } else {
                arr = jl_new(st, JL_ARRAY);
                if (arr == NULL) {
                    return NULL;
                }
                arr->items = res->items;
                res = arr;
            }
        } else {
            res->kind = JL_LIST;
        }
    } else {
        res->kind = JL_NODE;
    }
    if (res->kind == JL_NODE && res->keys == JL_HAS_LANG
        && res->props.n == 0)
    {
        return NULL;
    }
    if (aprop == NULL || aprop == KW(GRAPH)) {
        if (res->kind == JL_VALUE || res->kind == JL_LIST) {
            return NULL;
        }
        if (res->kind == JL_NODE && res->props.n == 0 && res->rev.n == 0
            && (res->keys == 0 || res->keys == JL_HAS_ID))
        {
            return NULL;
        }
    }
    return res;
}

static jl_val_t *
jl_expand_td(jl_state_t *st, const jl_ctx_t *ctx, const char *aprop,
    const jl_term_t *atd, json_t *elem, const char *base_url, int from_map)
{
    jl_val_t *res, *ev, *lst;
    size_t    i, n;

    if (elem == NULL || json_is_null(elem)) {
        return NULL;
    }
    if (!json_is_object(elem) && !json_is_array(elem)) {
        if (aprop == NULL || aprop == KW(GRAPH)) {
            return NULL;
        }
        if (atd != NULL && atd->has_ctx) {
            ctx = jl_process(st, ctx, atd->ctx, atd->base_url, NULL,
                             ctx->id ? JL_P_PERM : 0);
            if (ctx == NULL) {
                return NULL;
            }
            atd = jl_ctx_get(ctx, aprop, strlen(aprop));
        }
        return jl_value_expand(st, ctx, atd, elem, NULL);
    }
    if (++st->depth > st->max_depth) {
        jl_err(st, E_DEPTH, "more than %zu levels", st->max_depth);
        return NULL;
    }
    if (json_is_array(elem)) {
        res = jl_new(st, JL_ARRAY);
        if (res == NULL) {
            return NULL;
        }
        n = json_array_size(elem);
        for (i = 0; i < n; i++) {
            ev = jl_expand_td(st, ctx, aprop, atd, json_array_get(elem, i),
                              base_url, from_map);
            if (st->failed) {
                return NULL;
            }
            if (ev != NULL && ev->kind == JL_ARRAY && atd != NULL
                && (atd->container & JL_C_LIST))
            {
                lst = jl_new(st, JL_LIST);
                if (lst == NULL) {
                    return NULL;
                }
                lst->items = ev->items;
                lst->keys = JL_HAS_LIST;
                ev = lst;
            }
            if (jl_vec_add(st, &res->items, ev) != 0) {
                return NULL;
            }
        }
    } else {
        res = jl_expand_obj(st, ctx, aprop, atd, elem, base_url, from_map);
    }
    st->depth--;
    return res;
}

int
jl_expand_document(jl_state_t *st, json_t *input, jl_vec_t *out)
{
    const jl_ctx_t    *ctx;
    jl_val_t          *r;
    json_t            *ec;
    const char        *base_url;
    badge_jsonld_opts_t *o = st->opts;

    memset(out, 0, sizeof(*out));
    ctx = jl_initial(st);
    if (ctx == NULL) {
        return -1;
    }
    base_url = o->document_url != NULL ? o->document_url : o->base;
    if (o->expand_context != NULL) {
        ec = o->expand_context;
        if (json_is_object(ec) && json_object_get(ec, "@context") != NULL) {
            ec = json_object_get(ec, "@context");
        }
        ctx = jl_process(st, ctx, ec, base_url, NULL, 0);
        if (ctx == NULL) {
            return -1;
        }
    }
    r = jl_expand(st, ctx, NULL, input, base_url, 0);
    if (st->failed) {
        return -1;
    }
    if (r != NULL && r->kind == JL_NODE && r->keys == JL_HAS_GRAPH
        && r->props.n == 0 && r->rev.n == 0)
    {
        *out = r->graph;
        return 0;
    }
    return jl_vec_add(st, out, r);
}

/* ---- state ---- */

int jl_state_init(jl_state_t *st, badge_arena_t *a, badge_jsonld_opts_t *o,
    badge_err_t *err);

int
jl_state_init(jl_state_t *st, badge_arena_t *a, badge_jsonld_opts_t *o,
    badge_err_t *err)
{
    memset(st, 0, sizeof(*st));
    st->a = a;
    st->ca = a;
    st->opts = o;
    st->err = err;
    badge_err_clear(err);
    o->dropped = NULL;
    o->n_dropped = 0;
    st->cache = o->cache != NULL ? o->cache : jl_cache_default();
    st->doc_base = o->base;
    if (st->cache == NULL) {
        jl_oom(st);
        return -1;
    }
    if (o->processing_mode != NULL) {
        if (strcmp(o->processing_mode, "json-ld-1.0") == 0) {
            st->mode10 = 1;
        } else if (strcmp(o->processing_mode, "json-ld-1.1") != 0) {
            jl_err(st, E_INVALID_INPUT, "processing mode %s",
                   o->processing_mode);
            return -1;
        }
    }
    st->max_depth = o->max_depth ? o->max_depth : JL_DEFAULT_MAX_DEPTH;
    st->max_contexts = o->max_contexts ? o->max_contexts
                                       : JL_DEFAULT_MAX_CONTEXTS;
    return 0;
}

/* ---- badge_jsonld_expand: the tree as jansson ---- */

static json_t *jl_to_json(jl_state_t *st, const jl_val_t *v);

static json_t *
jl_vec_json(jl_state_t *st, const jl_vec_t *v)
{
    json_t  *a = json_array(), *x;
    uint32_t i;

    if (a == NULL) {
        return NULL;
    }
    for (i = 0; i < v->n; i++) {
        x = jl_to_json(st, v->v[i]);
        if (x == NULL || json_array_append_new(a, x) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int
jl_props_json(jl_state_t *st, json_t *o, const jl_props_t *ps)
{
    uint32_t i;

    for (i = 0; i < ps->n; i++) {
        if (json_object_set_new(o, ps->p[i].iri,
                                jl_vec_json(st, &ps->p[i].vals)) != 0)
        {
            return -1;
        }
    }
    return 0;
}

static json_t *
jl_to_json(jl_state_t *st, const jl_val_t *v)
{
    json_t  *o, *t, *x = NULL;
    uint32_t i;
    int      rc = 0;

    if (v->kind == JL_ARRAY) {
        return jl_vec_json(st, &v->items);
    }
    o = json_object();
    if (o == NULL) {
        return NULL;
    }
    if (v->kind == JL_VALUE) {
        switch (v->vtype) {
        case JL_V_STR:
            x = json_string(v->str);
            break;
        case JL_V_INT:
        case JL_V_REAL:
        case JL_V_JSON:
            x = json_incref(v->json);
            break;
        case JL_V_TRUE:
            x = json_true();
            break;
        case JL_V_FALSE:
            x = json_false();
            break;
        default:
            x = json_null();
        }
        rc |= json_object_set_new(o, "@value", x);
        if (v->keys & JL_HAS_TYPE) {
            rc |= json_object_set_new(o, "@type", json_string(v->types[0]));
        }
        if (v->keys & JL_HAS_LANG) {
            rc |= json_object_set_new(o, "@language", json_string(v->lang));
        }
        if (v->keys & JL_HAS_DIR) {
            rc |= json_object_set_new(o, "@direction", json_string(v->dir));
        }
    } else if (v->kind == JL_LIST) {
        rc |= json_object_set_new(o, "@list", jl_vec_json(st, &v->items));
    } else {
        if (v->keys & JL_HAS_ID) {
            rc |= json_object_set_new(o, "@id", v->id ? json_string(v->id)
                                                      : json_null());
        }
        if (v->keys & JL_HAS_TYPE) {
            t = json_array();
            for (i = 0; t != NULL && i < v->n_types; i++) {
                rc |= json_array_append_new(t, json_string(v->types[i]));
            }
            rc |= json_object_set_new(o, "@type", t);
        }
        if (v->keys & JL_HAS_GRAPH) {
            rc |= json_object_set_new(o, "@graph",
                                      jl_vec_json(st, &v->graph));
        }
        if (v->keys & JL_HAS_INCLUDED) {
            rc |= json_object_set_new(o, "@included",
                                      jl_vec_json(st, &v->included));
        }
        if (v->rev.n > 0) {
            t = json_object();
            rc |= t == NULL ? -1 : jl_props_json(st, t, &v->rev);
            rc |= json_object_set_new(o, "@reverse", t);
        }
        rc |= jl_props_json(st, o, &v->props);
    }
    if (v->keys & JL_HAS_INDEX) {
        rc |= json_object_set_new(o, "@index", json_string(v->index));
    }
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int
badge_jsonld_expand(badge_arena_t *a, json_t *input,
    badge_jsonld_opts_t *opts, json_t **out, badge_err_t *err)
{
    jl_state_t st;
    jl_vec_t   doc;
    json_t    *r = NULL;
    int        rc = -1;

    *out = NULL;
    if (jl_state_init(&st, a, opts, err) != 0) {
        goto done;
    }
    if (jl_expand_document(&st, input, &doc) != 0) {
        goto done;
    }
    r = jl_vec_json(&st, &doc);
    if (r == NULL) {
        jl_oom(&st);
        goto done;
    }
    *out = r;
    rc = 0;

done:
    opts->dropped = st.dropped;
    opts->n_dropped = st.n_dropped;
    jl_state_cleanup(&st);
    return rc;
}
