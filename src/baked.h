/*
 * baked.h: credentials baked into badge images.  Finds the one credential
 * a PNG (iTXt "openbadges" / "openbadgecredential", legacy tEXt
 * "openbadges") or an SVG (<openbadges:assertion>, <openbadges:credential>)
 * carries, and says what it is: JSON, a compact JWS/JWT, or a URL.
 *
 * Hostile input: PNG chunks are walked strictly (lengths, CRCs, order),
 * compressed text is inflated under a hard output bound, SVG is parsed by
 * libxml2 without network, DTD loading or entity expansion, and any
 * document declaring entities is refused before it is parsed.
 *
 * Layer: above encodings (arena, error, detect); below the formats.
 */
#ifndef BADGE_BAKED_H
#define BADGE_BAKED_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

/* Largest image accepted (the pipeline's own input limit is lower). */
#define BADGE_BAKED_MAX_IMAGE   (16 * 1024 * 1024)
/* Largest baked text, after decompression. */
#define BADGE_BAKED_MAX_TEXT    (1024 * 1024)
/* Most PNG chunks walked (every chunk is at least 12 bytes anyway). */
#define BADGE_BAKED_MAX_CHUNKS  100000

typedef enum {
    BADGE_BAKED_JSON = 1,
    BADGE_BAKED_JWS,           /* compact JWS or JWT */
    BADGE_BAKED_URL
} badge_baked_kind_t;

typedef enum {
    BADGE_BAKED_OB2 = 2,       /* "openbadges", <openbadges:assertion> */
    BADGE_BAKED_OB3 = 3        /* "openbadgecredential", <...:credential> */
} badge_baked_version_t;

typedef struct {
    badge_baked_kind_t     kind;
    badge_baked_version_t  version;   /* what the keyword/element said */
    const char            *container; /* "png" or "svg" */
    const char            *where;     /* e.g. "iTXt openbadgecredential" */
    const char            *payload;   /* NUL-terminated, trimmed, arena */
    size_t                 len;
} badge_baked_t;

/*
 * Extract from a PNG or SVG image.  Returns 0 and fills out, or -1 with
 * err set.  Codes: baked_not_image, baked_too_large, baked_png_truncated,
 * baked_png_bad_crc, baked_png_malformed, baked_png_chunk_too_large,
 * baked_inflate_failed, baked_text_too_large, baked_svg_entities,
 * baked_svg_invalid, baked_none, baked_ambiguous, baked_payload_invalid,
 * out_of_memory.
 */
int badge_baked_extract(badge_arena_t *a, const unsigned char *p,
    size_t len, badge_baked_t *out, badge_err_t *err);
int badge_baked_extract_png(badge_arena_t *a, const unsigned char *p,
    size_t len, badge_baked_t *out, badge_err_t *err);
int badge_baked_extract_svg(badge_arena_t *a, const unsigned char *p,
    size_t len, badge_baked_t *out, badge_err_t *err);

const char *badge_baked_kind_name(badge_baked_kind_t k);

#endif
