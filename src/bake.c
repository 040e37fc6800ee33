/* memmem() is a GNU extension; nginx builds the core without -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/*
 * bake.c: put a credential into a PNG or SVG badge image (OB 2.0 Baking,
 * OB 3.0 "Baked Badges"), and prove the result with baked.c's extractor.
 */
#include "bake.h"

#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zlib.h>

#include "b64.h"
#include "detect.h"
#include "json.h"

static const unsigned char badge_png_sig[8] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

static uint32_t
badge_bake_be32(const unsigned char *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | p[3];
}

static void
badge_bake_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char) (v >> 24);
    p[1] = (unsigned char) (v >> 16);
    p[2] = (unsigned char) (v >> 8);
    p[3] = (unsigned char) v;
}

/* The payload trimmed, checked (JSON object, JWS, or an OB 2.0 URL) and
 * classified. */
static int
badge_bake_payload(badge_arena_t *a, const char **payload, size_t *plen,
    badge_baked_version_t version, badge_input_kind_t *kind,
    badge_err_t *err)
{
    const unsigned char *p = (const unsigned char *) *payload;
    size_t               n = *plen;
    json_t              *j;

    (void) a;
    badge_trim(&p, &n);
    if (n == 0 || n > BADGE_BAKED_MAX_TEXT || memchr(p, '\0', n) != NULL) {
        badge_err_set(err, "bake_payload_invalid", "the credential is "
            "empty, binary or larger than %d bytes", BADGE_BAKED_MAX_TEXT);
        return -1;
    }
    *kind = badge_detect_input(p, n);
    switch (*kind) {
    case BADGE_INPUT_JSON:
        j = badge_json_parse((const char *) p, n, err);
        if (j == NULL || !json_is_object(j)) {
            json_decref(j);
            badge_err_set(err, "bake_payload_invalid", "the credential is "
                "not a JSON object");
            return -1;
        }
        json_decref(j);
        break;
    case BADGE_INPUT_JWS:
        break;
    case BADGE_INPUT_URL:
        if (version == BADGE_BAKED_OB3) {
            badge_err_set(err, "bake_payload_invalid", "an Open Badges 3.0 "
                "image carries the credential itself, not a URL");
            return -1;
        }
        break;
    default:
        badge_err_set(err, "bake_payload_invalid", "the credential must be "
            "JSON, a JWS/JWT or (OB 2.0) the assertion's URL");
        return -1;
    }
    *payload = (const char *) p;
    *plen = n;
    return 0;
}

static int
badge_bake_is_ob2_json(const json_t *j)
{
    const json_t *ctx = json_object_get(j, "@context");

    return badge_json_has_string(ctx, "https://w3id.org/openbadges/v2");
}

badge_baked_version_t
badge_bake_guess_version(badge_arena_t *a, const char *payload, size_t len)
{
    const unsigned char *p = (const unsigned char *) payload, *dec;
    const char          *s, *dot1, *dot2;
    size_t               n = len, dlen;
    badge_err_t          err;
    json_t              *j = NULL;
    int                  ob2 = 0;

    badge_trim(&p, &n);
    switch (badge_detect_input(p, n)) {
    case BADGE_INPUT_URL:
        return BADGE_BAKED_OB2;
    case BADGE_INPUT_JSON:
        j = badge_json_parse((const char *) p, n, &err);
        break;
    case BADGE_INPUT_JWS:
        /* an OB 2.0 signed assertion: the payload is OB 2.0 JSON */
        s = (const char *) p;
        dot1 = memchr(s, '.', n);
        dot2 = dot1 != NULL ? memchr(dot1 + 1, '.', n - (size_t) (dot1 - s)
                                                    - 1)
                            : NULL;
        if (dot2 == NULL) {
            break;
        }
        dec = badge_b64url_decode_arena(a, dot1 + 1,
                                        (size_t) (dot2 - dot1 - 1), &dlen);
        if (dec != NULL) {
            j = badge_json_parse((const char *) dec, dlen, &err);
        }
        break;
    default:
        break;
    }
    ob2 = j != NULL && badge_bake_is_ob2_json(j);
    json_decref(j);
    return ob2 ? BADGE_BAKED_OB2 : BADGE_BAKED_OB3;
}

/* Read back what we baked: the extractor must find exactly the payload. */
static int
badge_bake_check(badge_arena_t *a, const unsigned char *img, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    badge_err_t *err)
{
    badge_baked_t b;
    badge_err_t   e;

    badge_err_clear(&e);
    if (badge_baked_extract(a, img, len, &b, &e) != 0) {
        badge_err_set(err, "bake_check_failed", "the baked image does not "
            "read back: %s", e.message);
        return -1;
    }
    if (b.version != version || b.len != plen
        || memcmp(b.payload, payload, plen) != 0)
    {
        badge_err_set(err, "bake_check_failed", "the baked image reads back "
            "a different credential");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* PNG                                                                  */

/* 1 if a chunk (type, data, n) carries a credential. */
static int
badge_bake_png_is_badge(const unsigned char *type, const unsigned char *d,
    size_t n)
{
    const unsigned char *nul = memchr(d, '\0', n < 80 ? n : 80);
    size_t               k;

    if (nul == NULL) {
        return 0;
    }
    k = (size_t) (nul - d);
    if (memcmp(type, "iTXt", 4) == 0) {
        return (k == 10 && memcmp(d, "openbadges", 10) == 0)
               || (k == 19 && memcmp(d, "openbadgecredential", 19) == 0);
    }
    if (memcmp(type, "tEXt", 4) == 0) {
        return k == 10 && memcmp(d, "openbadges", 10) == 0;
    }
    return 0;
}

int
badge_bake_png(badge_arena_t *a, const unsigned char *png, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err)
{
    badge_input_kind_t   kind;
    const unsigned char *type, *data;
    const char          *kw;
    unsigned char       *o, *q;
    size_t               off = 8, w = 8, chunks = 0, kwlen, dlen;
    uint32_t             n;
    int                  i;

    if (len < 8 || memcmp(png, badge_png_sig, 8) != 0) {
        badge_err_set(err, "bake_not_image", "not a PNG image");
        return -1;
    }
    if (len > BADGE_BAKED_MAX_IMAGE) {
        badge_err_set(err, "bake_too_large", "the image is larger than %d "
            "bytes", BADGE_BAKED_MAX_IMAGE);
        return -1;
    }
    if (version == 0) {
        version = badge_bake_guess_version(a, payload, plen);
    }
    if (badge_bake_payload(a, &payload, &plen, version, &kind, err) != 0) {
        return -1;
    }
    kw = version == BADGE_BAKED_OB2 ? "openbadges" : "openbadgecredential";
    kwlen = strlen(kw);
    dlen = kwlen + 5 + plen;    /* keyword NUL flag method lang NUL tr NUL */
    o = badge_arena_alloc(a, len + dlen + 12);
    if (o == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    memcpy(o, png, 8);
    for ( ;; ) {
        if (len - off < 12) {
            badge_err_set(err, "bake_png_invalid", "the PNG ends before its "
                "IEND chunk");
            return -1;
        }
        n = badge_bake_be32(png + off);
        type = png + off + 4;
        data = png + off + 8;
        if (n > 0x7fffffffU || n > len - off - 12) {
            badge_err_set(err, "bake_png_invalid", "a PNG chunk is "
                "truncated");
            return -1;
        }
        for (i = 0; i < 4; i++) {
            if (!((type[i] >= 'A' && type[i] <= 'Z')
                  || (type[i] >= 'a' && type[i] <= 'z')))
            {
                badge_err_set(err, "bake_png_invalid", "a PNG chunk has an "
                    "invalid type");
                return -1;
            }
        }
        if (crc32(0L, type, (uInt) n + 4) != badge_bake_be32(data + n)) {
            badge_err_set(err, "bake_png_invalid", "the PNG chunk %.4s has a "
                "bad CRC", (const char *) type);
            return -1;
        }
        if (++chunks > BADGE_BAKED_MAX_CHUNKS
            || (chunks == 1) != (memcmp(type, "IHDR", 4) == 0))
        {
            badge_err_set(err, "bake_png_invalid", "the PNG's chunks are "
                "out of order");
            return -1;
        }
        if (memcmp(type, "IEND", 4) == 0) {
            /* ours goes last before IEND, as the baking specs say */
            q = o + w;
            badge_bake_put32(q, (uint32_t) dlen);
            memcpy(q + 4, "iTXt", 4);
            memcpy(q + 8, kw, kwlen);
            memset(q + 8 + kwlen, 0, 5);   /* NUL, uncompressed, method 0,
                                              no language, no translation */
            memcpy(q + 8 + kwlen + 5, payload, plen);
            badge_bake_put32(q + 8 + dlen,
                             (uint32_t) crc32(0L, q + 4, (uInt) dlen + 4));
            w += dlen + 12;
            memcpy(o + w, png + off, 12);
            w += 12;
            break;      /* whatever follows IEND is not part of the PNG */
        }
        if (!badge_bake_png_is_badge(type, data, n)) {
            memcpy(o + w, png + off, (size_t) n + 12);
            w += (size_t) n + 12;
        }
        off += (size_t) n + 12;
    }
    if (badge_bake_check(a, o, w, payload, plen, version, err) != 0) {
        return -1;
    }
    *out = o;
    *out_len = w;
    return 0;
}

/* ------------------------------------------------------------------ */
/* SVG                                                                  */

#define BADGE_BAKE_SVG_MAX_DEPTH  256

/* As baked.c recognizes them. */
static int
badge_bake_svg_is_badge(const xmlNode *node)
{
    const char *name = (const char *) node->name, *href, *prefix;

    if (node->ns != NULL) {
        href = (const char *) node->ns->href;
        prefix = (const char *) node->ns->prefix;
        if ((href == NULL
             || (strcmp(href, "http://openbadges.org") != 0
                 && strcmp(href, "https://openbadges.org") != 0
                 && strncmp(href, "https://purl.imsglobal.org/ob/", 30) != 0))
            && (prefix == NULL || strcmp(prefix, "openbadges") != 0))
        {
            return 0;
        }
    } else if (strncmp(name, "openbadges:", 11) == 0) {
        name += 11;
    } else {
        return 0;
    }
    return strcmp(name, "assertion") == 0 || strcmp(name, "credential") == 0;
}

/* Unlink and free every credential element under node. */
static int
badge_bake_svg_strip(xmlNode *node, int depth)
{
    xmlNode *c, *next;

    if (depth > BADGE_BAKE_SVG_MAX_DEPTH) {
        return -1;
    }
    for (c = node; c != NULL; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (badge_bake_svg_is_badge(c)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        if (badge_bake_svg_strip(c->children, depth + 1) != 0) {
            return -1;
        }
    }
    return 0;
}

static const unsigned char *
badge_bake_memmem(const unsigned char *h, size_t hn, const char *n,
    size_t nn)
{
    size_t i;

    for (i = 0; hn >= nn && i <= hn - nn; i++) {
        if (memcmp(h + i, n, nn) == 0) {
            return h + i;
        }
    }
    return NULL;
}

int
badge_bake_svg(badge_arena_t *a, const unsigned char *svg, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err)
{
    badge_input_kind_t  kind;
    const char         *href, *verify = NULL;
    xmlDoc             *doc;
    xmlNode            *root, *el, *txt;
    xmlNs              *ns;
    xmlChar            *buf = NULL;
    json_t             *j = NULL;
    char               *text;
    int                 opts, size = 0, rc = -1;

    if (len > BADGE_BAKED_MAX_IMAGE || len > INT32_MAX) {
        badge_err_set(err, "bake_too_large", "the image is larger than %d "
            "bytes", BADGE_BAKED_MAX_IMAGE);
        return -1;
    }
    if (memchr(svg, '\0', len) != NULL) {
        badge_err_set(err, "bake_svg_invalid", "the SVG is not UTF-8 text");
        return -1;
    }
    if (badge_bake_memmem(svg, len, "<!ENTITY", 8) != NULL) {
        badge_err_set(err, "bake_svg_entities", "the SVG declares XML "
            "entities; refused (verifiers refuse such images)");
        return -1;
    }
    if (version == 0) {
        version = badge_bake_guess_version(a, payload, plen);
    }
    if (badge_bake_payload(a, &payload, &plen, version, &kind, err) != 0) {
        return -1;
    }
    text = badge_arena_strndup(a, payload, plen);
    if (text == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    xmlInitParser();
    /* no network, no DTD loading, no entity substitution */
    opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
#ifdef XML_PARSE_NO_XXE
    opts |= XML_PARSE_NO_XXE;
#endif
    doc = xmlReadMemory((const char *) svg, (int) len, NULL, "UTF-8", opts);
    if (doc == NULL) {
        badge_err_set(err, "bake_svg_invalid", "the SVG is not well-formed "
            "XML");
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || strcmp((const char *) root->name, "svg") != 0) {
        badge_err_set(err, "bake_not_image", "the XML is not an SVG image");
        goto done;
    }
    if (badge_bake_svg_strip(root->children, 0) != 0) {
        badge_err_set(err, "bake_svg_invalid", "the SVG is nested too "
            "deeply");
        goto done;
    }
    href = version == BADGE_BAKED_OB2 ? BADGE_BAKE_NS_OB2 : BADGE_BAKE_NS_OB3;
    el = xmlNewDocNode(doc, NULL,
                       BAD_CAST (version == BADGE_BAKED_OB2 ? "assertion"
                                                            : "credential"),
                       NULL);
    if (el == NULL) {
        goto oom;
    }
    ns = xmlSearchNs(doc, root, BAD_CAST "openbadges");
    if (ns == NULL) {
        ns = xmlNewNs(root, BAD_CAST href, BAD_CAST "openbadges");
    } else if (ns->href == NULL || strcmp((const char *) ns->href, href) != 0)
    {
        /* the prefix means the other version here: redeclare it locally */
        ns = xmlNewNs(el, BAD_CAST href, BAD_CAST "openbadges");
    }
    if (ns == NULL) {
        xmlFreeNode(el);
        goto oom;
    }
    xmlSetNs(el, ns);
    if (version == BADGE_BAKED_OB2) {
        /* verify: the hosted URL, or the signed assertion itself; the
         * JSON of a hosted assertion also goes in the element */
        if (kind == BADGE_INPUT_JSON) {
            j = badge_json_parse(text, plen, err);
            verify = badge_json_str(j, "id");
        } else {
            verify = text;
        }
        if (verify != NULL
            && xmlNewProp(el, BAD_CAST "verify", BAD_CAST verify) == NULL)
        {
            xmlFreeNode(el);
            goto oom;
        }
    }
    if (version == BADGE_BAKED_OB3 || kind == BADGE_INPUT_JSON) {
        /* libxml2 splits a "]]>" in the text over two CDATA sections */
        txt = xmlNewCDataBlock(doc, BAD_CAST text, (int) plen);
        if (txt == NULL || xmlAddChild(el, txt) == NULL) {
            xmlFreeNode(txt);
            xmlFreeNode(el);
            goto oom;
        }
    }
    if (root->children != NULL) {
        if (xmlAddPrevSibling(root->children, el) == NULL) {
            xmlFreeNode(el);
            goto oom;
        }
    } else if (xmlAddChild(root, el) == NULL) {
        xmlFreeNode(el);
        goto oom;
    }
    /* a line break after it, for whoever reads the file */
    txt = xmlNewDocText(doc, BAD_CAST "\n");
    if (txt != NULL && xmlAddNextSibling(el, txt) == NULL) {
        xmlFreeNode(txt);
    }
    xmlDocDumpMemoryEnc(doc, &buf, &size, "UTF-8");
    if (buf == NULL || size <= 0) {
        goto oom;
    }
    *out = badge_arena_memdup(a, buf, (size_t) size);
    if (*out == NULL) {
        goto oom;
    }
    *out_len = (size_t) size;
    rc = badge_bake_check(a, *out, *out_len, text, plen, version, err);
    goto done;

oom:
    badge_err_set(err, "out_of_memory", "out of memory");

done:
    json_decref(j);
    xmlFree(buf);
    xmlFreeDoc(doc);
    return rc;
}

int
badge_bake(badge_arena_t *a, const unsigned char *image, size_t len,
    const char *payload, size_t plen, badge_baked_version_t version,
    unsigned char **out, size_t *out_len, badge_err_t *err)
{
    switch (badge_detect_input(image, len)) {
    case BADGE_INPUT_PNG:
        return badge_bake_png(a, image, len, payload, plen, version, out,
                              out_len, err);
    case BADGE_INPUT_SVG:
        return badge_bake_svg(a, image, len, payload, plen, version, out,
                              out_len, err);
    default:
        badge_err_set(err, "bake_not_image", "the image is not a PNG or an "
            "SVG");
        return -1;
    }
}
