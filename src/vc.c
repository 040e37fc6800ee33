/*
 * vc.c: Verifiable Credential and Open Badges 3.0 checks that do not
 * depend on how the credential is secured.
 */
#include "vc.h"
#include "status.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "ctx.h"
#include "datetime.h"
#include "json.h"

#define BADGE_OB3_CONTEXT_PREFIX  "https://purl.imsglobal.org/spec/ob/v3p0/"

/* ------------------------------------------------------------------ */
/* dates                                                                */

int
badge_vc_parse_date(const char *s, time_t *t)
{
    return badge_datetime_parse_strict(s, t);
}

const char *
badge_vc_format_date(time_t t, char *buf, size_t len)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL
        || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(buf, len, "%lld", (long long) t);
    }
    return buf;
}

const char *
badge_vc_text(const json_t *v, const char *lang)
{
    const json_t *e;
    const char   *l, *first = NULL;
    size_t        i;

    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_object(v)) {
        return badge_json_str(v, "@value");
    }
    json_array_foreach(v, i, e) {
        const char *t = badge_vc_text(json_is_array(e) ? NULL : e, lang);

        if (t == NULL) {
            continue;
        }
        if (first == NULL) {
            first = t;
        }
        l = badge_json_str(e, "@language");
        if (lang != NULL && l != NULL
            && strncasecmp(l, lang, strlen(lang)) == 0)
        {
            return t;
        }
    }
    return first;
}

/* ------------------------------------------------------------------ */
/* structure                                                            */

static const char *
badge_vc_first_context(const json_t *cred)
{
    const json_t *c = json_object_get(cred, "@context");

    if (json_is_array(c)) {
        c = json_array_get(c, 0);
    }
    return json_string_value(c);
}

static int
badge_vc_has_context_prefix(const json_t *cred, const char *prefix)
{
    const json_t *c = json_object_get(cred, "@context"), *e;
    size_t        i;

    if (json_is_string(c)) {
        return strncmp(json_string_value(c), prefix, strlen(prefix)) == 0;
    }
    json_array_foreach(c, i, e) {
        if (json_is_string(e)
            && strncmp(json_string_value(e), prefix, strlen(prefix)) == 0)
        {
            return 1;
        }
    }
    return 0;
}

/* A date member: absent (0), valid (1, *t set), or invalid (-1, a schema
 * fail is reported). */
static int
badge_vc_date(badge_report_t *r, const json_t *cred, const char *name,
    const char **str, time_t *t)
{
    const json_t *v = json_object_get(cred, name);

    if (v == NULL) {
        return 0;
    }
    if (!json_is_string(v)
        || badge_vc_parse_date(json_string_value(v), t) != 0)
    {
        badge_report_check(r, "schema", BADGE_FAIL, "date_invalid",
            "%s is not a valid date-time", name);
        return -1;
    }
    if (str != NULL) {
        *str = json_string_value(v);
    }
    return 1;
}

/*
 * What is present but deliberately not acted on: credentialSchema (JSON
 * Schema validation is not performed) and refreshService (never
 * contacted).  "unchecked": neither changes the verdict.
 */
static void
badge_vc_not_checked(badge_report_t *r, const json_t *cred)
{
    const json_t *v, *one;
    size_t        i, n;

    v = json_object_get(cred, "credentialSchema");
    n = json_is_array(v) ? json_array_size(v) : v != NULL;
    for (i = 0; i < n && i < 4; i++) {
        one = json_is_array(v) ? json_array_get(v, i) : v;
        badge_report_check(r, "schema", BADGE_UNCHECKED,
            "credential_schema_unchecked", "credentialSchema %.200s (%.60s): "
            "JSON Schema validation is not performed",
            badge_json_str(one, "id") != NULL ? badge_json_str(one, "id")
                                              : "without an id",
            badge_json_str(one, "type") != NULL ? badge_json_str(one, "type")
                                                : "no type");
    }
    if (n > 4) {
        badge_report_check(r, "schema", BADGE_UNCHECKED,
            "credential_schema_unchecked", "%zu more credentialSchema "
            "entries: JSON Schema validation is not performed", n - 4);
    }
    v = json_object_get(cred, "refreshService");
    if (v != NULL) {
        one = json_is_array(v) ? json_array_get(v, 0) : v;
        badge_report_check(r, "refresh", BADGE_UNCHECKED,
            "refresh_service_ignored", "the refreshService %.200s is not "
            "contacted", badge_json_str(one, "id") != NULL
                             ? badge_json_str(one, "id") : "(without an id)");
    }
}

int
badge_vc_schema(badge_session_t *s, badge_report_t *r, const json_t *cred,
    const char *suffix, badge_vc_info_t *info)
{
    const json_t *type, *issuer, *subj, *first_subj = NULL, *ach = NULL;
    const char   *ctx0, *v, *name;
    const char   *lang = s->opts.lang;
    int           fails = 0, obtype, rc;
    size_t        i;

    memset(info, 0, sizeof(*info));
    type = json_object_get(cred, "type");
    obtype = badge_json_has_string(type, "OpenBadgeCredential")
             || badge_json_has_string(type, "AchievementCredential");
    info->ob3 = obtype || badge_json_has_string(type,
                                                "EndorsementCredential");
    r->format = badge_arena_sprintf(s->arena, "%s-%s",
        info->ob3 ? "ob3" : "vc", suffix);

    ctx0 = badge_vc_first_context(cred);
    if (ctx0 != NULL && strcmp(ctx0, BADGE_VC2_CONTEXT) == 0) {
        info->vc2 = 1;
    } else if (ctx0 == NULL || strcmp(ctx0, BADGE_VC1_CONTEXT) != 0) {
        badge_report_check(r, "schema", BADGE_FAIL, "context_invalid",
            "the first @context is not the VC 1.1 or 2.0 context (%.100s)",
            ctx0 != NULL ? ctx0 : "none");
        fails++;
    }
    if (!badge_json_has_string(type, "VerifiableCredential")) {
        badge_report_check(r, "schema", BADGE_FAIL, "type_invalid",
            "type does not include VerifiableCredential");
        fails++;
    }
    if (!info->ob3 && !badge_json_has_string(type, "ClrCredential")
        && badge_vc_has_context_prefix(cred, BADGE_OB3_CONTEXT_PREFIX))
    {
        badge_report_check(r, "schema", BADGE_FAIL, "type_invalid",
            "an Open Badges 3.0 credential must be an OpenBadgeCredential, "
            "AchievementCredential or EndorsementCredential");
        fails++;
    }

    /* issuer: a URI, or an object whose id is one */
    issuer = json_object_get(cred, "issuer");
    v = json_is_string(issuer) ? json_string_value(issuer)
                               : badge_json_str(issuer, "id");
    if (v == NULL || v[0] == '\0' || strchr(v, ':') == NULL) {
        badge_report_check(r, "schema", BADGE_FAIL,
            issuer == NULL ? "issuer_missing" : "issuer_invalid",
            issuer == NULL ? "the credential has no issuer"
                           : "the issuer has no id that is a URI");
        fails++;
    } else {
        info->issuer = v;
        badge_report_set(r, BADGE_FIELD_ISSUER, v);
        if (json_is_object(issuer)) {
            name = badge_vc_text(json_object_get(issuer, "name"), lang);
            badge_report_set(r, BADGE_FIELD_ISSUER_NAME, name);
        }
    }

    subj = json_object_get(cred, "credentialSubject");
    if (json_is_object(subj)) {
        first_subj = subj;
    } else if (json_is_array(subj)) {
        json_array_foreach(subj, i, first_subj) {
            if (!json_is_object(first_subj)) {
                first_subj = NULL;
                break;
            }
        }
        first_subj = first_subj != NULL ? json_array_get(subj, 0) : NULL;
    }
    if (first_subj == NULL) {
        badge_report_check(r, "schema", BADGE_FAIL, "subject_missing",
            "credentialSubject is missing or not an object");
        fails++;
    } else {
        info->subject = badge_json_str(first_subj, "id");
        badge_report_set(r, BADGE_FIELD_SUBJECT, info->subject);
        ach = json_object_get(first_subj, "achievement");
    }

    info->id = badge_json_str(cred, "id");
    if (json_object_get(cred, "id") != NULL && info->id == NULL) {
        badge_report_check(r, "schema", BADGE_FAIL, "id_invalid",
            "the credential id is not a string");
        fails++;
    }
    badge_report_set(r, BADGE_FIELD_CREDENTIAL_ID, info->id);

    /* dates: VC 2.0 validFrom/validUntil, VC 1.1 issuanceDate/
     * expirationDate (OB 3.0 on 1.1 also used validFrom) */
    rc = badge_vc_date(r, cred, "validFrom", &info->valid_from, &info->from);
    fails += rc < 0;
    info->has_from = rc > 0;
    rc = badge_vc_date(r, cred, "validUntil", &info->valid_until,
        &info->until);
    fails += rc < 0;
    info->has_until = rc > 0;
    rc = badge_vc_date(r, cred, "issuanceDate",
        info->valid_from == NULL ? &info->valid_from : NULL,
        &info->issuance);
    fails += rc < 0;
    info->has_issuance = rc > 0;
    rc = badge_vc_date(r, cred, "expirationDate",
        info->valid_until == NULL ? &info->valid_until : NULL,
        &info->expiration);
    fails += rc < 0;
    info->has_expiration = rc > 0;
    if (!info->vc2 && !info->has_issuance && !info->has_from && rc >= 0) {
        badge_report_check(r, "schema", BADGE_WARN, "issuance_date_missing",
            "a VC 1.1 credential should have an issuanceDate");
    }
    badge_report_set(r, BADGE_FIELD_VALID_FROM, info->valid_from);
    badge_report_set(r, BADGE_FIELD_VALID_UNTIL, info->valid_until);

    /* summary of the achievement (OB 3.0), or the credential's name */
    if (json_is_object(ach)) {
        badge_report_set(r, BADGE_FIELD_ACHIEVEMENT,
            badge_json_str(ach, "id"));
        badge_report_set(r, BADGE_FIELD_ACHIEVEMENT_NAME,
            badge_vc_text(json_object_get(ach, "name"), lang));
        v = badge_json_str(ach, "achievementType");
        if (v == NULL) {
            type = json_object_get(ach, "type");
            v = json_is_array(type) ? json_string_value(json_array_get(type,
                                                                       0))
                                    : json_string_value(type);
        }
        badge_report_set(r, BADGE_FIELD_ACHIEVEMENT_TYPE, v);
    } else {
        if (obtype && first_subj != NULL) {
            badge_report_check(r, "schema", BADGE_WARN,
                "achievement_missing", "credentialSubject has no "
                "achievement (required by Open Badges 3.0)");
        }
        badge_report_set(r, BADGE_FIELD_ACHIEVEMENT_NAME,
            badge_vc_text(json_object_get(cred, "name"), lang));
    }
    if (info->ob3 && info->vc2
        && !badge_vc_has_context_prefix(cred, BADGE_OB3_CONTEXT_PREFIX))
    {
        badge_report_check(r, "schema", BADGE_WARN, "ob3_context_missing",
            "an Open Badges 3.0 credential should use the OB 3.0 context");
    }
    if (fails == 0) {
        badge_report_check(r, "schema", BADGE_PASS, "schema_valid",
            "a VC %s %s", info->vc2 ? "2.0" : "1.1",
            obtype ? "Open Badges 3.0 credential"
                   : info->ob3 ? "Open Badges 3.0 endorsement"
                               : "credential");
    }
    badge_vc_not_checked(r, cred);
    return fails == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* issuer, validity, status, recipient                                  */

static void
badge_vc_issuer(badge_session_t *s, badge_report_t *r,
    const badge_vc_info_t *info, const badge_vc_env_t *env)
{
    int required = badge_ctx_get_option(s->ctx, BADGE_OPT_REQUIRE_TRUSTED)
                   != 0;

    if (info->issuer == NULL) {
        return;
    }
    if (!r->authenticated) {
        badge_report_check(r, "issuer", BADGE_UNCHECKED,
            "issuer_unauthenticated", "not checked: the credential is not "
            "authenticated");
        return;
    }
    if (env->key_trusted) {
        badge_report_check(r, "issuer", BADGE_PASS, "issuer_trusted",
            "%s signed with a key configured as trusted", info->issuer);
        return;
    }
    if (badge_ctx_issuer_trusted(s->ctx, info->issuer)) {
        if (env->key_bound) {
            badge_report_check(r, "issuer", BADGE_PASS, "issuer_trusted",
                "%s is a trusted issuer", info->issuer);
        } else {
            /* a trusted name is worthless if anyone's key may sign it */
            badge_report_check(r, "issuer", required ? BADGE_FAIL
                                                     : BADGE_WARN,
                "issuer_key_unbound", "%s is trusted, but the signing key "
                "is not shown to be the issuer's", info->issuer);
        }
        return;
    }
    badge_report_check(r, "issuer", required ? BADGE_FAIL : BADGE_WARN,
        "issuer_unknown", "%s is not a configured trusted issuer",
        info->issuer);
}

static void
badge_vc_validity(badge_session_t *s, badge_report_t *r,
    const badge_vc_info_t *info, const badge_vc_env_t *env)
{
    time_t nb = 0, na = 0, now = s->now;
    long   skew = badge_ctx_get_option(s->ctx, BADGE_OPT_CLOCK_SKEW);
    int    has_nb = 0, has_na = 0;
    char   b1[40], b2[40];

    /* the tightest of every bound the credential and envelope state */
#define BADGE_LATER(has, v, t)  \
    if (!has || (t) > v) { v = (t); has = 1; }
#define BADGE_EARLIER(has, v, t)  \
    if (!has || (t) < v) { v = (t); has = 1; }
    if (info->has_from) {
        BADGE_LATER(has_nb, nb, info->from);
    }
    if (info->has_issuance) {
        BADGE_LATER(has_nb, nb, info->issuance);
    }
    if (env->has_not_before) {
        BADGE_LATER(has_nb, nb, env->not_before);
    }
    if (info->has_until) {
        BADGE_EARLIER(has_na, na, info->until);
    }
    if (info->has_expiration) {
        BADGE_EARLIER(has_na, na, info->expiration);
    }
    if (env->has_not_after) {
        BADGE_EARLIER(has_na, na, env->not_after);
    }
#undef BADGE_LATER
#undef BADGE_EARLIER
    if (has_nb && now + skew < nb) {
        badge_report_check(r, "validity", BADGE_FAIL, "not_yet_valid",
            "not valid before %s", badge_vc_format_date(nb, b1, sizeof(b1)));
        return;
    }
    if (has_na && now - skew >= na) {
        r->expired = 1;
        badge_report_check(r, "validity", BADGE_FAIL, "expired",
            "expired at %s", badge_vc_format_date(na, b1, sizeof(b1)));
        return;
    }
    if (has_nb) {
        badge_vc_format_date(nb, b1, sizeof(b1));
    }
    if (has_na) {
        badge_vc_format_date(na, b2, sizeof(b2));
    }
    badge_report_check(r, "validity",
        r->authenticated ? BADGE_PASS : BADGE_UNCHECKED,
        r->authenticated ? "valid" : "not_authenticated",
        "%s%s%s%s%s", r->authenticated ? "" : "(not authenticated) ",
        has_nb ? "valid from " : "no start date",
        has_nb ? b1 : "", has_na ? ", until " : ", no expiry",
        has_na ? b2 : "");
}

/* "sha256$<hex>" of identity + salt, as OB 2.0 / 3.0 hash recipients. */
static int
badge_vc_hash_matches(const char *hash, const char *identity,
    const char *salt)
{
    unsigned char  md[EVP_MAX_MD_SIZE];
    unsigned int   mdlen;
    char           hex[2 * EVP_MAX_MD_SIZE + 1];
    EVP_MD_CTX    *c;
    unsigned int   i;
    int            ok;

    if (strncasecmp(hash, "sha256$", 7) != 0) {
        return 0;
    }
    c = EVP_MD_CTX_new();
    ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1
         && EVP_DigestUpdate(c, identity, strlen(identity)) == 1
         && (salt == NULL || EVP_DigestUpdate(c, salt, strlen(salt)) == 1)
         && EVP_DigestFinal_ex(c, md, &mdlen) == 1;
    EVP_MD_CTX_free(c);
    if (!ok) {
        return 0;
    }
    for (i = 0; i < mdlen; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    return strcasecmp(hex, hash + 7) == 0;
}

static void
badge_vc_recipient(badge_session_t *s, badge_report_t *r,
    const json_t *cred)
{
    const char   *want = s->opts.recipient, *h;
    const json_t *subj, *ids, *e, *f;
    size_t        i, j, n;
    int           match = 0;

    subj = json_object_get(cred, "credentialSubject");
    n = json_is_array(subj) ? json_array_size(subj) : 1;
    for (i = 0; i < n && !match; i++) {
        e = json_is_array(subj) ? json_array_get(subj, i) : subj;
        h = badge_json_str(e, "id");
        if (h != NULL && strcmp(h, want) == 0) {
            match = 1;
            break;
        }
        ids = json_object_get(e, "identifier");
        json_array_foreach(ids, j, f) {
            h = badge_json_str(f, "identityHash");
            if (h == NULL) {
                continue;
            }
            if (json_is_true(json_object_get(f, "hashed"))
                ? badge_vc_hash_matches(h, want, badge_json_str(f, "salt"))
                : strcmp(h, want) == 0)
            {
                match = 1;
                break;
            }
        }
    }
    if (!match) {
        badge_report_check(r, "recipient", BADGE_FAIL, "recipient_mismatch",
            "the credential was not issued to %.200s", want);
    } else {
        badge_report_check(r, "recipient",
            r->authenticated ? BADGE_PASS : BADGE_UNCHECKED,
            r->authenticated ? "recipient_match" : "not_authenticated",
            "issued to %.200s", want);
    }
}

void
badge_vc_finish(badge_session_t *s, badge_report_t *r, const json_t *cred,
    const badge_vc_info_t *info, const badge_vc_env_t *env)
{
    badge_vc_issuer(s, r, info, env);
    badge_vc_validity(s, r, info, env);
    badge_status_check(s, r, cred);
    if (s->opts.recipient != NULL) {
        badge_vc_recipient(s, r, cred);
    }
}
