/* glass_docdata.h - store a glass database's document data as it is given. */
#ifndef LODE_GLASS_DOCDATA_H
#define LODE_GLASS_DOCDATA_H

/* Set the glass database at DBDIR, which no writer may have open, to store
 * document data without compressing it. Returns 0 (done, or it was so
 * already), 1 when DBDIR's version file is not the glass format this knows
 * (left alone), -1 with errno when it cannot be read or written. */
int glass_docdata_raw(const char *dbdir);

#endif
