/*
 * ob2.h: Open Badges 2.0 assertions.
 *
 *   hosted  the assertion's id is re-fetched (badge_session_document) and
 *           only the issuer's copy is trusted; the id must lie in the
 *           issuer's verification scope (verification.startsWith,
 *           allowedOrigins, by default the issuer id's host); HTTP 410 or
 *           "revoked": true means revoked;
 *   signed  a compact JWS (RS256) whose key is the CryptographicKey at
 *           verification.creator, owned by the issuer profile that lists
 *           it in publicKey; the issuer's revocationList is consulted.
 *
 * Both fetch and check the BadgeClass and the issuer Profile, the dates
 * (issuedOn, expires) and, when the verifier gave one, the recipient
 * (plain or sha256$/md5$ salted hashes).  Open Badges 0.5/1.0/1.1 are
 * recognized and refused with a clear message.
 *
 * Layer: formats (above session, report, keys, jws).
 */
#ifndef BADGE_OB2_H
#define BADGE_OB2_H

#include <stddef.h>

#include <jansson.h>

#include "report.h"
#include "session.h"

#define BADGE_OB2_CONTEXT  "https://w3id.org/openbadges/v2"

typedef enum {
    BADGE_OB_NONE = 0,      /* not an Open Badges 0.5-2.0 object */
    BADGE_OB_LEGACY,        /* Open Badges 0.5, 1.0 or 1.1 */
    BADGE_OB_V2             /* Open Badges 2.0 (or claims to be) */
} badge_ob_shape_t;

/* What a JSON object looks like: decides whether the pipeline hands it to
 * ob2 (an "@context" naming w3id.org/openbadges, or the pre-2.0 shape). */
badge_ob_shape_t badge_ob2_detect(const json_t *doc);

/* Verify an Open Badges JSON object (hosted verification; a signed
 * assertion's JSON alone is refused: its JWS must be given). */
void badge_ob2_verify_json(badge_session_t *s, badge_report_t *r,
    const json_t *doc);

/* Verify an Open Badges 2.0 signed assertion (compact JWS).  VC-JWT hands
 * over here when a JWT's payload is an OB 2.0 assertion. */
void badge_ob2_verify_signed(badge_session_t *s, badge_report_t *r,
    const char *jws, size_t len);

/*
 * Check a recipient identity against an OB 2.0 IdentityObject: plain
 * (emails compared case-insensitively) or "sha256$hex" / "md5$hex" of
 * identity + salt.  1 match, 0 no match, -1 unusable (why set).
 */
int badge_ob2_recipient_match(const json_t *recipient, const char *identity,
    badge_err_t *why);

#endif
