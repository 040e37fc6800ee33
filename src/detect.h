/*
 * detect.h: what kind of input we were handed.  Looks at bytes only.
 */
#ifndef BADGE_DETECT_H
#define BADGE_DETECT_H

#include <stddef.h>

typedef enum {
    BADGE_INPUT_UNKNOWN = 0,
    BADGE_INPUT_EMPTY,
    BADGE_INPUT_JSON,       /* starts with '{' after white space */
    BADGE_INPUT_JWS,        /* compact JWS: three base64url parts */
    BADGE_INPUT_PNG,
    BADGE_INPUT_SVG,
    BADGE_INPUT_URL         /* a single http(s) URL */
} badge_input_kind_t;

badge_input_kind_t badge_detect_input(const unsigned char *p, size_t len);
const char *badge_input_kind_name(badge_input_kind_t k);
/* Strip leading/trailing ASCII white space (pasted tokens). */
void badge_trim(const unsigned char **p, size_t *len);

#endif
