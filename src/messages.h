/*
 * messages.h: interface words in English and Japanese for reports and
 * pages.  Bottom layer (no other includes of ours).
 */
#ifndef BADGE_MESSAGES_H
#define BADGE_MESSAGES_H

/* "verified" -> "Verified" / "検証済み" */
const char *badge_message_status_label(const char *status, int ja);
/* "signature" -> "Signature" / "署名" */
const char *badge_message_check_label(const char *check, int ja);

#endif
