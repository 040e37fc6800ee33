/* memmem() is a GNU extension; nginx builds the core without -D_GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/*
 * baked.c: extracting the credential from a baked PNG or SVG badge.
 *
 * PNG (Open Badges 2.0 baking, OB 3.0 section "Baked Badges"): an iTXt
 * chunk with keyword "openbadges" (OB 2.0: JSON, a JWS or a URL) or
 * "openbadgecredential" (OB 3.0: JSON or a JWT), possibly zlib-compressed;
 * a legacy tEXt "openbadges" chunk holds an assertion URL.
 *
 * SVG: <openbadges:assertion verify="..."> (OB 2.0) or
 * <openbadges:credential> (OB 3.0), the credential in the element's text
 * (usually CDATA) or in its verify attribute.
 */
#include "baked.h"

#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zlib.h>

#include "detect.h"

#define BADGE_SVG_MAX_DEPTH  256

static const unsigned char badge_png_sig[8] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

const char *
badge_baked_kind_name(badge_baked_kind_t k)
{
    switch (k) {
    case BADGE_BAKED_JSON:
        return "json";
    case BADGE_BAKED_JWS:
        return "jws";
    case BADGE_BAKED_URL:
        return "url";
    default:
        return "unknown";
    }
}

static uint32_t
badge_be32(const unsigned char *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/*
 * Decide what the baked text is.  Only the three forms a baked badge may
 * carry are accepted; anything else (another image, plain text) is an
 * error rather than a guess.
 */
static int
badge_baked_classify(badge_arena_t *a, const unsigned char *text, size_t n,
    badge_baked_t *out, badge_err_t *err)
{
    badge_input_kind_t kind;

    if (memchr(text, '\0', n) != NULL) {
        badge_err_set(err, "baked_payload_invalid",
            "the baked text in %s contains a NUL byte", out->where);
        return -1;
    }
    if (n >= 3 && text[0] == 0xef && text[1] == 0xbb && text[2] == 0xbf) {
        text += 3;
        n -= 3;
    }
    badge_trim(&text, &n);
    kind = n > 0 ? badge_detect_input(text, n) : BADGE_INPUT_EMPTY;
    switch (kind) {
    case BADGE_INPUT_JSON:
        out->kind = BADGE_BAKED_JSON;
        break;
    case BADGE_INPUT_JWS:
        out->kind = BADGE_BAKED_JWS;
        break;
    case BADGE_INPUT_URL:
        out->kind = BADGE_BAKED_URL;
        break;
    default:
        badge_err_set(err, "baked_payload_invalid",
            "the baked text in %s is not JSON, a JWS or a URL", out->where);
        return -1;
    }
    out->payload = badge_arena_strndup(a, (const char *) text, n);
    if (out->payload == NULL) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    out->len = n;
    return 0;
}

/* zlib-inflate an iTXt text; the output bound is what makes a
 * decompression bomb harmless. */
static int
badge_baked_inflate(badge_arena_t *a, const unsigned char *in, size_t n,
    const unsigned char **text, size_t *text_len, badge_err_t *err)
{
    z_stream       z;
    unsigned char  chunk[16384];
    badge_buf_t    b;
    size_t         got;
    int            rc;

    memset(&z, 0, sizeof(z));
    if (inflateInit(&z) != Z_OK) {
        badge_err_set(err, "out_of_memory", "out of memory (zlib)");
        return -1;
    }
    badge_buf_init(&b, a, 4096);
    z.next_in = (unsigned char *) in;
    z.avail_in = (uInt) n;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            badge_err_set(err, "baked_inflate_failed",
                "the compressed iTXt text is corrupt or truncated");
            return -1;
        }
        got = sizeof(chunk) - z.avail_out;
        if (b.len + got > BADGE_BAKED_MAX_TEXT) {
            inflateEnd(&z);
            badge_err_set(err, "baked_text_too_large",
                "the compressed iTXt text inflates to more than %d bytes",
                BADGE_BAKED_MAX_TEXT);
            return -1;
        }
        badge_buf_append(&b, chunk, got);
    } while (rc != Z_STREAM_END);
    rc = (int) z.avail_in;
    inflateEnd(&z);
    if (rc != 0) {
        badge_err_set(err, "baked_inflate_failed",
            "data follows the compressed iTXt text");
        return -1;
    }
    if (b.failed) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    *text = (const unsigned char *) (b.data != NULL ? b.data : "");
    *text_len = b.len;
    return 0;
}

/*
 * An iTXt chunk: keyword NUL, compression flag, compression method,
 * language tag NUL, translated keyword NUL, text.  Returns 1 if it holds a
 * badge (out filled), 0 if it is some other iTXt, -1 on error.
 */
static int
badge_baked_itxt(badge_arena_t *a, const unsigned char *d, size_t n,
    badge_baked_t *out, badge_err_t *err)
{
    const unsigned char *nul, *q, *end = d + n, *text;
    size_t               text_len;
    int                  flag, method;

    nul = memchr(d, '\0', n < 80 ? n : 80);
    if (nul == NULL || nul == d) {
        badge_err_set(err, "baked_png_malformed",
            "an iTXt chunk has no valid keyword");
        return -1;
    }
    if ((size_t) (nul - d) == 10 && memcmp(d, "openbadges", 10) == 0) {
        out->version = BADGE_BAKED_OB2;
        out->where = "iTXt openbadges";
    } else if ((size_t) (nul - d) == 19
               && memcmp(d, "openbadgecredential", 19) == 0)
    {
        out->version = BADGE_BAKED_OB3;
        out->where = "iTXt openbadgecredential";
    } else {
        return 0;
    }
    q = nul + 1;
    if (end - q < 2) {
        badge_err_set(err, "baked_png_malformed",
            "the %s chunk is truncated", out->where);
        return -1;
    }
    flag = q[0];
    method = q[1];
    if (flag > 1 || (flag == 1 && method != 0)) {
        badge_err_set(err, "baked_png_malformed",
            "the %s chunk has an unknown compression (flag %d, method %d)",
            out->where, flag, method);
        return -1;
    }
    q += 2;
    /* language tag, then translated keyword */
    nul = memchr(q, '\0', (size_t) (end - q));
    if (nul == NULL
        || (nul = memchr(nul + 1, '\0', (size_t) (end - nul - 1))) == NULL)
    {
        badge_err_set(err, "baked_png_malformed",
            "the %s chunk is truncated", out->where);
        return -1;
    }
    text = nul + 1;
    text_len = (size_t) (end - text);
    if (flag == 1) {
        if (badge_baked_inflate(a, text, text_len, &text, &text_len, err)
            != 0)
        {
            return -1;
        }
    } else if (text_len > BADGE_BAKED_MAX_TEXT) {
        badge_err_set(err, "baked_text_too_large",
            "the %s text is larger than %d bytes", out->where,
            BADGE_BAKED_MAX_TEXT);
        return -1;
    }
    return badge_baked_classify(a, text, text_len, out, err) == 0 ? 1 : -1;
}

/* Legacy (OB 1.0) baking: tEXt "openbadges" with the assertion URL. */
static int
badge_baked_text(badge_arena_t *a, const unsigned char *d, size_t n,
    badge_baked_t *out, badge_err_t *err)
{
    if (n < 11 || memcmp(d, "openbadges", 11) != 0) {   /* with its NUL */
        return 0;
    }
    out->version = BADGE_BAKED_OB2;
    out->where = "tEXt openbadges";
    if (n - 11 > BADGE_BAKED_MAX_TEXT) {
        badge_err_set(err, "baked_text_too_large",
            "the tEXt openbadges text is too large");
        return -1;
    }
    if (badge_baked_classify(a, d + 11, n - 11, out, err) != 0) {
        return -1;
    }
    if (out->kind != BADGE_BAKED_URL) {
        badge_err_set(err, "baked_payload_invalid",
            "a tEXt openbadges chunk must hold an assertion URL");
        return -1;
    }
    return 1;
}

int
badge_baked_extract_png(badge_arena_t *a, const unsigned char *p,
    size_t len, badge_baked_t *out, badge_err_t *err)
{
    badge_baked_t        cand;
    const unsigned char *type, *data;
    size_t               off = 8, chunks = 0;
    uint32_t             n;
    int                  found = 0, rc, i;

    memset(out, 0, sizeof(*out));
    if (len < 8 || memcmp(p, badge_png_sig, 8) != 0) {
        badge_err_set(err, "baked_not_image", "not a PNG image");
        return -1;
    }
    if (len > BADGE_BAKED_MAX_IMAGE) {
        badge_err_set(err, "baked_too_large",
            "the image is %zu bytes, more than %d", len,
            BADGE_BAKED_MAX_IMAGE);
        return -1;
    }
    for ( ;; ) {
        if (len - off < 12) {
            badge_err_set(err, "baked_png_truncated",
                "the PNG ends before its IEND chunk");
            return -1;
        }
        n = badge_be32(p + off);
        type = p + off + 4;
        data = p + off + 8;
        if (n > 0x7fffffffU) {
            /* the PNG specification's own bound on chunk lengths */
            badge_err_set(err, "baked_png_chunk_too_large",
                "a PNG chunk claims %u bytes", (unsigned) n);
            return -1;
        }
        if (n > len - off - 12) {
            badge_err_set(err, "baked_png_truncated",
                "a PNG chunk claims %u bytes but only %zu remain",
                (unsigned) n, len - off - 12);
            return -1;
        }
        for (i = 0; i < 4; i++) {
            if (!((type[i] >= 'A' && type[i] <= 'Z')
                  || (type[i] >= 'a' && type[i] <= 'z')))
            {
                badge_err_set(err, "baked_png_malformed",
                    "a PNG chunk has an invalid type");
                return -1;
            }
        }
        if (crc32(0L, type, (uInt) n + 4) != badge_be32(data + n)) {
            badge_err_set(err, "baked_png_bad_crc",
                "the PNG chunk %.4s has a bad CRC", (const char *) type);
            return -1;
        }
        if (++chunks > BADGE_BAKED_MAX_CHUNKS) {
            badge_err_set(err, "baked_png_malformed",
                "the PNG has more than %d chunks", BADGE_BAKED_MAX_CHUNKS);
            return -1;
        }
        if ((chunks == 1) != (memcmp(type, "IHDR", 4) == 0)) {
            badge_err_set(err, "baked_png_malformed",
                "IHDR must be the first PNG chunk, and only that");
            return -1;
        }
        memset(&cand, 0, sizeof(cand));
        cand.container = "png";
        rc = 0;
        if (memcmp(type, "iTXt", 4) == 0) {
            rc = badge_baked_itxt(a, data, n, &cand, err);
        } else if (memcmp(type, "tEXt", 4) == 0) {
            rc = badge_baked_text(a, data, n, &cand, err);
        }
        if (rc < 0) {
            return -1;
        }
        if (rc > 0) {
            if (found) {
                /* two credentials: which one the holder meant is not ours
                 * to guess, and a second one may have been slipped in */
                badge_err_set(err, "baked_ambiguous",
                    "the PNG carries more than one credential (%s, %s)",
                    out->where, cand.where);
                return -1;
            }
            *out = cand;
            found = 1;
        }
        off += (size_t) n + 12;
        if (memcmp(type, "IEND", 4) == 0) {
            break;
        }
    }
    if (!found) {
        badge_err_set(err, "baked_none",
            "the PNG image carries no Open Badges credential");
        return -1;
    }
    return 0;
}

static int
badge_svg_is_ob_element(const xmlNode *node, badge_baked_version_t *v)
{
    const char *name = (const char *) node->name;
    const char *href, *prefix;

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
        /* undeclared prefix: libxml2 keeps the qualified name */
        name += 11;
    } else {
        return 0;
    }
    if (strcmp(name, "assertion") == 0) {
        *v = BADGE_BAKED_OB2;
        return 1;
    }
    if (strcmp(name, "credential") == 0) {
        *v = BADGE_BAKED_OB3;
        return 1;
    }
    return 0;
}

static int
badge_svg_find(xmlNode *node, int depth, xmlNode **found,
    badge_baked_version_t *version, badge_err_t *err)
{
    badge_baked_version_t v;
    xmlNode              *c;

    if (depth > BADGE_SVG_MAX_DEPTH) {
        badge_err_set(err, "baked_svg_invalid", "the SVG is nested too "
            "deeply");
        return -1;
    }
    for (c = node; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (badge_svg_is_ob_element(c, &v)) {
            if (*found != NULL) {
                badge_err_set(err, "baked_ambiguous",
                    "the SVG carries more than one credential element");
                return -1;
            }
            *found = c;
            *version = v;
            continue;
        }
        if (badge_svg_find(c->children, depth + 1, found, version, err)
            != 0)
        {
            return -1;
        }
    }
    return 0;
}

static const unsigned char *
badge_memmem(const unsigned char *h, size_t hl, const char *n, size_t nl)
{
    const unsigned char *p = h, *end = h + hl;

    while ((size_t) (end - p) >= nl) {
        p = memchr(p, n[0], (size_t) (end - p) - nl + 1);
        if (p == NULL) {
            return NULL;
        }
        if (memcmp(p, n, nl) == 0) {
            return p;
        }
        p++;
    }
    return NULL;
}

/* Move a libxml2 string into the arena.  -1 when out of memory. */
static int
badge_xml_take(badge_arena_t *a, xmlChar *s, char **copy, size_t *len)
{
    *copy = NULL;
    *len = 0;
    if (s == NULL) {
        return 0;
    }
    *len = strlen((const char *) s);
    *copy = badge_arena_strndup(a, (const char *) s, *len);
    xmlFree(s);
    return *copy != NULL ? 0 : -1;
}

static int
badge_is_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

int
badge_baked_extract_svg(badge_arena_t *a, const unsigned char *p,
    size_t len, badge_baked_t *out, badge_err_t *err)
{
    xmlDocPtr              doc;
    xmlNode               *root, *el = NULL;
    badge_baked_version_t  version = BADGE_BAKED_OB2;
    badge_baked_t          tmp;
    char                  *verify, *content;
    size_t                 verify_len, content_len;
    int                    opts, rc;

    memset(out, 0, sizeof(*out));
    if (len > BADGE_BAKED_MAX_IMAGE || len > INT32_MAX) {
        badge_err_set(err, "baked_too_large",
            "the image is %zu bytes, more than %d", len,
            BADGE_BAKED_MAX_IMAGE);
        return -1;
    }
    /* The entity check below reads bytes, so the bytes must be UTF-8:
     * refuse UTF-16 (NUL bytes) and force UTF-8 on the parser whatever the
     * XML declaration says. */
    if (memchr(p, '\0', len) != NULL) {
        badge_err_set(err, "baked_svg_invalid",
            "the SVG is not UTF-8 text");
        return -1;
    }
    if (badge_memmem(p, len, "<!ENTITY", 8) != NULL) {
        /* entity declarations serve only XXE and "billion laughs" in a
         * badge image: refuse them before the parser sees them */
        badge_err_set(err, "baked_svg_entities",
            "the SVG declares XML entities; refused");
        return -1;
    }
    xmlInitParser();
    opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
#ifdef XML_PARSE_NO_XXE
    opts |= XML_PARSE_NO_XXE;
#endif
    doc = xmlReadMemory((const char *) p, (int) len, NULL, "UTF-8", opts);
    if (doc == NULL) {
        badge_err_set(err, "baked_svg_invalid", "the SVG is not well-formed "
            "XML");
        return -1;
    }
    if (doc->intSubset != NULL
        && (doc->intSubset->entities != NULL
            || doc->intSubset->pentities != NULL))
    {
        xmlFreeDoc(doc);
        badge_err_set(err, "baked_svg_entities",
            "the SVG declares XML entities; refused");
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL || strcmp((const char *) root->name, "svg") != 0) {
        xmlFreeDoc(doc);
        badge_err_set(err, "baked_not_image", "the XML is not an SVG image");
        return -1;
    }
    if (badge_svg_find(root, 0, &el, &version, err) != 0) {
        xmlFreeDoc(doc);
        return -1;
    }
    if (el == NULL) {
        xmlFreeDoc(doc);
        badge_err_set(err, "baked_none",
            "the SVG image carries no Open Badges credential");
        return -1;
    }
    rc = badge_xml_take(a, xmlGetNoNsProp(el, BAD_CAST "verify"), &verify,
                        &verify_len);
    rc |= badge_xml_take(a, xmlNodeGetContent(el), &content, &content_len);
    xmlFreeDoc(doc);
    if (rc != 0) {
        badge_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }

    out->container = "svg";
    out->version = version;
    out->where = version == BADGE_BAKED_OB2 ? "<openbadges:assertion>"
                                            : "<openbadges:credential>";
    /* A JWS in verify is the signed credential (the text, if any, is an
     * unsigned copy); otherwise the text; otherwise verify as a URL. */
    if (verify != NULL && !badge_is_blank(verify, verify_len)) {
        tmp = *out;
        badge_err_clear(err);
        rc = badge_baked_classify(a, (const unsigned char *) verify,
                                  verify_len, &tmp, err);
        if (rc == 0 && tmp.kind == BADGE_BAKED_JWS) {
            *out = tmp;
            return 0;
        }
    }
    if (content != NULL && !badge_is_blank(content, content_len)) {
        return badge_baked_classify(a, (const unsigned char *) content,
                                    content_len, out, err);
    }
    if (verify != NULL && !badge_is_blank(verify, verify_len)) {
        return badge_baked_classify(a, (const unsigned char *) verify,
                                    verify_len, out, err);
    }
    badge_err_set(err, "baked_payload_invalid",
        "the %s element is empty", out->where);
    return -1;
}

int
badge_baked_extract(badge_arena_t *a, const unsigned char *p, size_t len,
    badge_baked_t *out, badge_err_t *err)
{
    switch (badge_detect_input(p, len)) {
    case BADGE_INPUT_PNG:
        return badge_baked_extract_png(a, p, len, out, err);
    case BADGE_INPUT_SVG:
        return badge_baked_extract_svg(a, p, len, out, err);
    default:
        memset(out, 0, sizeof(*out));
        badge_err_set(err, "baked_not_image",
            "the input is not a PNG or SVG image");
        return -1;
    }
}
