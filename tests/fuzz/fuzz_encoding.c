/* fuzz_encoding.c - enc_to_utf8() guessing, and with a declared charset picked
 * by the first byte (real names, aliases, stateful and unknown ones). The
 * output must be valid UTF-8 without the control bytes encoding.h excludes;
 * ENC_BINARY must append nothing. */
#include "fuzz_common.h"

static const char *const charsets[] = {
	"utf-8", "UTF-8", "utf8", "us-ascii", "iso-8859-1", "latin1", "ISO-8859-15",
	"windows-1252", "windows-1251", "koi8-r", "utf-16", "utf-16le", "UTF-16BE",
	"utf-32", "shift_jis", "euc-jp", "iso-2022-jp", "gb18030", "gbk", "big5",
	"euc-kr", "utf-7", "macintosh", "x-unknown-charset", "", "utf-8\"; x=y",
	"cp437", "iso-8859-8-i", "tis-620", "x-user-defined", "unicode-1-1-utf-7",
	"ibm037", "ucs4", "ucs-4", "UCS-4LE", "ucs-2", "cesu-8", "wchar_t", "utf-16be",
};

static void check(const char *s, size_t len, const char *cs)
{
	buf_t out = BUF_INIT;
	buf_adds(&out, "<"); /* enc_to_utf8 appends: what is there must survive */
	enc_result_t r = enc_to_utf8(s, len, cs, &out);
	FZ_CHECK(r == ENC_OK || r == ENC_BINARY || r == ENC_NOMEM, "unknown result");
	FZ_CHECK(out.len >= 1 && out.p[0] == '<', "enc_to_utf8 clobbered the buffer's start");
	if (r == ENC_BINARY)
		FZ_CHECK(out.len == 1, "ENC_BINARY appended something");
	if (r == ENC_OK) {
		FZ_CHECK(enc_valid_utf8(out.p, out.len), "output is not valid UTF-8");
		for (size_t i = 0; i < out.len; i++) {
			unsigned char c = (unsigned char)out.p[i];
			FZ_CHECK(!(c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') &&
					 c != 0x7F,
				 "output holds a control byte");
		}
		FZ_CHECK(out.p[out.len] == '\0', "buffer not NUL-terminated");
	}
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	check(s, size, NULL);
	if (size >= 1) {
		const char *cs = charsets[data[0] % (sizeof charsets / sizeof *charsets)];
		check(s + 1, size - 1, cs);
	}

	/* the small helpers agree with each other */
	int valid = enc_valid_utf8(s, size);
	size_t i = 0, n;
	while (i < size && (n = enc_utf8_seqlen(s + i, size - i)) > 0) {
		FZ_CHECK(n <= 4 && n <= size - i, "enc_utf8_seqlen out of range");
		i += n;
	}
	FZ_CHECK(valid == (i == size), "enc_valid_utf8 and enc_utf8_seqlen disagree");
	fz_sink += (size_t)enc_is_binary(s, size);

	char *copy = fz_strndup(data, size);
	enc_clean_controls(copy, size);
	for (size_t k = 0; k < size; k++) {
		unsigned char c = (unsigned char)copy[k];
		FZ_CHECK(!(c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') && c != 0x7F,
			 "enc_clean_controls left a control byte");
	}
	free(copy);
	return 0;
}
