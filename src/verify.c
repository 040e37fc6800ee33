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
#include "detect.h"
#include "json.h"
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
    badge_report_error(r, "format_unsupported",
        "JSON credentials with embedded proofs are not supported yet");
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
        badge_vcjwt_verify(s, r, (const char *) p, len);
        return;
    case BADGE_INPUT_PNG:
    case BADGE_INPUT_SVG:
        badge_report_error(r, "format_unsupported",
            "baked %s badges are not supported yet",
            badge_input_kind_name(kind));
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
