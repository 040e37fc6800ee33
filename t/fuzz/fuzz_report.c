/* libFuzzer harness: the report (report.h): checks, errors, fields and a
 * child report built from fuzzed strings (split at NUL bytes), then
 * serialized as JSON and text; the JSON must parse back. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "report.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    badge_arena_t  *a;
    badge_report_t *r, *child, *cur;
    char           *buf, *p, *end, *parts[4];
    char           *json;
    size_t          len, i, k = 0;
    json_error_t    jerr;
    json_t         *back;

    a = badge_arena_new(8 << 20);
    if (a == NULL) {
        return 0;
    }
    buf = badge_arena_alloc(a, size + 1);
    if (buf == NULL) {
        badge_arena_free(a);
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    r = badge_report_new(a, size > 0 && (data[0] & 1) ? "ja" : "en");
    child = badge_report_new(a, "en");
    cur = r;
    p = buf;
    end = buf + size;
    while (p <= end) {
        parts[k++] = p;
        p += strlen(p) + 1;
        if (k < 4) {
            continue;
        }
        k = 0;
        switch ((unsigned char) parts[0][0] % 6) {
        case 0:
            badge_report_error(cur, parts[2], "%s", parts[3]);
            break;
        case 1:
            badge_report_set(cur,
                (badge_field_t) ((unsigned char) parts[0][0] / 6
                                 % BADGE_FIELD__COUNT), parts[3]);
            break;
        case 2:
            if (cur == r) {
                badge_report_add_child(r, parts[1], child);
                cur = child;
                break;
            }
            /* fall through */
        default:
            badge_report_check(cur, parts[1],
                (badge_check_status_t) ((unsigned char) parts[0][0] % 4),
                parts[2], "%s", parts[3]);
            break;
        }
        r->authenticated = parts[0][0] & 0x40 ? 1 : 0;
    }
    for (i = 0; i < 2; i++) {
        (void) badge_report_verified(r);
        (void) badge_report_status(r);
        (void) badge_report_find(r, "signature");
        json = badge_report_json(r, &len);
        if (json != NULL) {
            back = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
            if (back == NULL) {
                __builtin_trap();   /* the report must be valid JSON */
            }
            json_decref(back);
        }
        (void) badge_report_text(r, &len);
    }
    badge_arena_free(a);
    return 0;
}
