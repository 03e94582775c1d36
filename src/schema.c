/* schema.c - term construction rules shared by writers and readers. */
#include "schema.h"

#include <string.h>
#include "record.h"

void schema_term(buf_t *out, const char *prefix, const char *s, size_t n)
{
	size_t pl = strlen(prefix);
	buf_reset(out);
	buf_add(out, prefix, pl);
	if (pl + n <= SCHEMA_MAX_TERM) {
		buf_add(out, s, n);
		return;
	}
	/* keep a head (whole UTF-8 characters) and end with the hash */
	size_t head = SCHEMA_MAX_TERM - pl - 17;
	while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
		head--;
	buf_add(out, s, head);
	buf_printf(out, "#%016llx", (unsigned long long)record_hash(s, n));
}

int schema_file_key(buf_t *out, const char *path)
{
	size_t n = strlen(path);
	schema_term(out, META_FILE, path, n);
	return out->len != strlen(META_FILE) + n;
}

void schema_key(buf_t *out, const char *path, const char *subkey)
{
	buf_t whole = BUF_INIT;
	buf_adds(&whole, path);
	if (subkey && *subkey) {
		buf_addc(&whole, '\x1f');
		buf_adds(&whole, subkey);
	}
	schema_term(out, PFX_KEY, whole.p, whole.len);
	buf_free(&whole);
}
