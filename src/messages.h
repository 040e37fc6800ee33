/*
 * messages.h: interface words in English and Japanese for reports and
 * pages, and the Japanese sentence for each report code.  Bottom layer
 * (no other includes of ours).
 */
#ifndef BADGE_MESSAGES_H
#define BADGE_MESSAGES_H

#include <stddef.h>

/* "verified" -> "Verified" / "検証済み" */
const char *badge_message_status_label(const char *status, int ja);
/* "signature" -> "Signature" / "署名" */
const char *badge_message_check_label(const char *check, int ja);

/*
 * Report codes in Japanese.  The report's messages are English, and the
 * JSON report keeps them so (an API: the codes are its stable part);
 * whatever shows a check or an input error to a person in Japanese (the
 * badge and verify pages, the text report) shows the code's sentence.
 *
 * code is a report code ("signature_valid"), or a prefix ending in '*'
 * ("jsonld_*": the W3C JSON-LD error codes).  alone is set when every
 * message the core writes with this code is one fixed sentence that ja
 * says in full; otherwise the English message carries a detail of its own
 * (a URL, a date, an algorithm, a lower layer's reason) and is shown too.
 * t/unit/test_messages.c holds the table to the codes used in src/.
 */
typedef struct {
    const char *code;
    const char *ja;
    int         alone;
} badge_code_text_t;

/* The entry for code (exact, else the longest prefix), or NULL. */
const badge_code_text_t *badge_message_code_find(const char *code);
/* The whole table, sorted by code (tests and tools). */
const badge_code_text_t *badge_message_code_table(size_t *n);

/*
 * What to show a person for a check or an input error with this code and
 * (English) message.  English: *text is the message, *detail NULL.
 * Japanese: *text is the code's sentence and *detail the English message
 * unless the sentence says all it says (NULL then); a code without a
 * Japanese sentence shows its message, *detail NULL.
 */
void badge_message_code_text(const char *code, const char *message, int ja,
    const char **text, const char **detail);

#endif
