/*
 * jsonld_rdf.c: Deserialize JSON-LD to RDF (API spec 8.1-8.3) from the
 * expanded tree, and badge_jsonld_to_rdf().
 *
 * Quads are emitted while walking the tree instead of building a node
 * map: the dataset is the same (a node's triples are those of its own
 * entries wherever it appears), blank nodes are relabelled b0, b1, ... as
 * Node Map Generation would, and duplicate quads are dropped with a hash
 * set, so the result is a set as RDF requires.  Every string in the output
 * is copied into the caller's arena (and checked to be UTF-8).
 */
#include "jsonld_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"

#define JL_DEFAULT_MAX_QUADS  100000

#define RDF_NS       "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD_NS       "http://www.w3.org/2001/XMLSchema#"

static const char jl_rdf_type[] = RDF_NS "type";
static const char jl_rdf_first[] = RDF_NS "first";
static const char jl_rdf_rest[] = RDF_NS "rest";
static const char jl_rdf_nil[] = RDF_NS "nil";
static const char jl_rdf_value[] = RDF_NS "value";
static const char jl_rdf_language[] = RDF_NS "language";
static const char jl_rdf_direction[] = RDF_NS "direction";
static const char jl_rdf_json[] = RDF_NS "JSON";
static const char jl_xsd_boolean[] = XSD_NS "boolean";
static const char jl_xsd_integer[] = XSD_NS "integer";
static const char jl_xsd_double[] = XSD_NS "double";
static const char jl_xsd_string[] = XSD_NS "string";

int jl_state_init(jl_state_t *st, badge_arena_t *a, badge_jsonld_opts_t *o,
    badge_err_t *err);

typedef struct {
    jl_state_t    *st;
    badge_quads_t *out;
    jl_smap_t      bnodes;      /* input blank node label -> ours */
    uint32_t       next_bnode;
    uint32_t      *set;         /* dedup: 1 + index into out->items */
    uint32_t      *set_h;       /* the quad hash of each slot */
    uint32_t       set_cap;
    jl_smap_t      intern;      /* IRI and datatype text -> one pointer */
    int            generalized;
    int            rdfdir;      /* 0 none, 1 i18n-datatype, 2 compound */
    /* strings already copied (context IRIs recur): source -> copy */
    const char   **pin_src;
    const char   **pin_dst;
    uint32_t       pin_cap;
    uint32_t       pin_n;
} jl_rdf_t;

static void jl_iri_term(badge_term_t *t, const char *iri);

/* a copy in the arena, checked to be UTF-8 */
static const char *
jl_cp(jl_rdf_t *r, const char *s)
{
    size_t n = strlen(s);
    char  *c;

    if (!jl_utf8_valid(s, n)) {
        jl_err(r->st, E_UTF8, "%.40s", s);
        return NULL;
    }
    c = badge_arena_memdup(r->st->a, s, n + 1);
    if (c == NULL) {
        jl_oom(r->st);
    }
    return c;
}

/* One pointer per IRI text, so quads compare IRIs by pointer.  copy 0:
 * s is static.  The key stays the source string, which lives as long as
 * the call. */
static const char *
jl_intern(jl_rdf_t *r, const char *s, int copy)
{
    void **slot = jl_smap_put(&r->intern, s, strlen(s));

    if (slot == NULL) {
        jl_oom(r->st);
        return NULL;
    }
    if (*slot == NULL) {
        *slot = (void *) (copy ? jl_cp(r, s) : s);
        if (*slot == NULL) {
            return NULL;
        }
    }
    return *slot;
}

static int
jl_fresh_bnode(jl_rdf_t *r, badge_term_t *t)
{
    char     buf[16], *v;
    uint32_t n = r->next_bnode++;
    size_t   i = sizeof(buf);

    /* "b" + decimal, without printf (hot with many lists) */
    buf[--i] = '\0';
    do {
        buf[--i] = (char) ('0' + n % 10);
        n /= 10;
    } while (n != 0);
    buf[--i] = 'b';
    v = badge_arena_memdup(r->st->a, buf + i, sizeof(buf) - i);
    if (v == NULL) {
        jl_oom(r->st);
        return -1;
    }
    t->kind = BADGE_TERM_BNODE;
    t->value = v;
    t->datatype = NULL;
    t->lang = NULL;
    return 0;
}

static int
jl_bnode(jl_rdf_t *r, const char *label, badge_term_t *t)
{
    void **slot = jl_smap_put(&r->bnodes, label, strlen(label));

    if (slot == NULL) {
        jl_oom(r->st);
        return -1;
    }
    if (*slot != NULL) {
        t->kind = BADGE_TERM_BNODE;
        t->value = *slot;
        t->datatype = NULL;
        t->lang = NULL;
        return 0;
    }
    if (jl_fresh_bnode(r, t) != 0) {
        return -1;
    }
    *slot = (void *) t->value;
    return 0;
}

static int
jl_pin_grow(jl_rdf_t *r)
{
    const char **ns, **nd;
    uint32_t     nc = r->pin_cap ? r->pin_cap * 2 : 64, i, j;

    ns = badge_arena_calloc(r->st->a, nc * sizeof(*ns));
    nd = badge_arena_alloc(r->st->a, nc * sizeof(*nd));
    if (ns == NULL || nd == NULL) {
        jl_oom(r->st);
        return -1;
    }
    for (i = 0; i < r->pin_cap; i++) {
        if (r->pin_src[i] == NULL) {
            continue;
        }
        j = (uint32_t) (((uintptr_t) r->pin_src[i] >> 3) * 2654435761u)
            & (nc - 1);
        while (ns[j] != NULL) {
            j = (j + 1) & (nc - 1);
        }
        ns[j] = r->pin_src[i];
        nd[j] = r->pin_dst[i];
    }
    r->pin_src = ns;
    r->pin_dst = nd;
    r->pin_cap = nc;
    return 0;
}

/* 1: t is an IRI or blank node; 0: not well-formed; -1: error.
 * allow_bnode 0 gives 0 for blank nodes (predicates). */
static int
jl_resource(jl_rdf_t *r, const char *s, badge_term_t *t, int allow_bnode)
{
    uint32_t j;

    if (jl_is_bnode(s)) {
        if (!allow_bnode) {
            memset(t, 0, sizeof(*t));
            return 0;
        }
        return jl_bnode(r, s, t) == 0 ? 1 : -1;
    }
    if ((r->pin_n + 1) * 2 > r->pin_cap && jl_pin_grow(r) != 0) {
        return -1;
    }
    j = (uint32_t) (((uintptr_t) s >> 3) * 2654435761u) & (r->pin_cap - 1);
    for (; r->pin_src[j] != NULL; j = (j + 1) & (r->pin_cap - 1)) {
        if (r->pin_src[j] == s) {
            if (r->pin_dst[j] == NULL) {
                memset(t, 0, sizeof(*t));
                return 0;
            }
            jl_iri_term(t, r->pin_dst[j]);
            return 1;
        }
    }
    r->pin_src[j] = s;
    r->pin_n++;
    if (!jl_is_wf_iri(s)) {
        r->pin_dst[j] = NULL;
        memset(t, 0, sizeof(*t));
        return 0;
    }
    r->pin_dst[j] = jl_intern(r, s, 1);
    if (r->pin_dst[j] == NULL) {
        return -1;
    }
    jl_iri_term(t, r->pin_dst[j]);
    return 1;
}

static void
jl_iri_term(badge_term_t *t, const char *iri)
{
    t->kind = BADGE_TERM_IRI;
    t->value = iri;
    t->datatype = NULL;
    t->lang = NULL;
}

/* IRIs and blank nodes are canonical pointers (interned), so only
 * literal text is hashed */
static uint64_t
jl_term_hash(uint64_t h, const badge_term_t *t)
{
    h = (h ^ (uint64_t) t->kind) * 0x9e3779b97f4a7c15ull;
    if (t->kind == BADGE_TERM_LITERAL) {
        h = jl_hash64(t->value, strlen(t->value), h);
        h ^= (uint64_t) (uintptr_t) t->datatype * 0xbf58476d1ce4e5b9ull;
        if (t->lang != NULL) {
            h = jl_hash64(t->lang, strlen(t->lang), h);
        }
    } else {
        h ^= (uint64_t) (uintptr_t) t->value * 0x94d049bb133111ebull;
    }
    return h ^ (h >> 29);
}

static uint32_t
jl_quad_hash(const badge_quad_t *q)
{
    uint64_t h = 0x243f6a8885a308d3ull;

    h = jl_term_hash(h, &q->s);
    h = jl_term_hash(h, &q->p);
    h = jl_term_hash(h, &q->o);
    h = jl_term_hash(h, &q->g);
    return (uint32_t) (h ^ (h >> 32));
}

static int
jl_term_eq(const badge_term_t *a, const badge_term_t *b)
{
    if (a->kind != b->kind) {
        return 0;
    }
    if (a->kind != BADGE_TERM_LITERAL) {
        return a->value == b->value;
    }
    return strcmp(a->value, b->value) == 0 && a->datatype == b->datatype
           && (a->lang == b->lang
               || (a->lang && b->lang && strcmp(a->lang, b->lang) == 0));
}

static int
jl_quad_eq(const badge_quad_t *a, const badge_quad_t *b)
{
    return jl_term_eq(&a->s, &b->s) && jl_term_eq(&a->p, &b->p)
           && jl_term_eq(&a->o, &b->o) && jl_term_eq(&a->g, &b->g);
}

static int
jl_set_grow(jl_rdf_t *r)
{
    uint32_t *ns, *nh, nc = r->set_cap ? r->set_cap * 2 : 256, i, j;

    ns = badge_arena_calloc(r->st->a, nc * sizeof(*ns));
    nh = badge_arena_alloc(r->st->a, nc * sizeof(*nh));
    if (ns == NULL || nh == NULL) {
        jl_oom(r->st);
        return -1;
    }
    for (i = 0; i < r->set_cap; i++) {
        if (r->set[i] == 0) {
            continue;
        }
        for (j = r->set_h[i] & (nc - 1); ns[j] != 0; j = (j + 1) & (nc - 1))
        {
            /* probe */
        }
        ns[j] = r->set[i];
        nh[j] = r->set_h[i];
    }
    r->set = ns;
    r->set_h = nh;
    r->set_cap = nc;
    return 0;
}

static int
jl_add(jl_rdf_t *r, const badge_term_t *s, const badge_term_t *p,
    const badge_term_t *o, const badge_term_t *g)
{
    badge_quad_t q;
    uint32_t     h, j;

    q.s = *s;
    q.p = *p;
    q.o = *o;
    q.g = *g;
    if ((r->out->n + 1) * 2 > r->set_cap && jl_set_grow(r) != 0) {
        return -1;
    }
    h = jl_quad_hash(&q);
    for (j = h & (r->set_cap - 1); r->set[j] != 0;
         j = (j + 1) & (r->set_cap - 1))
    {
        if (r->set_h[j] == h
            && jl_quad_eq(&r->out->items[r->set[j] - 1], &q))
        {
            return 0;               /* already in the dataset */
        }
    }
    if (badge_quads_add(r->out, &q) != 0) {
        if (r->out->limit != 0 && r->out->n >= r->out->limit) {
            jl_err(r->st, E_TOO_MANY_QUADS, "more than %zu",
                   r->out->limit);
        } else {
            jl_oom(r->st);
        }
        return -1;
    }
    r->set[j] = (uint32_t) r->out->n;
    r->set_h[j] = h;
    return 0;
}

/* canonical xsd:double, as JSON-LD specifies it ("1.1E0", "5.3E1") */
static const char *
jl_double_lex(jl_rdf_t *r, double d)
{
    char  buf[64], *e, *m;
    int   exp;
    char *out;

    snprintf(buf, sizeof(buf), "%.15E", d);
    e = strchr(buf, 'E');
    if (e == NULL) {
        return NULL;
    }
    exp = atoi(e + 1);
    *e = '\0';
    m = e - 1;
    while (m > buf && *m == '0' && m[-1] != '.') {
        *m-- = '\0';
    }
    out = badge_arena_sprintf(r->st->a, "%sE%d", buf, exp);
    if (out == NULL) {
        jl_oom(r->st);
    }
    return out;
}

/* 1: *o is the object; 0: not well-formed (no triple); -1: error */
static int jl_object(jl_rdf_t *r, const jl_val_t *v, const badge_term_t *g,
    int g_ok, int link_ok, badge_term_t *o);

static int
jl_literal(jl_rdf_t *r, const jl_val_t *v, const badge_term_t *g, int emit,
    badge_term_t *o)
{
    const char   *type = (v->keys & JL_HAS_TYPE) ? v->types[0] : NULL;
    const char   *lex = NULL, *dt = NULL, *lang = NULL;
    int           is_json = v->vtype == JL_V_JSON || type == KW(JSON);
    double        d;
    json_int_t    iv;
    badge_term_t  b, p, lit;

    if (type != NULL && type != KW(JSON) && !jl_is_wf_iri(type)) {
        return 0;
    }
    if ((v->keys & JL_HAS_LANG) && !jl_lang_wf(v->lang)) {
        return 0;
    }
    if (type != NULL && type != KW(JSON)) {
        dt = jl_intern(r, type, 1);
        if (dt == NULL) {
            return -1;
        }
    }
    if (is_json) {
        size_t len;

        lex = badge_jcs_serialize(r->st->a, v->json, &len);
        if (lex == NULL) {
            jl_err(r->st, E_INVALID_JSON_LIT, "cannot canonicalize");
            return -1;
        }
        dt = jl_rdf_json;
    } else if (v->vtype == JL_V_TRUE || v->vtype == JL_V_FALSE) {
        lex = v->vtype == JL_V_TRUE ? "true" : "false";
        if (dt == NULL) {
            dt = jl_xsd_boolean;
        }
    } else if (v->vtype == JL_V_INT || v->vtype == JL_V_REAL) {
        int as_double;

        if (v->vtype == JL_V_INT) {
            iv = json_integer_value(v->json);
            d = (double) iv;
            as_double = 0;
        } else {
            d = json_real_value(v->json);
            iv = 0;
            as_double = d != floor(d) || fabs(d) >= 1e21;
        }
        if (dt == jl_xsd_double) {
            as_double = 1;
        }
        if (as_double) {
            lex = jl_double_lex(r, d);
            if (dt == NULL) {
                dt = jl_xsd_double;
            }
        } else {
            /* beyond 2^53 a JSON number is the nearest double, as in the
             * spec's (and jsonld.js's) internal representation */
            if (v->vtype == JL_V_INT
                && iv <= 9007199254740992LL && iv >= -9007199254740992LL)
            {
                lex = badge_arena_sprintf(r->st->a, "%lld", (long long) iv);
            } else if (d == 0) {
                lex = "0";
            } else {
                lex = badge_arena_sprintf(r->st->a, "%.0f", d);
            }
            if (dt == NULL) {
                dt = jl_xsd_integer;
            }
        }
        if (lex == NULL) {
            jl_oom(r->st);
            return -1;
        }
    } else if (v->vtype == JL_V_STR) {
        lex = jl_cp(r, v->str);
        if (lex == NULL) {
            return -1;
        }
    } else {
        return 0;
    }
    if (v->keys & JL_HAS_LANG) {
        lang = jl_cp(r, v->lang);
        if (lang == NULL) {
            return -1;
        }
    }
    if ((v->keys & JL_HAS_DIR) && r->rdfdir != 0) {
        const char *lc = lang != NULL ? jl_lower(r->st->a, lang) : NULL;

        if (lang != NULL && lc == NULL) {
            jl_oom(r->st);
            return -1;
        }
        if (r->rdfdir == 1) {
            dt = badge_arena_sprintf(r->st->a,
                                     "https://www.w3.org/ns/i18n#%s_%s",
                                     lc ? lc : "", v->dir);
            if (dt == NULL || (dt = jl_intern(r, dt, 0)) == NULL) {
                jl_oom(r->st);
                return -1;
            }
            o->kind = BADGE_TERM_LITERAL;
            o->value = lex;
            o->datatype = dt;
            o->lang = NULL;
            return 1;
        }
        if (jl_fresh_bnode(r, &b) != 0) {
            return -1;
        }
        if (emit) {
            lit.kind = BADGE_TERM_LITERAL;
            lit.value = lex;
            lit.datatype = NULL;
            lit.lang = NULL;
            jl_iri_term(&p, jl_rdf_value);
            if (jl_add(r, &b, &p, &lit, g) != 0) {
                return -1;
            }
            if (lc != NULL) {
                lit.value = lc;
                jl_iri_term(&p, jl_rdf_language);
                if (jl_add(r, &b, &p, &lit, g) != 0) {
                    return -1;
                }
            }
            lit.value = v->dir;
            jl_iri_term(&p, jl_rdf_direction);
            if (jl_add(r, &b, &p, &lit, g) != 0) {
                return -1;
            }
        }
        *o = b;
        return 1;
    }
    if (dt == jl_xsd_string) {
        dt = NULL;          /* N-Quads leaves xsd:string implicit */
    }
    if (lang != NULL) {
        dt = NULL;
    }
    o->kind = BADGE_TERM_LITERAL;
    o->value = lex;
    o->datatype = dt;
    o->lang = lang;
    return 1;
}

/* a node's own triples, in graph g; *s its subject, returns 1 when the
 * subject is well-formed */
static int jl_node(jl_rdf_t *r, const jl_val_t *n, const badge_term_t *g,
    int g_ok, badge_term_t *s);

static int
jl_list(jl_rdf_t *r, const jl_vec_t *items, const badge_term_t *g, int g_ok,
    int link_ok, badge_term_t *head)
{
    badge_term_t cur, next, o, pf, pr;
    uint32_t     i;
    int          rc, emit = g_ok && link_ok;

    if (items->n == 0) {
        jl_iri_term(head, jl_rdf_nil);
        return 1;
    }
    if (jl_fresh_bnode(r, &cur) != 0) {
        return -1;
    }
    *head = cur;
    jl_iri_term(&pf, jl_rdf_first);
    jl_iri_term(&pr, jl_rdf_rest);
    for (i = 0; i < items->n; i++) {
        rc = jl_object(r, items->v[i], g, g_ok, link_ok, &o);
        if (rc < 0) {
            return -1;
        }
        if (i + 1 < items->n) {
            if (jl_fresh_bnode(r, &next) != 0) {
                return -1;
            }
        } else {
            jl_iri_term(&next, jl_rdf_nil);
        }
        if (emit) {
            if (rc == 1 && jl_add(r, &cur, &pf, &o, g) != 0) {
                return -1;
            }
            if (jl_add(r, &cur, &pr, &next, g) != 0) {
                return -1;
            }
        }
        cur = next;
    }
    return 1;
}

static int
jl_object(jl_rdf_t *r, const jl_val_t *v, const badge_term_t *g, int g_ok,
    int link_ok, badge_term_t *o)
{
    switch (v->kind) {
    case JL_NODE:
        return jl_node(r, v, g, g_ok, o);
    case JL_LIST:
        return jl_list(r, &v->items, g, g_ok, link_ok, o);
    case JL_VALUE:
        return jl_literal(r, v, g, g_ok && link_ok, o);
    default:
        return 0;
    }
}

static int
jl_node(jl_rdf_t *r, const jl_val_t *n, const badge_term_t *g, int g_ok,
    badge_term_t *s)
{
    badge_term_t t, p, o, c, tt;
    uint32_t     i, j;
    int          ok, pok, rc, emit;

    if (++r->st->depth > r->st->max_depth * 2 + 8) {
        jl_err(r->st, E_DEPTH, "in toRdf");
        return -1;
    }
    if ((n->keys & JL_HAS_ID) && n->id == NULL) {
        memset(s, 0, sizeof(*s));  /* keyword-like @id: not well-formed */
        ok = 0;
    } else if (n->keys & JL_HAS_ID) {
        ok = jl_resource(r, n->id, s, 1);
        if (ok < 0) {
            return -1;
        }
    } else {
        if (jl_fresh_bnode(r, s) != 0) {
            return -1;
        }
        ok = 1;
    }
    emit = ok && g_ok;

    if (n->keys & JL_HAS_TYPE) {
        jl_iri_term(&p, jl_rdf_type);
        for (i = 0; i < n->n_types; i++) {
            rc = jl_resource(r, n->types[i], &tt, 1);
            if (rc < 0) {
                return -1;
            }
            if (rc == 1 && emit && jl_add(r, s, &p, &tt, g) != 0) {
                return -1;
            }
        }
    }
    for (i = 0; i < n->props.n; i++) {
        pok = jl_resource(r, n->props.p[i].iri, &p, r->generalized);
        if (pok < 0) {
            return -1;
        }
        for (j = 0; j < n->props.p[i].vals.n; j++) {
            rc = jl_object(r, n->props.p[i].vals.v[j], g, g_ok,
                           ok && pok, &o);
            if (rc < 0) {
                return -1;
            }
            if (rc == 1 && pok && emit && jl_add(r, s, &p, &o, g) != 0) {
                return -1;
            }
        }
    }
    for (i = 0; i < n->rev.n; i++) {
        pok = jl_resource(r, n->rev.p[i].iri, &p, r->generalized);
        if (pok < 0) {
            return -1;
        }
        for (j = 0; j < n->rev.p[i].vals.n; j++) {
            rc = jl_object(r, n->rev.p[i].vals.v[j], g, g_ok, 0, &c);
            if (rc < 0) {
                return -1;
            }
            if (rc == 1 && pok && emit && jl_add(r, &c, &p, s, g) != 0) {
                return -1;
            }
        }
    }
    if (n->keys & JL_HAS_GRAPH) {
        for (i = 0; i < n->graph.n; i++) {
            if (n->graph.v[i]->kind != JL_NODE) {
                continue;
            }
            if (jl_node(r, n->graph.v[i], s, ok, &t) < 0) {
                return -1;
            }
        }
    }
    if (n->keys & JL_HAS_INCLUDED) {
        for (i = 0; i < n->included.n; i++) {
            if (jl_node(r, n->included.v[i], g, g_ok, &t) < 0) {
                return -1;
            }
        }
    }
    r->st->depth--;
    return ok;
}

int
jl_emit_rdf(jl_state_t *st, const jl_vec_t *doc, badge_quads_t *out)
{
    jl_rdf_t     r;
    badge_term_t g, s;
    const char  *d = st->opts->rdf_direction;
    uint32_t     i;

    memset(&r, 0, sizeof(r));
    r.st = st;
    r.out = out;
    r.generalized = st->opts->produce_generalized_rdf != 0;
    if (d != NULL && strcmp(d, "i18n-datatype") == 0) {
        r.rdfdir = 1;
    } else if (d != NULL && strcmp(d, "compound-literal") == 0) {
        r.rdfdir = 2;
    } else if (d != NULL) {
        jl_err(st, E_INVALID_INPUT, "rdfDirection %s", d);
        return -1;
    }
    if (jl_smap_init(&r.bnodes, st->a, 16) != 0
        || jl_smap_init(&r.intern, st->a, 64) != 0)
    {
        jl_oom(st);
        return -1;
    }
    {
        static const char *const statics[] = {
            jl_rdf_type, jl_rdf_first, jl_rdf_rest, jl_rdf_nil,
            jl_rdf_value, jl_rdf_language, jl_rdf_direction, jl_rdf_json,
            jl_xsd_boolean, jl_xsd_integer, jl_xsd_double, jl_xsd_string
        };

        for (i = 0; i < sizeof(statics) / sizeof(statics[0]); i++) {
            if (jl_intern(&r, statics[i], 0) == NULL) {
                return -1;
            }
        }
    }
    memset(&g, 0, sizeof(g));
    g.kind = BADGE_TERM_NONE;
    for (i = 0; i < doc->n; i++) {
        if (doc->v[i]->kind != JL_NODE) {
            continue;
        }
        if (jl_node(&r, doc->v[i], &g, 1, &s) < 0) {
            return -1;
        }
    }
    return 0;
}

int
badge_jsonld_to_rdf(badge_arena_t *a, json_t *input,
    badge_jsonld_opts_t *opts, badge_quads_t *out, badge_err_t *err)
{
    jl_state_t st;
    jl_vec_t   doc;
    int        rc = -1;

    badge_quads_init(out, a, opts->max_quads ? opts->max_quads
                                             : JL_DEFAULT_MAX_QUADS);
    if (jl_state_init(&st, a, opts, err) != 0) {
        goto done;
    }
    if (jl_expand_document(&st, input, &doc) != 0) {
        goto done;
    }
    st.depth = 0;
    if (jl_emit_rdf(&st, &doc, out) != 0) {
        goto done;
    }
    rc = 0;

done:
    opts->dropped = st.dropped;
    opts->n_dropped = st.n_dropped;
    jl_state_cleanup(&st);
    return rc;
}
