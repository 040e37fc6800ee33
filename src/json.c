#include "json.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

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

int
badge_json_quote(badge_buf_t *b, const char *s, size_t len,
    int replace_invalid)
{
    static const char    hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *) s;
    const unsigned char *end = p + len;
    const unsigned char *run;
    char                 esc[6];
    uint32_t             cp;
    size_t               n;

    badge_buf_putc(b, '"');
    run = p;
    while (p < end) {
        unsigned char c = *p;

        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            n = badge_utf8_decode(p, end, &cp);
            if (n > 0) {
                p += n;
                continue;
            }
            if (!replace_invalid) {
                return -1;
            }
            badge_buf_append(b, run, (size_t) (p - run));
            badge_buf_append(b, "\xEF\xBF\xBD", 3);
            run = ++p;
            continue;
        }
        badge_buf_append(b, run, (size_t) (p - run));
        esc[0] = '\\';
        switch (c) {
        case '"':  esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\t': esc[1] = 't'; break;
        case '\n': esc[1] = 'n'; break;
        case '\f': esc[1] = 'f'; break;
        case '\r': esc[1] = 'r'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xF];
            badge_buf_append(b, esc, 6);
            run = ++p;
            continue;
        }
        badge_buf_append(b, esc, 2);
        run = ++p;
    }
    badge_buf_append(b, run, (size_t) (p - run));
    badge_buf_putc(b, '"');
    return 0;
}
