/*
 * qr.h: a QR code of a URL as inline SVG (libqrencode), so that a badge
 * page carries its own 2D code (printed certificates, business cards)
 * without an external image.  Layer: beside the report, below page.c.
 */
#ifndef BADGE_QR_H
#define BADGE_QR_H

#include "arena.h"

/*
 * <svg ...><title>label</title><path .../></svg> for text (error
 * correction level M, 4-module quiet zone, one path of dark modules).
 * label is escaped.  NULL if text cannot be encoded (too long, empty) or
 * out of memory.
 */
char *badge_qr_svg(badge_arena_t *a, const char *text, const char *label);

#endif
