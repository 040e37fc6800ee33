/*
 * verify.c: the verification pipeline.
 *
 *   input -> detect format -> parse -> proof -> issuer/keys -> status
 *         -> report
 *
 * Each run starts afresh with the documents supplied so far; the formats
 * ask for what they miss with badge_session_document() and carry on, so
 * that independent documents are requested in the same round.
 */
#include <string.h>

#include "badge.h"
#include "baked.h"
#include "detect.h"
#include "endorse.h"
#include "json.h"
#include "jws.h"
#include "ldp.h"
#include "ob2.h"
#include "report.h"
#include "session.h"
#include "vcjwt.h"

static void
badge_verify_json(badge_session_t *s, badge_report_t *r,
    const unsigned char *p, size_t len)
{
    badge_err_t err;
    json_t     *doc;

    badge_err_clear(&err);
    doc = badge_session_parse_json(s, (const char *) p, len, &err);
    if (doc == NULL) {
        badge_report_error(r, err.code, "%s", err.message);
        return;
    }
    if (!json_is_object(doc)) {
        badge_report_error(r, "input_not_object",
            "the JSON is not an object, so it is not a credential");
        return;
    }
    if (badge_ob2_detect(doc) != BADGE_OB_NONE) {
        badge_ob2_verify_json(s, r, doc);
        return;
    }
    if (badge_ldp_detect(doc)) {
        badge_ldp_verify(s, r, doc);
        badge_endorse_verify(s, r, doc);
        return;
    }
    badge_report_error(r, "format_unsupported",
        "the JSON is neither an Open Badges assertion nor a Verifiable "
        "Credential or Presentation");
}

/* A compact JWS: an Open Badges 2.0 signed assertion, or a VC-JWT. */
static void
badge_verify_jws(badge_session_t *s, badge_report_t *r,
    const unsigned char *p, size_t len)
{
    badge_jws_t   jws;
    badge_err_t   err;
    json_t       *payload = NULL;
    const json_t *cred;

    badge_err_clear(&err);
    if (badge_jws_parse(s->arena, (const char *) p, len, &jws, &err) == 0) {
        json_decref(jws.header);
        payload = badge_json_parse((const char *) jws.payload,
                                   jws.payload_len, &err);
    }
    if (payload != NULL && badge_ob2_detect(payload) == BADGE_OB_V2) {
        json_decref(payload);
        badge_ob2_verify_signed(s, r, (const char *) p, len);
        return;
    }
    json_decref(payload);
    badge_vcjwt_verify_cred(s, r, (const char *) p, len, &cred);
    badge_endorse_verify(s, r, cred);
}

/*
 * A baked PNG/SVG badge: extract, then verify what it carries.  A baked
 * URL is fetched once; what it returns must be JSON or a JWS (no images
 * within images).
 */
static void
badge_verify_baked(badge_session_t *s, badge_report_t *r,
    const unsigned char *p, size_t len)
{
    badge_baked_t      b;
    badge_err_t        err;
    const badge_doc_t *doc;

    badge_err_clear(&err);
    if (badge_baked_extract(s->arena, p, len, &b, &err) != 0) {
        if (strcmp(err.code, "out_of_memory") == 0) {
            s->oom = 1;
        }
        badge_report_error(r, err.code, "%s", err.message);
        return;
    }
    badge_report_check(r, "format", BADGE_PASS, "baked",
        "a baked %s badge: %s in %s (Open Badges %s)", b.container,
        badge_baked_kind_name(b.kind), b.where,
        b.version == BADGE_BAKED_OB2 ? "2.0" : "3.0");
    p = (const unsigned char *) b.payload;
    len = b.len;
    if (b.kind == BADGE_BAKED_URL) {
        switch (badge_session_document(s, b.payload, &doc, &err)) {
        case BADGE_DOC_OK:
            break;
        case BADGE_DOC_PENDING:
            return;
        default:
            badge_report_error(r, err.code, "%s", err.message);
            return;
        }
        p = doc->body;
        len = doc->len;
        badge_trim(&p, &len);
    }
    switch (badge_detect_input(p, len)) {
    case BADGE_INPUT_JSON:
        badge_verify_json(s, r, p, len);
        return;
    case BADGE_INPUT_JWS:
        if (b.version == BADGE_BAKED_OB2) {
            badge_ob2_verify_signed(s, r, (const char *) p, len);
        } else {
            badge_verify_jws(s, r, p, len);
        }
        return;
    default:
        badge_report_error(r, "baked_payload_invalid", "the document the "
            "badge points at is not JSON or a JWS");
        return;
    }
}

static void
badge_verify_bytes(badge_session_t *s, badge_report_t *r,
    const unsigned char *p, size_t len)
{
    badge_input_kind_t kind = badge_detect_input(p, len);

    if ((long) len > badge_ctx_get_option(s->ctx, BADGE_OPT_MAX_INPUT)) {
        badge_report_error(r, "input_too_large",
            "the input is %zu bytes, more than the limit of %ld", len,
            badge_ctx_get_option(s->ctx, BADGE_OPT_MAX_INPUT));
        return;
    }
    switch (kind) {
    case BADGE_INPUT_EMPTY:
        badge_report_error(r, "input_empty", "nothing to verify: the input "
            "is empty");
        return;
    case BADGE_INPUT_JSON:
        badge_trim(&p, &len);
        badge_verify_json(s, r, p, len);
        return;
    case BADGE_INPUT_JWS:
        badge_trim(&p, &len);
        badge_verify_jws(s, r, p, len);
        return;
    case BADGE_INPUT_PNG:
    case BADGE_INPUT_SVG:
        badge_verify_baked(s, r, p, len);
        return;
    case BADGE_INPUT_URL:
        badge_report_error(r, "format_unsupported",
            "give the URL as the input URL, not as the input body");
        return;
    default:
        badge_report_error(r, "input_unrecognized", "the input is not JSON, "
            "a JWT, a PNG or an SVG badge");
        return;
    }
}

badge_step_t
badge_session_run(badge_session_t *s)
{
    badge_report_t    *r;
    const badge_doc_t *doc;
    badge_err_t        why;

    s->n_needed = 0;
    s->endorsements = 0;
    s->report_json = NULL;
    s->report_text = NULL;
    s->final_round = s->rounds >= BADGE_MAX_ROUNDS;
    r = badge_report_new(s->arena, s->opts.lang);
    if (r == NULL) {
        return BADGE_FAILED;
    }
    s->report = r;
    badge_err_clear(&why);

    if (s->input == NULL && s->input_url != NULL) {
        switch (badge_session_document(s, s->input_url, &doc, &why)) {
        case BADGE_DOC_OK:
            badge_verify_bytes(s, r, doc->body, doc->len);
            break;
        case BADGE_DOC_PENDING:
            break;
        default:
            badge_report_error(r, why.code, "%s", why.message);
        }
    } else if (s->input != NULL) {
        badge_verify_bytes(s, r, s->input, s->input_len);
    } else {
        badge_report_error(r, "input_empty", "nothing to verify");
    }
    if (s->oom) {
        return BADGE_FAILED;
    }
    if (s->n_needed > 0) {
        s->rounds++;
        return BADGE_NEED_DOCUMENTS;
    }
    return BADGE_DONE;
}
