/*
 * ldp.c: credentials and presentations with embedded Data Integrity
 * proofs.  Every proof must verify, with a key of the issuer (of the
 * holder for a presentation); only then is the document authenticated.
 */
#include "ldp.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "proof_di.h"
#include "vc.h"
#include "vcjwt.h"

/* Credentials inside one presentation that are verified. */
#define BADGE_LDP_MAX_CREDENTIALS  16

static const char *badge_ldp_types[] = {
    "VerifiableCredential", "VerifiablePresentation",
    "OpenBadgeCredential", "AchievementCredential",
    "EndorsementCredential", NULL
};

int
badge_ldp_detect(const json_t *doc)
{
    const json_t  *type;
    const char   **t;

    if (!json_is_object(doc)) {
        return 0;
    }
    if (json_object_get(doc, "proof") != NULL) {
        return 1;
    }
    type = json_object_get(doc, "type");
    for (t = badge_ldp_types; *t != NULL; t++) {
        if (badge_json_has_string(type, *t)) {
            return 1;
        }
    }
    return 0;
}

static badge_check_status_t
badge_ldp_status(badge_di_state_t st)
{
    switch (st) {
    case BADGE_DI_VALID:
        return BADGE_PASS;
    case BADGE_DI_INVALID:
        return BADGE_FAIL;
    default:
        return BADGE_UNCHECKED;
    }
}

/* "format": which proofs, before anything is verified. */
static void
badge_ldp_format(badge_report_t *r, const json_t *doc, const char *what)
{
    const json_t *all = json_object_get(doc, "proof"), *p;
    const char   *name;
    char          list[200];
    size_t        i, n, used = 0;
    int           deprecated = 0, k;

    list[0] = '\0';
    n = json_is_array(all) ? json_array_size(all) : all != NULL;
    for (i = 0; i < n && i < BADGE_DI_MAX_PROOFS; i++) {
        p = json_is_array(all) ? json_array_get(all, i) : all;
        (void) badge_di_suite(p, &name, NULL);
        if (name != NULL && strcmp(name, "eddsa-2022") == 0) {
            deprecated = 1;
        }
        k = snprintf(list + used, sizeof(list) - used, "%s%.40s",
            i > 0 ? ", " : "", name != NULL ? name : "unknown");
        if (k < 0 || (size_t) k >= sizeof(list) - used) {
            break;
        }
        used += (size_t) k;
    }
    if (n == 0) {
        badge_report_check(r, "format", BADGE_PASS, "ldp", "%s without a "
            "proof", what);
        return;
    }
    badge_report_check(r, "format", BADGE_PASS, "ldp", "%s secured with %zu "
        "Data Integrity proof%s: %s", what, n, n == 1 ? "" : "s", list);
    if (deprecated) {
        badge_report_check(r, "format", BADGE_WARN, "cryptosuite_deprecated",
            "eddsa-2022 is the draft name of eddsa-rdfc-2022 (verified as "
            "such)");
    }
}

/*
 * Report one proof's steps.  prefix names the proof when there are
 * several.  Returns 1 if the proof is valid.
 */
static int
badge_ldp_report_proof(badge_report_t *r, const badge_di_result_t *res,
    const char *prefix)
{
    const badge_di_step_t *why;

    if (res->context.state != BADGE_DI_SKIPPED) {
        badge_report_check(r, "context", badge_ldp_status(res->context.state),
            res->context.code, "%s%s", prefix, res->context.message);
    }
    if (res->key.state != BADGE_DI_SKIPPED) {
        badge_report_check(r, "key", badge_ldp_status(res->key.state),
            res->key.code, "%s%s", prefix, res->key.message);
    }
    if (res->signature.state != BADGE_DI_SKIPPED) {
        badge_report_check(r, "signature",
            badge_ldp_status(res->signature.state), res->signature.code,
            "%s%s", prefix, res->signature.message);
        return res->state == BADGE_DI_VALID;
    }
    /* the signature was not reached: say why under "signature" */
    if (res->proof.state == BADGE_DI_INVALID) {
        badge_report_check(r, "signature", BADGE_FAIL, res->proof.code,
            "%s%s", prefix, res->proof.message);
        return 0;
    }
    why = res->context.state == BADGE_DI_INVALID ? &res->context : &res->key;
    badge_report_check(r, "signature", BADGE_UNCHECKED,
        "signature_unchecked", "%sthe %s signature could not be checked: "
        "%s", prefix, res->suite_name != NULL ? res->suite_name : "",
        why->message);
    return 0;
}

/*
 * Verify every proof of doc for purpose and controller, report them.
 * Returns 1 if all are valid, 0 if not, -1 if documents are pending.
 * *all_trusted: every key was a configured one.
 */
static int
badge_ldp_proofs(badge_session_t *s, badge_report_t *r, const json_t *doc,
    const badge_di_verify_opts_t *o, int *all_trusted)
{
    badge_di_result_t *res;
    badge_err_t        err;
    char               prefix[40];
    int                n, i, valid = 0, supported = 0;

    *all_trusted = 0;
    res = badge_arena_alloc(s->arena,
                            BADGE_DI_MAX_PROOFS * sizeof(*res));
    if (res == NULL) {
        s->oom = 1;
        return 0;
    }
    badge_err_clear(&err);
    n = badge_di_verify_all(s, doc, o, res, BADGE_DI_MAX_PROOFS, &err);
    if (n < 0) {
        badge_report_check(r, "signature", BADGE_FAIL, err.code, "%s",
            err.message);
        return 0;
    }
    if (n == 0) {
        badge_report_check(r, "signature", BADGE_FAIL, "proof_missing",
            "there is no proof: nothing shows who issued this");
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (res[i].state == BADGE_DI_PENDING) {
            return -1;      /* this run's report is discarded: go fetch */
        }
    }
    *all_trusted = 1;
    for (i = 0; i < n; i++) {
        prefix[0] = '\0';
        if (n > 1) {
            snprintf(prefix, sizeof(prefix), "proof %d of %d: ", i + 1, n);
        }
        if (res[i].suite == BADGE_DI_SUITE_UNKNOWN
            && res[i].proof.code != NULL
            && (strcmp(res[i].proof.code, "proof_type_unsupported") == 0
                || strcmp(res[i].proof.code, "cryptosuite_unsupported") == 0))
        {
            /* a proof of a kind we do not know is not checked: it adds
             * nothing and takes nothing away (as 1EdTech's validator has
             * it); the others must carry the credential */
            badge_report_check(r, "signature", BADGE_UNCHECKED,
                res[i].proof.code, "%s%s%s", prefix, res[i].proof.message,
                n > 1 ? " (ignored)" : "");
            continue;
        }
        supported++;
        valid += badge_ldp_report_proof(r, &res[i], prefix);
        *all_trusted &= res[i].key_trusted;
    }
    return supported > 0 && valid == supported;
}

static void
badge_ldp_credential(badge_session_t *s, badge_report_t *r,
    const json_t *cred)
{
    badge_vc_info_t        info;
    badge_vc_env_t         env;
    badge_di_verify_opts_t o;
    int                    rc, trusted;

    memset(&env, 0, sizeof(env));
    badge_ldp_format(r, cred, "a credential");
    (void) badge_vc_schema(s, r, cred, "ldp", &info);

    memset(&o, 0, sizeof(o));
    o.purpose = "assertionMethod";
    /* no usable issuer: no key can be the issuer's ("" matches none) */
    o.controller = info.issuer != NULL ? info.issuer : "";
    rc = badge_ldp_proofs(s, r, cred, &o, &trusted);
    if (rc < 0 || s->n_needed > 0) {
        return;
    }
    if (rc == 1) {
        r->authenticated = 1;
        env.key_bound = 1;
        env.key_trusted = trusted;
    }
    badge_vc_finish(s, r, cred, &info, &env);
}

/* One credential of a presentation, into a child report. */
static int
badge_ldp_child(badge_session_t *s, badge_report_t *r, const json_t *vc,
    size_t i)
{
    badge_report_t *child;
    const char     *jwt;

    child = badge_report_new(s->arena, s->opts.lang);
    if (child == NULL) {
        s->oom = 1;
        return 0;
    }
    if (json_is_object(vc)
        && badge_json_has_string(json_object_get(vc, "type"),
                                 "EnvelopedVerifiableCredential"))
    {
        badge_report_check(child, "format", BADGE_UNCHECKED,
            "enveloped_unsupported", "an EnvelopedVerifiableCredential "
            "(data: URL) is not verified inside presentations yet");
    } else if (json_is_object(vc)) {
        badge_ldp_credential(s, child, vc);
    } else if (json_is_string(vc)) {
        /* a VC-JWT in a VC 1.1 presentation */
        jwt = json_string_value(vc);
        badge_vcjwt_verify(s, child, jwt, strlen(jwt));
    } else {
        badge_report_error(child, "credential_invalid", "credential %zu "
            "of the presentation is not an object or a JWT", i + 1);
    }
    badge_report_add_child(r, "credential", child);
    return badge_report_verified(child);
}

static void
badge_ldp_presentation(badge_session_t *s, badge_report_t *r,
    const json_t *vp)
{
    badge_di_verify_opts_t o;
    const json_t          *vcs, *vc;
    const char            *holder;
    size_t                 i, n;
    int                    rc, trusted, ok = 0;

    r->format = "vp-ldp";
    badge_ldp_format(r, vp, "a presentation");
    holder = badge_json_id(vp, "holder");
    badge_report_set(r, BADGE_FIELD_SUBJECT, holder);

    memset(&o, 0, sizeof(o));
    o.purpose = "authentication";
    o.controller = holder;
    o.challenge = s->opts.challenge;
    o.domain = s->opts.domain;
    rc = badge_ldp_proofs(s, r, vp, &o, &trusted);
    if (rc < 0 || s->n_needed > 0) {
        return;
    }
    if (rc == 1) {
        if (holder == NULL) {
            /* the proof shows only that some key signed it */
            badge_report_check(r, "key", BADGE_WARN, "holder_missing",
                "the presentation names no holder, so the key is not "
                "shown to be anyone's in particular");
        }
        r->authenticated = 1;
    }
    if (s->opts.challenge == NULL) {
        badge_report_check(r, "signature", BADGE_WARN, "challenge_unchecked",
            "no challenge was expected: the presentation may be replayed");
    }

    vcs = json_object_get(vp, "verifiableCredential");
    n = json_is_array(vcs) ? json_array_size(vcs) : vcs != NULL;
    if (n == 0) {
        badge_report_check(r, "credentials", BADGE_WARN, "no_credentials",
            "the presentation carries no credential");
        return;
    }
    if (n > BADGE_LDP_MAX_CREDENTIALS) {
        badge_report_check(r, "credentials", BADGE_FAIL,
            "too_many_credentials", "%zu credentials; at most %d are "
            "verified", n, BADGE_LDP_MAX_CREDENTIALS);
        return;
    }
    for (i = 0; i < n; i++) {
        vc = json_is_array(vcs) ? json_array_get(vcs, i) : vcs;
        ok += badge_ldp_child(s, r, vc, i);
        if (s->n_needed > 0 || s->oom) {
            return;
        }
    }
    if ((size_t) ok == n) {
        badge_report_check(r, "credentials", BADGE_PASS,
            "credentials_verified", "all %zu credential%s verified", n,
            n == 1 ? "" : "s");
    } else {
        badge_report_check(r, "credentials", BADGE_FAIL,
            "credential_not_verified", "%zu of %zu credential%s not "
            "verified", n - (size_t) ok, n, n == 1 ? " is" : "s are");
    }
}

void
badge_ldp_verify(badge_session_t *s, badge_report_t *r, const json_t *doc)
{
    if (badge_json_has_string(json_object_get(doc, "type"),
                              "VerifiablePresentation"))
    {
        badge_ldp_presentation(s, r, doc);
        return;
    }
    badge_ldp_credential(s, r, doc);
}
