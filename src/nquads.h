/*
 * nquads.h: RDF terms, quads, and the N-Quads syntax (W3C RDF 1.1 N-Quads).
 * The in-memory dataset that JSON-LD toRdf produces and RDFC-1.0 consumes.
 * All strings are NUL-terminated UTF-8 in the caller's arena; values are
 * stored unescaped (the lexical form, not the N-Quads escaped form).
 * U+0000, which a C string cannot hold, is stored as the two bytes C0 80
 * (as in Java's modified UTF-8); the serializer writes it as \u0000.
 */
#ifndef BADGE_NQUADS_H
#define BADGE_NQUADS_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

typedef enum {
    BADGE_TERM_NONE = 0,     /* graph of a quad in the default graph */
    BADGE_TERM_IRI,
    BADGE_TERM_BNODE,        /* value without the "_:" prefix */
    BADGE_TERM_LITERAL
} badge_term_kind_t;

typedef struct {
    badge_term_kind_t kind;
    const char       *value;
    const char       *datatype;  /* literals: IRI; NULL means xsd:string
                                    (or rdf:langString when lang is set) */
    const char       *lang;      /* literals: language tag or NULL */
} badge_term_t;

typedef struct {
    badge_term_t s, p, o, g;
} badge_quad_t;

typedef struct {
    badge_arena_t *arena;
    badge_quad_t  *items;
    size_t         n;
    size_t         cap;
    size_t         limit;     /* 0 = none; badge_quads_add fails past it */
} badge_quads_t;

void badge_quads_init(badge_quads_t *q, badge_arena_t *a, size_t limit);
/* returns 0, or -1 when out of memory or over the limit */
int badge_quads_add(badge_quads_t *q, const badge_quad_t *quad);

/* Parse N-Quads text.  Strict: invalid syntax or invalid UTF-8 is an
 * error (code "nquads_syntax", message "line N: ...").  out must have been
 * set up with badge_quads_init (its limit applies); quads are appended in
 * document order, duplicates kept.  Only absolute IRIs are accepted. */
int badge_nquads_parse(badge_arena_t *a, const char *text, size_t len,
    badge_quads_t *out, badge_err_t *err);

/* Append one quad in canonical N-Quads form (RDFC-1.0 / N-Quads canonical
 * escaping), ending with " .\n". */
void badge_nquads_write_quad(badge_buf_t *b, const badge_quad_t *q);
/* Append one term in canonical form: <iri>, _:label, "lit"@lang or
 * "lit"^^<dt> (xsd:string omitted).  A BADGE_TERM_NONE term writes nothing. */
void badge_nquads_write_term(badge_buf_t *b, const badge_term_t *t);
/* Append a literal's lexical form escaped as canonical N-Quads requires
 * (ECHAR for \b \t \n \f \r \" \\, \u00XX for other controls and DEL). */
void badge_nquads_write_escaped(badge_buf_t *b, const char *s, size_t len);

#define BADGE_XSD_STRING  "http://www.w3.org/2001/XMLSchema#string"

/* The whole dataset, quads in the given order. */
char *badge_nquads_serialize(badge_arena_t *a, const badge_quads_t *q,
    size_t *len);

#endif
