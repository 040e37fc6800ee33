/*
 * page_int.h: what the page*.c files share and nobody else sees: the
 * interface strings (page_i18n.c) and the built-in templates
 * (page_template.c).
 */
#ifndef BADGE_PAGE_INT_H
#define BADGE_PAGE_INT_H

#include <stddef.h>

typedef struct {
    const char *key;
    const char *en;
    const char *ja;
} badge_page_str_t;

/* The table of interface strings, ended by a NULL key. */
extern const badge_page_str_t badge_page_strings[];

/* The string for key in Japanese (ja) or English; key itself if none. */
const char *badge_page_str(const char *key, int ja);

/* The built-in badge page and index templates (NUL-terminated). */
extern const char badge_page_default_template_text[];
extern const size_t badge_page_default_template_len;
extern const char badge_page_index_template_text[];
extern const size_t badge_page_index_template_len;

#endif
