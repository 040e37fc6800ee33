/*
 * qr.c: QR code -> inline SVG.  One <path> with a horizontal run per
 * stretch of dark modules keeps the markup small (a typical page URL is a
 * version 4-6 symbol, about 2-4 KB of SVG).
 */
#include "qr.h"

#include <string.h>

#include <qrencode.h>

#include "template.h"

#define BADGE_QR_QUIET  4

char *
badge_qr_svg(badge_arena_t *a, const char *text, const char *label)
{
    QRcode      *qr;
    badge_buf_t  b;
    int          x, y, run, w, size;

    if (text == NULL || text[0] == '\0') {
        return NULL;
    }
    qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL) {
        return NULL;
    }
    w = qr->width;
    size = w + 2 * BADGE_QR_QUIET;
    badge_buf_init(&b, a, 4096);
    badge_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "class=\"qr\" width=\"176\" height=\"176\" viewBox=\"0 0 %d %d\" "
        "role=\"img\" "
        "shape-rendering=\"crispEdges\"", size, size);
    if (label != NULL) {
        badge_buf_puts(&b, " aria-label=\"");
        badge_tpl_escape(&b, label, strlen(label));
        badge_buf_puts(&b, "\"><title>");
        badge_tpl_escape(&b, label, strlen(label));
        badge_buf_puts(&b, "</title>");
    } else {
        badge_buf_puts(&b, ">");
    }
    badge_buf_printf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
        "<path fill=\"#000\" d=\"", size, size);
    for (y = 0; y < w; y++) {
        for (x = 0; x < w; x += run > 0 ? run : 1) {
            run = 0;
            /* bit 0 of each byte: 1 = dark module */
            while (x + run < w && (qr->data[y * w + x + run] & 1)) {
                run++;
            }
            if (run > 0) {
                badge_buf_printf(&b, "M%d %dh%dv1h-%dz",
                    x + BADGE_QR_QUIET, y + BADGE_QR_QUIET, run, run);
            }
        }
    }
    badge_buf_puts(&b, "\"/></svg>");
    QRcode_free(qr);
    return badge_buf_cstr(&b);
}
