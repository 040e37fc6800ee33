/*
 * contexts.h: the bundled JSON-LD context documents (src/contexts/, embedded
 * by tools/gen_contexts.sh into contexts_data.c).  A verifier never fetches
 * a context; it uses these, byte for byte, or fails.  Bottom layer.
 */
#ifndef BADGE_CONTEXTS_H
#define BADGE_CONTEXTS_H

#include <stddef.h>

typedef struct {
    const char          *url;
    const char          *body;        /* NUL-terminated */
    size_t               len;
    const char          *sha256_hex;  /* pin of body, lower-case hex */
} badge_context_doc_t;

/* 0 found, -1 not bundled.  Any out pointer may be NULL. */
int badge_contexts_get(const char *url, const char **body, size_t *len,
    const char **sha256_hex);

/* Iteration: i from 0 while the result is not NULL. */
const badge_context_doc_t *badge_contexts_at(size_t i);
size_t badge_contexts_count(void);

#endif
