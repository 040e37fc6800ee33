/*
 * http_glue.h: what the nginx and the Apache glue do alike with an HTTP
 * request to verify, so that neither glue holds verification logic:
 *
 *   - which request bodies are accepted (by Content-Type) and where the
 *     credential is in them (the body itself, or the "credential" field of
 *     an application/x-www-form-urlencoded form);
 *   - the error answers, each with an HTTP status, a stable machine code
 *     and a message: {"verified":false,"errors":[{"code":..,"message":..}]};
 *   - the HTTP status that goes with a finished report;
 *   - the access gate's decision once a credential is verified (nginx
 *     badge_require, Apache Require badge): admitted, or denied with a
 *     status and the code of X-Badge-Error.
 *
 * A public header for hosts, like badge.h: it includes nothing but badge.h
 * and takes (pointer, length) strings, since nginx strings are not
 * NUL-terminated.  Layer: on top of the core (beside the report).
 */
#ifndef BADGE_HTTP_GLUE_H
#define BADGE_HTTP_GLUE_H

#include <stddef.h>

#include "badge.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    BADGE_HTTP_OK = 0,
    BADGE_HTTP_METHOD,          /* 405: only POST */
    BADGE_HTTP_MEDIA_TYPE,      /* 415: a Content-Type we do not read */
    BADGE_HTTP_EMPTY,           /* 400: nothing to verify */
    BADGE_HTTP_TOO_LARGE,       /* 413: over the input limit */
    BADGE_HTTP_NO_FIELD,        /* 400: a form without "credential" */
    BADGE_HTTP_BAD_FORM,        /* 400: broken %-encoding in a form */
    BADGE_HTTP_BAD_REQUEST,     /* 400: the body could not be read */
    BADGE_HTTP_INTERNAL,        /* 500: out of memory, nothing else */
    BADGE_HTTP_NO_CREDENTIAL,   /* 401/403 gates: no credential presented */
    BADGE_HTTP_NO_INPUT,        /* 400: a GET of the verify endpoint
                                   without ?url= (code input_empty) */
    BADGE_HTTP__COUNT
} badge_http_err_t;

/* The HTTP status, machine code ("method_not_allowed", ...) and English
 * message of an error. */
int badge_http_err_status(badge_http_err_t e);
const char *badge_http_err_code(badge_http_err_t e);
const char *badge_http_err_message(badge_http_err_t e);

/*
 * Find the credential in a request body.  ctype is the Content-Type
 * header value (may be NULL/0: the body is sniffed).  Accepted:
 *   application/json, application/ld+json, application/vc+ld+json,
 *   application/jwt, application/vc+jwt, application/vc+ld+json+jwt,
 *   application/vc, application/vp, text/plain, application/octet-stream,
 *   image/png, image/svg+xml           -> the body is the credential;
 *   application/x-www-form-urlencoded  -> the "credential" field, decoded;
 *     a body that is plainly a JSON object or a JWT is taken as is
 *     (`curl -d @badge.jwt` sends that content type);
 *   multipart/form-data                -> the "credential" field, else the
 *     "file" upload (see badge_http_multipart()).
 * scratch must have room for len bytes (the decoded field goes there).
 * On BADGE_HTTP_OK, *out and *outlen are the credential (in body or scratch).
 */
badge_http_err_t badge_http_extract(const char *ctype, size_t ctype_len,
    const char *body, size_t len, char *scratch, const char **out,
    size_t *outlen);

/* 1 if a body of this Content-Type is read (see above), 0 if the answer is
 * 415: lets the glue refuse before reading the body. */
int badge_http_content_type_ok(const char *ctype, size_t ctype_len);

/* "ja" or "en": the report language for an Accept-Language header value
 * (NULL: "en").  The first of ja/en named with a q above 0 wins. */
const char *badge_http_lang(const char *accept_language, size_t len);

/*
 * Decode the first field `name` of an application/x-www-form-urlencoded
 * body into out (room for len bytes): 0 found (*outlen set), -1 absent,
 * -2 malformed %-encoding.
 */
int badge_http_form_field(const char *body, size_t len, const char *name,
    char *out, size_t *outlen);

/*
 * The verify form (the HTML verify page's form, or any client's): three
 * ways to give a credential.  Pointers into the request body (or into
 * scratch for a decoded urlencoded field); NULL when the field is absent.
 */
typedef struct {
    const char  *credential;    /* "credential": pasted JSON or JWT */
    size_t       credential_len;
    const char  *file;          /* "file": an uploaded file (JSON, JWT,
                                   baked PNG or SVG) */
    size_t       file_len;
    const char  *url;           /* "url": where the credential is */
    size_t       url_len;
    const char  *lang;          /* "lang": "ja" or "en" (the page's) */
    size_t       lang_len;
} badge_http_form_t;

/* 1 if ctype is multipart/form-data. */
int badge_http_is_multipart(const char *ctype, size_t ctype_len);

/*
 * The fields of a multipart/form-data body (RFC 7578), boundary from
 * ctype.  Bounded: a boundary of 1..70 characters, at most 16 parts, 8 KiB
 * of headers per part, the closing delimiter required; other fields are
 * ignored, a repeated field's first value wins.  No copy, no allocation.
 * BADGE_HTTP_OK, BADGE_HTTP_EMPTY (no body) or BADGE_HTTP_BAD_FORM.
 */
badge_http_err_t badge_http_multipart(const char *ctype, size_t ctype_len,
    const char *body, size_t len, badge_http_form_t *form);

/* What a request body asks to verify: a credential, or a URL. */
typedef struct {
    const char  *data;          /* the credential (in body or scratch) */
    size_t       len;
    const char  *url;           /* or a URL: NUL-terminated, trimmed */
} badge_http_input_t;

/*
 * badge_http_extract(), and the rest of what a form may hold: the first
 * non-blank of the "credential" field, the "file" upload (multipart) and
 * the "url" field.  scratch must have room for len + 1 bytes.  On
 * BADGE_HTTP_OK, in->data (and in->len) or in->url is set.
 */
badge_http_err_t badge_http_extract_input(const char *ctype,
    size_t ctype_len, const char *body, size_t len, char *scratch,
    badge_http_input_t *in);

/*
 * 1 if an Accept header value prefers an HTML page to JSON: text/html (or
 * application/xhtml+xml) with a q above 0 and above any JSON type's, or
 * equal and listed first.  A browser's Accept is; curl's (any type) is not.
 */
int badge_http_wants_html(const char *accept, size_t len);

/*
 * {"verified":false,"errors":[{"code":"...","message":"..."}]} followed by
 * a newline, into buf (NUL-terminated, never overrun).  Returns the length
 * of the whole text, like snprintf: if it is >= size the text was cut.
 * message may be NULL: the standard message of the code is used if the
 * code is a badge_http_err_t code, else the code itself.
 */
size_t badge_http_error_json(char *buf, size_t size, const char *code,
    const char *message);

/* The same for one of the errors above. */
size_t badge_http_err_json(char *buf, size_t size, badge_http_err_t e);

/*
 * The HTTP status for a session whose run is over: 200 when the input was
 * read as a credential (verified or not: the report says); 400 when it
 * could not be read at all (the report then has "errors", e.g.
 * input_unrecognized, json_syntax); 500 when there is no report.
 */
int badge_http_report_status(const badge_session_t *s);

/* ------------------------------------------------------------------ */
/* The access gate                                                      */

/* A string that need not be NUL-terminated. */
typedef struct {
    const char  *data;
    size_t       len;
} badge_http_str_t;

/* What the gate needs of a finished verification (from a session with
 * badge_http_verdict_from_session(), or from a cached result). */
typedef struct {
    int          verified;      /* badge_session_verified() */
    int          outcome;       /* badge_outcome_t, with the check and code
                                   of badge_session_first_failure() */
    const char  *fail_check;    /* NULL: none */
    const char  *fail_code;     /* NULL: none */
    const char  *issuer;        /* BADGE_FIELD_ISSUER; NULL: absent */
    const char  *achievement;   /* BADGE_FIELD_ACHIEVEMENT; NULL: absent */
} badge_http_verdict_t;

/* What the gate admits beyond "it verifies". */
typedef struct {
    int                      issuer_untrusted;  /* 1: the host found the
                                                   issuer is not one it
                                                   trusts here (nginx) */
    const badge_http_str_t  *issuers;           /* allowed issuer ids; */
    size_t                   n_issuers;         /* 0: any issuer */
    const badge_http_str_t  *achievements;      /* allowed achievement */
    size_t                   n_achievements;    /* ids; 0: any */
} badge_http_gate_policy_t;

/* Fill v from a finished session (pointers into it). */
void badge_http_verdict_from_session(const badge_session_t *s,
    badge_http_verdict_t *v);

/*
 * The gate's decision.  Returns 0 when the request is admitted (*code is
 * set to NULL), else the HTTP status of the denial, with *code the machine
 * code to give as X-Badge-Error / $badge_error / BADGE_ERROR:
 *
 *   401  the credential does not verify: the code of the first failing
 *        check (signature_invalid, status_revoked, credential_expired...;
 *        "not_verified" when there is none), or, when only something
 *        could not be checked, of the first unchecked one (key_unavailable,
 *        fetch_failed...; "unchecked")
 *   403  genuine, but the policy does not admit it: a failing "issuer"
 *        check (its code, e.g. issuer_unknown: an issuer the core was told
 *        to require trust in), issuer_not_trusted (policy->issuer_
 *        untrusted), issuer_not_allowed (not one of policy->issuers),
 *        achievement_not_allowed (not one of policy->achievements)
 *   500  no report (internal_error)
 *
 * The rules apply in this order.  policy may be NULL (any verified
 * credential).  Apache's Require answers every denial 403 (mod_authz_core
 * does), but with the same code.
 */
int badge_http_gate_decide(const badge_http_verdict_t *v,
    const badge_http_gate_policy_t *policy, const char **code);

#ifdef __cplusplus
}
#endif

#endif /* BADGE_HTTP_GLUE_H */
