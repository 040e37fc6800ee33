/*
 * ldp.h: credentials and presentations secured with embedded Data
 * Integrity proofs ("Linked Data proofs"): Open Badges 3.0 / VC 1.1 and
 * 2.0 credentials ("ob3-ldp", "vc-ldp") and Verifiable Presentations
 * ("vp-ldp", each credential inside reported as a child).
 *
 * The proofs are proof_di.h's; the credential checks (schema, issuer,
 * validity, status, recipient) are vc.h's, exactly as for VC-JWT, so the
 * report looks the same whatever secured the credential: checks
 * "format", "schema", "context", "key", "signature", "issuer",
 * "validity", "status".
 * Layer: formats (above proof suites, next to vcjwt.h).
 */
#ifndef BADGE_LDP_H
#define BADGE_LDP_H

#include <jansson.h>

#include "report.h"
#include "session.h"

/* 1 if doc is for this verifier: it has a proof, or it is a credential or
 * presentation (a type with VerifiableCredential, VerifiablePresentation,
 * OpenBadgeCredential...) without one. */
int badge_ldp_detect(const json_t *doc);

/* Verify doc into r (a credential, or a presentation and its
 * credentials).  A credential without a proof is reported as such
 * ("signature" fail, code "proof_missing"). */
void badge_ldp_verify(badge_session_t *s, badge_report_t *r,
    const json_t *doc);

#endif
