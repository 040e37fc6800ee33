/*
 * detect.c: input detection.  Cheap, byte-level, and conservative: an
 * input that is none of the known kinds is reported as such, never guessed.
 */
#include "detect.h"

#include <string.h>

void
badge_trim(const unsigned char **p, size_t *len)
{
    while (*len > 0 && (**p == ' ' || **p == '\t' || **p == '\r'
                        || **p == '\n'))
    {
        (*p)++;
        (*len)--;
    }
    while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'
                        || (*p)[*len - 1] == '\r' || (*p)[*len - 1] == '\n'))
    {
        (*len)--;
    }
}

static int
badge_is_b64url(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

badge_input_kind_t
badge_detect_input(const unsigned char *p, size_t len)
{
    static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                              0x1a, '\n' };
    size_t i, dots = 0;

    if (len >= 8 && memcmp(p, png_sig, 8) == 0) {
        return BADGE_INPUT_PNG;
    }
    /* a UTF-8 byte order mark is tolerated in pasted text */
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        p += 3;
        len -= 3;
    }
    badge_trim(&p, &len);
    if (len == 0) {
        return BADGE_INPUT_EMPTY;
    }
    if (p[0] == '{') {
        return BADGE_INPUT_JSON;
    }
    if (p[0] == '<') {
        for (i = 0; i + 4 <= len && i < 4096; i++) {
            if (memcmp(p + i, "<svg", 4) == 0) {
                return BADGE_INPUT_SVG;
            }
        }
        return BADGE_INPUT_UNKNOWN;
    }
    if ((len > 8 && strncmp((const char *) p, "https://", 8) == 0)
        || (len > 7 && strncmp((const char *) p, "http://", 7) == 0))
    {
        for (i = 0; i < len; i++) {
            if (p[i] <= ' ') {
                return BADGE_INPUT_UNKNOWN;
            }
        }
        return BADGE_INPUT_URL;
    }
    for (i = 0; i < len; i++) {
        if (p[i] == '.') {
            dots++;
        } else if (!badge_is_b64url(p[i])) {
            return BADGE_INPUT_UNKNOWN;
        }
    }
    return dots == 2 ? BADGE_INPUT_JWS : BADGE_INPUT_UNKNOWN;
}

const char *
badge_input_kind_name(badge_input_kind_t k)
{
    static const char *names[] = { "unknown", "empty", "json", "jws", "png",
                                   "svg", "url" };

    return (size_t) k < sizeof(names) / sizeof(names[0]) ? names[k]
                                                         : "unknown";
}
