/*
 * vcjwt.c: Verifiable Credentials secured as JWTs.
 *
 *   VC 1.1 (VC-JWT 1.1): the credential is the "vc" claim; iss, jti, sub,
 *       nbf and exp stand for issuer, id, credentialSubject.id,
 *       issuanceDate and expirationDate and may replace them.
 *   VC 2.0 (VC-JOSE-COSE, typ vc+jwt / vc+ld+jwt): the payload is the
 *       credential; registered claims, if present, must agree with it.
 *
 * The key is looked for in order of trust: a configured key, the kid
 * (did:jwk, did:key, did:web, https), the "jwk" header.  The algorithm
 * only selects among those the key's type allows.
 */
#include "vcjwt.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "ctx.h"
#include "did.h"
#include "json.h"
#include "jws.h"
#include "status.h"
#include "vc.h"

typedef enum {
    BADGE_VCJWT_KEY_NONE = 0,
    BADGE_VCJWT_KEY_TRUSTED,     /* configured by the operator */
    BADGE_VCJWT_KEY_RESOLVED,    /* from the kid: DID or controller doc */
    BADGE_VCJWT_KEY_EMBEDDED     /* the "jwk" header: proves nothing about
                                    who signed */
} badge_vcjwt_key_src_t;

typedef struct {
    badge_session_t       *s;
    badge_report_t        *r;
    badge_jws_t            jws;
    json_t                *payload;
    json_t                *cred;
    int                    vc11;     /* "vc" claim form */
    badge_vc_info_t        info;
    badge_vc_env_t         env;
    /* claims that were copied into the credential (1.1 form) */
    unsigned               filled;
} badge_vcjwt_t;

#define BADGE_FILLED_ISS  0x01
#define BADGE_FILLED_JTI  0x02
#define BADGE_FILLED_SUB  0x04
#define BADGE_FILLED_NBF  0x08
#define BADGE_FILLED_EXP  0x10

/* A NumericDate claim: absent (0), valid (1), invalid (-1). */
static int
badge_vcjwt_numeric_date(const json_t *payload, const char *name, time_t *t)
{
    const json_t *v = json_object_get(payload, name);
    double        d;

    if (v == NULL) {
        return 0;
    }
    if (!json_is_number(v)) {
        return -1;
    }
    d = json_number_value(v);
    /* up to 9999-12-31: beyond is no date a credential means */
    if (!isfinite(d) || d < 0 || d > 253402300799.0) {
        return -1;
    }
    *t = (time_t) d;            /* d >= 0: truncation is floor */
    return 1;
}

/* VC-JWT 1.1 decoding: claims stand for properties the vc omits. */
static int
badge_vcjwt_fill_vc11(badge_vcjwt_t *v)
{
    const json_t *p = v->payload;
    json_t       *cred = v->cred, *subj;
    const char   *iss = badge_json_str(p, "iss"), *jti, *sub;
    time_t        t;
    char          buf[40];

    if (json_object_get(cred, "issuer") == NULL && iss != NULL) {
        if (json_object_set_new(cred, "issuer", json_string(iss)) != 0) {
            return -1;
        }
        v->filled |= BADGE_FILLED_ISS;
    }
    jti = badge_json_str(p, "jti");
    if (json_object_get(cred, "id") == NULL && jti != NULL) {
        if (json_object_set_new(cred, "id", json_string(jti)) != 0) {
            return -1;
        }
        v->filled |= BADGE_FILLED_JTI;
    }
    sub = badge_json_str(p, "sub");
    subj = json_object_get(cred, "credentialSubject");
    if (json_is_object(subj) && json_object_get(subj, "id") == NULL
        && sub != NULL)
    {
        if (json_object_set_new(subj, "id", json_string(sub)) != 0) {
            return -1;
        }
        v->filled |= BADGE_FILLED_SUB;
    }
    if (json_object_get(cred, "issuanceDate") == NULL
        && json_object_get(cred, "validFrom") == NULL
        && badge_vcjwt_numeric_date(p, "nbf", &t) == 1)
    {
        badge_vc_format_date(t, buf, sizeof(buf));
        if (json_object_set_new(cred, "issuanceDate", json_string(buf))
            != 0)
        {
            return -1;
        }
        v->filled |= BADGE_FILLED_NBF;
    }
    if (json_object_get(cred, "expirationDate") == NULL
        && json_object_get(cred, "validUntil") == NULL
        && badge_vcjwt_numeric_date(p, "exp", &t) == 1)
    {
        badge_vc_format_date(t, buf, sizeof(buf));
        if (json_object_set_new(cred, "expirationDate", json_string(buf))
            != 0)
        {
            return -1;
        }
        v->filled |= BADGE_FILLED_EXP;
    }
    return 0;
}

/* The first @context is a VC one (so it is no OB 2.0 assertion). */
static int
badge_vcjwt_has_vc_context(const json_t *payload)
{
    const json_t *c = json_object_get(payload, "@context");
    const char   *first;

    first = json_string_value(json_is_array(c) ? json_array_get(c, 0) : c);
    return first != NULL && (strcmp(first, BADGE_VC1_CONTEXT) == 0
                             || strcmp(first, BADGE_VC2_CONTEXT) == 0);
}

static int
badge_vcjwt_typ_ok(const char *typ)
{
    static const char *ok[] = { "JWT", "vc+jwt", "vc+ld+jwt",
                                "application/vc+jwt",
                                "application/vc+ld+jwt", NULL };
    const char       **p;

    for (p = ok; *p != NULL; p++) {
        if (strcasecmp(typ, *p) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The trusted key for this token: by kid, else any key of the issuer
 * (whose kid, if any, does not contradict the token's). */
static const badge_trusted_key_t *
badge_vcjwt_trusted_key(const badge_ctx_t *ctx, const char *issuer,
    const char *kid)
{
    const badge_trusted_key_t *t;

    if (kid != NULL) {
        for (t = ctx->keys; t != NULL; t = t->next) {
            if (t->kid != NULL && strcmp(t->kid, kid) == 0) {
                return t;
            }
        }
    }
    if (issuer != NULL) {
        for (t = ctx->keys; t != NULL; t = t->next) {
            if (t->issuer != NULL && strcmp(t->issuer, issuer) == 0
                && (t->kid == NULL || kid == NULL))
            {
                return t;
            }
        }
    }
    return NULL;
}

static const badge_trusted_key_t *
badge_vcjwt_trusted_equal(const badge_ctx_t *ctx, const badge_key_t *k)
{
    const badge_trusted_key_t *t;

    for (t = ctx->keys; t != NULL; t = t->next) {
        if (badge_key_equal(t->key, k)) {
            return t;
        }
    }
    return NULL;
}

/* Who a trusted key belongs to: its issuer, else its kid's DID/URL. */
static const char *
badge_vcjwt_trusted_owner(badge_session_t *s, const badge_trusted_key_t *t)
{
    return t->issuer != NULL ? t->issuer : badge_did_base(s->arena, t->kid);
}

static void
badge_vcjwt_release_key(void *k)
{
    badge_key_free(k);
}

/*
 * Find the key.  Returns 1 with *key, 0 when there is none (the "key"
 * check says why), -1 when a document is pending.
 */
static int
badge_vcjwt_key(badge_vcjwt_t *v, const badge_key_t **key,
    badge_vcjwt_key_src_t *src, const char **owner)
{
    badge_session_t           *s = v->s;
    badge_report_t            *r = v->r;
    const badge_trusted_key_t *t;
    const char                *kid = v->jws.kid, *issuer = v->info.issuer;
    const char                *alg;
    badge_key_t               *k = NULL;
    badge_err_t                err;
    badge_did_result_t         rc;

    badge_err_clear(&err);
    *src = BADGE_VCJWT_KEY_NONE;
    *owner = NULL;
    t = badge_vcjwt_trusted_key(s->ctx, issuer, kid);
    if (t != NULL) {
        *key = t->key;
        *src = BADGE_VCJWT_KEY_TRUSTED;
        *owner = badge_vcjwt_trusted_owner(s, t);
        return 1;
    }
    if (kid != NULL && (strncmp(kid, "did:", 4) == 0
                        || strncmp(kid, "https://", 8) == 0
                        || strncmp(kid, "http://", 7) == 0))
    {
        rc = badge_did_resolve_method(s, kid, "assertionMethod", &k, owner,
            &err);
        if (rc == BADGE_DID_PENDING) {
            return -1;
        }
        if (rc == BADGE_DID_OK) {
            t = badge_vcjwt_trusted_equal(s->ctx, k);
            if (t != NULL) {
                *key = t->key;
                *src = BADGE_VCJWT_KEY_TRUSTED;
                *owner = badge_vcjwt_trusted_owner(s, t);
                return 1;
            }
            *key = k;
            *src = BADGE_VCJWT_KEY_RESOLVED;
            return 1;
        }
        if (rc == BADGE_DID_FAIL || v->jws.jwk == NULL) {
            badge_report_check(r, "key",
                rc == BADGE_DID_FAIL ? BADGE_FAIL : BADGE_UNCHECKED,
                err.code != NULL ? err.code : "key_unresolvable",
                "key %.200s: %s", kid, err.message);
            return 0;
        }
        /* could not resolve the kid: the embedded key is all there is */
    }
    if (v->jws.jwk != NULL) {
        k = badge_key_from_jwk(v->jws.jwk, &err);
        if (k == NULL) {
            badge_report_check(r, "key", BADGE_FAIL,
                err.code != NULL ? err.code : "key_invalid",
                "the jwk header: %s", err.message);
            return 0;
        }
        if (badge_session_cleanup(s, badge_vcjwt_release_key, k) != 0) {
            return 0;
        }
        alg = badge_json_str(v->jws.jwk, "alg");
        if (alg != NULL && strcmp(alg, v->jws.alg) != 0) {
            badge_report_check(r, "key", BADGE_FAIL, "alg_key_mismatch",
                "the jwk header is for %.20s, the token says %.20s", alg,
                v->jws.alg);
            return 0;
        }
        t = badge_vcjwt_trusted_equal(s->ctx, k);
        if (t != NULL) {
            *key = t->key;
            *src = BADGE_VCJWT_KEY_TRUSTED;
            *owner = badge_vcjwt_trusted_owner(s, t);
            return 1;
        }
        *key = k;
        *src = BADGE_VCJWT_KEY_EMBEDDED;
        return 1;
    }
    if (kid != NULL) {
        badge_report_check(r, "key", BADGE_UNCHECKED, "key_not_found",
            "no way to get key %.200s (not a DID or URL, not configured), "
            "and no jwk header", kid);
    } else {
        badge_report_check(r, "key", BADGE_UNCHECKED, "key_not_found",
            "no kid or jwk header, and no trusted key for the issuer");
    }
    return 0;
}

/* "key" check for a key we have, and whether it belongs to the issuer. */
static int
badge_vcjwt_key_check(badge_vcjwt_t *v, badge_vcjwt_key_src_t src,
    const char *owner)
{
    const char *issuer = v->info.issuer;

    switch (src) {
    case BADGE_VCJWT_KEY_EMBEDDED:
        badge_report_check(v->r, "key", BADGE_WARN, "key_embedded",
            "the key is embedded in the token (jwk header): the signature "
            "shows only that this key signed, not who the issuer is");
        return 0;
    case BADGE_VCJWT_KEY_TRUSTED:
    case BADGE_VCJWT_KEY_RESOLVED:
        if (issuer == NULL || owner == NULL || strcmp(owner, issuer) != 0) {
            badge_report_check(v->r, "key", BADGE_FAIL, "key_not_issuer",
                "the key belongs to %.200s, not to the issuer %.200s",
                owner != NULL ? owner : "(unknown)",
                issuer != NULL ? issuer : "(none)");
            return -1;
        }
        if (src == BADGE_VCJWT_KEY_TRUSTED) {
            v->env.key_trusted = 1;
            badge_report_check(v->r, "key", BADGE_PASS, "key_trusted",
                "a key configured as trusted for %.200s", issuer);
        } else {
            badge_report_check(v->r, "key", BADGE_PASS, "key_issuer",
                "%.200s is the issuer's key (%s)", v->jws.kid,
                strncmp(v->jws.kid, "did:web:", 8) == 0
                    ? "listed under assertionMethod"
                    : strncmp(v->jws.kid, "did:", 4) == 0
                        ? "the key is the DID" : "issuer's key document");
        }
        v->env.key_bound = 1;
        return 0;
    default:
        return -1;
    }
}

static void
badge_vcjwt_signature(badge_vcjwt_t *v)
{
    badge_report_t         *r = v->r;
    const char             *alg = v->jws.alg;
    const badge_key_t      *key = NULL;
    const char             *owner;
    badge_vcjwt_key_src_t   src;
    badge_err_t             err;
    int                     rc, bound;

    if (strcmp(alg, "none") == 0) {
        badge_report_check(r, "signature", BADGE_FAIL, "alg_none",
            "the token is unsigned (alg \"none\"): never accepted");
        return;
    }
    if (strncmp(alg, "HS", 2) == 0) {
        badge_report_check(r, "signature", BADGE_FAIL, "alg_forbidden",
            "%.20s is a shared-secret MAC, not a signature: never accepted",
            alg);
        return;
    }
    if (v->jws.crit != NULL) {
        /* we understand no extension; RFC 7515 4.1.11 says reject */
        badge_report_check(r, "signature", BADGE_FAIL, "crit_unsupported",
            "the header marks extensions critical that are not "
            "understood");
        return;
    }
    rc = badge_vcjwt_key(v, &key, &src, &owner);
    if (rc < 0) {
        return;
    }
    if (rc == 0) {
        badge_report_check(r, "signature", BADGE_UNCHECKED, "key_missing",
            "the %.20s signature could not be checked without the key",
            alg);
        return;
    }
    badge_err_clear(&err);
    if (badge_jws_verify(&v->jws, key, &err) != 0) {
        /* the key's own check first, then why the signature failed */
        (void) badge_vcjwt_key_check(v, src, owner);
        badge_report_check(r, "signature",
            err.code != NULL && strcmp(err.code, "alg_unsupported") == 0
                ? BADGE_UNCHECKED : BADGE_FAIL,
            err.code != NULL ? err.code : "signature_invalid", "%s",
            err.message);
        return;
    }
    bound = badge_vcjwt_key_check(v, src, owner);
    badge_report_check(r, "signature", BADGE_PASS, "signature_valid",
        "the %s signature is valid", alg);
    /* a valid signature by a key that is not the issuer's authenticates
     * nothing about this credential */
    if (bound == 0) {
        r->authenticated = 1;
    }
}

/* "claims": registered JWT claims against the credential. */
static void
badge_vcjwt_claims(badge_vcjwt_t *v)
{
    badge_report_t  *r = v->r;
    const json_t    *p = v->payload, *subj, *e;
    const char      *iss, *jti, *sub;
    time_t           t, cred_t;
    int              fails = 0, warns = 0, rc, has_cred_t, found;
    size_t           i;
    char             b1[40], b2[40];

    if (json_object_get(p, "iss") != NULL
        && (iss = badge_json_str(p, "iss")) != NULL)
    {
        if (v->info.issuer != NULL && strcmp(iss, v->info.issuer) != 0) {
            badge_report_check(r, "claims", BADGE_FAIL, "claim_iss_mismatch",
                "iss (%.200s) is not the issuer (%.200s)", iss,
                v->info.issuer);
            fails++;
        }
    } else if (json_object_get(p, "iss") != NULL) {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_invalid",
            "iss is not a string");
        fails++;
    } else if (v->vc11) {
        badge_report_check(r, "claims", BADGE_WARN, "claim_iss_missing",
            "no iss claim (VC-JWT 1.1 requires it)");
        warns++;
    }

    jti = badge_json_str(p, "jti");
    if (json_object_get(p, "jti") != NULL && jti == NULL) {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_invalid",
            "jti is not a string");
        fails++;
    } else if (jti != NULL
               && (v->info.id == NULL || strcmp(jti, v->info.id) != 0))
    {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_jti_mismatch",
            "jti (%.200s) is not the credential id (%.200s)", jti,
            v->info.id != NULL ? v->info.id : "none");
        fails++;
    } else if (jti == NULL && v->vc11 && v->info.id != NULL) {
        badge_report_check(r, "claims", BADGE_WARN, "claim_jti_missing",
            "no jti claim for the credential id");
        warns++;
    }

    sub = badge_json_str(p, "sub");
    subj = json_object_get(v->cred, "credentialSubject");
    if (json_object_get(p, "sub") != NULL && sub == NULL) {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_invalid",
            "sub is not a string");
        fails++;
    } else if (sub != NULL) {
        found = 0;
        if (json_is_object(subj)) {
            found = badge_json_str(subj, "id") != NULL
                    && strcmp(badge_json_str(subj, "id"), sub) == 0;
        } else {
            json_array_foreach(subj, i, e) {
                if (badge_json_str(e, "id") != NULL
                    && strcmp(badge_json_str(e, "id"), sub) == 0)
                {
                    found = 1;
                    break;
                }
            }
        }
        if (!found) {
            badge_report_check(r, "claims", BADGE_FAIL, "claim_sub_mismatch",
                "sub (%.200s) is not the credential subject's id", sub);
            fails++;
        }
    } else if (v->info.subject != NULL) {
        /* required by OB 3.0 and VC-JWT 1.1, absent from 1EdTech's own
         * samples */
        badge_report_check(r, "claims", BADGE_WARN, "claim_sub_missing",
            "no sub claim for the credential subject");
        warns++;
    }

    /* nbf: issuanceDate (1.1) or validFrom */
    rc = badge_vcjwt_numeric_date(p, "nbf", &t);
    if (v->vc11 && v->info.has_issuance) {
        has_cred_t = 1;
        cred_t = v->info.issuance;
    } else {
        has_cred_t = v->info.has_from;
        cred_t = v->info.from;
    }
    if (rc < 0) {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_invalid",
            "nbf is not a NumericDate");
        fails++;
    } else if (rc > 0) {
        v->env.has_not_before = 1;
        v->env.not_before = t;
        if (has_cred_t && t != cred_t) {
            badge_report_check(r, "claims", BADGE_FAIL, "claim_nbf_mismatch",
                "nbf (%s) is not the credential's %s (%s)",
                badge_vc_format_date(t, b1, sizeof(b1)),
                v->vc11 && v->info.has_issuance ? "issuanceDate"
                                                : "validFrom",
                badge_vc_format_date(cred_t, b2, sizeof(b2)));
            fails++;
        }
    } else if (v->vc11 && has_cred_t) {
        badge_report_check(r, "claims", BADGE_WARN, "claim_nbf_missing",
            "no nbf claim (VC-JWT 1.1 requires it)");
        warns++;
    }

    /* exp: validUntil or expirationDate */
    rc = badge_vcjwt_numeric_date(p, "exp", &t);
    has_cred_t = v->info.has_until || v->info.has_expiration;
    cred_t = v->info.has_until ? v->info.until : v->info.expiration;
    if (v->vc11 && v->info.has_expiration) {
        cred_t = v->info.expiration;
    }
    if (rc < 0) {
        badge_report_check(r, "claims", BADGE_FAIL, "claim_invalid",
            "exp is not a NumericDate");
        fails++;
    } else if (rc > 0) {
        v->env.has_not_after = 1;
        v->env.not_after = t;
        if (has_cred_t && t != cred_t) {
            badge_report_check(r, "claims", BADGE_FAIL, "claim_exp_mismatch",
                "exp (%s) is not the credential's expiry (%s)",
                badge_vc_format_date(t, b1, sizeof(b1)),
                badge_vc_format_date(cred_t, b2, sizeof(b2)));
            fails++;
        }
    } else if (has_cred_t) {
        badge_report_check(r, "claims", BADGE_WARN, "claim_exp_missing",
            "no exp claim although the credential expires");
        warns++;
    }

    if (fails == 0 && warns == 0) {
        badge_report_check(r, "claims",
            r->authenticated ? BADGE_PASS : BADGE_UNCHECKED,
            r->authenticated ? "claims_match" : "not_authenticated",
            "%sthe JWT claims agree with the credential",
            r->authenticated ? "" : "(not authenticated) ");
    }
}

void
badge_vcjwt_verify(badge_session_t *s, badge_report_t *r, const char *jwt,
    size_t len)
{
    badge_vcjwt_verify_cred(s, r, jwt, len, NULL);
}

void
badge_vcjwt_verify_cred(badge_session_t *s, badge_report_t *r,
    const char *jwt, size_t len, const json_t **cred)
{
    badge_vcjwt_t  v;
    badge_err_t    err;
    const json_t  *vc;

    if (cred != NULL) {
        *cred = NULL;
    }
    memset(&v, 0, sizeof(v));
    v.s = s;
    v.r = r;
    badge_err_clear(&err);
    if (badge_jws_parse(s->arena, jwt, len, &v.jws, &err) != 0) {
        badge_report_error(r, err.code, "%s", err.message);
        return;
    }
    if (badge_session_keep_json(s, v.jws.header) == NULL) {
        return;
    }
    v.payload = badge_session_parse_json(s, (const char *) v.jws.payload,
        v.jws.payload_len, &err);
    if (v.payload == NULL || !json_is_object(v.payload)) {
        badge_report_error(r, "jwt_payload_invalid", "the JWT payload is "
            "not a JSON object%s%s", v.payload == NULL ? ": " : "",
            v.payload == NULL ? err.message : "");
        return;
    }
    vc = json_object_get(v.payload, "vc");
    if (vc != NULL) {
        if (!json_is_object(vc)) {
            badge_report_error(r, "jwt_vc_invalid", "the vc claim is not an "
                "object");
            return;
        }
        /* a copy: claims are filled in without touching the payload */
        v.cred = badge_session_keep_json(s, json_deep_copy(vc));
        if (v.cred == NULL || badge_vcjwt_fill_vc11(&v) != 0) {
            s->oom = 1;
            return;
        }
        v.vc11 = 1;
    } else if (json_object_get(v.payload, "badge") != NULL
               && json_object_get(v.payload, "recipient") != NULL
               && !badge_vcjwt_has_vc_context(v.payload))
    {
        /* verify.c hands OB 2.0 to ob2.c; only reached without it */
        r->format = "ob2-signed";
        badge_report_error(r, "ob2_signed_unsupported", "this is a signed "
            "Open Badges 2.0 assertion; they are not supported yet");
        return;
    } else if (json_object_get(v.payload, "@context") != NULL) {
        v.cred = v.payload;
    } else {
        badge_report_error(r, "jwt_not_credential", "the JWT carries no "
            "credential (no vc claim, no @context)");
        return;
    }

    if (cred != NULL) {
        *cred = v.cred;
    }
    r->format = "vc-jwt";
    badge_report_check(r, "format", BADGE_PASS, "vc_jwt",
        "VC-JWT, %s, %.20s", v.vc11 ? "VC 1.1 \"vc\" claim form"
                                    : "VC 2.0 payload form", v.jws.alg);
    if (v.jws.typ != NULL && !badge_vcjwt_typ_ok(v.jws.typ)) {
        badge_report_check(r, "format", BADGE_WARN, "typ_unexpected",
            "unexpected typ \"%.40s\" for a credential", v.jws.typ);
    }
    (void) badge_vc_schema(s, r, v.cred, "jwt", &v.info);
    badge_vcjwt_signature(&v);
    if (s->n_needed > 0) {
        /* the key is being fetched: ask for the status lists in the same
         * round, so that the host fetches them in parallel (the list is
         * only read once the credential is authenticated, on a later run);
         * this run's report is discarded: go fetch */
        badge_status_check(s, r, v.cred);
        return;
    }
    badge_vcjwt_claims(&v);
    badge_vc_finish(s, r, v.cred, &v.info, &v.env);
}
