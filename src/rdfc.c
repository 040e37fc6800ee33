/*
 * rdfc.c: RDF Dataset Canonicalization, W3C RDFC-1.0 (Recommendation,
 * May 2024).  Step numbers in comments follow the spec's sections 4.4
 * (canonicalization), 4.6 (hash first degree quads), 4.7 (hash related
 * blank node) and 4.8 (hash N-degree quads).
 *
 * Shape of the implementation, chosen for speed on credential-sized graphs:
 * - every non-blank-node term is serialized once up front; a quad line is
 *   then a few memcpy's with the blank node labels spliced in;
 * - blank nodes are small integers (input labels via one hash table), each
 *   with the list of quads that mention it;
 * - temporary identifier issuers are arrays of node numbers (the issued
 *   identifier of a node is its position), copied by memcpy;
 * - the N-degree recursion allocates from a mark/release stack carved out of
 *   the arena, so memory stays proportional to the recursion depth, not to
 *   the number of permutations tried;
 * - permutations follow the Steinhaus-Johnson-Trotter order over the related
 *   nodes sorted by label, as the reference implementation (rdf-canonize)
 *   does, so issued-identifier maps of symmetric graphs match it.
 * Work (calls + permutations), depth and scratch memory are bounded; past a
 * bound the answer is "rdfc_too_complex", never a hang.
 */
#include "rdfc.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RDFC_HEX_MAX      (2 * 48 + 1)
#define RDFC_LABEL_MAX    24              /* "_:c14n" + 10 digits, "_:b"... */
#define RDFC_MAX_DEPTH    512             /* N-degree recursion */
#define RDFC_STACK_LIMIT  (32 * 1024 * 1024)
#define RDFC_CHUNK        (64 * 1024)

#define RDFC_S  0
#define RDFC_P  1
#define RDFC_O  2
#define RDFC_G  3


/* A quad with its terms pre-serialized; bn[i] >= 0 marks a blank node. */
typedef struct {
    const char *txt[4];
    uint32_t    len[4];
    int32_t     bn[4];
    uint32_t    src;          /* index in the input dataset */
    uint32_t    hash;         /* for de-duplication */
} badge_rdfc_quad_t;

typedef struct {
    const char *label;        /* input label, without "_:" */
    uint32_t   *quads;
    uint32_t    nquads;
    int32_t     canon;        /* canonical number, -1 until issued */
    int32_t     rank;         /* position when sorted by label */
    uint32_t    clen;
    char        clabel[RDFC_LABEL_MAX];   /* "_:c14nN" once issued */
    char        h1[RDFC_HEX_MAX];         /* hash first degree quads */
} badge_rdfc_bnode_t;

/* sort key for blank nodes: no static comparator context, so it stays
 * thread-safe */
typedef struct {
    const char *key;
    int32_t     node;
} badge_rdfc_key_t;

/* Identifier issuer with prefix "_:b": ids[k] was issued "_:b<k>". */
typedef struct {
    int32_t  *ids;
    uint32_t  n;
} badge_rdfc_issuer_t;

typedef struct badge_rdfc_chunk_s  badge_rdfc_chunk_t;

struct badge_rdfc_chunk_s {
    badge_rdfc_chunk_t *next;
    char               *base;
    size_t              size;
    size_t              used;
};

typedef struct {
    badge_rdfc_chunk_t *chunk;
    size_t              used;
} badge_rdfc_mark_t;

typedef struct {
    badge_arena_t      *arena;
    badge_err_t        *err;
    EVP_MD_CTX         *ctx;
    const EVP_MD       *md;
    size_t              hexlen;

    badge_rdfc_quad_t  *q;
    size_t              nq;
    badge_rdfc_bnode_t *bn;
    size_t              nb;
    uint32_t            nnu;        /* nodes that needed the N-degree step */

    size_t              work;
    size_t              max_work;
    unsigned            depth;

    badge_rdfc_chunk_t *stk_head;
    badge_rdfc_chunk_t *stk_cur;
    size_t              stk_total;
    int                 stk_over;   /* scratch limit hit: too complex */
} badge_rdfc_t;

typedef struct {
    char    hash[RDFC_HEX_MAX];
    int32_t node;
    int32_t rank;
} badge_rdfc_rel_t;

typedef struct {
    char                 hash[RDFC_HEX_MAX];
    badge_rdfc_issuer_t  issuer;
    size_t               order;
} badge_rdfc_path_t;


/* ---- hashing ---------------------------------------------------------- */

static pthread_once_t  badge_rdfc_md_once = PTHREAD_ONCE_INIT;
static EVP_MD         *badge_rdfc_sha256;
static EVP_MD         *badge_rdfc_sha384;

static void
badge_rdfc_md_init(void)
{
    /* fetched once per process: EVP_get_digestbyname per call is slow */
    badge_rdfc_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    badge_rdfc_sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
}


static const EVP_MD *
badge_rdfc_md(const char *name)
{
    pthread_once(&badge_rdfc_md_once, badge_rdfc_md_init);
    if (name == NULL || strcasecmp(name, "sha256") == 0
        || strcasecmp(name, "sha-256") == 0)
    {
        return badge_rdfc_sha256;
    }
    if (strcasecmp(name, "sha384") == 0 || strcasecmp(name, "sha-384") == 0) {
        return badge_rdfc_sha384;
    }
    return NULL;
}


static void
badge_rdfc_hex(const unsigned char *d, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned          i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 0xF];
    }
    out[2 * n] = '\0';
}


int
badge_rdfc_hash_hex(const char *hash, const void *data, size_t len,
    char *out)
{
    const EVP_MD  *md = badge_rdfc_md(hash);
    unsigned char  d[EVP_MAX_MD_SIZE];
    unsigned int   n;

    if (md == NULL || !EVP_Digest(data, len, d, &n, md, NULL)) {
        return -1;
    }
    badge_rdfc_hex(d, n, out);
    return 0;
}


static int
badge_rdfc_begin(badge_rdfc_t *r)
{
    return EVP_DigestInit_ex2(r->ctx, r->md, NULL) ? 0 : -1;
}


static int
badge_rdfc_update(badge_rdfc_t *r, const void *p, size_t n)
{
    return EVP_DigestUpdate(r->ctx, p, n) ? 0 : -1;
}


static int
badge_rdfc_final(badge_rdfc_t *r, char *hex)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int  n;

    if (!EVP_DigestFinal_ex(r->ctx, d, &n)) {
        return -1;
    }
    badge_rdfc_hex(d, n, hex);
    return 0;
}


static int
badge_rdfc_digest(badge_rdfc_t *r, const void *p, size_t n, char *hex)
{
    if (badge_rdfc_begin(r) != 0 || badge_rdfc_update(r, p, n) != 0
        || badge_rdfc_final(r, hex) != 0)
    {
        badge_err_set(r->err, "rdfc_internal", "hash failed");
        return -1;
    }
    return 0;
}


/* ---- scratch stack ---------------------------------------------------- */

static void *
badge_rdfc_salloc(badge_rdfc_t *r, size_t n)
{
    badge_rdfc_chunk_t *c = r->stk_cur;
    size_t              size;
    void               *p;

    n = (n + 15) & ~(size_t) 15;
    while (c == NULL || c->size - c->used < n) {
        if (c != NULL && c->next != NULL) {
            c = c->next;
            c->used = 0;
            continue;
        }
        size = n > RDFC_CHUNK ? n : RDFC_CHUNK;
        if (r->stk_total + size > RDFC_STACK_LIMIT) {
            r->stk_over = 1;
            return NULL;
        }
        p = badge_arena_alloc(r->arena, sizeof(badge_rdfc_chunk_t) + 16 + size);
        if (p == NULL) {
            return NULL;
        }
        r->stk_total += size;
        {
            badge_rdfc_chunk_t *nc = p;

            nc->next = NULL;
            nc->base = (char *) p + ((sizeof(badge_rdfc_chunk_t) + 15)
                                     & ~(size_t) 15);
            nc->size = size;
            nc->used = 0;
            if (c == NULL) {
                r->stk_head = nc;
            } else {
                c->next = nc;
            }
            c = nc;
        }
    }
    r->stk_cur = c;
    p = c->base + c->used;
    c->used += n;
    return p;
}


static badge_rdfc_mark_t
badge_rdfc_mark(badge_rdfc_t *r)
{
    badge_rdfc_mark_t m;

    m.chunk = r->stk_cur;
    m.used = r->stk_cur != NULL ? r->stk_cur->used : 0;
    return m;
}


static void
badge_rdfc_release(badge_rdfc_t *r, badge_rdfc_mark_t m)
{
    if (m.chunk == NULL) {
        r->stk_cur = r->stk_head;
        if (r->stk_cur != NULL) {
            r->stk_cur->used = 0;
        }
        return;
    }
    r->stk_cur = m.chunk;
    m.chunk->used = m.used;
}


static int
badge_rdfc_nomem(badge_rdfc_t *r)
{
    if (r->stk_over) {
        badge_err_set(r->err, "rdfc_too_complex",
                      "blank node structure too complex to canonicalize "
                      "(scratch memory bound)");
    } else {
        badge_err_set(r->err, "out_of_memory",
                      "out of memory in canonicalization");
    }
    return -1;
}


/* ---- set-up: terms, blank nodes, de-duplication ------------------------ */

/* Word-at-a-time multiplicative hash: byte-wise FNV over every term was a
 * third of the run time on credential-sized graphs. */
static uint32_t
badge_rdfc_hash32(uint32_t seed, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t             h = seed, w;

    while (n >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w ^ ((uint64_t) n << 56)) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 32;
    return (uint32_t) h;
}


static const char *
badge_rdfc_term_text(badge_arena_t *a, badge_buf_t *tmp,
    const badge_term_t *t, uint32_t *len)
{
    char *s;

    tmp->len = 0;
    badge_nquads_write_term(tmp, t);
    if (tmp->failed) {
        return NULL;
    }
    s = badge_arena_memdup(a, tmp->data, tmp->len);
    *len = (uint32_t) tmp->len;
    return s;
}


static int
badge_rdfc_quad_eq(const badge_rdfc_quad_t *x, const badge_rdfc_quad_t *y)
{
    int i;

    for (i = 0; i < 4; i++) {
        if (x->bn[i] != y->bn[i] || x->len[i] != y->len[i]
            || (x->len[i] != 0 && memcmp(x->txt[i], y->txt[i], x->len[i]) != 0))
        {
            return 0;
        }
    }
    return 1;
}


static int
badge_rdfc_setup(badge_rdfc_t *r, const badge_quads_t *in)
{
    badge_buf_t         tmp;
    size_t              i, j, cap, mask, slot, qcap, qmask, nocc;
    int32_t            *bslots;     /* label hash table -> node */
    uint32_t           *qslots;     /* quad hash table -> quad + 1 */
    const badge_term_t *terms[4];
    badge_rdfc_quad_t  *q;
    uint32_t            h, *fill;
    int                 k;

    if (in->n > UINT32_MAX / 8) {
        badge_err_set(r->err, "rdfc_too_large", "too many quads");
        return -1;
    }
    /* blank node occurrences bound the number of distinct blank nodes */
    nocc = 0;
    for (i = 0; i < in->n; i++) {
        nocc += (in->items[i].s.kind == BADGE_TERM_BNODE)
                + (in->items[i].p.kind == BADGE_TERM_BNODE)
                + (in->items[i].o.kind == BADGE_TERM_BNODE)
                + (in->items[i].g.kind == BADGE_TERM_BNODE);
    }
    r->q = badge_arena_alloc(r->arena, (in->n + 1) * sizeof(badge_rdfc_quad_t));
    r->bn = badge_arena_alloc(r->arena,
                              (nocc + 1) * sizeof(badge_rdfc_bnode_t));
    for (cap = 16; cap < 2 * (nocc + 1); cap *= 2) { /* void */ }
    mask = cap - 1;
    for (qcap = 16; qcap < 2 * (in->n + 1); qcap *= 2) { /* void */ }
    qmask = qcap - 1;
    bslots = badge_arena_alloc(r->arena, cap * sizeof(int32_t));
    qslots = badge_arena_calloc(r->arena, qcap * sizeof(uint32_t));
    badge_buf_init(&tmp, r->arena, 256);
    if (r->q == NULL || r->bn == NULL || bslots == NULL || qslots == NULL
        || tmp.failed)
    {
        return badge_rdfc_nomem(r);
    }
    memset(bslots, 0xFF, cap * sizeof(int32_t));

    r->nq = 0;
    r->nb = 0;
    for (i = 0; i < in->n; i++) {
        q = &r->q[r->nq];
        terms[RDFC_S] = &in->items[i].s;
        terms[RDFC_P] = &in->items[i].p;
        terms[RDFC_O] = &in->items[i].o;
        terms[RDFC_G] = &in->items[i].g;
        h = 2166136261u;
        for (k = 0; k < 4; k++) {
            const badge_term_t *t = terms[k];

            q->bn[k] = -1;
            q->txt[k] = NULL;
            q->len[k] = 0;
            if (t->kind == BADGE_TERM_BNODE) {
                size_t   ln;
                uint32_t lh;

                if (k == RDFC_P || t->value == NULL || t->value[0] == '\0') {
                    badge_err_set(r->err, "rdfc_bad_input",
                                  "quad %zu: bad blank node", i);
                    return -1;
                }
                ln = strlen(t->value);
                lh = badge_rdfc_hash32(2166136261u, t->value, ln);
                for (slot = lh & mask; bslots[slot] >= 0;
                     slot = (slot + 1) & mask)
                {
                    if (strcmp(r->bn[bslots[slot]].label, t->value) == 0) {
                        break;
                    }
                }
                if (bslots[slot] < 0) {
                    /* numbered in order of first appearance (s, o, g) */
                    badge_rdfc_bnode_t *b = &r->bn[r->nb];

                    memset(b, 0, sizeof(*b));
                    b->label = t->value;
                    b->canon = -1;
                    bslots[slot] = (int32_t) r->nb++;
                }
                q->bn[k] = bslots[slot];
                h = badge_rdfc_hash32(h, &q->bn[k], sizeof(q->bn[k]));
            } else if (t->kind != BADGE_TERM_NONE) {
                if (t->value == NULL
                    || (k == RDFC_P && t->kind != BADGE_TERM_IRI)
                    || (k != RDFC_O && t->kind == BADGE_TERM_LITERAL))
                {
                    badge_err_set(r->err, "rdfc_bad_input",
                                  "quad %zu: term not allowed there", i);
                    return -1;
                }
                q->txt[k] = badge_rdfc_term_text(r->arena, &tmp, t, &q->len[k]);
                if (q->txt[k] == NULL) {
                    return badge_rdfc_nomem(r);
                }
                h = badge_rdfc_hash32(h, q->txt[k], q->len[k]);
            } else if (k != RDFC_G) {
                badge_err_set(r->err, "rdfc_bad_input",
                              "quad %zu: missing term", i);
                return -1;
            }
            h = badge_rdfc_hash32(h, "|", 1);
        }

        /* a dataset is a set: drop repeated quads */
        for (slot = h & qmask; qslots[slot] != 0; slot = (slot + 1) & qmask) {
            if (badge_rdfc_quad_eq(&r->q[qslots[slot] - 1], q)) {
                break;
            }
        }
        if (qslots[slot] != 0) {
            continue;
        }
        q->src = (uint32_t) i;
        q->hash = h;
        qslots[slot] = (uint32_t) r->nq + 1;
        r->nq++;
    }

    /* blank node -> quads, each quad once per node even if it names the
     * node twice; rank serves as "last quad counted" meanwhile */
    for (j = 0; j < r->nb; j++) {
        r->bn[j].rank = -1;
    }
    for (i = 0; i < r->nq; i++) {
        for (k = 0; k < 4; k++) {
            int32_t b = r->q[i].bn[k];

            if (b >= 0 && r->bn[b].rank != (int32_t) i) {
                r->bn[b].nquads++;
                r->bn[b].rank = (int32_t) i;
            }
        }
    }
    fill = badge_arena_alloc(r->arena, (nocc + 1) * sizeof(uint32_t));
    if (fill == NULL) {
        return badge_rdfc_nomem(r);
    }
    for (j = 0; j < r->nb; j++) {
        r->bn[j].quads = fill;
        fill += r->bn[j].nquads;
        r->bn[j].nquads = 0;
    }
    for (i = 0; i < r->nq; i++) {
        for (k = 0; k < 4; k++) {
            badge_rdfc_bnode_t *b;

            if (r->q[i].bn[k] < 0) {
                continue;
            }
            b = &r->bn[r->q[i].bn[k]];
            if (b->nquads == 0 || b->quads[b->nquads - 1] != i) {
                b->quads[b->nquads++] = (uint32_t) i;
            }
        }
    }
    return 0;
}


/* ---- serialization of one quad ---------------------------------------- */

#define RDFC_MODE_FIRST  0    /* _:a for the reference node, _:z others */
#define RDFC_MODE_CANON  1    /* _:c14nN */

static size_t
badge_rdfc_qlen_max(const badge_rdfc_quad_t *q)
{
    return q->len[0] + q->len[1] + q->len[2] + q->len[3]
           + 4 * RDFC_LABEL_MAX + 8;
}


static size_t
badge_rdfc_write_quad(badge_rdfc_t *r, const badge_rdfc_quad_t *q, char *dst,
    int mode, int32_t self)
{
    char *p = dst;
    int   k;

    for (k = 0; k < 4; k++) {
        if (k == RDFC_G && q->bn[k] < 0 && q->len[k] == 0) {
            break;      /* default graph */
        }
        if (k > 0) {
            *p++ = ' ';
        }
        if (q->bn[k] < 0) {
            memcpy(p, q->txt[k], q->len[k]);
            p += q->len[k];
        } else if (mode == RDFC_MODE_FIRST) {
            *p++ = '_';
            *p++ = ':';
            *p++ = q->bn[k] == self ? 'a' : 'z';
        } else {
            memcpy(p, r->bn[q->bn[k]].clabel, r->bn[q->bn[k]].clen);
            p += r->bn[q->bn[k]].clen;
        }
    }
    memcpy(p, " .\n", 3);
    return (size_t) (p + 3 - dst);
}


typedef struct {
    const char *p;
    size_t      len;
    uint32_t    quad;
} badge_rdfc_line_t;


static int
badge_rdfc_line_cmp(const void *a, const void *b)
{
    const badge_rdfc_line_t *x = a, *y = b;
    size_t                   n = x->len < y->len ? x->len : y->len;
    int                      c = memcmp(x->p, y->p, n);

    /* byte order of UTF-8 is code point order */
    if (c != 0) {
        return c;
    }
    return x->len < y->len ? -1 : x->len > y->len;
}


/* 4.6 Hash First Degree Quads */
static int
badge_rdfc_hash_first(badge_rdfc_t *r, int32_t n)
{
    badge_rdfc_bnode_t *b = &r->bn[n];
    badge_rdfc_mark_t   m = badge_rdfc_mark(r);
    badge_rdfc_line_t  *lines;
    size_t              i, size = 0, off = 0;
    char               *buf;

    for (i = 0; i < b->nquads; i++) {
        size += badge_rdfc_qlen_max(&r->q[b->quads[i]]);
    }
    lines = badge_rdfc_salloc(r, b->nquads * sizeof(*lines) + 1);
    buf = badge_rdfc_salloc(r, size);
    if (lines == NULL || buf == NULL) {
        return badge_rdfc_nomem(r);
    }
    for (i = 0; i < b->nquads; i++) {
        lines[i].p = buf + off;
        lines[i].len = badge_rdfc_write_quad(r, &r->q[b->quads[i]], buf + off,
                                             RDFC_MODE_FIRST, n);
        off += lines[i].len;
    }
    if (b->nquads > 1) {
        qsort(lines, b->nquads, sizeof(*lines), badge_rdfc_line_cmp);
    }
    if (badge_rdfc_begin(r) != 0) {
        goto fail;
    }
    for (i = 0; i < b->nquads; i++) {
        if (badge_rdfc_update(r, lines[i].p, lines[i].len) != 0) {
            goto fail;
        }
    }
    if (badge_rdfc_final(r, b->h1) != 0) {
        goto fail;
    }
    badge_rdfc_release(r, m);
    return 0;

fail:
    badge_err_set(r->err, "rdfc_internal", "hash failed");
    return -1;
}


/* ---- N-degree ----------------------------------------------------------- */

static int32_t
badge_rdfc_issuer_find(const badge_rdfc_issuer_t *is, int32_t node)
{
    uint32_t i;

    for (i = 0; i < is->n; i++) {
        if (is->ids[i] == node) {
            return (int32_t) i;
        }
    }
    return -1;
}


static void
badge_rdfc_issuer_copy(badge_rdfc_issuer_t *dst, const badge_rdfc_issuer_t *src)
{
    /* capacity is always r->nnu: issuers hold only non-unique nodes */
    memcpy(dst->ids, src->ids, src->n * sizeof(int32_t));
    dst->n = src->n;
}


/* 4.7 Hash Related Blank Node */
static int
badge_rdfc_hash_related(badge_rdfc_t *r, int32_t related,
    const badge_rdfc_quad_t *q, const badge_rdfc_issuer_t *issuer,
    int position, char *out)
{
    char        id[RDFC_LABEL_MAX];
    const char *p;
    int         n;
    int32_t     t;
    char        pos = position == RDFC_S ? 's' : position == RDFC_O ? 'o' : 'g';

    if (badge_rdfc_begin(r) != 0 || badge_rdfc_update(r, &pos, 1) != 0) {
        goto fail;
    }
    if (position != RDFC_G
        && badge_rdfc_update(r, q->txt[RDFC_P], q->len[RDFC_P]) != 0)
    {
        goto fail;
    }
    if (r->bn[related].canon >= 0) {
        p = r->bn[related].clabel;
        n = (int) r->bn[related].clen;
    } else if ((t = badge_rdfc_issuer_find(issuer, related)) >= 0) {
        n = snprintf(id, sizeof(id), "_:b%d", t);
        p = id;
    } else {
        p = r->bn[related].h1;
        n = (int) r->hexlen;
    }
    if (badge_rdfc_update(r, p, (size_t) n) != 0
        || badge_rdfc_final(r, out) != 0)
    {
        goto fail;
    }
    return 0;

fail:
    badge_err_set(r->err, "rdfc_internal", "hash failed");
    return -1;
}


static int
badge_rdfc_rel_cmp(const void *a, const void *b)
{
    const badge_rdfc_rel_t *x = a, *y = b;
    int                     c = strcmp(x->hash, y->hash);

    if (c != 0) {
        return c;
    }
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}


static int
badge_rdfc_path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int    c = memcmp(a, b, n);

    if (c != 0) {
        return c;
    }
    return alen < blen ? -1 : alen > blen;
}


/*
 * Next permutation, Steinhaus-Johnson-Trotter as rdf-canonize's Permuter:
 * values are label ranks (equal values share a direction), dir 1 = left.
 * Returns 0 when there is none.
 */
static int
badge_rdfc_permute(int32_t *cur, unsigned char *dir, size_t m)
{
    size_t  i, pos = 0, swap;
    int32_t k = -1, e;

    for (i = 0; i < m; i++) {
        e = cur[i];
        if (e > k
            && ((dir[e] && i > 0 && e > cur[i - 1])
                || (!dir[e] && i + 1 < m && e > cur[i + 1])))
        {
            k = e;
            pos = i;
        }
    }
    if (k < 0) {
        return 0;
    }
    swap = dir[k] ? pos - 1 : pos + 1;
    cur[pos] = cur[swap];
    cur[swap] = k;
    for (i = 0; i < m; i++) {
        if (cur[i] > k) {
            dir[cur[i]] = !dir[cur[i]];
        }
    }
    return 1;
}


static int
badge_rdfc_too_complex(badge_rdfc_t *r)
{
    badge_err_set(r->err, "rdfc_too_complex",
                  "blank node structure too complex to canonicalize "
                  "(more than %zu steps of hash N-degree quads)", r->max_work);
    return -1;
}


#define RDFC_APPEND(buf, len, s, n)  \
    do { memcpy((buf) + (len), (s), (n)); (len) += (n); } while (0)

/*
 * 4.8 Hash N-Degree Quads.  The issuer is updated in place: on return it is
 * the spec's "issuer" of the result (it only ever grows, and the caller
 * always replaces its copy with the result's).
 */
static int
badge_rdfc_hndq(badge_rdfc_t *r, int32_t n, badge_rdfc_issuer_t *io,
    char *out)
{
    badge_rdfc_bnode_t  *b = &r->bn[n];
    badge_rdfc_mark_t    m0 = badge_rdfc_mark(r), mg, mp;
    badge_rdfc_rel_t    *rel;
    badge_rdfc_issuer_t  copy, chosen;
    size_t               nrel = 0, i, j, gs, ge, gm, u, dlen = 0, dcap;
    size_t               plen, clen, pcap, nrec;
    char                *data, *path, *cpath, *h, id[RDFC_LABEL_MAX];
    int32_t             *cur, *nodes, *rec, t, node;
    unsigned char       *dir;
    int                  k, have, skip, idn;

    r->work++;
    if (r->work > r->max_work) {
        return badge_rdfc_too_complex(r);
    }
    if (++r->depth > RDFC_MAX_DEPTH) {
        badge_err_set(r->err, "rdfc_too_complex",
                      "blank node structure too complex to canonicalize "
                      "(hash N-degree quads nested deeper than %d)",
                      RDFC_MAX_DEPTH);
        return -1;
    }

    /* 1-3: hash every related blank node */
    for (i = 0; i < b->nquads; i++) {
        const badge_rdfc_quad_t *q = &r->q[b->quads[i]];

        for (k = 0; k < 4; k++) {
            nrel += (q->bn[k] >= 0 && q->bn[k] != n);
        }
    }
    rel = badge_rdfc_salloc(r, nrel * sizeof(*rel) + 1);
    copy.ids = badge_rdfc_salloc(r, r->nnu * sizeof(int32_t) + 1);
    chosen.ids = badge_rdfc_salloc(r, r->nnu * sizeof(int32_t) + 1);
    /* per related node at most: its hash once (5.1), and in the chosen
     * path an identifier, and for a recursion an identifier and <hash> */
    dcap = nrel * (2 * r->hexlen + 2 * RDFC_LABEL_MAX + 2) + 1;
    data = badge_rdfc_salloc(r, dcap);
    h = badge_rdfc_salloc(r, RDFC_HEX_MAX);
    if (rel == NULL || copy.ids == NULL || chosen.ids == NULL || data == NULL
        || h == NULL)
    {
        return badge_rdfc_nomem(r);
    }
    copy.n = chosen.n = 0;
    j = 0;
    for (i = 0; i < b->nquads; i++) {
        const badge_rdfc_quad_t *q = &r->q[b->quads[i]];

        for (k = 0; k < 4; k++) {
            if (q->bn[k] < 0 || q->bn[k] == n) {
                continue;
            }
            if (badge_rdfc_hash_related(r, q->bn[k], q, io, k, rel[j].hash)
                != 0)
            {
                return -1;
            }
            rel[j].node = q->bn[k];
            rel[j].rank = r->bn[q->bn[k]].rank;
            j++;
        }
    }
    /* by hash, then (as the permuter starts from a sorted list) by label */
    qsort(rel, nrel, sizeof(*rel), badge_rdfc_rel_cmp);

    /* 5: each related hash in code point order */
    for (gs = 0; gs < nrel; gs = ge) {
        for (ge = gs + 1; ge < nrel && strcmp(rel[ge].hash, rel[gs].hash) == 0;
             ge++)
        { /* void */ }
        gm = ge - gs;

        RDFC_APPEND(data, dlen, rel[gs].hash, r->hexlen);       /* 5.1 */

        mg = badge_rdfc_mark(r);
        pcap = gm * (r->hexlen + 2 * RDFC_LABEL_MAX + 2) + 1;
        cpath = badge_rdfc_salloc(r, pcap);
        cur = badge_rdfc_salloc(r, gm * sizeof(int32_t));
        nodes = badge_rdfc_salloc(r, gm * sizeof(int32_t));
        dir = badge_rdfc_salloc(r, gm);
        if (cpath == NULL || cur == NULL || nodes == NULL || dir == NULL) {
            return badge_rdfc_nomem(r);
        }
        /* small dense values for the permuter; equal nodes, equal values */
        u = 0;
        for (i = 0; i < gm; i++) {
            if (i > 0 && rel[gs + i].node != rel[gs + i - 1].node) {
                u++;
            }
            cur[i] = (int32_t) u;
            nodes[u] = rel[gs + i].node;
            dir[u] = 1;
        }
        clen = 0;
        have = 0;

        /* 5.4: each permutation */
        do {
            r->work++;
            if (r->work > r->max_work) {
                return badge_rdfc_too_complex(r);
            }
            mp = badge_rdfc_mark(r);
            badge_rdfc_issuer_copy(&copy, io);                  /* 5.4.1 */
            path = badge_rdfc_salloc(r, pcap);
            rec = badge_rdfc_salloc(r, gm * sizeof(int32_t));
            if (path == NULL || rec == NULL) {
                return badge_rdfc_nomem(r);
            }
            plen = 0;
            nrec = 0;
            skip = 0;

            for (i = 0; i < gm; i++) {                          /* 5.4.4 */
                node = nodes[cur[i]];
                if (r->bn[node].canon >= 0) {
                    idn = (int) r->bn[node].clen;
                    memcpy(id, r->bn[node].clabel, (size_t) idn);
                } else {
                    t = badge_rdfc_issuer_find(&copy, node);
                    if (t < 0) {
                        rec[nrec++] = node;
                        t = (int32_t) copy.n;
                        copy.ids[copy.n++] = node;
                    }
                    idn = snprintf(id, sizeof(id), "_:b%d", t);
                }
                RDFC_APPEND(path, plen, id, (size_t) idn);
                /* a path already greater than the chosen one can only
                 * grow greater: prune (5.4.4.3) */
                if (have && badge_rdfc_path_cmp(path, plen, cpath, clen) > 0) {
                    skip = 1;
                    break;
                }
            }

            for (j = 0; !skip && j < nrec; j++) {               /* 5.4.5 */
                if (badge_rdfc_hndq(r, rec[j], &copy, h) != 0) {
                    return -1;
                }
                t = badge_rdfc_issuer_find(&copy, rec[j]);
                idn = snprintf(id, sizeof(id), "_:b%d", t);
                RDFC_APPEND(path, plen, id, (size_t) idn);
                path[plen++] = '<';
                RDFC_APPEND(path, plen, h, r->hexlen);
                path[plen++] = '>';
                if (have && badge_rdfc_path_cmp(path, plen, cpath, clen) > 0) {
                    skip = 1;
                }
            }

            if (!skip
                && (!have || badge_rdfc_path_cmp(path, plen, cpath, clen) < 0))
            {                                                   /* 5.4.6 */
                memcpy(cpath, path, plen);
                clen = plen;
                badge_rdfc_issuer_copy(&chosen, &copy);
                have = 1;
            }
            badge_rdfc_release(r, mp);
        } while (badge_rdfc_permute(cur, dir, gm));

        RDFC_APPEND(data, dlen, cpath, clen);                   /* 5.5 */
        badge_rdfc_issuer_copy(io, &chosen);                    /* 5.6 */
        badge_rdfc_release(r, mg);
    }

    if (badge_rdfc_digest(r, data, dlen, out) != 0) {           /* 6 */
        return -1;
    }
    badge_rdfc_release(r, m0);
    r->depth--;
    return 0;
}


/* ---- 4.4 the canonicalization algorithm --------------------------------- */

/* by key, then by node number (first appearance) */
static int
badge_rdfc_key_cmp(const void *a, const void *b)
{
    const badge_rdfc_key_t *x = a, *y = b;
    int                     c = strcmp(x->key, y->key);

    if (c != 0) {
        return c;
    }
    return x->node < y->node ? -1 : x->node > y->node;
}


static int
badge_rdfc_result_cmp(const void *a, const void *b)
{
    const badge_rdfc_path_t *x = a, *y = b;
    int                      c = strcmp(x->hash, y->hash);

    if (c != 0) {
        return c;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}


static void
badge_rdfc_issue(badge_rdfc_t *r, int32_t *order, size_t *ncanon, int32_t n)
{
    badge_rdfc_bnode_t *b = &r->bn[n];

    if (b->canon < 0) {
        b->canon = (int32_t) *ncanon;
        b->clen = (uint32_t) snprintf(b->clabel, sizeof(b->clabel),
                                      "_:c14n%zu", *ncanon);
        order[(*ncanon)++] = n;
    }
}


static int
badge_rdfc_run(badge_rdfc_t *r, int32_t *order, size_t *ncanon)
{
    badge_rdfc_key_t    *byhash, *bylabel;
    size_t               i, j, gs, ge, np;
    badge_rdfc_path_t   *paths;
    badge_rdfc_mark_t    m, mi;
    badge_rdfc_issuer_t  is;
    int32_t             *ids;

    byhash = badge_arena_alloc(r->arena, (r->nb + 1) * sizeof(*byhash));
    if (byhash == NULL) {
        return badge_rdfc_nomem(r);
    }

    /* 3-4: first degree hashes; unique hashes get canonical identifiers
     * in hash order */
    for (i = 0; i < r->nb; i++) {
        if (badge_rdfc_hash_first(r, (int32_t) i) != 0) {
            return -1;
        }
        byhash[i].key = r->bn[i].h1;
        byhash[i].node = (int32_t) i;
    }
    qsort(byhash, r->nb, sizeof(*byhash), badge_rdfc_key_cmp);

    r->nnu = 0;
    for (gs = 0; gs < r->nb; gs = ge) {
        for (ge = gs + 1; ge < r->nb
             && strcmp(byhash[ge].key, byhash[gs].key) == 0; ge++)
        { /* void */ }
        if (ge - gs == 1) {
            badge_rdfc_issue(r, order, ncanon, byhash[gs].node);
        } else {
            r->nnu += (uint32_t) (ge - gs);
        }
    }
    if (r->nnu == 0) {
        return 0;
    }

    /* label ranks: the permuter's starting order */
    bylabel = badge_arena_alloc(r->arena, r->nb * sizeof(*bylabel));
    if (bylabel == NULL) {
        return badge_rdfc_nomem(r);
    }
    for (i = 0; i < r->nb; i++) {
        bylabel[i].key = r->bn[i].label;
        bylabel[i].node = (int32_t) i;
    }
    qsort(bylabel, r->nb, sizeof(*bylabel), badge_rdfc_key_cmp);
    for (i = 0; i < r->nb; i++) {
        r->bn[bylabel[i].node].rank = (int32_t) i;
    }

    /* 5: shared hashes, in hash order */
    for (gs = 0; gs < r->nb; gs = ge) {
        for (ge = gs + 1; ge < r->nb
             && strcmp(byhash[ge].key, byhash[gs].key) == 0; ge++)
        { /* void */ }
        if (ge - gs == 1) {
            continue;
        }
        m = badge_rdfc_mark(r);
        paths = badge_rdfc_salloc(r, (ge - gs) * sizeof(*paths));
        if (paths == NULL) {
            return badge_rdfc_nomem(r);
        }
        np = 0;
        for (i = gs; i < ge; i++) {
            int32_t n = byhash[i].node;

            if (r->bn[n].canon >= 0) {                          /* 5.2.1 */
                continue;
            }
            mi = badge_rdfc_mark(r);
            is.ids = badge_rdfc_salloc(r, r->nnu * sizeof(int32_t));
            if (is.ids == NULL) {
                return badge_rdfc_nomem(r);
            }
            is.ids[0] = n;                                      /* 5.2.3 */
            is.n = 1;
            r->depth = 0;
            if (badge_rdfc_hndq(r, n, &is, paths[np].hash) != 0) {
                return -1;
            }
            /* keep only the used part of the result's issuer: a group of
             * k nodes would otherwise hold k * nnu entries */
            badge_rdfc_release(r, mi);
            ids = badge_rdfc_salloc(r, is.n * sizeof(int32_t));
            if (ids == NULL) {
                return badge_rdfc_nomem(r);
            }
            /* same chunk: same address; else the old chunk is untouched */
            memmove(ids, is.ids, is.n * sizeof(int32_t));
            is.ids = ids;
            paths[np].issuer = is;
            paths[np].order = np;
            np++;
        }
        qsort(paths, np, sizeof(*paths), badge_rdfc_result_cmp);
        for (i = 0; i < np; i++) {                              /* 5.3 */
            for (j = 0; j < paths[i].issuer.n; j++) {
                badge_rdfc_issue(r, order, ncanon, paths[i].issuer.ids[j]);
            }
        }
        badge_rdfc_release(r, m);
    }
    return 0;
}


static int
badge_rdfc_do(badge_arena_t *a, const badge_quads_t *in,
    const badge_rdfc_opts_t *opts, badge_rdfc_result_t *res, int extras,
    badge_err_t *err)
{
    badge_rdfc_t       r;
    badge_rdfc_line_t *lines;
    int32_t           *order;
    size_t             ncanon = 0, i, size, off, total;
    char              *buf, *outp;
    int                rc = -1;

    memset(&r, 0, sizeof(r));
    memset(res, 0, sizeof(*res));
    r.arena = a;
    r.err = err;
    r.md = badge_rdfc_md(opts != NULL ? opts->hash : NULL);
    if (r.md == NULL) {
        badge_err_set(err, "rdfc_bad_hash", "unsupported hash algorithm %s",
                      opts != NULL && opts->hash ? opts->hash : "(null)");
        return -1;
    }
    r.hexlen = (size_t) EVP_MD_get_size(r.md) * 2;
    r.max_work = opts != NULL && opts->max_work != 0
                 ? opts->max_work : BADGE_RDFC_DEFAULT_MAX_WORK;

    if (badge_rdfc_setup(&r, in) != 0) {
        return -1;
    }
    order = badge_arena_alloc(a, (r.nb + 1) * sizeof(int32_t));
    if (order == NULL) {
        return badge_rdfc_nomem(&r);
    }
    r.ctx = EVP_MD_CTX_new();
    if (r.ctx == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }

    if (badge_rdfc_run(&r, order, &ncanon) != 0) {
        goto done;
    }
    if (ncanon != r.nb) {
        badge_err_set(err, "rdfc_internal", "blank node left unlabelled");
        goto done;
    }

    /* 6: relabel, serialize, sort */
    size = 0;
    for (i = 0; i < r.nq; i++) {
        size += badge_rdfc_qlen_max(&r.q[i]);
    }
    lines = badge_arena_alloc(a, (r.nq + 1) * sizeof(*lines));
    buf = badge_arena_alloc(a, size + 1);
    if (lines == NULL || buf == NULL) {
        badge_rdfc_nomem(&r);
        goto done;
    }
    off = 0;
    for (i = 0; i < r.nq; i++) {
        lines[i].p = buf + off;
        lines[i].len = badge_rdfc_write_quad(&r, &r.q[i], buf + off,
                                             RDFC_MODE_CANON, -1);
        lines[i].quad = (uint32_t) i;
        off += lines[i].len;
    }
    qsort(lines, r.nq, sizeof(*lines), badge_rdfc_line_cmp);

    outp = badge_arena_alloc(a, off + 1);
    if (outp == NULL) {
        badge_rdfc_nomem(&r);
        goto done;
    }
    total = 0;
    for (i = 0; i < r.nq; i++) {
        memcpy(outp + total, lines[i].p, lines[i].len);
        total += lines[i].len;
    }
    outp[total] = '\0';
    res->nquads = outp;
    res->len = total;
    res->n = r.nq;

    if (extras) {
        char **labels = badge_arena_alloc(a, (r.nb + 1) * sizeof(char *));

        res->map = badge_arena_alloc(a, (r.nb + 1) * sizeof(*res->map));
        res->quads = badge_arena_alloc(a, (r.nq + 1) * sizeof(badge_quad_t));
        res->lines = badge_arena_alloc(a, (r.nq + 1) * sizeof(char *));
        if (labels == NULL || res->map == NULL || res->quads == NULL
            || res->lines == NULL)
        {
            badge_rdfc_nomem(&r);
            goto done;
        }
        for (i = 0; i < ncanon; i++) {
            labels[i] = badge_arena_sprintf(a, "c14n%zu", i);
            if (labels[i] == NULL) {
                badge_rdfc_nomem(&r);
                goto done;
            }
            res->map[i].from = r.bn[order[i]].label;
            res->map[i].to = labels[i];
        }
        res->map_n = ncanon;
        for (i = 0; i < r.nq; i++) {
            const badge_rdfc_quad_t *q = &r.q[lines[i].quad];
            badge_quad_t            *d = &res->quads[i];
            badge_term_t            *t[4];
            int                      k;

            *d = in->items[q->src];
            t[0] = &d->s;
            t[1] = &d->p;
            t[2] = &d->o;
            t[3] = &d->g;
            for (k = 0; k < 4; k++) {
                if (q->bn[k] >= 0) {
                    t[k]->value = labels[r.bn[q->bn[k]].canon];
                }
            }
            res->lines[i] = badge_arena_strndup(a, lines[i].p,
                                                lines[i].len - 1);
            if (res->lines[i] == NULL) {
                badge_rdfc_nomem(&r);
                goto done;
            }
        }
    }
    rc = 0;

done:
    EVP_MD_CTX_free(r.ctx);
    return rc;
}


int
badge_rdfc_canonicalize_ex(badge_arena_t *a, const badge_quads_t *in,
    const badge_rdfc_opts_t *opts, badge_rdfc_result_t *res,
    badge_err_t *err)
{
    return badge_rdfc_do(a, in, opts, res, 1, err);
}


int
badge_rdfc_canonicalize(badge_arena_t *a, const badge_quads_t *in,
    const badge_rdfc_opts_t *opts, char **out, size_t *out_len,
    badge_err_t *err)
{
    badge_rdfc_result_t res;

    /* the plain form skips the per-quad copies and the map */
    if (badge_rdfc_do(a, in, opts, &res, 0, err) != 0) {
        return -1;
    }
    *out = res.nquads;
    if (out_len != NULL) {
        *out_len = res.len;
    }
    return 0;
}
