/*
 * json.h: jansson with the core's rules for hostile input (duplicate keys
 * rejected, NUL in strings rejected, depth bounded) and small accessors.
 * Bottom layer.
 */
#ifndef BADGE_JSON_H
#define BADGE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "error.h"

/* A new reference, or NULL with err ("json_invalid", "json_too_deep"). */
json_t *badge_json_parse(const char *text, size_t len, badge_err_t *err);

/* The string member key of obj, or NULL. */
const char *badge_json_str(const json_t *obj, const char *key);
/* obj[key] as a string, or its "id"/"@id" if it is an object. */
const char *badge_json_id(const json_t *obj, const char *key);
/* 1 if v is the string s or an array containing the string s. */
int badge_json_has_string(const json_t *v, const char *s);
/* The nesting depth of v (1 for a scalar). */
size_t badge_json_depth(const json_t *v, size_t stop_at);

/*
 * s[0..len) as a JSON string, quotes included, appended to b the way RFC
 * 8785 (JCS) writes strings: ", \ and control characters escaped (\b \t
 * \n \f \r, else \u00xx in lower case), everything else as is.  Invalid
 * UTF-8 returns -1 (JCS must refuse it), or with replace_invalid becomes
 * U+FFFD (a report message cut at its buffer's end).
 */
int badge_json_quote(badge_buf_t *b, const char *s, size_t len,
    int replace_invalid);

#endif
