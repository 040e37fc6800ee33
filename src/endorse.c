/*
 * endorse.c: the endorsements a credential carries, each verified as a
 * credential of its own into a child report ("related" in the JSON).
 */
#include "endorse.h"

#include <string.h>

#include "detect.h"
#include "jws.h"
#include "json.h"
#include "ldp.h"
#include "vcjwt.h"

typedef struct {
    badge_session_t *s;
    badge_report_t  *r;
    size_t           seen;      /* endorsements found */
    size_t           done;      /* verified (at most BADGE_ENDORSE_MAX) */
} badge_endorse_t;

/* The endorsement must be about what carries it (its credentialSubject
 * id is the endorsed credential, achievement or issuer). */
static void
badge_endorse_subject(badge_report_t *child, const json_t *e,
    const char *target, const char *what)
{
    const json_t *subj;
    const char   *id;

    if (target == NULL || !json_is_object(e)) {
        return;
    }
    subj = json_object_get(e, "credentialSubject");
    if (json_is_array(subj)) {
        subj = json_array_get(subj, 0);
    }
    id = badge_json_str(subj, "id");
    if (id != NULL && strcmp(id, target) == 0) {
        badge_report_check(child, "endorsement", BADGE_PASS,
            "endorsement_subject", "endorses the %s %.200s", what, target);
    } else {
        badge_report_check(child, "endorsement", BADGE_FAIL,
            "endorsement_subject_mismatch", "the endorsement is about "
            "%.200s, not the %s that carries it (%.200s)",
            id != NULL ? id : "nothing named", what, target);
    }
}

static void
badge_endorse_one(badge_endorse_t *e, const json_t *v, int jwt_field,
    const char *target, const char *what)
{
    badge_session_t *s = e->s;
    badge_report_t  *child;
    const json_t    *cred = NULL;
    const char      *jwt;

    e->seen++;
    if (e->done >= BADGE_ENDORSE_MAX
        || s->endorsements >= BADGE_ENDORSE_SESSION_MAX || s->oom)
    {
        return;
    }
    e->done++;
    s->endorsements++;
    child = badge_report_new(s->arena, s->opts.lang);
    if (child == NULL) {
        s->oom = 1;
        return;
    }
    if (json_is_string(v)) {
        jwt = json_string_value(v);
        if (!jwt_field && badge_detect_input((const unsigned char *) jwt,
                                             strlen(jwt)) != BADGE_INPUT_JWS)
        {
            badge_report_check(child, "endorsement", BADGE_UNCHECKED,
                "endorsement_reference", "the endorsement %.200s is only "
                "referred to; it is not fetched", jwt);
        } else {
            badge_vcjwt_verify_cred(s, child, jwt, strlen(jwt), &cred);
        }
    } else if (jwt_field || !json_is_object(v)) {
        badge_report_error(child, "endorsement_invalid", "an endorsement of "
            "the %s is not a credential object or a VC-JWT string", what);
    } else if (badge_json_has_string(json_object_get(v, "type"),
                                     "VerifiablePresentation"))
    {
        badge_report_error(child, "endorsement_invalid", "an endorsement of "
            "the %s is a presentation, not a credential", what);
    } else {
        cred = v;
        badge_ldp_verify(s, child, v);
    }
    if (cred != NULL) {
        if (!badge_json_has_string(json_object_get(cred, "type"),
                                   "EndorsementCredential"))
        {
            badge_report_check(child, "endorsement", BADGE_FAIL,
                "endorsement_type_invalid", "an endorsement must be an "
                "EndorsementCredential");
        }
        badge_endorse_subject(child, cred, target, what);
    }
    badge_report_add_child(e->r, "endorsement", child);
}

/* obj's "endorsement" and "endorsementJwt" (an array, or one value). */
static void
badge_endorse_of(badge_endorse_t *e, const json_t *obj, const char *target,
    const char *what)
{
    static const char *keys[2] = { "endorsement", "endorsementJwt" };
    const json_t      *list, *v;
    size_t             i, k, n;

    if (!json_is_object(obj)) {
        return;
    }
    for (k = 0; k < 2; k++) {
        list = json_object_get(obj, keys[k]);
        if (list == NULL) {
            continue;
        }
        n = json_is_array(list) ? json_array_size(list) : 1;
        for (i = 0; i < n; i++) {
            v = json_is_array(list) ? json_array_get(list, i) : list;
            badge_endorse_one(e, v, k == 1, target, what);
        }
    }
}

/* The endorsements of one credential into r. */
static void
badge_endorse_credential(badge_session_t *s, badge_report_t *r,
    const json_t *cred)
{
    badge_endorse_t  e;
    const json_t    *subj, *issuer;
    const char      *recipient;
    size_t           i, n;

    memset(&e, 0, sizeof(e));
    e.s = s;
    e.r = r;
    /* the caller's recipient is the main credential's, not an
     * endorsement's: not checked on them */
    recipient = s->opts.recipient;
    s->opts.recipient = NULL;

    badge_endorse_of(&e, cred, badge_json_str(cred, "id"), "credential");
    subj = json_object_get(cred, "credentialSubject");
    n = json_is_array(subj) ? json_array_size(subj) : subj != NULL;
    for (i = 0; i < n; i++) {
        const json_t *sj = json_is_array(subj) ? json_array_get(subj, i)
                                               : subj;
        const json_t *ach = json_object_get(sj, "achievement");

        badge_endorse_of(&e, ach, badge_json_str(ach, "id"), "achievement");
    }
    issuer = json_object_get(cred, "issuer");
    badge_endorse_of(&e, issuer, badge_json_str(issuer, "id"), "issuer");

    s->opts.recipient = recipient;
    if (e.seen > e.done && !s->oom) {
        badge_report_check(r, "endorsement", BADGE_WARN,
            "endorsements_limited", "%zu endorsements; only the first %zu "
            "are verified", e.seen, e.done);
    }
}

/* A credential of a presentation as JSON: the object, or a VC-JWT's
 * credential (its "vc" claim in the VC 1.1 form).  Its signature was
 * judged in its own child report; here it only says what it endorses. */
static const json_t *
badge_endorse_vp_credential(badge_session_t *s, const json_t *vc)
{
    badge_jws_t   jws;
    badge_err_t   err;
    const char   *jwt;
    json_t       *payload;
    const json_t *inner;

    if (json_is_object(vc)) {
        return vc;
    }
    if (!json_is_string(vc)) {
        return NULL;
    }
    jwt = json_string_value(vc);
    badge_err_clear(&err);
    if (badge_jws_parse(s->arena, jwt, strlen(jwt), &jws, &err) != 0) {
        return NULL;
    }
    json_decref(jws.header);
    payload = badge_session_parse_json(s, (const char *) jws.payload,
                                       jws.payload_len, &err);
    inner = json_object_get(payload, "vc");
    return json_is_object(inner) ? inner : payload;
}

void
badge_endorse_verify(badge_session_t *s, badge_report_t *r,
    const json_t *cred)
{
    const badge_report_child_t *ch;
    const json_t               *vcs, *vc;
    size_t                      i, n;

    if (!json_is_object(cred) || s->oom) {
        return;
    }
    if (!badge_json_has_string(json_object_get(cred, "type"),
                               "VerifiablePresentation"))
    {
        badge_endorse_credential(s, r, cred);
        return;
    }
    /* a presentation endorses nothing itself; each of its credentials
     * has a child report of role "credential", in order (ldp.c) */
    vcs = json_object_get(cred, "verifiableCredential");
    n = json_is_array(vcs) ? json_array_size(vcs) : vcs != NULL;
    ch = r->children;
    for (i = 0; i < n && !s->oom; i++) {
        while (ch != NULL && strcmp(ch->role, "credential") != 0) {
            ch = ch->next;
        }
        if (ch == NULL) {
            break;
        }
        vc = json_is_array(vcs) ? json_array_get(vcs, i) : vcs;
        vc = badge_endorse_vp_credential(s, vc);
        if (vc != NULL) {
            badge_endorse_credential(s, ch->report, vc);
        }
        ch = ch->next;
    }
}
