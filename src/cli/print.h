/* print.h - how search results are written: one printer per output mode
 * (text with colour on a terminal, plain text in a pipe, JSON lines, paths
 * only, count only, TREC run lines). */
#ifndef LODE_CLI_PRINT_H
#define LODE_CLI_PRINT_H
#include <stdio.h>
#include "lode.h"

/* OUT_PATHS0: paths each ended by a NUL (for xargs -0) */
typedef enum { OUT_TEXT, OUT_JSON, OUT_PATHS, OUT_PATHS0, OUT_COUNT, OUT_TREC } out_mode_t;

typedef struct printer printer_t;

/* COLOR: use escape codes (decided by the caller from --color, NO_COLOR and
 * isatty). run_tag: for OUT_TREC. */
printer_t *printer_new(out_mode_t mode, FILE *out, int color, const char *run_tag);
/* One page of results for query QID (OUT_TREC; NULL otherwise). */
void printer_results(printer_t *p, const lode_results_t *r, const char *qid);
void printer_free(printer_t *p);
#endif
