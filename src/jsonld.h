/*
 * jsonld.h: JSON-LD 1.1 expansion and Deserialize-JSON-LD-to-RDF (toRdf).
 *
 * Layer: above JSON helpers, nquads and jcs; below proof suites.  No
 * network: a remote @context is taken from the bundled store (contexts.h)
 * or from opts->load, otherwise it is an error
 * ("jsonld_context_not_bundled", message "loading remote context failed:
 * context not bundled: URL").
 *
 * Errors set err->code to a stable lower_snake string ("jsonld_" + the
 * spec code, e.g. "jsonld_invalid_id_value", or one of ours:
 * "jsonld_context_not_bundled", "jsonld_context_overflow" (remote context
 * loop or more than max_contexts), "jsonld_too_deep", "jsonld_too_many_quads",
 * "jsonld_invalid_utf8", "jsonld_invalid_input" (NUL in a string),
 * "out_of_memory") and start err->message with the JSON-LD spec error
 * code, e.g. "invalid @id value: ...".
 *
 * Output strings (quad terms, dropped names) are copies in the caller's
 * arena: they do not depend on the input or the cache staying alive.  The
 * cache is thread-safe; one cache may serve every thread.  opts is read,
 * and its dropped/n_dropped written, so use one opts per thread.
 */
#ifndef BADGE_JSONLD_H
#define BADGE_JSONLD_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "nquads.h"

/* Long-lived cache of processed remote contexts.  Thread-safe; entries do
 * not point into any per-document arena. */
typedef struct badge_jsonld_cache_s badge_jsonld_cache_t;

/* Returns 0 if found; *body stays valid for the duration of the call to
 * badge_jsonld_to_rdf / badge_jsonld_expand. */
typedef int (*badge_jsonld_load_fn)(void *udata, const char *url,
    const char **body, size_t *len, badge_err_t *err);

typedef struct {
    const char            *base;            /* base IRI or NULL */
    /* URL the input came from: relative @context references resolve
     * against it (NULL = base) */
    const char            *document_url;
    /* extra documents (tests, --doc); tried after the bundled contexts;
     * NULL = bundled only */
    badge_jsonld_load_fn   load;
    void                  *load_udata;
    badge_jsonld_cache_t  *cache;           /* NULL: a process-wide one */
    const char            *processing_mode; /* NULL = "json-ld-1.1" */
    /* NULL, "i18n-datatype" or "compound-literal" */
    const char            *rdf_direction;
    json_t                *expand_context;  /* optional, for tests */
    int                    produce_generalized_rdf;
    size_t                 max_depth;       /* 0 = default 64 */
    size_t                 max_quads;       /* 0 = default 100000 */
    size_t                 max_contexts;    /* 0 = default 32 remote
                                               context loads per document */
    /* out: properties/types that did not expand to IRIs and were dropped
     * (JSON-LD drops them silently); the verifier reports them.  Each name
     * once, as written in the document.  Strings are in the caller's
     * arena. */
    const char           **dropped;
    size_t                 n_dropped;
} badge_jsonld_opts_t;

badge_jsonld_cache_t *badge_jsonld_cache_new(void);
void badge_jsonld_cache_free(badge_jsonld_cache_t *c);

/* 0 ok, -1 error.  out is initialised by the call (badge_quads_init). */
int badge_jsonld_to_rdf(badge_arena_t *a, json_t *input,
    badge_jsonld_opts_t *opts, badge_quads_t *out, badge_err_t *err);

/* Expanded form as a new jansson value (caller decrefs *out). */
int badge_jsonld_expand(badge_arena_t *a, json_t *input,
    badge_jsonld_opts_t *opts, json_t **out, badge_err_t *err);

#endif
