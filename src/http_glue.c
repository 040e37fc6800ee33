/*
 * http_glue.c: the request-body and error-answer rules shared by the nginx
 * and the Apache glue (see http_glue.h).  No I/O, no server headers.
 */
#include "http_glue.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
#include "report.h"
#include "session.h"

static const struct {
    int         status;
    const char *code;
    const char *message;
} badge_http_errs[BADGE_HTTP__COUNT] = {
    [BADGE_HTTP_OK] = { 200, "ok", "ok" },
    [BADGE_HTTP_METHOD] = { 405, "method_not_allowed",
        "use POST with the credential as the request body" },
    [BADGE_HTTP_MEDIA_TYPE] = { 415, "unsupported_media_type",
        "send the credential as application/json, application/jwt, "
        "text/plain, image/png, image/svg+xml, as the \"credential\" "
        "field of an application/x-www-form-urlencoded form, or as the "
        "\"credential\" or \"file\" field of a multipart/form-data form" },
    [BADGE_HTTP_EMPTY] = { 400, "input_empty",
        "nothing to verify: the request body is empty" },
    [BADGE_HTTP_TOO_LARGE] = { 413, "input_too_large",
        "the request body is larger than this server accepts" },
    [BADGE_HTTP_NO_FIELD] = { 400, "form_no_credential",
        "the form has no \"credential\" field" },
    [BADGE_HTTP_BAD_FORM] = { 400, "form_bad_encoding",
        "the form's encoding is broken (%-encoding, or multipart "
        "boundaries)" },
    [BADGE_HTTP_BAD_REQUEST] = { 400, "request_body_unreadable",
        "the request body could not be read" },
    [BADGE_HTTP_INTERNAL] = { 500, "internal_error",
        "the verification could not be carried out (out of memory)" },
    [BADGE_HTTP_NO_CREDENTIAL] = { 401, "no_credential",
        "no credential was presented" },
    [BADGE_HTTP_NO_INPUT] = { 400, "input_empty",
        "nothing to verify: POST a credential, or GET with "
        "?url=<credential URL>" },
};

int
badge_http_err_status(badge_http_err_t e)
{
    return (size_t) e < BADGE_HTTP__COUNT ? badge_http_errs[e].status : 500;
}

const char *
badge_http_err_code(badge_http_err_t e)
{
    return (size_t) e < BADGE_HTTP__COUNT ? badge_http_errs[e].code
                                          : "internal_error";
}

const char *
badge_http_err_message(badge_http_err_t e)
{
    return (size_t) e < BADGE_HTTP__COUNT ? badge_http_errs[e].message
                                          : "internal error";
}

/* ------------------------------------------------------------------ */

typedef enum {
    BADGE_BODY_RAW = 0,
    BADGE_BODY_FORM,
    BADGE_BODY_MULTIPART,
    BADGE_BODY_UNSUPPORTED
} badge_body_kind_t;

static badge_body_kind_t
badge_http_body_kind(const char *ct, size_t len)
{
    static const char *raw[] = {
        "application/json", "application/ld+json", "application/vc+ld+json",
        "application/jwt", "application/vc+jwt", "application/vc+ld+json+jwt",
        "application/vp+jwt", "application/vc", "application/vp",
        "text/plain", "application/octet-stream", "image/png",
        "image/svg+xml", NULL
    };
    size_t i, n;

    if (ct == NULL) {
        return BADGE_BODY_RAW;
    }
    /* media type only: up to ';' or white space, case-insensitive */
    while (len > 0 && (*ct == ' ' || *ct == '\t')) {
        ct++;
        len--;
    }
    for (n = 0; n < len && ct[n] != ';' && ct[n] != ' ' && ct[n] != '\t';
         n++)
    {
        /* void */
    }
    if (n == 0) {
        return BADGE_BODY_RAW;
    }
    if (n == sizeof("application/x-www-form-urlencoded") - 1
        && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0)
    {
        return BADGE_BODY_FORM;
    }
    if (n == sizeof("multipart/form-data") - 1
        && strncasecmp(ct, "multipart/form-data", n) == 0)
    {
        return BADGE_BODY_MULTIPART;
    }
    for (i = 0; raw[i] != NULL; i++) {
        if (strlen(raw[i]) == n && strncasecmp(ct, raw[i], n) == 0) {
            return BADGE_BODY_RAW;
        }
    }
    return BADGE_BODY_UNSUPPORTED;
}

int
badge_http_content_type_ok(const char *ctype, size_t ctype_len)
{
    return badge_http_body_kind(ctype, ctype_len) != BADGE_BODY_UNSUPPORTED;
}

int
badge_http_is_multipart(const char *ctype, size_t ctype_len)
{
    return ctype != NULL
           && badge_http_body_kind(ctype, ctype_len) == BADGE_BODY_MULTIPART;
}

const char *
badge_http_lang(const char *al, size_t len)
{
    size_t i = 0, start, n, k;

    if (al == NULL) {
        return "en";
    }
    while (i < len) {
        while (i < len && (al[i] == ' ' || al[i] == '\t' || al[i] == ',')) {
            i++;
        }
        start = i;
        while (i < len && al[i] != ',' && al[i] != ';' && al[i] != ' ') {
            i++;
        }
        n = i - start;
        /* parameters: a q of 0 ("q=0", "q=0.0") refuses the language */
        k = i;
        while (k < len && al[k] != ',') {
            k++;
        }
        if (n >= 2 && (n == 2 || al[start + 2] == '-')) {
            const char *q = NULL;
            size_t      j;

            for (j = i; j + 2 <= k; j++) {
                if ((al[j] == 'q' || al[j] == 'Q') && al[j + 1] == '=') {
                    q = al + j + 2;
                    break;
                }
            }
            if (q != NULL) {
                /* "0", "0.", "0.000": zero; anything else is not */
                int zero = (q < al + k && *q == '0');

                for (q = q + 1; zero && q < al + k && *q != ' '; q++) {
                    if (*q != '0' && *q != '.') {
                        zero = 0;
                    }
                }
                if (zero) {
                    i = k;
                    continue;
                }
            }
            if (strncasecmp(al + start, "ja", 2) == 0) {
                return "ja";
            }
            if (strncasecmp(al + start, "en", 2) == 0) {
                return "en";
            }
        }
        i = k;
    }
    return "en";
}

static int
badge_hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decode one urlencoded component p[0..n) into out; -1 if malformed. */
static int
badge_form_decode(const char *p, size_t n, char *out, size_t *outlen)
{
    size_t i, o = 0;
    int    hi, lo;

    for (i = 0; i < n; i++) {
        if (p[i] == '+') {
            out[o++] = ' ';
        } else if (p[i] == '%') {
            if (i + 2 >= n) {
                return -1;
            }
            hi = badge_hexval((unsigned char) p[i + 1]);
            lo = badge_hexval((unsigned char) p[i + 2]);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            out[o++] = (char) (hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = p[i];
        }
    }
    *outlen = o;
    return 0;
}

int
badge_http_form_field(const char *body, size_t len, const char *name,
    char *out, size_t *outlen)
{
    size_t      nlen = strlen(name), klen, vlen, kdec;
    const char *p = body, *end = body + len, *amp, *eq;

    while (p < end) {
        amp = memchr(p, '&', (size_t) (end - p));
        if (amp == NULL) {
            amp = end;
        }
        eq = memchr(p, '=', (size_t) (amp - p));
        klen = (size_t) ((eq != NULL ? eq : amp) - p);
        /* keys are compared decoded ("credential" has nothing to encode,
         * but a client may still encode it) */
        if (klen >= nlen && klen <= 3 * nlen) {
            if (badge_form_decode(p, klen, out, &kdec) == 0 && kdec == nlen
                && memcmp(out, name, nlen) == 0)
            {
                if (eq == NULL) {
                    *outlen = 0;
                    return 0;
                }
                vlen = (size_t) (amp - (eq + 1));
                return badge_form_decode(eq + 1, vlen, out, outlen) == 0
                       ? 0 : -2;
            }
        }
        p = amp + 1;
    }
    return -1;
}

badge_http_err_t
badge_http_extract(const char *ctype, size_t ctype_len, const char *body,
    size_t len, char *scratch, const char **out, size_t *outlen)
{
    badge_input_kind_t kind;
    badge_http_form_t  form;
    badge_http_err_t   e;

    switch (badge_http_body_kind(ctype, ctype_len)) {
    case BADGE_BODY_UNSUPPORTED:
        return BADGE_HTTP_MEDIA_TYPE;
    case BADGE_BODY_MULTIPART:
        /* the "credential" text field, else the "file" upload */
        e = badge_http_multipart(ctype, ctype_len, body, len, &form);
        if (e != BADGE_HTTP_OK) {
            return e;
        }
        if (form.credential != NULL && form.credential_len > 0) {
            *out = form.credential;
            *outlen = form.credential_len;
            return BADGE_HTTP_OK;
        }
        if (form.file != NULL && form.file_len > 0) {
            *out = form.file;
            *outlen = form.file_len;
            return BADGE_HTTP_OK;
        }
        return form.credential || form.file ? BADGE_HTTP_EMPTY
                                            : BADGE_HTTP_NO_FIELD;
    case BADGE_BODY_FORM:
        if (len == 0) {
            return BADGE_HTTP_EMPTY;
        }
        kind = badge_detect_input((const unsigned char *) body, len);
        if (kind == BADGE_INPUT_JSON || kind == BADGE_INPUT_JWS) {
            break;      /* curl -d @file: the body is the credential */
        }
        switch (badge_http_form_field(body, len, "credential", scratch,
                                      outlen))
        {
        case 0:
            *out = scratch;
            return *outlen > 0 ? BADGE_HTTP_OK : BADGE_HTTP_EMPTY;
        case -2:
            return BADGE_HTTP_BAD_FORM;
        default:
            return BADGE_HTTP_NO_FIELD;
        }
    default:
        break;
    }
    if (len == 0) {
        return BADGE_HTTP_EMPTY;
    }
    *out = body;
    *outlen = len;
    return BADGE_HTTP_OK;
}

/* ------------------------------------------------------------------ */

typedef struct {
    char   *buf;
    size_t  size;
    size_t  len;        /* the length the whole text needs */
} badge_sbuf_t;

static void
badge_sbuf_putc(badge_sbuf_t *b, char c)
{
    if (b->len + 1 < b->size) {
        b->buf[b->len] = c;
        b->buf[b->len + 1] = '\0';
    } else if (b->size > 0 && b->len < b->size) {
        b->buf[b->len] = '\0';      /* cut here */
    }
    b->len++;
}

static void
badge_sbuf_puts(badge_sbuf_t *b, const char *s)
{
    for (; *s != '\0'; s++) {
        badge_sbuf_putc(b, *s);
    }
}

/* A JSON string; bytes are copied as they are (messages are UTF-8),
 * control characters escaped. */
static void
badge_sbuf_json_string(badge_sbuf_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char     c;

    badge_sbuf_putc(b, '"');
    for (; (c = (unsigned char) *s) != '\0'; s++) {
        if (c == '"' || c == '\\') {
            badge_sbuf_putc(b, '\\');
            badge_sbuf_putc(b, (char) c);
        } else if (c == '\n') {
            badge_sbuf_puts(b, "\\n");
        } else if (c < 0x20 || c == 0x7f) {
            badge_sbuf_puts(b, "\\u00");
            badge_sbuf_putc(b, hex[c >> 4]);
            badge_sbuf_putc(b, hex[c & 15]);
        } else {
            badge_sbuf_putc(b, (char) c);
        }
    }
    badge_sbuf_putc(b, '"');
}

size_t
badge_http_error_json(char *buf, size_t size, const char *code,
    const char *message)
{
    badge_sbuf_t b = { buf, size, 0 };
    size_t       i;

    if (size > 0) {
        buf[0] = '\0';
    }
    if (code == NULL) {
        code = "internal_error";
    }
    if (message == NULL) {
        message = code;
        for (i = 0; i < BADGE_HTTP__COUNT; i++) {
            if (strcmp(badge_http_errs[i].code, code) == 0) {
                message = badge_http_errs[i].message;
                break;
            }
        }
    }
    badge_sbuf_puts(&b, "{\"verified\":false,\"errors\":[{\"code\":");
    badge_sbuf_json_string(&b, code);
    badge_sbuf_puts(&b, ",\"message\":");
    badge_sbuf_json_string(&b, message);
    badge_sbuf_puts(&b, "}]}\n");
    return b.len;
}

size_t
badge_http_err_json(char *buf, size_t size, badge_http_err_t e)
{
    return badge_http_error_json(buf, size, badge_http_err_code(e),
                                 badge_http_err_message(e));
}

int
badge_http_report_status(const badge_session_t *s)
{
    if (s == NULL || s->report == NULL) {
        return 500;
    }
    return s->report->errors != NULL ? 400 : 200;
}

/* ------------------------------------------------------------------ */
/* The access gate                                                      */

void
badge_http_verdict_from_session(const badge_session_t *s,
    badge_http_verdict_t *v)
{
    memset(v, 0, sizeof(*v));
    v->outcome = BADGE_OUTCOME_NO_REPORT;
    if (s == NULL) {
        return;
    }
    v->verified = badge_session_verified(s) ? 1 : 0;
    v->outcome = (int) badge_session_first_failure(s, &v->fail_check,
                                                   &v->fail_code);
    v->issuer = badge_session_field(s, BADGE_FIELD_ISSUER);
    v->achievement = badge_session_field(s, BADGE_FIELD_ACHIEVEMENT);
}

/* 1 if id is one of the n strings of list. */
static int
badge_http_in_list(const badge_http_str_t *list, size_t n, const char *id)
{
    size_t i, len;

    if (id == NULL) {
        return 0;
    }
    len = strlen(id);
    for (i = 0; i < n; i++) {
        if (list[i].len == len && list[i].data != NULL
            && memcmp(list[i].data, id, len) == 0)
        {
            return 1;
        }
    }
    return 0;
}

int
badge_http_gate_decide(const badge_http_verdict_t *v,
    const badge_http_gate_policy_t *policy, const char **code)
{
    const char *c;

    *code = NULL;
    if (v == NULL) {
        *code = badge_http_err_code(BADGE_HTTP_INTERNAL);
        return 500;
    }
    switch (v->outcome) {

    case BADGE_OUTCOME_VERIFIED:
        if (!v->verified) {
            /* the report and its checks disagree: never admit */
            *code = "not_verified";
            return 401;
        }
        break;

    case BADGE_OUTCOME_FAILED:
        c = v->fail_code != NULL && v->fail_code[0] != '\0'
            ? v->fail_code : "not_verified";
        *code = c;
        /* genuine, but from an issuer the configuration does not admit */
        return v->fail_check != NULL && strcmp(v->fail_check, "issuer") == 0
               ? 403 : 401;

    case BADGE_OUTCOME_UNCHECKED:
        /* e.g. the issuer's DID document could not be fetched */
        *code = v->fail_code != NULL && v->fail_code[0] != '\0'
                ? v->fail_code : "unchecked";
        return 401;

    default:
        *code = badge_http_err_code(BADGE_HTTP_INTERNAL);
        return 500;
    }
    if (policy == NULL) {
        return 0;
    }
    if (policy->issuer_untrusted) {
        *code = "issuer_not_trusted";
        return 403;
    }
    if (policy->n_issuers > 0
        && !badge_http_in_list(policy->issuers, policy->n_issuers, v->issuer))
    {
        *code = "issuer_not_allowed";
        return 403;
    }
    if (policy->n_achievements > 0
        && !badge_http_in_list(policy->achievements, policy->n_achievements,
                               v->achievement))
    {
        *code = "achievement_not_allowed";
        return 403;
    }
    return 0;
}
