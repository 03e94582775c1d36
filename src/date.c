/* date.c - the date forms articles and mail use, to "YYYY-MM-DD"; see date.h.
 *
 * A small recursive-descent reader over the trimmed string: an optional
 * weekday, one of the day/month/year layouts, an optional time of day and
 * zone, then the end of the string. Anything else is "not a date": a wrong
 * date in the index is worse than none. The zone is read but not applied: the
 * date is the one written, as a reader of the article would see it. */
#include "date.h"

#include <string.h>

typedef struct {
	const char *s;
	size_t i, n;
} cur_t;

static int at_end(const cur_t *c)
{
	return c->i >= c->n;
}

static int peek(const cur_t *c)
{
	return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int skip_spaces(cur_t *c)
{
	size_t start = c->i;
	while (is_space(peek(c)))
		c->i++;
	return c->i > start;
}

static int accept(cur_t *c, char ch)
{
	if (peek(c) != (unsigned char)ch)
		return 0;
	c->i++;
	return 1;
}

/* MIN..MAX digits (no more digits after them) into *v. */
static int number(cur_t *c, int min, int max, int *v)
{
	size_t start = c->i;
	int val = 0;
	while (is_digit(peek(c)) && (int)(c->i - start) < max)
		val = val * 10 + (c->s[c->i++] - '0');
	int k = (int)(c->i - start);
	if (k < min || is_digit(peek(c))) {
		c->i = start;
		return 0;
	}
	*v = val;
	return 1;
}

/* The next run of letters, lower-cased into W (at most 15); 0 if none. */
static size_t word(cur_t *c, char w[16])
{
	size_t k = 0, start = c->i;
	while (is_alpha(peek(c))) {
		if (k == 15) {
			c->i = start;
			return 0;
		}
		w[k++] = (char)(c->s[c->i++] | 0x20);
	}
	w[k] = '\0';
	return k;
}

static const char *const months[12][3] = {
	{ "january", "jan", NULL }, { "february", "feb", NULL }, { "march", "mar", NULL },
	{ "april", "apr", NULL }, { "may", NULL, NULL }, { "june", "jun", NULL },
	{ "july", "jul", NULL }, { "august", "aug", NULL }, { "september", "sep", "sept" },
	{ "october", "oct", NULL }, { "november", "nov", NULL }, { "december", "dec", NULL },
};

/* A month name or abbreviation (an abbreviation may end with '.'). */
static int month_name(cur_t *c, int *m)
{
	size_t start = c->i;
	char w[16];
	if (word(c, w)) {
		for (int i = 0; i < 12; i++)
			for (int k = 0; k < 3 && months[i][k]; k++)
				if (strcmp(w, months[i][k]) == 0) {
					if (k > 0)
						accept(c, '.');
					*m = i + 1;
					return 1;
				}
	}
	c->i = start;
	return 0;
}

static const char *const weekdays[] = {
	"monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu",
	"thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun", NULL,
};

/* An optional leading weekday: "Wed, ", "Wednesday ", "Wed. ". Not checked
 * against the date (mail gets it wrong often enough). */
static void opt_weekday(cur_t *c)
{
	size_t start = c->i;
	char w[16];
	if (word(c, w)) {
		for (const char *const *d = weekdays; *d; d++)
			if (strcmp(w, *d) == 0) {
				accept(c, '.');
				accept(c, ',');
				if (skip_spaces(c))
					return;
				break;
			}
	}
	c->i = start;
}

/* Optional "st", "nd", "rd", "th" after a day number. */
static void opt_ordinal(cur_t *c)
{
	size_t start = c->i;
	char w[16];
	if (word(c, w) && (strcmp(w, "st") == 0 || strcmp(w, "nd") == 0 ||
			   strcmp(w, "rd") == 0 || strcmp(w, "th") == 0))
		return;
	c->i = start;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
	return y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* A zone after a time: Z, +hh:mm, +hhmm, +hh, a name (GMT, UTC, EST ...) and
 * an RFC 2822 comment "(UTC)". Optional. */
static int opt_zone(cur_t *c)
{
	size_t start = c->i;
	skip_spaces(c);
	int v;
	if (peek(c) == 'Z' && !is_alpha(c->i + 1 < c->n ? (unsigned char)c->s[c->i + 1] : 0)) {
		c->i++;
	} else if (peek(c) == '+' || peek(c) == '-') {
		c->i++;
		size_t digits = c->i;
		if (!number(c, 2, 4, &v) || c->i - digits == 3) {
			c->i = start;
			return 0;
		}
		if (c->i - digits == 2 && accept(c, ':') && !number(c, 2, 2, &v)) {
			c->i = start;
			return 0;
		}
	} else if (is_alpha(peek(c))) {
		char w[16];
		size_t k = word(c, w);
		static const char *const names[] = {
			"ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst",
			"pdt", "cet", "cest", "bst", "ist", "jst", "eet", "eest", "wet", "west",
			"aest", "aedt", "msk", "et", "ct", "mt", "pt", NULL,
		};
		int ok = 0;
		for (const char *const *z = names; k && *z; z++)
			ok |= strcmp(w, *z) == 0;
		if (!ok) {
			c->i = start;
			return 0;
		}
	} else {
		c->i = start;
		return 0;
	}
	size_t before_comment = c->i;
	skip_spaces(c);
	if (accept(c, '(')) {
		while (!at_end(c) && peek(c) != ')')
			c->i++;
		if (!accept(c, ')'))
			c->i = before_comment;
	} else {
		c->i = before_comment;
	}
	return 1;
}

/* "10:00", "10:00:00", "10:00:00.123", "10:00 am", "10am" is not taken. */
static int time_of_day(cur_t *c)
{
	size_t start = c->i;
	int h, m, s = 0;
	if (!number(c, 1, 2, &h) || !accept(c, ':') || !number(c, 2, 2, &m)) {
		c->i = start;
		return 0;
	}
	if (accept(c, ':')) {
		if (!number(c, 2, 2, &s)) {
			c->i = start;
			return 0;
		}
		if (accept(c, '.') || accept(c, ',')) {
			int frac;
			if (!number(c, 1, 9, &frac)) {
				c->i = start;
				return 0;
			}
		}
	}
	/* am/pm, also written "a.m." */
	size_t before = c->i;
	skip_spaces(c);
	char w[16];
	int ampm = 0;
	size_t k = word(c, w);
	if (k && (strcmp(w, "am") == 0 || strcmp(w, "pm") == 0)) {
		ampm = 1;
	} else if (k == 1 && (w[0] == 'a' || w[0] == 'p') && accept(c, '.') &&
		   word(c, w) == 1 && w[0] == 'm' && accept(c, '.')) {
		ampm = 1;
	} else {
		c->i = before;
	}
	if (ampm ? (h < 1 || h > 12) : h > 23)
		return c->i = start, 0;
	if (m > 59 || s > 60)
		return c->i = start, 0;
	return 1;
}

/* What may follow a date: nothing, or [','] [at] time [zone]. */
static int opt_time(cur_t *c)
{
	size_t start = c->i;
	accept(c, ',');
	if (!skip_spaces(c) && c->i == start)
		return at_end(c);
	char w[16];
	size_t before_at = c->i;
	if (!(word(c, w) == 2 && strcmp(w, "at") == 0 && skip_spaces(c)))
		c->i = before_at;
	if (!time_of_day(c)) {
		c->i = start;
		return at_end(c);
	}
	opt_zone(c);
	return 1;
}

/* ISO 8601: 2021-09-15, then 'T' or ' ' and a time, and a zone. */
static int iso(cur_t *c, int *y, int *m, int *d)
{
	if (!number(c, 4, 4, y) || !accept(c, '-') || !number(c, 1, 2, m) || !accept(c, '-') ||
	    !number(c, 1, 2, d))
		return 0;
	if (accept(c, 'T') || accept(c, 't')) {
		if (!time_of_day(c))
			return 0;
		opt_zone(c);
		return 1;
	}
	return opt_time(c);
}

/* Basic ISO 8601: 20210915, 20210915T100000Z. */
static int compact(cur_t *c, int *y, int *m, int *d)
{
	int v, t;
	if (!number(c, 8, 8, &v))
		return 0;
	*y = v / 10000, *m = v / 100 % 100, *d = v % 100;
	if (accept(c, 'T')) {
		if (!number(c, 4, 6, &t))
			return 0;
		opt_zone(c);
	}
	return 1;
}

/* 2021/09/15 */
static int ymd_slash(cur_t *c, int *y, int *m, int *d)
{
	return number(c, 4, 4, y) && accept(c, '/') && number(c, 1, 2, m) && accept(c, '/') &&
	       number(c, 1, 2, d) && opt_time(c);
}

/* 15.09.2021 (day first, as everywhere dots are used) */
static int dmy_dots(cur_t *c, int *y, int *m, int *d)
{
	return number(c, 1, 2, d) && accept(c, '.') && number(c, 1, 2, m) && accept(c, '.') &&
	       number(c, 4, 4, y) && opt_time(c);
}

/* September 15, 2021 / Sept. 15, 2021 / Sep 15 2021 / September 15th, 2021 */
static int mdy_words(cur_t *c, int *y, int *m, int *d)
{
	if (!month_name(c, m) || !skip_spaces(c) || !number(c, 1, 2, d))
		return 0;
	opt_ordinal(c);
	int comma = accept(c, ',');
	if (!skip_spaces(c) && !comma)
		return 0;
	skip_spaces(c);
	return number(c, 4, 4, y) && opt_time(c);
}

/* 15 Sep 2021 / 15 September 2021 / 15th September, 2021 / RFC 2822 */
static int dmy_words(cur_t *c, int *y, int *m, int *d)
{
	if (!number(c, 1, 2, d))
		return 0;
	opt_ordinal(c);
	accept(c, '.');
	skip_spaces(c);
	if (!month_name(c, m))
		return 0;
	int comma = accept(c, ',');
	if (!skip_spaces(c) && !comma)
		return 0;
	skip_spaces(c);
	return number(c, 4, 4, y) && opt_time(c);
}

typedef int (*layout_fn)(cur_t *, int *, int *, int *);

static int parse(const char *s, size_t len, int allow_compact, char out[11])
{
	while (len && is_space((unsigned char)*s))
		s++, len--;
	while (len && is_space((unsigned char)s[len - 1]))
		len--;
	static const layout_fn layouts[] = { iso, ymd_slash, dmy_dots, mdy_words, dmy_words,
					     compact };
	size_t nlayouts = sizeof layouts / sizeof *layouts - (allow_compact ? 0 : 1);
	for (size_t i = 0; i < nlayouts; i++) {
		cur_t c = { s, 0, len };
		opt_weekday(&c);
		int y, m, d;
		if (layouts[i](&c, &y, &m, &d) && at_end(&c) && valid_ymd(y, m, d)) {
			date_format_ymd(y, m, d, out);
			return 0;
		}
	}
	return -1;
}

void date_format_ymd(int y, int m, int d, char out[11])
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int date_parse(const char *s, size_t len, char out[11])
{
	return parse(s, len, 1, out);
}

/* Case-insensitive prefix test; returns the length matched or 0. */
static size_t has_prefix(const char *s, size_t len, const char *p)
{
	size_t k = strlen(p);
	if (len < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if ((s[i] | 0x20) != (p[i] | 0x20))
			return 0;
	return k;
}

/* A date, alone or after a label ("Published on", "Updated:", "Date:"). */
static int labelled_date(const char *s, size_t len, char out[11])
{
	static const char *const labels[] = {
		"first published on", "first published", "last updated on", "last updated",
		"last modified", "published on", "published", "updated on", "updated",
		"posted on", "posted", "date", NULL,
	};
	if (parse(s, len, 0, out) == 0)
		return 0;
	for (const char *const *l = labels; *l; l++) {
		size_t k = has_prefix(s, len, *l);
		if (!k || (k < len && !is_space((unsigned char)s[k]) && s[k] != ':'))
			continue;
		size_t i = k;
		if (i < len && s[i] == ':')
			i++;
		if (i == k && strcmp(*l, "date") == 0)
			continue; /* "Date" needs its colon: "Date 15 ..." is not a label */
		return parse(s + i, len - i, 0, out);
	}
	return -1;
}

/* Separators in bylines: "|", " - ", "·", "•", "–", "—". Returns the length
 * of a separator at S[i], else 0. */
static size_t separator(const char *s, size_t len, size_t i)
{
	if (s[i] == '|')
		return 1;
	if (s[i] == '-' && i > 0 && s[i - 1] == ' ' && i + 1 < len && s[i + 1] == ' ')
		return 1;
	static const char *const seps[] = { "\xC2\xB7", "\xE2\x80\xA2", "\xE2\x80\x93",
					    "\xE2\x80\x94", NULL };
	for (const char *const *p = seps; *p; p++) {
		size_t k = strlen(*p);
		if (i + k <= len && memcmp(s + i, *p, k) == 0)
			return k;
	}
	return 0;
}

/* "By Jane Doe | September 15, 2021": a segment starting with "By " and
 * another segment that is a (labelled) date. */
static int byline_date(const char *s, size_t len, char out[11])
{
	size_t seg_start[8], seg_len[8], nseg = 0, start = 0;
	for (size_t i = 0; i <= len && nseg < 8; i++) {
		size_t k = i < len ? separator(s, len, i) : 1;
		if (!k)
			continue;
		seg_start[nseg] = start;
		seg_len[nseg++] = i - start;
		start = i + k;
		i += k - 1;
	}
	if (nseg < 2)
		return -1;
	int by = 0;
	for (size_t j = 0; j < nseg; j++) {
		const char *p = s + seg_start[j];
		size_t n = seg_len[j];
		while (n && is_space((unsigned char)*p))
			p++, n--;
		by |= has_prefix(p, n, "by ") != 0;
	}
	if (!by)
		return -1;
	for (size_t j = 0; j < nseg; j++) {
		const char *p = s + seg_start[j];
		size_t n = seg_len[j];
		while (n && is_space((unsigned char)*p))
			p++, n--;
		while (n && is_space((unsigned char)p[n - 1]))
			n--;
		if (n && labelled_date(p, n, out) == 0)
			return 0;
	}
	return -1;
}

/* A line trimmed of spaces and of Markdown-style emphasis around it. */
static void trim_line(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;
	while (n && (is_space((unsigned char)*p) || *p == '*' || *p == '_'))
		p++, n--;
	while (n && (is_space((unsigned char)p[n - 1]) || p[n - 1] == '*' || p[n - 1] == '_'))
		n--;
	*s = p;
	*len = n;
}

/* Longer lines are prose, not a date line. */
#define DATE_LINE_MAX 120

int date_find_in_text(const char *text, size_t len, unsigned max_lines, char out[11])
{
	size_t i = 0;
	unsigned seen = 0;
	while (i < len && seen < max_lines) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *line = text + i;
		size_t n = end - i;
		i = end + 1;
		trim_line(&line, &n);
		if (n == 0)
			continue;
		seen++;
		if (n > DATE_LINE_MAX)
			continue;
		if (labelled_date(line, n, out) == 0 || byline_date(line, n, out) == 0)
			return 0;
	}
	return -1;
}

void date_from_time(time_t t, char out[11])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
		out[0] = '\0';
		return;
	}
	date_format_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}
