/*
 * rdfc.h: RDF Dataset Canonicalization (W3C RDFC-1.0, Recommendation
 * 2024).  Input is a dataset from nquads.h; output is the canonical
 * N-Quads document (quads sorted, blank nodes relabelled c14n0, c14n1...).
 * Layer: above nquads.h; uses OpenSSL for the hash.
 */
#ifndef BADGE_RDFC_H
#define BADGE_RDFC_H

#include <stddef.h>

#include "nquads.h"

#define BADGE_RDFC_DEFAULT_MAX_WORK  100000

typedef struct {
    const char *hash;        /* "sha256" (default when NULL) or "sha384" */
    size_t      max_work;    /* bound on hash-n-degree-quads work (calls +
                                permutations); 0 = default.  Past it the
                                result is error "rdfc_too_complex", so a
                                poison graph never hangs the caller. */
    int         want_map;    /* unused by badge_rdfc_canonicalize (which
                                never builds the map); kept for callers
                                that pass one opts to both functions */
} badge_rdfc_opts_t;

/* One entry of the canonical issuer's map: input label -> canonical. */
typedef struct {
    const char *from;        /* input blank node label, without "_:" */
    const char *to;          /* "c14nN" */
} badge_rdfc_map_entry_t;

typedef struct {
    char                   *nquads;    /* canonical N-Quads, NUL-terminated */
    size_t                  len;
    badge_quad_t           *quads;     /* relabelled, in canonical order */
    char                  **lines;     /* lines[i]: serialized quads[i],
                                          without the trailing newline */
    size_t                  n;
    badge_rdfc_map_entry_t *map;       /* in issued order (c14n0, ...) */
    size_t                  map_n;
} badge_rdfc_result_t;

/*
 * Canonical N-Quads of `in`.  *out is NUL-terminated and lives in `a`.
 * opts may be NULL (SHA-256, default bound).  Returns 0 or -1 with err set:
 * "rdfc_too_complex", "rdfc_bad_hash", "rdfc_internal", "out_of_memory".
 */
int badge_rdfc_canonicalize(badge_arena_t *a, const badge_quads_t *in,
    const badge_rdfc_opts_t *opts, char **out, size_t *out_len,
    badge_err_t *err);

/* The same, with the canonical quads, their lines and the issued
 * identifiers map as well (a little slower).  res is filled on success. */
int badge_rdfc_canonicalize_ex(badge_arena_t *a, const badge_quads_t *in,
    const badge_rdfc_opts_t *opts, badge_rdfc_result_t *res,
    badge_err_t *err);

/* Hex digest of data with the named hash ("sha256"/"sha384"); out must hold
 * 2 * 48 + 1 bytes.  Returns 0 or -1 for an unknown name. */
int badge_rdfc_hash_hex(const char *hash, const void *data, size_t len,
    char *out);

#endif
