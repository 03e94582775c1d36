/* date.h - dates in the forms articles and mail use, to a sortable "YYYY-MM-DD".
 * Only dates it is sure of: a wrong date is worse than none. */
#ifndef LODE_DATE_H
#define LODE_DATE_H
#include <stddef.h>
#include <time.h>

/* Parse S, trimmed of spaces, when it is wholly one date: ISO 8601
 * ("2021-09-15", "2021-09-15T10:00:00Z", "2021-09-15 10:00:00 +0000",
 * basic "20210915"), RFC 2822 ("Wed, 15 Sep 2021 10:00:00 +0000"),
 * "September 15, 2021", "Sept. 15, 2021", "Sep 15 2021", "September 15th, 2021",
 * "15 Sep 2021", "15 September 2021", "2021/09/15", "15.09.2021"; an optional
 * leading weekday and trailing time ("10:00 AM", zone) are allowed. The date
 * must exist (month 1-12, day within the month, year 1000-2999); the zone is
 * not applied (the date is the one written). Writes "YYYY-MM-DD" into OUT
 * (11 bytes) and returns 0; -1 otherwise (OUT then unspecified). */
int date_parse(const char *s, size_t len, char out[11]);

/* Find a date line near the top of TEXT, among its first MAX_LINES non-empty
 * lines (lines over 120 bytes skipped): a line that is only a date (as in
 * date_parse, but not the bare "20210915" form), possibly wrapped in '*' or
 * '_', or after a label ("Published", "Published on", "Updated", "Date:",
 * "Posted" ...), or a byline with a date after a separator
 * ("By Jane Doe | September 15, 2021", also "·" "•" " - " "–" "—").
 * Returns 0 and fills OUT, or -1. */
int date_find_in_text(const char *text, size_t len, unsigned max_lines, char out[11]);

/* Format T (UTC) as "YYYY-MM-DD"; OUT = "" when T is beyond year 9999. */
void date_from_time(time_t t, char out[11]);

/* Format a year, month and day as "YYYY-MM-DD" (no validation). */
void date_format_ymd(int y, int m, int d, char out[11]);
#endif
