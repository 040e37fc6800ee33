/*
 * endorse.h: Open Badges 3.0 endorsements.  A credential, its achievement
 * and its issuer profile may carry "endorsement" (EndorsementCredential
 * objects, each a credential with its own proof) and "endorsementJwt"
 * (VC-JWT strings).  Each is verified like a credential (ldp.c, vcjwt.c)
 * into a child report of role "endorsement": reported on its own, it
 * never changes the verdict on the credential it endorses.
 *
 * Work is bounded: at most BADGE_ENDORSE_MAX per credential and
 * BADGE_ENDORSE_SESSION_MAX per verification (a presentation's credentials
 * share it), and the endorsements of an endorsement are not verified
 * (depth 1).
 * Layer: above the formats (ldp.h, vcjwt.h), below the pipeline.
 */
#ifndef BADGE_ENDORSE_H
#define BADGE_ENDORSE_H

#include <jansson.h>

#include "report.h"
#include "session.h"

#define BADGE_ENDORSE_MAX          8
#define BADGE_ENDORSE_SESSION_MAX  32

/* Verify cred's endorsements into child reports of r. */
void badge_endorse_verify(badge_session_t *s, badge_report_t *r,
    const json_t *cred);

#endif
