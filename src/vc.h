/*
 * vc.h: checks common to every securing mechanism of a Verifiable
 * Credential (VC Data Model 1.1 and 2.0) and Open Badges 3.0: structure,
 * summary fields, issuer trust, validity period, status, recipient.
 * VC-JWT and Data Integrity both call these once they know how (and
 * whether) the credential was authenticated.
 * Layer: formats (above session, report, keys).
 */
#ifndef BADGE_VC_H
#define BADGE_VC_H

#include <time.h>

#include <jansson.h>

#include "report.h"
#include "session.h"

#define BADGE_VC1_CONTEXT  "https://www.w3.org/2018/credentials/v1"
#define BADGE_VC2_CONTEXT  "https://www.w3.org/ns/credentials/v2"

/* What badge_vc_schema() read from the credential (strings point into the
 * credential or the session arena). */
typedef struct {
    int          vc2;            /* @context is VC 2.0 (else 1.1) */
    int          ob3;            /* OpenBadgeCredential or
                                    AchievementCredential */
    const char  *id;
    const char  *issuer;         /* issuer id; NULL if unusable */
    const char  *subject;        /* the (first) credentialSubject id */
    const char  *valid_from;     /* validFrom, or issuanceDate (1.1) */
    const char  *valid_until;    /* validUntil, or expirationDate (1.1) */
    /* parsed dates (has_* = present and valid) */
    int          has_from, has_until, has_issuance, has_expiration;
    time_t       from, until, issuance, expiration;
} badge_vc_info_t;

/* What the securing mechanism established. */
typedef struct {
    /* outer validity bounds, e.g. JWT nbf / exp */
    int          has_not_before;
    time_t       not_before;
    int          has_not_after;
    time_t       not_after;
    /* the key was configured as trusted for this issuer */
    int          key_trusted;
    /* the key is shown to belong to the issuer (issuer's DID, a trusted
     * key); 0 e.g. for a key embedded in the token */
    int          key_bound;
} badge_vc_env_t;

/*
 * The "schema" checks (contexts, types, issuer, subject, dates, OB 3.0
 * achievement) and the summary fields; sets r->format to "ob3-<suffix>"
 * or "vc-<suffix>".  Returns 0 if the credential is usable for the other
 * checks, -1 if not (a "schema" fail was reported).
 */
int badge_vc_schema(badge_session_t *s, badge_report_t *r,
    const json_t *cred, const char *suffix, badge_vc_info_t *info);

/*
 * "issuer", "validity", "status" and "recipient" checks.  Run after the
 * proof: r->authenticated decides whether passing checks are presented as
 * such or as "unchecked" (nothing is reassuring about an unauthenticated
 * credential).
 */
void badge_vc_finish(badge_session_t *s, badge_report_t *r,
    const json_t *cred, const badge_vc_info_t *info,
    const badge_vc_env_t *env);

/* RFC 3339 / xsd:dateTime ("2010-01-01T00:00:00Z", "...+09:00", fractions
 * truncated; no zone = UTC).  0 and *t, or -1. */
int badge_vc_parse_date(const char *s, time_t *t);
/* "2010-01-01T00:00:00Z" in buf (at least 32 bytes). */
const char *badge_vc_format_date(time_t t, char *buf, size_t len);

/* A human text value: a string, a {"@value"} object, or the entry of an
 * array of those in lang (else the first).  NULL if none. */
const char *badge_vc_text(const json_t *v, const char *lang);

#endif
