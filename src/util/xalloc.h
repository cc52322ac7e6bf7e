/* Allocation helpers that abort with a message on out-of-memory, plus a
 * printf-to-new-string helper. */
#ifndef AP_XALLOC_H
#define AP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* malloc that never returns NULL (exits 70 on exhaustion). */
void *ap_xmalloc(size_t n);
/* calloc that never returns NULL. */
void *ap_xcalloc(size_t count, size_t size);
/* realloc that never returns NULL. */
void *ap_xrealloc(void *p, size_t n);
/* strdup that never returns NULL. */
char *ap_xstrdup(const char *s);
/* vasprintf into a new string that never returns NULL. */
char *ap_xvasprintf(const char *fmt, va_list ap);
/* open_memstream that never returns NULL. */
FILE *ap_xmemstream(char **buf, size_t *len);
/* asprintf into a new string that never returns NULL. */
char *ap_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
