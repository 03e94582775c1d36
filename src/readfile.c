/* readfile.c - a whole file (or stdin) in memory, gunzipped; see readfile.h.
 *
 * Sizes are capped twice: the raw size (fstat before reading, and again while
 * reading, as the file may grow) and the decompressed size, so a gzip bomb
 * stops at max_size having allocated about max_size bytes. */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* gzip inside gzip is unpacked this many times, not more. */
#define GZIP_MAX_DEPTH 3
/* max_size + 2 must not overflow. */
#define SIZE_CAP (((size_t)-1) / 2)

static int is_gzip(const char *p, size_t n)
{
	return n >= 2 && (unsigned char)p[0] == 0x1F && (unsigned char)p[1] == 0x8B;
}

/* Read FD to the end into a malloc'd, NUL-terminated block. HINT: the size
 * fstat reported (0 when unknown); the block grows past it if the file does,
 * never past max_size + 1 bytes (which means "too large"). */
static rf_result_t read_fd(int fd, size_t hint, size_t max_size, char **data, size_t *len,
			   const char **reason)
{
	size_t cap = hint ? hint + 1 : 65536;
	if (cap > max_size + 1)
		cap = max_size + 1;
	char *p = malloc(cap + 1);
	if (!p)
		return RF_NOMEM;
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			if (cap > max_size) {
				free(p);
				*reason = "file too large";
				return RF_TOO_LARGE;
			}
			size_t ncap = cap < max_size / 2 ? cap * 2 : max_size + 1;
			char *q = realloc(p, ncap + 1);
			if (!q) {
				free(p);
				return RF_NOMEM;
			}
			p = q;
			cap = ncap;
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*reason = strerror(errno);
			free(p);
			return RF_UNREADABLE;
		}
		if (r == 0)
			break; /* end of file, wherever it now is (it may have shrunk) */
		n += (size_t)r;
	}
	if (n > max_size) {
		free(p);
		*reason = "file too large";
		return RF_TOO_LARGE;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	return RF_OK;
}

/* Inflate one gzip file (all its members) into a new block of at most
 * max_size bytes. */
static rf_result_t gunzip(const char *in, size_t in_len, size_t max_size, char **data,
			  size_t *len, const char **reason)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return RF_NOMEM;
	/* A first guess at the ratio; the block doubles as needed, up to the cap. */
	size_t cap = in_len < ((size_t)-1) / 4 ? in_len * 4 + 1024 : (size_t)-1;
	if (cap > max_size + 1)
		cap = max_size + 1;
	char *out = malloc(cap + 1);
	rf_result_t rc = RF_OK;
	size_t n = 0;
	if (!out) {
		inflateEnd(&zs);
		return RF_NOMEM;
	}
	const unsigned char *next = (const unsigned char *)in;
	size_t left = in_len;
	for (;;) {
		if (n == cap) {
			if (cap > max_size) {
				rc = RF_TOO_LARGE;
				*reason = "decompressed data too large";
				break;
			}
			size_t ncap = cap < max_size / 2 ? cap * 2 : max_size + 1;
			char *q = realloc(out, ncap + 1);
			if (!q) {
				rc = RF_NOMEM;
				break;
			}
			out = q;
			cap = ncap;
		}
		/* zlib counts in uInt: feed and drain at most 1 GiB at a time. */
		uInt in_chunk = left < (1u << 30) ? (uInt)left : (1u << 30);
		uInt out_chunk = cap - n < (1u << 30) ? (uInt)(cap - n) : (1u << 30);
		zs.next_in = (Bytef *)next;
		zs.avail_in = in_chunk;
		zs.next_out = (Bytef *)out + n;
		zs.avail_out = out_chunk;
		int z = inflate(&zs, Z_NO_FLUSH);
		next += in_chunk - zs.avail_in;
		left -= in_chunk - zs.avail_in;
		n += out_chunk - zs.avail_out;
		if (z == Z_STREAM_END) {
			/* Another member follows (cat a.gz b.gz): go on. Anything else
			 * after the end (tar padding, junk) is ignored, as gzip does. */
			if (is_gzip((const char *)next, left) && inflateReset(&zs) == Z_OK)
				continue;
			break;
		}
		if (z == Z_MEM_ERROR) {
			rc = RF_NOMEM;
			break;
		}
		if (z != Z_OK && z != Z_BUF_ERROR) {
			rc = RF_BAD_GZIP;
			*reason = "corrupt gzip stream";
			break;
		}
		if (left == 0 && zs.avail_out > 0) {
			/* All input consumed and room left, yet no end: cut short. */
			rc = RF_BAD_GZIP;
			*reason = "truncated gzip stream";
			break;
		}
		if (z == Z_BUF_ERROR && zs.avail_in == in_chunk && zs.avail_out == out_chunk) {
			rc = RF_BAD_GZIP; /* no progress possible: never loop on it */
			*reason = "corrupt gzip stream";
			break;
		}
	}
	inflateEnd(&zs);
	if (rc == RF_OK && n > max_size) {
		rc = RF_TOO_LARGE; /* the stream ended in the byte past the cap */
		*reason = "decompressed data too large";
	}
	if (rc != RF_OK) {
		free(out);
		return rc;
	}
	out[n] = '\0';
	*data = out;
	*len = n;
	return RF_OK;
}

rf_result_t rf_from_memory(const char *in, size_t in_len, size_t max_size, char **data,
			   size_t *len, int *was_gzip, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*data = NULL;
	*len = 0;
	*reason = NULL;
	if (was_gzip)
		*was_gzip = 0;
	if (max_size > SIZE_CAP)
		max_size = SIZE_CAP;
	if (!is_gzip(in, in_len)) {
		if (in_len > max_size) {
			*reason = "file too large";
			return RF_TOO_LARGE;
		}
		char *p = malloc(in_len + 1);
		if (!p) {
			*reason = "out of memory";
			return RF_NOMEM;
		}
		if (in_len)
			memcpy(p, in, in_len);
		p[in_len] = '\0';
		*data = p;
		*len = in_len;
		return RF_OK;
	}
	if (was_gzip)
		*was_gzip = 1;
	char *cur = NULL;
	size_t cur_len = 0;
	for (int depth = 0; is_gzip(cur ? cur : in, cur ? cur_len : in_len); depth++) {
		if (depth == GZIP_MAX_DEPTH) {
			free(cur);
			*reason = "gzip nested too deeply";
			return RF_BAD_GZIP;
		}
		char *next;
		size_t next_len;
		rf_result_t rc = gunzip(cur ? cur : in, cur ? cur_len : in_len, max_size, &next,
					&next_len, reason);
		free(cur);
		if (rc != RF_OK) {
			if (rc == RF_NOMEM)
				*reason = "out of memory";
			return rc;
		}
		cur = next;
		cur_len = next_len;
	}
	*data = cur;
	*len = cur_len;
	return RF_OK;
}

rf_result_t rf_read(const char *path, size_t max_size, char **data, size_t *len,
		    int *was_gzip, const char **reason)
{
	return rf_read_flags(path, 0, max_size, data, len, was_gzip, reason);
}

rf_result_t rf_read_flags(const char *path, int flags, size_t max_size, char **data,
			  size_t *len, int *was_gzip, const char **reason)
{
	const char *dummy;
	if (!reason)
		reason = &dummy;
	*data = NULL;
	*len = 0;
	*reason = NULL;
	if (was_gzip)
		*was_gzip = 0;
	if (max_size > SIZE_CAP)
		max_size = SIZE_CAP;
	int is_stdin = strcmp(path, "-") == 0;
	/* O_NONBLOCK: opening a FIFO that replaced a file must not wait for a writer */
	int oflags = O_RDONLY | O_CLOEXEC | ((flags & RF_REGULAR_ONLY) ? O_NONBLOCK : 0);
	int fd = is_stdin ? STDIN_FILENO : open(path, oflags);
	if (fd < 0) {
		*reason = strerror(errno);
		return RF_UNREADABLE;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || ((flags & RF_REGULAR_ONLY) && !is_stdin && !S_ISREG(st.st_mode))) {
		*reason = S_ISREG(st.st_mode) ? strerror(errno) : "not a regular file";
		if (!is_stdin)
			close(fd);
		return RF_UNREADABLE;
	}
	/* O_NONBLOCK stays: it changes nothing for a regular file, the only
	 * kind read with RF_REGULAR_ONLY (two fcntl calls a file spared) */
	rf_result_t rc;
	char *raw = NULL;
	size_t raw_len = 0;
	if (S_ISDIR(st.st_mode)) {
		*reason = strerror(EISDIR);
		rc = RF_UNREADABLE;
	} else if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_size) {
		*reason = "file too large";
		rc = RF_TOO_LARGE;
	} else {
		size_t hint = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
		rc = read_fd(fd, hint, max_size, &raw, &raw_len, reason);
	}
	if (!is_stdin)
		close(fd);
	if (rc == RF_NOMEM)
		*reason = "out of memory";
	if (rc != RF_OK)
		return rc;
	if (!is_gzip(raw, raw_len)) {
		*data = raw;
		*len = raw_len;
		return RF_OK;
	}
	rc = rf_from_memory(raw, raw_len, max_size, data, len, was_gzip, reason);
	free(raw);
	return rc;
}
