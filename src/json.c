#include "json.h"

#include <string.h>

/* JSON-LD and report code recurse over the tree; jansson's own limit
 * (2048) is deeper than any credential needs. */
#define BADGE_JSON_MAX_DEPTH  64

json_t *
badge_json_parse(const char *text, size_t len, badge_err_t *err)
{
    json_error_t je;
    json_t      *v;

    v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        badge_err_set(err, "json_invalid", "invalid JSON at line %d, column"
            " %d: %s", je.line, je.column, je.text);
        return NULL;
    }
    if (badge_json_depth(v, BADGE_JSON_MAX_DEPTH + 1) > BADGE_JSON_MAX_DEPTH)
    {
        json_decref(v);
        badge_err_set(err, "json_too_deep",
            "JSON nested deeper than %d levels", BADGE_JSON_MAX_DEPTH);
        return NULL;
    }
    return v;
}

const char *
badge_json_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

const char *
badge_json_id(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    const char   *s;

    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_object(v)) {
        s = badge_json_str(v, "id");
        return s != NULL ? s : badge_json_str(v, "@id");
    }
    return NULL;
}

int
badge_json_has_string(const json_t *v, const char *s)
{
    size_t        i;
    const json_t *e;

    if (json_is_string(v)) {
        return strcmp(json_string_value(v), s) == 0;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            if (json_is_string(e) && strcmp(json_string_value(e), s) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

size_t
badge_json_depth(const json_t *v, size_t stop_at)
{
    size_t        max = 0, d, i;
    const char   *k;
    const json_t *e;

    if (stop_at == 0) {
        return 1;
    }
    if (json_is_object(v)) {
        json_object_foreach((json_t *) v, k, e) {
            (void) k;
            d = badge_json_depth(e, stop_at - 1);
            if (d > max) {
                max = d;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            d = badge_json_depth(e, stop_at - 1);
            if (d > max) {
                max = d;
            }
        }
    }
    return max + 1;
}
