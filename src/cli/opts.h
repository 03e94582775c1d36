/* opts.h - small helpers for option values and output shared by commands. */
#ifndef LODE_CLI_OPTS_H
#define LODE_CLI_OPTS_H
#include <stdint.h>
#include <stdio.h>

/* Parse a whole decimal number / a size with an optional K, M, G suffix /
 * a finite floating-point number. Return 0, or -1 when S is not one. */
int opts_uint(const char *s, unsigned *out);
int opts_size(const char *s, uint64_t *out);
int opts_double(const char *s, double *out);
/* Seconds on a monotonic clock. */
double opts_now(void);
/* Print S as a JSON string literal. */
void opts_json_str(FILE *f, const char *s);
#endif
