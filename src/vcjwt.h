/*
 * vcjwt.h: VC-JWT (Open Badges 3.0 / VC 1.1 "vc" claim and VC 2.0 payload
 * forms), RS256/ES256/EdDSA.  The key comes from the trusted keys, the
 * "jwk" header, or a did:jwk / did:key / did:web kid.
 */
#ifndef BADGE_VCJWT_H
#define BADGE_VCJWT_H

#include <stddef.h>

#include <jansson.h>

#include "report.h"
#include "session.h"

/* Verify a compact JWS carrying a credential; adds checks to r.  The JWT
 * may turn out to be an OB 2.0 signed assertion: then it hands over to
 * ob2 (when that exists) or reports it. */
void badge_vcjwt_verify(badge_session_t *s, badge_report_t *r,
    const char *jwt, size_t len);
/* The same; *cred (if not NULL) gets the credential it carried (kept by
 * the session), or NULL. */
void badge_vcjwt_verify_cred(badge_session_t *s, badge_report_t *r,
    const char *jwt, size_t len, const json_t **cred);

#endif
