/* msg.h - every message lode prints for people goes through here: one line,
 * prefixed "lode: ", to stderr; note() and warn() are silenced by --quiet. */
#ifndef LODE_CLI_MSG_H
#define LODE_CLI_MSG_H

void msg_set_quiet(int quiet);
int msg_quiet(void);
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same text made safe for one line: control characters (newlines in file
 * names) shown as \n, \t, \xNN, and so are bytes that are not UTF-8.
 * Returns a static buffer reused by each call (two slots alternate, so two
 * may be used in one message). */
const char *msg_safe(const char *s);
#endif
