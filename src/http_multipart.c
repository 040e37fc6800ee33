/*
 * http_multipart.c: the verify form's fields out of a request body, for the
 * nginx and the Apache glue alike (see http_glue.h): multipart/form-data
 * (RFC 7578; what a browser sends for a form with a file upload) and the
 * choice between the pasted text, the uploaded file and the URL.
 *
 * Bounded and strict: the boundary is 1..70 characters (RFC 2046), a
 * part's header block at most BADGE_HTTP_FORM_MAX_HEADER bytes, at most
 * BADGE_HTTP_FORM_MAX_PARTS parts; the closing delimiter must be there.
 * The fields point into the body: nothing is copied or decoded (a
 * multipart body is not %-encoded).  No I/O, no allocation.
 */
#include "http_glue.h"

#include <string.h>
#include <strings.h>

#define BADGE_HTTP_FORM_MAX_PARTS   16
#define BADGE_HTTP_FORM_MAX_HEADER  8192
#define BADGE_HTTP_BOUNDARY_MAX     70

/* The first occurrence of needle (n bytes) in hay[0..len), or NULL; plain
 * C (no memmem: the core builds without _GNU_SOURCE in nginx). */
static const char *
badge_mp_find(const char *hay, size_t len, const char *needle, size_t n)
{
    const char *p, *end;

    if (n == 0 || len < n) {
        return NULL;
    }
    end = hay + len - n + 1;
    for (p = hay; p < end; p++) {
        p = memchr(p, needle[0], (size_t) (end - p));
        if (p == NULL) {
            return NULL;
        }
        if (memcmp(p, needle, n) == 0) {
            return p;
        }
    }
    return NULL;
}

/* The boundary parameter of a multipart/form-data Content-Type, into b
 * ("--" + boundary); its length, or 0 if there is none or it is bad. */
static size_t
badge_mp_boundary(const char *ct, size_t len, char *b)
{
    size_t i, n;
    char   c;

    for (i = 0; i + 9 <= len; i++) {
        if (strncasecmp(ct + i, "boundary=", 9) == 0
            && (i == 0 || ct[i - 1] == ';' || ct[i - 1] == ' '
                || ct[i - 1] == '\t'))
        {
            break;
        }
    }
    if (i + 9 > len) {
        return 0;
    }
    i += 9;
    b[0] = '-';
    b[1] = '-';
    n = 0;
    if (i < len && ct[i] == '"') {
        for (i++; i < len && ct[i] != '"'; i++) {
            if (n == BADGE_HTTP_BOUNDARY_MAX) {
                return 0;
            }
            b[2 + n++] = ct[i];
        }
        if (i == len) {
            return 0;
        }
    } else {
        for (; i < len; i++) {
            c = ct[i];
            if (c == ';' || c == ' ' || c == '\t') {
                break;
            }
            if (n == BADGE_HTTP_BOUNDARY_MAX) {
                return 0;
            }
            b[2 + n++] = c;
        }
    }
    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        c = b[2 + i];
        if ((unsigned char) c < 0x20 || (unsigned char) c > 0x7e) {
            return 0;
        }
    }
    return n + 2;
}

/* In a part's header block h[0..n): the name="..." parameter of its
 * Content-Disposition, as (*name, *nlen); whether it has a filename. */
static int
badge_mp_disposition(const char *h, size_t n, const char **name,
    size_t *nlen, int *file)
{
    const char *line, *eol, *end = h + n, *p, *q;
    size_t      ll;

    *name = NULL;
    *nlen = 0;
    *file = 0;
    for (line = h; line < end; line = eol + 2) {
        eol = badge_mp_find(line, (size_t) (end - line), "\r\n", 2);
        if (eol == NULL) {
            eol = end;
        }
        ll = (size_t) (eol - line);
        if (ll < 20
            || strncasecmp(line, "content-disposition:", 20) != 0)
        {
            if (eol == end) {
                break;
            }
            continue;
        }
        for (p = line + 20; p < eol; p++) {
            if (*p != ';' && *p != ' ' && *p != '\t') {
                continue;
            }
            for (q = p; q < eol && (*q == ';' || *q == ' ' || *q == '\t');
                 q++)
            {
                /* void */
            }
            if ((size_t) (eol - q) >= 9
                && strncasecmp(q, "filename=", 9) == 0)
            {
                *file = 1;
                p = q + 8;
                continue;
            }
            if ((size_t) (eol - q) >= 5 && strncasecmp(q, "name=", 5) == 0
                && *name == NULL)
            {
                q += 5;
                if (q < eol && *q == '"') {
                    const char *close;

                    close = memchr(q + 1, '"', (size_t) (eol - q - 1));
                    if (close == NULL) {
                        return -1;
                    }
                    *name = q + 1;
                    *nlen = (size_t) (close - q - 1);
                    p = close;
                } else {
                    *name = q;
                    while (q < eol && *q != ';' && *q != ' ' && *q != '\t') {
                        q++;
                    }
                    *nlen = (size_t) (q - *name);
                    p = q - 1;
                }
            }
        }
        return *name != NULL ? 0 : -1;
    }
    return -1;
}

badge_http_err_t
badge_http_multipart(const char *ctype, size_t ctype_len, const char *body,
    size_t len, badge_http_form_t *form)
{
    char        delim[2 + 2 + BADGE_HTTP_BOUNDARY_MAX + 1];
    size_t      dlen, nlen, n, parts = 0;
    const char *p, *end = body + len, *hend, *next, *name;
    int         file;

    memset(form, 0, sizeof(*form));
    if (ctype == NULL) {
        return BADGE_HTTP_BAD_FORM;
    }
    /* "\r\n--boundary": delim + 2 is the first delimiter's form */
    delim[0] = '\r';
    delim[1] = '\n';
    dlen = badge_mp_boundary(ctype, ctype_len, delim + 2);
    if (dlen == 0) {
        return BADGE_HTTP_BAD_FORM;
    }
    dlen += 2;

    /* the first delimiter: at the start, or after a preamble */
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = body + dlen - 2;
    } else {
        p = badge_mp_find(body, len, delim, dlen);
        if (p == NULL) {
            return len == 0 ? BADGE_HTTP_EMPTY : BADGE_HTTP_BAD_FORM;
        }
        p += dlen;
    }

    for ( ;; ) {
        /* after a delimiter: "--" ends the body, else CRLF and a part */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            return BADGE_HTTP_OK;
        }
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            return BADGE_HTTP_BAD_FORM;
        }
        p += 2;
        if (++parts > BADGE_HTTP_FORM_MAX_PARTS) {
            return BADGE_HTTP_BAD_FORM;
        }

        /* headers, up to an empty line (a part may have none) */
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            hend = p;
        } else {
            n = (size_t) (end - p);
            if (n > BADGE_HTTP_FORM_MAX_HEADER) {
                n = BADGE_HTTP_FORM_MAX_HEADER;
            }
            hend = badge_mp_find(p, n, "\r\n\r\n", 4);
            if (hend == NULL) {
                return BADGE_HTTP_BAD_FORM;
            }
            hend += 2;
        }
        if (badge_mp_disposition(p, (size_t) (hend - p), &name, &nlen,
                                 &file) != 0)
        {
            return BADGE_HTTP_BAD_FORM;
        }
        p = hend + 2;

        /* the content, up to the next delimiter */
        next = badge_mp_find(p, (size_t) (end - p), delim, dlen);
        if (next == NULL) {
            return BADGE_HTTP_BAD_FORM;
        }

#define BADGE_MP_FIELD(n, f)                                                 \
        if (nlen == sizeof(n) - 1 && memcmp(name, n, nlen) == 0              \
            && form->f == NULL)                                              \
        {                                                                    \
            form->f = p;                                                     \
            form->f##_len = (size_t) (next - p);                             \
        }

        BADGE_MP_FIELD("credential", credential)
        else BADGE_MP_FIELD("file", file)
        else BADGE_MP_FIELD("url", url)
        else BADGE_MP_FIELD("lang", lang)

#undef BADGE_MP_FIELD

        (void) file;
        p = next + dlen;
    }
}

/* p[0..n) is only white space */
static int
badge_http_blank(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

/* Copy a URL without the white space around it, NUL-terminated. */
static const char *
badge_http_trim_copy(const char *p, size_t n, char *out)
{
    while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'
                     || p[n - 1] == '\r' || p[n - 1] == '\n'))
    {
        n--;
    }
    memmove(out, p, n);
    out[n] = '\0';
    return out;
}

badge_http_err_t
badge_http_extract_input(const char *ctype, size_t ctype_len,
    const char *body, size_t len, char *scratch, badge_http_input_t *in)
{
    badge_http_form_t form;
    badge_http_err_t  e;
    size_t            n;
    int               rc;

    memset(in, 0, sizeof(*in));

    if (badge_http_is_multipart(ctype, ctype_len)) {
        e = badge_http_multipart(ctype, ctype_len, body, len, &form);
        if (e != BADGE_HTTP_OK) {
            return e;
        }
        if (form.credential != NULL
            && !badge_http_blank(form.credential, form.credential_len))
        {
            in->data = form.credential;
            in->len = form.credential_len;
            return BADGE_HTTP_OK;
        }
        if (form.file != NULL && form.file_len > 0) {
            in->data = form.file;
            in->len = form.file_len;
            return BADGE_HTTP_OK;
        }
        if (form.url != NULL && !badge_http_blank(form.url, form.url_len)) {
            in->url = badge_http_trim_copy(form.url, form.url_len, scratch);
            return BADGE_HTTP_OK;
        }
        return form.credential || form.file || form.url
               ? BADGE_HTTP_EMPTY : BADGE_HTTP_NO_FIELD;
    }

    e = badge_http_extract(ctype, ctype_len, body, len, scratch, &in->data,
                           &in->len);
    if (e == BADGE_HTTP_OK
        && !(in->data == scratch && badge_http_blank(in->data, in->len)))
    {
        return e;
    }
    if (e != BADGE_HTTP_OK && e != BADGE_HTTP_NO_FIELD
        && e != BADGE_HTTP_EMPTY)
    {
        return e;
    }
    if (e == BADGE_HTTP_EMPTY && len == 0) {
        return e;
    }
    /* a form without a (non-empty) credential: its "url" field */
    rc = badge_http_form_field(body, len, "url", scratch, &n);
    if (rc == -2) {
        return BADGE_HTTP_BAD_FORM;
    }
    if (rc == 0 && !badge_http_blank(scratch, n)) {
        in->data = NULL;
        in->len = 0;
        in->url = badge_http_trim_copy(scratch, n, scratch);
        return BADGE_HTTP_OK;
    }
    in->data = NULL;
    in->len = 0;
    return e == BADGE_HTTP_OK ? BADGE_HTTP_EMPTY : e;
}

/* ------------------------------------------------------------------ */

/* The q of one media range's parameters p[0..n), in thousandths. */
static int
badge_http_q(const char *p, size_t n)
{
    size_t i;
    int    q = 1000, scale = 100;

    for (i = 0; i + 2 <= n; i++) {
        if ((p[i] == 'q' || p[i] == 'Q') && p[i + 1] == '='
            && (i == 0 || p[i - 1] == ';' || p[i - 1] == ' '))
        {
            i += 2;
            if (i < n && p[i] == '1') {
                return 1000;
            }
            q = 0;
            if (i < n && p[i] == '0') {
                i++;
            }
            if (i < n && p[i] == '.') {
                for (i++; i < n && p[i] >= '0' && p[i] <= '9' && scale > 0;
                     i++)
                {
                    q += (p[i] - '0') * scale;
                    scale /= 10;
                }
            }
            return q;
        }
    }
    return q;
}

int
badge_http_wants_html(const char *accept, size_t len)
{
    size_t i = 0, start, n, k;
    int    q, html_q = -1, json_q = -1, html_first = 0;

    if (accept == NULL) {
        return 0;
    }
    while (i < len) {
        while (i < len && (accept[i] == ' ' || accept[i] == ',')) {
            i++;
        }
        start = i;
        while (i < len && accept[i] != ',' && accept[i] != ';'
               && accept[i] != ' ')
        {
            i++;
        }
        n = i - start;
        for (k = i; k < len && accept[k] != ','; k++) {
            /* void */
        }
        q = badge_http_q(accept + i, k - i);
        if ((n == 9 && strncasecmp(accept + start, "text/html", 9) == 0)
            || (n == 21
                && strncasecmp(accept + start, "application/xhtml+xml", 21)
                   == 0))
        {
            if (q > html_q) {
                html_q = q;
                if (json_q < 0) {
                    html_first = 1;
                }
            }
        } else if (n > 4 && (strncasecmp(accept + start + n - 5, "/json", 5)
                             == 0
                             || strncasecmp(accept + start + n - 5, "+json",
                                            5) == 0))
        {
            if (q > json_q) {
                json_q = q;
            }
        }
        i = k;
    }
    if (html_q <= 0) {
        return 0;
    }
    return html_q > json_q || (html_q == json_q && html_first);
}
