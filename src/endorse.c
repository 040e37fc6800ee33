/*
 * endorse.c: the endorsements a credential carries, each verified as a
 * credential of its own into a child report ("related" in the JSON).
 */
#include "endorse.h"

#include <string.h>

#include "detect.h"
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
    if (e->done >= BADGE_ENDORSE_MAX || s->oom) {
        return;
    }
    e->done++;
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

void
badge_endorse_verify(badge_session_t *s, badge_report_t *r,
    const json_t *cred)
{
    badge_endorse_t  e;
    const json_t    *subj, *issuer;
    const char      *recipient;
    size_t           i, n;

    /* a presentation's credentials are its children: their endorsements
     * are not verified (bounded work) */
    if (!json_is_object(cred) || s->oom
        || badge_json_has_string(json_object_get(cred, "type"),
                                 "VerifiablePresentation"))
    {
        return;
    }
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
            "endorsements_limited", "%zu endorsements; only the first %d "
            "are verified", e.seen, BADGE_ENDORSE_MAX);
    }
}
