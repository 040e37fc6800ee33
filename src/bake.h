/*
 * bake.h: baking a credential into a badge image (the issuer's side of
 * baked.h):
 *
 *   PNG  an uncompressed iTXt chunk, keyword "openbadgecredential" (OB 3.0)
 *        or "openbadges" (OB 2.0), inserted before IEND with its CRC; any
 *        chunk already carrying a credential (iTXt of either keyword, or a
 *        legacy tEXt "openbadges") is dropped first, so the image carries
 *        exactly one.
 *   SVG  xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" (OB 3.0) or
 *        "http://openbadges.org" (OB 2.0) on the root, and as its first
 *        child <openbadges:credential><![CDATA[...]]> (OB 3.0) or
 *        <openbadges:assertion verify="..."> (OB 2.0: verify is the URL,
 *        or the JWS itself; JSON also goes in CDATA).  Existing credential
 *        elements are removed.  libxml2 parses without network, DTD
 *        loading or entity substitution; images declaring entities are
 *        refused, as the extractor refuses them.
 *
 * Every result is read back with badge_baked_extract() before it is
 * returned, so what we bake is what our verifier finds.
 *
 * Layer: issuer side (top, next to issuer.h); uses baked.h.
 */
#ifndef BADGE_BAKE_H
#define BADGE_BAKE_H

#include <stddef.h>

#include "arena.h"
#include "baked.h"
#include "error.h"

/* OB 3.0 SVG namespace; OB 2.0 uses "http://openbadges.org". */
#define BADGE_BAKE_NS_OB3  "https://purl.imsglobal.org/ob/v3p0"
#define BADGE_BAKE_NS_OB2  "http://openbadges.org"

/*
 * The version a payload belongs to: OB 2.0 for an assertion URL, JSON
 * whose @context is the OB 2.0 context, or a JWS whose payload is such
 * JSON; OB 3.0 otherwise.
 */
badge_baked_version_t badge_bake_guess_version(badge_arena_t *a,
    const char *payload, size_t len);

/*
 * Bake payload (JSON, a compact JWS/JWT or, for OB 2.0, a URL; trimmed)
 * into image (PNG or SVG, by content).  version 0 = guess.  The new image
 * is in a.  0, or -1 with err: "bake_not_image", "bake_payload_invalid",
 * "bake_png_invalid", "bake_svg_invalid", "bake_svg_entities",
 * "bake_too_large", "bake_check_failed" (our extractor does not read back
 * the payload: a bug), "out_of_memory".
 */
int badge_bake(badge_arena_t *a, const unsigned char *image, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err);

int badge_bake_png(badge_arena_t *a, const unsigned char *png, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err);
int badge_bake_svg(badge_arena_t *a, const unsigned char *svg, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err);

#endif
