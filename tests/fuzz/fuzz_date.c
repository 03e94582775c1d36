/* fuzz_date.c - date_parse() and date_find_in_text() on arbitrary text: what
 * they return must be a date that exists, as date.h promises; and
 * date_from_time() on any time_t. */
#include "date.h"
#include "fuzz_common.h"

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A real day in 1000-2999 written as "YYYY-MM-DD". */
static void check_date(const char out[11], const char *who)
{
	FZ_CHECK(memchr(out, '\0', 11) != NULL, who);
	FZ_CHECK(fz_date_shape(out), who);
	int y = atoi(out), m = atoi(out + 5), d = atoi(out + 8);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	FZ_CHECK(y >= 1000 && y <= 2999, who);
	FZ_CHECK(d <= mdays[m - 1] + (m == 2 && leap(y)), who);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char out[11];
	memset(out, 'x', sizeof out);
	if (date_parse(s, size, out) == 0)
		check_date(out, "date_parse returned a bad date");
	for (unsigned max_lines = 1; max_lines <= 16; max_lines *= 4) {
		memset(out, 'x', sizeof out);
		if (date_find_in_text(s, size, max_lines, out) == 0)
			check_date(out, "date_find_in_text returned a bad date");
	}
	if (size >= 8) {
		int64_t t;
		memcpy(&t, data, 8); /* any time, far past and future too */
		date_from_time((time_t)t, out);
		FZ_CHECK(out[0] == '\0' || (strlen(out) == 10 && out[4] == '-'),
			 "date_from_time: neither a date nor empty");
	}
	return 0;
}
