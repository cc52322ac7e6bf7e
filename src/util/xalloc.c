/* Allocation helpers: out-of-memory is an internal error (exit 70). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/exitcodes.h"
#include "util/xalloc.h"

static void oom(void)
{
    fputs("appeal-packet: out of memory\n", stderr);
    exit(AP_EXIT_SOFTWARE);
}

void *ap_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *ap_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *ap_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *ap_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ap_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

char *ap_xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return ap_xstrdup("(unformattable message)");
    char *s = ap_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *ap_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ap_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

FILE *ap_xmemstream(char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    if (!f)
        oom();
    return f;
}
