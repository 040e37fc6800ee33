/*
 * jsonld_int.h: internals shared by jsonld_util.c, jsonld_context.c,
 * jsonld_expand.c and jsonld_rdf.c.  Not part of the library's interface.
 *
 * Shape: the input (jansson) is expanded into an arena tree of jl_val_t
 * (node, value and list objects, as the JSON-LD 1.1 Expansion algorithm
 * defines them); toRdf walks that tree and emits quads directly, which
 * gives the same dataset as Node Map Generation + Deserialize-to-RDF.
 *
 * Active contexts (jl_ctx_t) are immutable once built.  Contexts derived
 * only from bundled documents are memoised in badge_jsonld_cache_t as
 * transitions (parent context id, step) -> context, each in an arena of its
 * own, so a typical credential re-uses processed contexts and type-scoped
 * contexts without touching the context JSON again.
 */
#ifndef BADGE_JSONLD_INT_H
#define BADGE_JSONLD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "jsonld.h"
#include "nquads.h"

/* keywords: every keyword the processors hand around is one of these
 * pointers, so "is it @id" is a pointer comparison */
enum {
    JL_K_BASE, JL_K_CONTAINER, JL_K_CONTEXT, JL_K_DIRECTION, JL_K_GRAPH,
    JL_K_ID, JL_K_IMPORT, JL_K_INCLUDED, JL_K_INDEX, JL_K_JSON,
    JL_K_LANGUAGE, JL_K_LIST, JL_K_NEST, JL_K_NONE, JL_K_PREFIX,
    JL_K_PROPAGATE, JL_K_PROTECTED, JL_K_REVERSE, JL_K_SET, JL_K_TYPE,
    JL_K_VALUE, JL_K_VERSION, JL_K_VOCAB, JL_K__N
};
extern const char *const jl_kw[JL_K__N];
#define KW(x)  (jl_kw[JL_K_##x])

/* canonical keyword pointer for s, or NULL */
const char *jl_keyword(const char *s);
/* "@" 1*ALPHA */
int jl_keyword_form(const char *s);

/* spec error codes: machine code, then the JSON-LD error code that starts
 * the message */
#define E_COLLIDING_KEYWORDS  "jsonld_colliding_keywords", "colliding keywords"
#define E_CONTEXT_OVERFLOW    "jsonld_context_overflow", "context overflow"
#define E_CYCLIC_IRI          "jsonld_cyclic_iri_mapping", "cyclic IRI mapping"
#define E_INVALID_ID          "jsonld_invalid_id_value", "invalid @id value"
#define E_INVALID_IMPORT      "jsonld_invalid_import_value", \
                              "invalid @import value"
#define E_INVALID_INCLUDED    "jsonld_invalid_included_value", \
                              "invalid @included value"
#define E_INVALID_INDEX       "jsonld_invalid_index_value", \
                              "invalid @index value"
#define E_INVALID_NEST        "jsonld_invalid_nest_value", "invalid @nest value"
#define E_INVALID_PREFIX      "jsonld_invalid_prefix_value", \
                              "invalid @prefix value"
#define E_INVALID_PROPAGATE   "jsonld_invalid_propagate_value", \
                              "invalid @propagate value"
#define E_INVALID_PROTECTED   "jsonld_invalid_protected_value", \
                              "invalid @protected value"
#define E_INVALID_REVERSE     "jsonld_invalid_reverse_value", \
                              "invalid @reverse value"
#define E_INVALID_VERSION     "jsonld_invalid_version_value", \
                              "invalid @version value"
#define E_INVALID_DIRECTION   "jsonld_invalid_base_direction", \
                              "invalid base direction"
#define E_INVALID_BASE_IRI    "jsonld_invalid_base_iri", "invalid base IRI"
#define E_INVALID_CONTAINER   "jsonld_invalid_container_mapping", \
                              "invalid container mapping"
#define E_INVALID_CTX_ENTRY   "jsonld_invalid_context_entry", \
                              "invalid context entry"
#define E_INVALID_CTX_NULL    "jsonld_invalid_context_nullification", \
                              "invalid context nullification"
#define E_INVALID_DEFAULT_LANG "jsonld_invalid_default_language", \
                              "invalid default language"
#define E_INVALID_IRI_MAPPING "jsonld_invalid_iri_mapping", \
                              "invalid IRI mapping"
#define E_INVALID_KW_ALIAS    "jsonld_invalid_keyword_alias", \
                              "invalid keyword alias"
#define E_INVALID_LANG_MAP_VALUE "jsonld_invalid_language_map_value", \
                              "invalid language map value"
#define E_INVALID_LANG_MAPPING "jsonld_invalid_language_mapping", \
                              "invalid language mapping"
#define E_INVALID_LANG_STRING "jsonld_invalid_language_tagged_string", \
                              "invalid language-tagged string"
#define E_INVALID_LANG_VALUE  "jsonld_invalid_language_tagged_value", \
                              "invalid language-tagged value"
#define E_INVALID_LOCAL_CTX   "jsonld_invalid_local_context", \
                              "invalid local context"
#define E_INVALID_REMOTE_CTX  "jsonld_invalid_remote_context", \
                              "invalid remote context"
#define E_INVALID_REV_PROP    "jsonld_invalid_reverse_property", \
                              "invalid reverse property"
#define E_INVALID_REV_MAP     "jsonld_invalid_reverse_property_map", \
                              "invalid reverse property map"
#define E_INVALID_REV_VALUE   "jsonld_invalid_reverse_property_value", \
                              "invalid reverse property value"
#define E_INVALID_SCOPED_CTX  "jsonld_invalid_scoped_context", \
                              "invalid scoped context"
#define E_INVALID_SET_LIST    "jsonld_invalid_set_or_list_object", \
                              "invalid set or list object"
#define E_INVALID_TERM_DEF    "jsonld_invalid_term_definition", \
                              "invalid term definition"
#define E_INVALID_TYPE_MAPPING "jsonld_invalid_type_mapping", \
                              "invalid type mapping"
#define E_INVALID_TYPE_VALUE  "jsonld_invalid_type_value", "invalid type value"
#define E_INVALID_TYPED_VALUE "jsonld_invalid_typed_value", \
                              "invalid typed value"
#define E_INVALID_VALUE_OBJ   "jsonld_invalid_value_object", \
                              "invalid value object"
#define E_INVALID_VALUE_OBJ_VALUE "jsonld_invalid_value_object_value", \
                              "invalid value object value"
#define E_INVALID_VOCAB       "jsonld_invalid_vocab_mapping", \
                              "invalid vocab mapping"
#define E_KEYWORD_REDEF       "jsonld_keyword_redefinition", \
                              "keyword redefinition"
#define E_LOADING_DOC         "jsonld_loading_document_failed", \
                              "loading document failed"
#define E_LOADING_REMOTE      "jsonld_loading_remote_context_failed", \
                              "loading remote context failed"
#define E_NOT_BUNDLED         "jsonld_context_not_bundled", \
                              "loading remote context failed"
#define E_MODE_CONFLICT       "jsonld_processing_mode_conflict", \
                              "processing mode conflict"
#define E_PROTECTED_REDEF     "jsonld_protected_term_redefinition", \
                              "protected term redefinition"
#define E_INVALID_JSON_LIT    "jsonld_invalid_json_literal", \
                              "invalid JSON literal"
/* ours, not the spec's */
#define E_DEPTH               "jsonld_too_deep", \
                              "maximum nesting depth exceeded"
#define E_TOO_MANY_QUADS      "jsonld_too_many_quads", "too many quads"
#define E_UTF8                "jsonld_invalid_utf8", "invalid UTF-8"
#define E_NOMEM               "out_of_memory", "out of memory"
#define E_INVALID_INPUT       "jsonld_invalid_input", "invalid input"

/* ---- small arena hash map keyed by strings ---- */

typedef struct {
    const char *k;
    size_t      klen;
    uint32_t    h;
    void       *v;
} jl_slot_t;

typedef struct {
    badge_arena_t *a;
    jl_slot_t     *s;
    uint32_t       cap;
    uint32_t       n;
} jl_smap_t;

uint32_t jl_hash(const char *s, size_t n);
uint64_t jl_hash64(const void *p, size_t n, uint64_t seed);
int jl_smap_init(jl_smap_t *m, badge_arena_t *a, uint32_t hint);
/* the value slot for k, or NULL if absent */
void **jl_smap_get(const jl_smap_t *m, const char *k, size_t klen);
/* the value slot for k, added (value NULL) if absent; NULL on OOM.  The
 * key is not copied. */
void **jl_smap_put(jl_smap_t *m, const char *k, size_t klen);

/* ---- IRIs, language tags, UTF-8 ---- */

/* jsonld.js's notion of an absolute IRI: scheme ":" no whitespace; "_:"
 * counts (blank node) */
int jl_is_absolute_iri(const char *s);
/* well-formed for RDF (RFC 3987 shape, no forbidden characters) */
int jl_is_wf_iri(const char *s);
int jl_is_bnode(const char *s);
/* BCP 47 well-formed (the form jsonld.js checks) */
int jl_lang_wf(const char *s);
/* RFC 3986 section 5.2 reference resolution; NULL on OOM.  base may be
 * NULL (ref returned as is). */
const char *jl_resolve(badge_arena_t *a, const char *base, const char *ref);
int jl_utf8_valid(const char *s, size_t n);
char *jl_strcat2(badge_arena_t *a, const char *x, const char *y);
char *jl_lower(badge_arena_t *a, const char *s);

/* ---- active contexts ---- */

#define JL_C_LIST      0x01
#define JL_C_SET       0x02
#define JL_C_INDEX     0x04
#define JL_C_LANGUAGE  0x08
#define JL_C_GRAPH     0x10
#define JL_C_ID        0x20
#define JL_C_TYPE      0x40

typedef struct jl_term_s {
    const char *term;
    size_t      len;
    uint32_t    hash;
    const char *iri;          /* IRI mapping; NULL for "@id": null */
    const char *type;         /* type mapping or NULL */
    const char *lang;         /* language mapping (has_lang) */
    const char *dir;          /* direction mapping (has_dir) */
    const char *index;        /* index mapping */
    const char *nest;         /* nest value */
    json_t     *ctx;          /* scoped context (has_ctx); may be json null */
    const char *base_url;     /* base URL of the scoped context */
    uint8_t     container;
    unsigned    has_lang:1;
    unsigned    has_dir:1;
    unsigned    has_ctx:1;
    unsigned    prefix:1;
    unsigned    prot:1;
    unsigned    reverse:1;
    unsigned    removed:1;    /* definition removed (lookup misses) */
} jl_term_t;

typedef struct jl_ctx_s jl_ctx_t;
/* ctx->base of contexts that still have the document's base (opts->base):
 * it is resolved per call, so cached contexts do not depend on it */
extern const char jl_doc_base[];

struct jl_ctx_s {
    uint64_t        id;        /* != 0: immutable and owned by the cache */
    const char     *base;      /* jl_doc_base, or an IRI, or NULL */
    const char     *orig_base;
    const char     *vocab;
    const char     *lang;
    const char     *dir;
    const jl_ctx_t *prev;      /* previous context (non-propagated) */
    jl_term_t     **tab;       /* open addressing, cap a power of 2 */
    uint32_t        cap;
    uint32_t        n;
    unsigned        own_tab:1; /* tab may be modified (not shared) */
};

const jl_term_t *jl_ctx_get(const jl_ctx_t *c, const char *term, size_t len);

/* ---- per-call state ---- */

typedef struct jl_doc_s {
    struct jl_doc_s *next;
    const char      *url;
    json_t          *json;
} jl_doc_t;

typedef struct {
    badge_arena_t         *a;        /* the caller's arena */
    badge_arena_t         *ca;       /* where contexts being built live */
    badge_jsonld_opts_t   *opts;
    badge_err_t           *err;
    badge_jsonld_cache_t  *cache;
    int                    mode10;   /* processing mode json-ld-1.0 */
    int                    failed;
    size_t                 depth;
    size_t                 max_depth;
    size_t                 n_remote;
    size_t                 max_contexts;
    int                    impure;   /* build touched a non-bundled doc
                                        or the document's base */
    const char            *doc_base; /* opts->base */
    jl_doc_t              *docs;     /* loader documents, decref'd at end */
    badge_arena_t        **tmp;      /* uncacheable context arenas */
    size_t                 n_tmp;
    size_t                 cap_tmp;
    jl_smap_t              dropped_map;
    const char           **dropped;
    size_t                 n_dropped;
    size_t                 cap_dropped;
} jl_state_t;

void jl_err(jl_state_t *st, const char *code, const char *spec,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void jl_oom(jl_state_t *st);
void jl_note_dropped(jl_state_t *st, const char *what);

/* Context Processing: returns the new active context, or NULL with st
 * failed.  perm: local comes from a bundled document (may be memoised). */
#define JL_P_OVERRIDE   0x01   /* override protected */
#define JL_P_NOPROP     0x02   /* propagate false */
#define JL_P_NOVALIDATE 0x04   /* validate scoped context false */
#define JL_P_PERM       0x08   /* local context is from a bundled document */

typedef struct jl_chain_s {
    const struct jl_chain_s *up;
    const char              *url;
    size_t                   n;
} jl_chain_t;

const jl_ctx_t *jl_process(jl_state_t *st, const jl_ctx_t *active,
    json_t *local, const char *base_url, const jl_chain_t *chain,
    unsigned flags);
const jl_ctx_t *jl_initial(jl_state_t *st);
/* the base IRI of c for this call */
const char *jl_ctx_base(jl_state_t *st, const jl_ctx_t *c);

/* IRI expansion against a finished context (no local context) */
const char *jl_expand_iri(jl_state_t *st, const jl_ctx_t *c,
    const char *value, int docrel, int vocab);

void jl_state_cleanup(jl_state_t *st);

/* ---- expanded form ---- */

enum { JL_OBJ = 1, JL_NODE, JL_VALUE, JL_LIST, JL_ARRAY };
enum { JL_V_NULL = 0, JL_V_STR, JL_V_INT, JL_V_REAL, JL_V_TRUE, JL_V_FALSE,
       JL_V_JSON };

#define JL_HAS_ID        0x0001
#define JL_HAS_TYPE      0x0002
#define JL_HAS_VALUE     0x0004
#define JL_HAS_LANG      0x0008
#define JL_HAS_DIR       0x0010
#define JL_HAS_INDEX     0x0020
#define JL_HAS_LIST      0x0040
#define JL_HAS_SET       0x0080
#define JL_HAS_GRAPH     0x0100
#define JL_HAS_INCLUDED  0x0200
#define JL_HAS_REVERSE   0x0400

typedef struct jl_val_s jl_val_t;

typedef struct {
    jl_val_t **v;
    uint32_t   n;
    uint32_t   cap;
} jl_vec_t;

typedef struct {
    const char *iri;
    jl_vec_t    vals;
} jl_prop_t;

typedef struct {
    jl_prop_t *p;
    uint32_t   n;
    uint32_t   cap;
    jl_smap_t *idx;            /* built when n grows (hostile objects) */
} jl_props_t;

struct jl_val_s {
    uint8_t      kind;
    uint8_t      vtype;        /* value objects */
    uint8_t      type_arr;     /* @type was given as an array */
    uint16_t     keys;         /* JL_HAS_* */
    const char  *id;
    const char **types;
    uint32_t     n_types;
    uint32_t     cap_types;
    const char  *str;          /* JL_V_STR */
    json_t      *json;         /* JL_V_INT/REAL/JSON: the input value */
    const char  *lang;
    const char  *dir;
    const char  *index;
    jl_vec_t     items;        /* JL_ARRAY items, @list/@set items */
    jl_vec_t     graph;
    jl_vec_t     included;
    jl_props_t   props;
    jl_props_t   rev;
};

/* the expanded document: an array of node objects */
int jl_expand_document(jl_state_t *st, json_t *input, jl_vec_t *out);
int jl_vec_push(jl_state_t *st, jl_vec_t *v, jl_val_t *x);

/* toRdf of the expanded document */
int jl_emit_rdf(jl_state_t *st, const jl_vec_t *doc, badge_quads_t *out);

#endif
