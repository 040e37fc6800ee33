/*
 * ob2.c: Open Badges 2.0 hosted and signed verification.
 *
 * The assertion, its BadgeClass, the issuer Profile, the signing key and
 * the revocation list are separate documents; each run asks for those it
 * lacks (independent ones in the same round) and stops, and the host
 * reruns with them.  Whatever the holder handed over is only a pointer:
 * the checks read the issuer's hosted copy, or the signed payload.
 */
#include "ob2.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "ctx.h"
#include "datetime.h"
#include "detect.h"
#include "endorse.h"
#include "json.h"
#include "jws.h"
#include "keys.h"
#include "url.h"

typedef enum {
    BADGE_OB2_OK = 0,
    BADGE_OB2_PENDING,      /* documents requested: stop, the host reruns */
    BADGE_OB2_STOP          /* reported; nothing more to check */
} badge_ob2_rc_t;

typedef struct {
    badge_session_t  *s;
    badge_report_t   *r;
    const json_t     *assertion;    /* the trusted copy */
    const char       *id;           /* the assertion id */
    const json_t     *badge;        /* BadgeClass */
    const char       *badge_url;    /* fetched from; NULL if embedded */
    const json_t     *issuer;       /* Profile */
    const char       *issuer_url;   /* fetched from; NULL if embedded */
    const char       *issuer_id;
    int               revoked_410;
} badge_ob2_t;

/* Open Badges 2.0 classes that are not assertions: given one, say so
 * rather than "invalid". */
static const char *badge_ob2_other_classes[] = {
    "BadgeClass", "Issuer", "Profile", "Endorsement", "AlignmentObject",
    "Criteria", "CryptographicKey", "RevocationList", "Extension", "Image",
    "Evidence", "IdentityObject", "VerificationObject", NULL
};

/* ------------------------------------------------------------------ */
/* Shape                                                                */

static int
badge_ob2_ctx_string(const char *c)
{
    return strncmp(c, "https://w3id.org/openbadges", 27) == 0
           || strncmp(c, "http://w3id.org/openbadges", 26) == 0
           || strncmp(c, "https://openbadgespec.org", 25) == 0;
}

/* An inline copy of the OB 2.0 context maps "obi" to the vocabulary. */
static int
badge_ob2_ctx_inline(const json_t *c)
{
    const char *obi = badge_json_str(c, "obi");

    return obi != NULL && strcmp(obi, "https://w3id.org/openbadges#") == 0;
}

badge_ob_shape_t
badge_ob2_detect(const json_t *doc)
{
    const json_t *ctx, *e;
    const char   *c;
    size_t        i;

    if (!json_is_object(doc)) {
        return BADGE_OB_NONE;
    }
    ctx = json_object_get(doc, "@context");
    if (ctx == NULL) {
        /* 0.5 and 1.0 had no @context */
        return json_object_get(doc, "recipient") != NULL
               && json_object_get(doc, "badge") != NULL
               ? BADGE_OB_LEGACY : BADGE_OB_NONE;
    }
    if (json_is_string(ctx)) {
        c = json_string_value(ctx);
        if (strstr(c, "openbadges/v1") != NULL
            || strncmp(c, "https://openbadgespec.org", 25) == 0)
        {
            return BADGE_OB_LEGACY;
        }
        return badge_ob2_ctx_string(c) ? BADGE_OB_V2 : BADGE_OB_NONE;
    }
    if (json_is_object(ctx)) {
        return badge_ob2_ctx_inline(ctx) ? BADGE_OB_V2 : BADGE_OB_NONE;
    }
    json_array_foreach(ctx, i, e) {
        if (json_is_string(e) && badge_ob2_ctx_string(json_string_value(e)))
        {
            return strstr(json_string_value(e), "openbadges/v1") != NULL
                   ? BADGE_OB_LEGACY : BADGE_OB_V2;
        }
        if (json_is_object(e) && badge_ob2_ctx_inline(e)) {
            return BADGE_OB_V2;
        }
    }
    return BADGE_OB_NONE;
}

static int
badge_ob2_has_type(const json_t *node, const char *type)
{
    const json_t *t = json_object_get(node, "type");
    char          iri[96];

    if (badge_json_has_string(t, type)) {
        return 1;
    }
    snprintf(iri, sizeof(iri), "https://w3id.org/openbadges#%s", type);
    if (badge_json_has_string(t, iri)) {
        return 1;
    }
    snprintf(iri, sizeof(iri), "obi:%s", type);
    return badge_json_has_string(t, iri);
}

static const char *
badge_ob2_type_name(const json_t *node)
{
    const json_t *t = json_object_get(node, "type");

    if (json_is_array(t)) {
        t = json_array_get(t, 0);
    }
    return json_is_string(t) ? json_string_value(t) : "(none)";
}

/* The assertion's own structure: type, context, required properties.
 * Any failure here stops verification (nothing else would mean much). */
static badge_ob2_rc_t
badge_ob2_structure(badge_ob2_t *o, const json_t *a)
{
    badge_report_t *r = o->r;
    const json_t   *ctx, *rec, *v, *e;
    const char     *missing = NULL;
    const char    **k;
    size_t          i;
    int             ok = 0;

    if (!badge_ob2_has_type(a, "Assertion")) {
        for (k = badge_ob2_other_classes; *k != NULL; k++) {
            if (badge_ob2_has_type(a, *k)) {
                badge_report_error(r, "ob2_not_assertion", "this is an Open "
                    "Badges 2.0 %s, not an assertion (a badge awarded to "
                    "someone): there is nothing to verify", *k);
                return BADGE_OB2_STOP;
            }
        }
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_type_invalid",
            "the type is \"%.60s\", not \"Assertion\"",
            badge_ob2_type_name(a));
        return BADGE_OB2_STOP;
    }
    ctx = json_object_get(a, "@context");
    if (json_is_string(ctx)) {
        ok = strcmp(json_string_value(ctx), BADGE_OB2_CONTEXT) == 0;
    } else {
        json_array_foreach(ctx, i, e) {
            if (json_is_string(e)
                && strcmp(json_string_value(e), BADGE_OB2_CONTEXT) == 0)
            {
                ok = 1;
            }
        }
    }
    if (!ok) {
        badge_report_check(r, "context", BADGE_FAIL, "ob2_context_invalid",
            "the @context is not %s", BADGE_OB2_CONTEXT);
        return BADGE_OB2_STOP;
    }
    rec = json_object_get(a, "recipient");
    v = json_object_get(a, "verification");
    if (!json_is_string(json_object_get(a, "id"))) {
        missing = "id";
    } else if (!json_is_object(rec)
               || badge_json_str(rec, "identity") == NULL
               || badge_json_str(rec, "type") == NULL)
    {
        missing = "recipient (with type and identity)";
    } else if (!json_is_string(json_object_get(a, "badge"))
               && !json_is_object(json_object_get(a, "badge")))
    {
        missing = "badge";
    } else if (!json_is_object(v) || badge_json_str(v, "type") == NULL) {
        missing = "verification (with a type)";
    } else if (badge_json_str(a, "issuedOn") == NULL) {
        missing = "issuedOn";
    }
    if (missing != NULL) {
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_missing_property",
            "the assertion has no valid %s", missing);
        return BADGE_OB2_STOP;
    }
    o->id = badge_json_str(a, "id");
    return BADGE_OB2_OK;
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */

/*
 * Fetch url as a JSON object.  OK with *out; PENDING; or STOP after
 * reporting check as unchecked ("could not fetch") or failed (not JSON).
 * *doc is set whenever the host answered (callers read the HTTP status).
 */
static badge_ob2_rc_t
badge_ob2_fetch(badge_ob2_t *o, const char *url, const char *check,
    const char *what, const json_t **out, const badge_doc_t **doc)
{
    const unsigned char *p;
    size_t               n;
    badge_err_t          why;
    const json_t        *v;

    badge_err_clear(&why);
    *out = NULL;
    *doc = NULL;
    switch (badge_session_document(o->s, url, doc, &why)) {
    case BADGE_DOC_OK:
        break;
    case BADGE_DOC_PENDING:
        return BADGE_OB2_PENDING;
    default:
        badge_report_check(o->r, check, BADGE_UNCHECKED, "ob2_unavailable",
            "the %s could not be fetched: %s", what, why.message);
        return BADGE_OB2_STOP;
    }
    p = (*doc)->body;
    n = (*doc)->len;
    if (p != NULL) {
        badge_trim(&p, &n);
    }
    v = p != NULL && n > 0 && p[0] == '{'
        ? badge_session_parse_json(o->s, (const char *) p, n, &why) : NULL;
    if (!json_is_object(v)) {
        badge_report_check(o->r, check, BADGE_FAIL, "ob2_document_invalid",
            "the %s at %.200s is not a JSON object%s%s", what, url,
            why.code != NULL ? ": " : "", why.code != NULL ? why.message : "");
        return BADGE_OB2_STOP;
    }
    *out = v;
    return BADGE_OB2_OK;
}

static int
badge_ob2_is_http(const char *s)
{
    return s != NULL && (strncmp(s, "https://", 8) == 0
                         || strncmp(s, "http://", 7) == 0);
}

/* The BadgeClass and the issuer Profile of the trusted assertion. */
static badge_ob2_rc_t
badge_ob2_badge_and_issuer(badge_ob2_t *o)
{
    badge_report_t    *r = o->r;
    const json_t      *b, *iss;
    const badge_doc_t *doc;
    const char        *url, *id, *missing = NULL;
    badge_ob2_rc_t     rc;

    b = json_object_get(o->assertion, "badge");
    if (json_is_string(b)) {
        url = json_string_value(b);
        rc = badge_ob2_fetch(o, url, "issuer", "BadgeClass", &b, &doc);
        if (rc != BADGE_OB2_OK) {
            return rc;
        }
        o->badge_url = url;
        id = badge_json_str(b, "id");
        if (id != NULL && strcmp(id, url) != 0) {
            badge_report_check(r, "issuer", BADGE_WARN, "ob2_redirected",
                "the BadgeClass fetched from %.200s names itself %.200s",
                url, id);
        }
    }
    if (!badge_ob2_has_type(b, "BadgeClass")) {
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_badgeclass_invalid",
            "the badge is not a BadgeClass (type %.60s)",
            badge_ob2_type_name(b));
        return BADGE_OB2_STOP;
    }
    if (badge_json_str(b, "name") == NULL) {
        missing = "name";
    } else if (badge_json_str(b, "description") == NULL) {
        missing = "description";
    } else if (json_object_get(b, "image") == NULL) {
        missing = "image";
    } else if (json_object_get(b, "criteria") == NULL) {
        missing = "criteria";
    } else if (badge_json_id(b, "issuer") == NULL) {
        missing = "issuer";
    }
    if (missing != NULL) {
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_badgeclass_invalid",
            "the BadgeClass has no valid %s", missing);
        return BADGE_OB2_STOP;
    }
    o->badge = b;

    iss = json_object_get(b, "issuer");
    if (json_is_string(iss)) {
        url = json_string_value(iss);
        rc = badge_ob2_fetch(o, url, "issuer", "issuer profile", &iss, &doc);
        if (rc != BADGE_OB2_OK) {
            return rc;
        }
        o->issuer_url = url;
    }
    if (!badge_ob2_has_type(iss, "Issuer")
        && !badge_ob2_has_type(iss, "Profile"))
    {
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_issuer_invalid",
            "the BadgeClass's issuer is not an issuer Profile (type %.60s)",
            badge_ob2_type_name(iss));
        return BADGE_OB2_STOP;
    }
    id = badge_json_str(iss, "id");
    if (badge_json_str(iss, "name") == NULL
        || (id == NULL && badge_json_str(iss, "url") == NULL))
    {
        badge_report_check(r, "schema", BADGE_FAIL, "ob2_issuer_invalid",
            "the issuer profile needs a name and a url or id");
        return BADGE_OB2_STOP;
    }
    o->issuer = iss;
    o->issuer_id = id != NULL ? id : o->issuer_url;
    if (id != NULL && !badge_ob2_is_http(id)) {
        badge_report_check(r, "issuer", BADGE_WARN, "ob2_issuer_id_not_http",
            "the issuer's id %.200s is not an HTTP URL", id);
    } else if (id != NULL && o->issuer_url != NULL
               && strcmp(id, o->issuer_url) != 0)
    {
        badge_report_check(r, "issuer", BADGE_WARN, "ob2_redirected",
            "the issuer profile fetched from %.200s names itself %.200s",
            o->issuer_url, id);
    }
    return BADGE_OB2_OK;
}

/* ------------------------------------------------------------------ */
/* Hosted verification scope                                            */

static const char *
badge_ob2_host(badge_ob2_t *o, const char *url)
{
    badge_url_t u;

    if (url == NULL || badge_url_parse(o->s->arena, url, &u) != 0) {
        return NULL;
    }
    return u.host;
}

/* 1 if the assertion id lies in the issuer's verification scope; 0 (with
 * a reason in why) if not. */
static int
badge_ob2_in_scope(badge_ob2_t *o, badge_err_t *why)
{
    const json_t *policy, *sw, *ao, *e;
    const char   *host, *base;
    size_t        i;
    int           ok;

    host = badge_ob2_host(o, o->id);
    if (host == NULL) {
        badge_err_set(why, "ob2_hosted_id_invalid",
            "the assertion id is not an http(s) URL");
        return 0;
    }
    policy = json_object_get(o->issuer, "verification");
    sw = json_object_get(policy, "startsWith");
    ao = json_object_get(policy, "allowedOrigins");
    if (sw != NULL) {
        ok = 0;
        if (json_is_string(sw)) {
            ok = strncmp(o->id, json_string_value(sw),
                         json_string_length(sw)) == 0
                 && json_string_length(sw) > 0;
        }
        json_array_foreach(sw, i, e) {
            if (json_is_string(e) && json_string_length(e) > 0
                && strncmp(o->id, json_string_value(e),
                           json_string_length(e)) == 0)
            {
                ok = 1;
            }
        }
        if (!ok) {
            badge_err_set(why, "ob2_hosted_out_of_scope",
                "the assertion id %.200s does not start with any of the "
                "issuer's verification.startsWith values", o->id);
            return 0;
        }
    }
    if (ao != NULL) {
        ok = json_is_string(ao)
             && strcasecmp(json_string_value(ao), host) == 0;
        json_array_foreach(ao, i, e) {
            if (json_is_string(e)
                && strcasecmp(json_string_value(e), host) == 0)
            {
                ok = 1;
            }
        }
        if (!ok) {
            badge_err_set(why, "ob2_hosted_out_of_scope",
                "the assertion is hosted on %.100s, not in the issuer's "
                "verification.allowedOrigins", host);
            return 0;
        }
        return 1;
    }
    /* the default scope: the issuer's own host (its id, or where the
     * profile was fetched from when the id is not a URL) */
    base = badge_ob2_is_http(o->issuer_id) ? o->issuer_id : o->issuer_url;
    if (base == NULL) {
        base = o->badge_url;
    }
    if (base == NULL || badge_ob2_host(o, base) == NULL) {
        badge_err_set(why, "ob2_hosted_no_scope", "the issuer has no HTTP "
            "host to check the hosted assertion against");
        return 0;
    }
    if (strcasecmp(badge_ob2_host(o, base), host) != 0) {
        badge_err_set(why, "ob2_hosted_out_of_scope",
            "the assertion is hosted on %.100s, not on the issuer's host "
            "%.100s", host, badge_ob2_host(o, base));
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Checks common to hosted and signed                                   */

/*
 * Open Badges 2.0 endorsements: an Endorsement is a hosted document of its
 * own (its id is where its endorser hosts it), about a claim.id (the
 * assertion, the BadgeClass or the issuer that lists it), by an issuer
 * Profile whose verification policy decides where it may be hosted, as
 * for a hosted assertion.  Each goes into a child report of role
 * "endorsement" and never changes the assertion's verdict.  Signed
 * endorsements are reported unchecked.  At most BADGE_ENDORSE_MAX.
 */
static void
badge_ob2_endorsement(badge_ob2_t *o, const json_t *e, const char *target,
    const char *what)
{
    badge_report_t    *child;
    badge_ob2_t        eo;
    const json_t      *doc, *iss, *claim;
    const badge_doc_t *d;
    const char        *url, *about, *vtype;
    badge_err_t        why;
    badge_ob2_rc_t     rc;

    child = badge_report_new(o->s->arena, o->s->opts.lang);
    if (child == NULL) {
        o->s->oom = 1;
        return;
    }
    child->format = "ob2-endorsement";
    badge_report_add_child(o->r, "endorsement", child);
    memset(&eo, 0, sizeof(eo));
    eo.s = o->s;
    eo.r = child;

    url = json_is_string(e) ? json_string_value(e) : badge_json_str(e, "id");
    vtype = badge_json_str(json_object_get(e, "verification"), "type");
    if (vtype != NULL && (strcasecmp(vtype, "signed") == 0
                          || strcmp(vtype, "SignedBadge") == 0))
    {
        badge_report_check(child, "endorsement", BADGE_UNCHECKED,
            "ob2_endorsement_signed", "a signed Open Badges 2.0 endorsement "
            "of the %s is not verified", what);
        return;
    }
    if (!badge_ob2_is_http(url)) {
        badge_report_check(child, "endorsement", BADGE_FAIL,
            "ob2_endorsement_invalid", "an endorsement of the %s has no "
            "http(s) id to fetch it from", what);
        return;
    }
    /* the endorser's copy is the one that counts */
    badge_err_clear(&why);
    if (badge_session_document(o->s, url, &d, &why) == BADGE_DOC_UNAVAILABLE
        && d != NULL && d->http_status == 410)
    {
        badge_report_check(child, "status", BADGE_FAIL,
            "ob2_endorsement_revoked", "the endorser answers 410 Gone for "
            "%.200s", url);
        return;
    }
    rc = badge_ob2_fetch(&eo, url, "hosted", "endorsement", &doc, &d);
    if (rc != BADGE_OB2_OK) {
        return;
    }
    if (!badge_ob2_has_type(doc, "Endorsement")
        || badge_json_str(doc, "id") == NULL
        || strcmp(badge_json_str(doc, "id"), url) != 0)
    {
        badge_report_check(child, "endorsement", BADGE_FAIL,
            "ob2_endorsement_invalid", "the document at %.200s is not an "
            "Endorsement with that id", url);
        return;
    }
    claim = json_object_get(doc, "claim");
    about = badge_json_id(doc, "claim");
    if (!json_is_object(claim) || about == NULL || target == NULL
        || strcmp(about, target) != 0)
    {
        badge_report_check(child, "endorsement", BADGE_FAIL,
            "ob2_endorsement_claim_mismatch", "the endorsement is about "
            "%.200s, not the %s that lists it (%.200s)",
            about != NULL ? about : "nothing named", what,
            target != NULL ? target : "no id");
        return;
    }
    badge_report_set(child, BADGE_FIELD_CREDENTIAL_ID, url);
    iss = json_object_get(doc, "issuer");
    if (json_is_string(iss)) {
        eo.issuer_url = json_string_value(iss);
        rc = badge_ob2_fetch(&eo, eo.issuer_url, "issuer",
                             "endorser's profile", &iss, &d);
        if (rc != BADGE_OB2_OK) {
            return;
        }
    }
    if (!badge_ob2_has_type(iss, "Issuer")
        && !badge_ob2_has_type(iss, "Profile"))
    {
        badge_report_check(child, "issuer", BADGE_FAIL, "ob2_issuer_invalid",
            "the endorsement's issuer is not an issuer Profile");
        return;
    }
    eo.issuer = iss;
    eo.issuer_id = badge_json_str(iss, "id") != NULL
                   ? badge_json_str(iss, "id") : eo.issuer_url;
    eo.id = url;
    badge_report_set(child, BADGE_FIELD_ISSUER, eo.issuer_id);
    badge_report_set(child, BADGE_FIELD_ISSUER_NAME,
                     badge_json_str(iss, "name"));
    badge_report_set(child, BADGE_FIELD_VALID_FROM,
                     badge_json_str(doc, "issuedOn"));
    badge_err_clear(&why);
    if (!badge_ob2_in_scope(&eo, &why)) {
        badge_report_check(child, "hosted", BADGE_FAIL, why.code, "%s",
            why.message);
        return;
    }
    child->authenticated = 1;
    badge_report_check(child, "hosted", BADGE_PASS, "ob2_hosted",
        "the endorser hosts this endorsement at %.200s, within its "
        "verification scope", url);
    badge_report_check(child, "endorsement", BADGE_PASS,
        "endorsement_subject", "endorses the %s %.200s", what, target);
    if (json_is_true(json_object_get(doc, "revoked"))) {
        child->revoked = 1;
        badge_report_check(child, "status", BADGE_FAIL,
            "ob2_endorsement_revoked", "the endorser has revoked this "
            "endorsement");
    }
}

static void
badge_ob2_endorsements(badge_ob2_t *o)
{
    static const char *what[3] = { "assertion", "badge class", "issuer" };
    const json_t      *on[3], *list, *e;
    const char        *target[3];
    size_t             i, k, n, seen = 0, done = 0;

    on[0] = o->assertion;
    on[1] = o->badge;
    on[2] = o->issuer;
    target[0] = o->id;
    target[1] = badge_json_str(o->badge, "id") != NULL
                ? badge_json_str(o->badge, "id") : o->badge_url;
    target[2] = o->issuer_id;
    for (i = 0; i < 3; i++) {
        list = json_object_get(on[i], "endorsement");
        n = json_is_array(list) ? json_array_size(list) : list != NULL;
        for (k = 0; k < n && !o->s->oom; k++) {
            e = json_is_array(list) ? json_array_get(list, k) : list;
            seen++;
            if (done >= BADGE_ENDORSE_MAX) {
                continue;
            }
            done++;
            badge_ob2_endorsement(o, e, target[i], what[i]);
        }
    }
    if (seen > done) {
        badge_report_check(o->r, "endorsement", BADGE_WARN,
            "endorsements_limited", "%zu endorsements; only the first %zu "
            "are verified", seen, done);
    }
}

static void
badge_ob2_fields(badge_ob2_t *o)
{
    badge_report_t *r = o->r;
    const char     *id;

    badge_report_set(r, BADGE_FIELD_CREDENTIAL_ID, o->id);
    badge_report_set(r, BADGE_FIELD_ISSUER, o->issuer_id);
    badge_report_set(r, BADGE_FIELD_ISSUER_NAME,
                     badge_json_str(o->issuer, "name"));
    id = badge_json_str(o->badge, "id");
    badge_report_set(r, BADGE_FIELD_ACHIEVEMENT,
                     id != NULL ? id : o->badge_url);
    badge_report_set(r, BADGE_FIELD_ACHIEVEMENT_NAME,
                     badge_json_str(o->badge, "name"));
    badge_report_set(r, BADGE_FIELD_VALID_FROM,
                     badge_json_str(o->assertion, "issuedOn"));
    badge_report_set(r, BADGE_FIELD_VALID_UNTIL,
                     badge_json_str(o->assertion, "expires"));
}

static void
badge_ob2_issuer_trust(badge_ob2_t *o)
{
    int required = badge_ctx_get_option(o->s->ctx, BADGE_OPT_REQUIRE_TRUSTED)
                   != 0;

    if (badge_ctx_issuer_trusted(o->s->ctx, o->issuer_id)) {
        badge_report_check(o->r, "issuer", BADGE_PASS, "issuer_trusted",
            "%.200s is a trusted issuer", o->issuer_id);
    } else {
        badge_report_check(o->r, "issuer", required ? BADGE_FAIL : BADGE_WARN,
            "issuer_unknown", "%.200s (%.100s) is not a configured trusted "
            "issuer", o->issuer_id,
            badge_json_str(o->issuer, "name") != NULL
            ? badge_json_str(o->issuer, "name") : "no name");
    }
}

static void
badge_ob2_dates(badge_ob2_t *o)
{
    badge_report_t *r = o->r;
    const char     *issued = badge_json_str(o->assertion, "issuedOn");
    const char     *expires = badge_json_str(o->assertion, "expires");
    time_t          ti, te = 0;
    long            skew = badge_ctx_get_option(o->s->ctx,
                                                BADGE_OPT_CLOCK_SKEW);

    if (badge_datetime_parse(issued, &ti) != 0) {
        badge_report_check(r, "validity", BADGE_FAIL, "ob2_date_invalid",
            "issuedOn \"%.40s\" is not an ISO 8601 date", issued);
        return;
    }
    if (expires != NULL && badge_datetime_parse(expires, &te) != 0) {
        badge_report_check(r, "validity", BADGE_FAIL, "ob2_date_invalid",
            "expires \"%.40s\" is not an ISO 8601 date", expires);
        return;
    }
    if (json_object_get(o->assertion, "expires") != NULL && expires == NULL)
    {
        badge_report_check(r, "validity", BADGE_FAIL, "ob2_date_invalid",
            "expires is not a date string");
        return;
    }
    if (ti > o->s->now + skew) {
        badge_report_check(r, "validity", BADGE_FAIL, "ob2_issued_in_future",
            "issued on %.40s, which is in the future", issued);
        return;
    }
    if (expires != NULL && te < ti) {
        badge_report_check(r, "validity", BADGE_FAIL,
            "ob2_expires_before_issued", "expires %.40s, before it was "
            "issued (%.40s)", expires, issued);
        return;
    }
    if (expires != NULL && o->s->now - skew >= te) {
        r->expired = 1;
        badge_report_check(r, "validity", BADGE_FAIL, "ob2_expired",
            "expired on %.40s", expires);
        return;
    }
    badge_report_check(r, "validity", BADGE_PASS, "ob2_valid",
        "issued on %.40s, %s%.40s", issued,
        expires != NULL ? "valid until " : "no expiry", expires != NULL
                                                        ? expires : "");
}

static int
badge_ob2_hash_hex(const char *alg, const char *a, const char *b,
    char *hex, size_t hexlen)
{
    const EVP_MD  *md = strcasecmp(alg, "sha256") == 0 ? EVP_sha256()
                      : strcasecmp(alg, "md5") == 0 ? EVP_md5() : NULL;
    EVP_MD_CTX    *c;
    unsigned char  d[EVP_MAX_MD_SIZE];
    unsigned int   n = 0, i;
    int            ok;

    if (md == NULL || (c = EVP_MD_CTX_new()) == NULL) {
        return -1;
    }
    ok = EVP_DigestInit_ex(c, md, NULL) == 1
         && EVP_DigestUpdate(c, a, strlen(a)) == 1
         && EVP_DigestUpdate(c, b, strlen(b)) == 1
         && EVP_DigestFinal_ex(c, d, &n) == 1;
    EVP_MD_CTX_free(c);
    if (!ok || hexlen < 2 * (size_t) n + 1) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    }
    return 0;
}

int
badge_ob2_recipient_match(const json_t *recipient, const char *identity,
    badge_err_t *why)
{
    const char *type = badge_json_str(recipient, "type");
    const char *want = badge_json_str(recipient, "identity");
    const char *salt = badge_json_str(recipient, "salt");
    const char *dollar;
    char        alg[8], hex[2 * EVP_MAX_MD_SIZE + 1], lower[512];
    size_t      i, n;
    int         email = type != NULL && strcmp(type, "email") == 0;

    if (want == NULL || identity == NULL) {
        badge_err_set(why, "ob2_recipient_invalid",
            "the assertion's recipient has no identity");
        return -1;
    }
    if (!json_is_true(json_object_get(recipient, "hashed"))) {
        return email ? strcasecmp(want, identity) == 0
                     : strcmp(want, identity) == 0;
    }
    dollar = strchr(want, '$');
    if (dollar == NULL || (size_t) (dollar - want) >= sizeof(alg)) {
        badge_err_set(why, "ob2_recipient_invalid",
            "the hashed identity is not \"<algorithm>$<hex>\"");
        return -1;
    }
    memcpy(alg, want, (size_t) (dollar - want));
    alg[dollar - want] = '\0';
    if (salt == NULL) {
        salt = "";
    }
    if (badge_ob2_hash_hex(alg, identity, salt, hex, sizeof(hex)) != 0) {
        badge_err_set(why, "ob2_recipient_invalid",
            "unsupported identity hash \"%.8s\"", alg);
        return -1;
    }
    if (strcasecmp(hex, dollar + 1) == 0) {
        return 1;
    }
    /* issuers hash the address as they stored it; try it lower-cased */
    n = strlen(identity);
    if (!email || n >= sizeof(lower)) {
        return 0;
    }
    for (i = 0; i <= n; i++) {
        lower[i] = (char) (identity[i] >= 'A' && identity[i] <= 'Z'
                           ? identity[i] + 32 : identity[i]);
    }
    if (badge_ob2_hash_hex(alg, lower, salt, hex, sizeof(hex)) != 0) {
        return 0;
    }
    return strcasecmp(hex, dollar + 1) == 0;
}

static void
badge_ob2_recipient(badge_ob2_t *o)
{
    const json_t *rec = json_object_get(o->assertion, "recipient");
    const char   *type = badge_json_str(rec, "type");
    badge_err_t   why;
    int           m;

    if (o->s->opts.recipient == NULL) {
        badge_report_check(o->r, "recipient", BADGE_UNCHECKED,
            "recipient_not_checked", "no recipient was given to check the "
            "badge against (its recipient is identified by %.20s%s)",
            type != NULL ? type : "identity",
            json_is_true(json_object_get(rec, "hashed")) ? ", hashed" : "");
        return;
    }
    badge_err_clear(&why);
    m = badge_ob2_recipient_match(rec, o->s->opts.recipient, &why);
    if (m < 0) {
        badge_report_check(o->r, "recipient", BADGE_UNCHECKED, why.code,
            "%s", why.message);
    } else if (m == 0) {
        badge_report_check(o->r, "recipient", BADGE_FAIL,
            "recipient_mismatch", "the badge was not awarded to %.200s",
            o->s->opts.recipient);
    } else {
        badge_report_check(o->r, "recipient", BADGE_PASS, "recipient_match",
            "awarded to %.200s", o->s->opts.recipient);
    }
}

/* ------------------------------------------------------------------ */
/* Hosted                                                               */

static void
badge_ob2_hosted(badge_ob2_t *o, const json_t *given)
{
    badge_report_t    *r = o->r;
    const json_t      *hosted;
    const badge_doc_t *doc;
    badge_err_t        why;
    badge_ob2_rc_t     rc;

    r->format = "ob2-hosted";
    if (!badge_ob2_is_http(o->id)) {
        badge_report_check(r, "hosted", BADGE_FAIL, "ob2_hosted_id_invalid",
            "a hosted assertion's id must be its http(s) URL, not %.200s",
            o->id);
        return;
    }
    badge_err_clear(&why);
    switch (badge_session_document(o->s, o->id, &doc, &why)) {
    case BADGE_DOC_PENDING:
        return;
    case BADGE_DOC_OK:
        rc = badge_ob2_fetch(o, o->id, "hosted", "hosted assertion",
                             &hosted, &doc);
        if (rc != BADGE_OB2_OK) {
            return;
        }
        if (!json_equal((json_t *) hosted, (json_t *) given)) {
            badge_report_check(r, "hosted", BADGE_FAIL,
                "ob2_hosted_mismatch", "the assertion given differs from "
                "the one the issuer hosts at %.200s", o->id);
            return;
        }
        break;
    default:
        if (doc == NULL || doc->http_status != 410) {
            badge_report_check(r, "hosted", BADGE_UNCHECKED,
                "ob2_unavailable", "the hosted assertion could not be "
                "fetched: %s", why.message);
            return;
        }
        /* 410 Gone is how an issuer revokes a hosted assertion; that it
         * is this issuer's host is still checked below (scope) */
        o->revoked_410 = 1;
        hosted = given;
    }
    o->assertion = hosted;
    rc = badge_ob2_badge_and_issuer(o);
    if (rc != BADGE_OB2_OK) {
        return;
    }
    badge_ob2_fields(o);
    badge_err_clear(&why);
    if (!badge_ob2_in_scope(o, &why)) {
        badge_report_check(r, "hosted", BADGE_FAIL, why.code, "%s",
            why.message);
        return;
    }
    r->authenticated = 1;
    badge_report_check(r, "hosted", BADGE_PASS, "ob2_hosted",
        "%s %.200s, within the issuer's verification scope",
        o->revoked_410 ? "the issuer answers 410 Gone for"
                       : "the issuer hosts this assertion at", o->id);
    badge_ob2_issuer_trust(o);
    badge_ob2_dates(o);
    badge_ob2_recipient(o);
    if (o->revoked_410
        || json_is_true(json_object_get(o->assertion, "revoked")))
    {
        r->revoked = 1;
        badge_report_check(r, "status", BADGE_FAIL, "ob2_revoked",
            "the issuer has revoked this assertion%s%.300s",
            badge_json_str(o->assertion, "revocationReason") != NULL
            ? ": " : "",
            badge_json_str(o->assertion, "revocationReason") != NULL
            ? badge_json_str(o->assertion, "revocationReason") : "");
    } else {
        badge_report_check(r, "status", BADGE_PASS, "ob2_not_revoked",
            "the issuer still hosts the assertion");
    }
    badge_ob2_endorsements(o);
}

void
badge_ob2_verify_json(badge_session_t *s, badge_report_t *r,
    const json_t *doc)
{
    badge_ob2_t  o;
    const char  *vtype;

    memset(&o, 0, sizeof(o));
    o.s = s;
    o.r = r;
    switch (badge_ob2_detect(doc)) {
    case BADGE_OB_LEGACY:
        r->format = "ob1";
        badge_report_error(r, "ob_version_unsupported", "this is an Open "
            "Badges 0.5/1.0/1.1 assertion; only Open Badges 2.0 and 3.0 are "
            "verified (the issuer can re-issue it as 2.0 or 3.0)");
        return;
    case BADGE_OB_NONE:
        badge_report_error(r, "input_not_credential", "the JSON is not an "
            "Open Badges assertion");
        return;
    default:
        break;
    }
    r->format = "ob2";
    if (badge_ob2_structure(&o, doc) != BADGE_OB2_OK) {
        return;
    }
    vtype = badge_json_str(json_object_get(doc, "verification"), "type");
    if (strcasecmp(vtype, "signed") == 0
        || strcmp(vtype, "SignedBadge") == 0)
    {
        r->format = "ob2-signed";
        badge_report_check(r, "signature", BADGE_FAIL, "ob2_signed_json",
            "this is a signed badge: verify its JWS (the signed form), "
            "since the JSON alone proves nothing");
        return;
    }
    if (strcasecmp(vtype, "hosted") != 0 && strcmp(vtype, "HostedBadge")) {
        badge_report_check(r, "schema", BADGE_FAIL,
            "ob2_verification_invalid", "unknown verification type "
            "\"%.40s\"", vtype);
        return;
    }
    badge_ob2_hosted(&o, doc);
}

/* ------------------------------------------------------------------ */
/* Signed                                                               */

/* The issuer profile lists the key (publicKey: id, object or array). */
static int
badge_ob2_lists_key(const json_t *issuer, const char *kid)
{
    const json_t *pk = json_object_get(issuer, "publicKey"), *e;
    size_t        i;

    if (json_is_string(pk) || json_is_object(pk)) {
        return badge_json_id(issuer, "publicKey") != NULL
               && strcmp(badge_json_id(issuer, "publicKey"), kid) == 0;
    }
    json_array_foreach(pk, i, e) {
        if (json_is_string(e) && strcmp(json_string_value(e), kid) == 0) {
            return 1;
        }
        if (json_is_object(e) && badge_json_str(e, "id") != NULL
            && strcmp(badge_json_str(e, "id"), kid) == 0)
        {
            return 1;
        }
    }
    return 0;
}

static void
badge_ob2_key_free(void *k)
{
    badge_key_free(k);
}

/* The issuer's revocationList, for signed assertions. */
static void
badge_ob2_revocation(badge_ob2_t *o)
{
    badge_report_t    *r = o->r;
    const json_t      *list, *revoked, *e;
    const badge_doc_t *doc;
    const char        *url, *id, *reason, *list_issuer;
    badge_ob2_rc_t     rc;
    size_t             i;

    url = badge_json_id(o->issuer, "revocationList");
    if (url == NULL) {
        badge_report_check(r, "status", BADGE_PASS, "ob2_no_revocation_list",
            "the issuer publishes no revocation list");
        return;
    }
    rc = badge_ob2_fetch(o, url, "status", "revocation list", &list, &doc);
    if (rc != BADGE_OB2_OK) {
        return;
    }
    revoked = json_object_get(list, "revokedAssertions");
    list_issuer = badge_json_id(list, "issuer");
    if (!badge_ob2_has_type(list, "RevocationList")
        || (revoked != NULL && !json_is_array(revoked)))
    {
        badge_report_check(r, "status", BADGE_FAIL, "ob2_revocation_list_"
            "invalid", "the document at %.200s is not a RevocationList",
            url);
        return;
    }
    if (list_issuer != NULL && strcmp(list_issuer, o->issuer_id) != 0) {
        badge_report_check(r, "status", BADGE_FAIL, "ob2_revocation_list_"
            "invalid", "the revocation list belongs to %.200s, not to the "
            "issuer", list_issuer);
        return;
    }
    json_array_foreach(revoked, i, e) {
        id = json_is_string(e) ? json_string_value(e)
                               : badge_json_str(e, "id");
        if (id == NULL && json_is_object(e)) {
            id = badge_json_str(e, "uid");
        }
        if (id != NULL && strcmp(id, o->id) == 0) {
            reason = json_is_object(e)
                     ? badge_json_str(e, "revocationReason") : NULL;
            r->revoked = 1;
            badge_report_check(r, "status", BADGE_FAIL, "ob2_revoked",
                "the issuer has revoked this assertion%s%.300s",
                reason != NULL ? ": " : "", reason != NULL ? reason : "");
            return;
        }
    }
    badge_report_check(r, "status", BADGE_PASS, "ob2_not_revoked",
        "not in the issuer's revocation list");
}

void
badge_ob2_verify_signed(badge_session_t *s, badge_report_t *r,
    const char *jws, size_t len)
{
    badge_ob2_t         o;
    badge_jws_t         j;
    badge_err_t         err;
    const json_t       *payload, *keydoc = NULL;
    const badge_doc_t  *doc;
    const badge_key_t  *key;
    badge_key_t        *fetched;
    const char         *creator, *vtype, *pem, *owner, *kid;
    badge_ob2_rc_t      krc = BADGE_OB2_OK, brc;
    int                 configured;

    memset(&o, 0, sizeof(o));
    o.s = s;
    o.r = r;
    r->format = "ob2-signed";
    badge_err_clear(&err);
    if (badge_jws_parse(s->arena, jws, len, &j, &err) != 0) {
        badge_report_error(r, err.code, "%s", err.message);
        return;
    }
    if (badge_session_keep_json(s, j.header) == NULL) {
        return;
    }
    if (j.crit != NULL) {
        badge_report_check(r, "signature", BADGE_FAIL, "jws_crit_unsupported",
            "the JWS has critical header parameters this verifier does not "
            "understand");
        return;
    }
    payload = badge_session_parse_json(s, (const char *) j.payload,
                                       j.payload_len, &err);
    if (!json_is_object(payload)) {
        badge_report_error(r, "jws_payload_invalid", "the JWS payload is "
            "not a JSON object%s%s", payload == NULL ? ": " : "",
            payload == NULL ? err.message : "");
        return;
    }
    if (badge_ob2_detect(payload) != BADGE_OB_V2) {
        badge_report_error(r, "input_not_credential", "the JWS payload is "
            "not an Open Badges 2.0 assertion");
        return;
    }
    if (badge_ob2_structure(&o, payload) != BADGE_OB2_OK) {
        return;
    }
    o.assertion = payload;
    vtype = badge_json_str(json_object_get(payload, "verification"), "type");
    creator = badge_json_id(json_object_get(payload, "verification"),
                            "creator");
    if (strcasecmp(vtype, "signed") != 0 && strcmp(vtype, "SignedBadge")) {
        badge_report_check(r, "schema", BADGE_FAIL,
            "ob2_verification_invalid", "a signed assertion must say "
            "verification type \"signed\", not \"%.40s\"", vtype);
        return;
    }
    if (creator == NULL) {
        badge_report_check(r, "key", BADGE_FAIL, "ob2_creator_missing",
            "the signed assertion does not name its key "
            "(verification.creator)");
        return;
    }

    /* the key and the BadgeClass are independent: ask for both at once */
    key = badge_ctx_find_key(s->ctx, NULL, creator);
    configured = key != NULL;
    if (!configured) {
        krc = badge_ob2_fetch(&o, creator, "key", "signing key", &keydoc,
                              &doc);
        if (krc == BADGE_OB2_STOP) {
            return;
        }
    }
    if (krc == BADGE_OB2_OK && !configured) {
        kid = badge_json_str(keydoc, "id");
        pem = badge_json_str(keydoc, "publicKeyPem");
        if (!badge_ob2_has_type(keydoc, "CryptographicKey") || pem == NULL) {
            badge_report_check(r, "key", BADGE_FAIL, "ob2_key_invalid",
                "the document at %.200s is not a CryptographicKey with a "
                "publicKeyPem", creator);
            return;
        }
        if (kid == NULL || strcmp(kid, creator) != 0) {
            badge_report_check(r, "key", BADGE_FAIL, "ob2_key_id_mismatch",
                "the key fetched from %.200s names itself %.200s", creator,
                kid != NULL ? kid : "(nothing)");
            return;
        }
        fetched = badge_key_from_pem_memo(s->ctx->key_memo, pem,
                                           strlen(pem), &err);
        if (fetched == NULL) {
            badge_report_check(r, "key", BADGE_FAIL, "ob2_key_invalid",
                "the key at %.200s is unusable: %s", creator, err.message);
            return;
        }
        if (badge_session_cleanup(s, badge_ob2_key_free, fetched) != 0) {
            return;
        }
        key = fetched;
    }
    if (key != NULL) {
        /* as soon as the key is here: a bad signature ends it all */
        if (badge_jws_verify(&j, key, &err) != 0) {
            badge_report_check(r, "signature", BADGE_FAIL,
                "ob2_signature_invalid", "the signature does not verify: %s",
                err.message);
            return;
        }
    }
    brc = badge_ob2_badge_and_issuer(&o);
    if (brc == BADGE_OB2_STOP || brc == BADGE_OB2_PENDING
        || krc == BADGE_OB2_PENDING)
    {
        return;
    }
    badge_ob2_fields(&o);
    badge_report_check(r, "signature", BADGE_PASS, "ob2_signature",
        "signed (%.10s) with %.200s", j.alg, creator);
    if (configured) {
        badge_report_check(r, "key", BADGE_PASS, "ob2_key_configured",
            "%.200s is a key configured as trusted", creator);
    } else {
        owner = badge_json_id(keydoc, "owner");
        if (owner == NULL || o.issuer_id == NULL
            || strcmp(owner, o.issuer_id) != 0)
        {
            badge_report_check(r, "key", BADGE_FAIL, "ob2_key_owner_mismatch",
                "the key is owned by %.200s, not by the badge's issuer "
                "%.200s", owner != NULL ? owner : "nobody",
                o.issuer_id != NULL ? o.issuer_id : "(no id)");
            return;
        }
        if (!badge_ob2_lists_key(o.issuer, creator)) {
            badge_report_check(r, "key", BADGE_FAIL, "ob2_key_not_listed",
                "the issuer profile does not list %.200s as its publicKey",
                creator);
            return;
        }
        badge_report_check(r, "key", BADGE_PASS, "ob2_key_issuer",
            "the key belongs to the issuer, and the issuer lists it");
    }
    r->authenticated = 1;
    badge_ob2_issuer_trust(&o);
    badge_ob2_dates(&o);
    badge_ob2_recipient(&o);
    badge_ob2_revocation(&o);
    badge_ob2_endorsements(&o);
}
