/*
 * jcs.h: JSON Canonicalization Scheme (RFC 8785).  Object members sorted by
 * their names' UTF-16 code units, numbers in ECMAScript (ES6) form, strings
 * with the minimal escaping of RFC 8785 section 3.2.2.2.
 * Layer: JSON helpers (bottom), uses jansson.
 */
#ifndef BADGE_JCS_H
#define BADGE_JCS_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

/* NUL-terminated canonical form in `a`, length in *len (may be NULL).
 * NULL on error: a non-finite number, invalid UTF-8, excessive depth, or
 * out of memory. */
char *badge_jcs_serialize(badge_arena_t *a, const json_t *v, size_t *len);

/* A double in ECMAScript Number.prototype.toString form (RFC 8785 3.2.2.3).
 * buf needs 32 bytes.  Returns the length, or -1 for NaN/Infinity. */
int badge_jcs_number(double d, char *buf);

#endif
