/* date.h - dates in the forms articles use, to a sortable "YYYY-MM-DD". */
#ifndef LODE_DATE_H
#define LODE_DATE_H
#include <stddef.h>
#include <time.h>

/* Parse S (ISO 8601 with or without time, RFC 2822 "Wed, 15 Sep 2021 10:00:00
 * +0000", "September 15, 2021", "Sept. 15, 2021", "15 Sep 2021",
 * "2021/09/15", "15.09.2021"): writes "YYYY-MM-DD" into out (11 bytes) and
 * returns 0; -1 when S (trimmed of spaces) is not wholly a date it is sure of. */
int date_parse(const char *s, size_t len, char out[11]);

/* Find a date line near the top of TEXT (first max_lines lines): a line that
 * is only a date (optionally after "Published", "Date:", "Updated" ...).
 * Returns 0 and fills out, or -1. */
int date_find_in_text(const char *text, size_t len, unsigned max_lines, char out[11]);

/* Format T (UTC) as "YYYY-MM-DD". */
void date_from_time(time_t t, char out[11]);
#endif
