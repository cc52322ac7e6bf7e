/* Diagnostics list: collect, sort and print findings. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

#define AP_DIAG_DEFAULT_LIMIT 1000

void ap_diags_init(ap_diags *d)
{
    memset(d, 0, sizeof *d);
}

void ap_diags_free(ap_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

static void add(ap_diags *d, ap_severity sev, int code, const char *file, long line,
                const char *fmt, va_list ap)
{
    if (sev == AP_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    size_t limit = d->limit ? d->limit : AP_DIAG_DEFAULT_LIMIT;
    if (d->count >= limit) {
        d->dropped++;
        /* keep the most severe exit code visible even when dropped */
        if (sev == AP_SEV_ERROR && d->count > 0 && code != AP_EXIT_DATAERR)
            d->items[d->count - 1].exit_code = code;
        return;
    }
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = ap_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    ap_diag *g = &d->items[d->count++];
    g->severity = sev;
    g->file = ap_xstrdup(file ? file : "");
    g->line = line;
    g->message = ap_xvasprintf(fmt, ap);
    g->exit_code = sev == AP_SEV_ERROR ? code : 0;
}

void ap_error(ap_diags *d, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, AP_SEV_ERROR, AP_EXIT_DATAERR, file, line, fmt, ap);
    va_end(ap);
}

void ap_error_code(ap_diags *d, int exit_code, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, AP_SEV_ERROR, exit_code, file, line, fmt, ap);
    va_end(ap);
}

void ap_warning(ap_diags *d, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, AP_SEV_WARNING, 0, file, line, fmt, ap);
    va_end(ap);
}

/* Severity order among exit codes: internal > configuration > I/O > cannot create > missing input > invalid. */
static int rank(int code)
{
    switch (code) {
    case AP_EXIT_SOFTWARE: return 6;
    case AP_EXIT_CONFIG: return 5;
    case AP_EXIT_IOERR: return 4;
    case AP_EXIT_CANTCREAT: return 3;
    case AP_EXIT_NOINPUT: return 2;
    case AP_EXIT_DATAERR: return 1;
    default: return 0;
    }
}

int ap_diags_exit_code(const ap_diags *d)
{
    if (d->errors == 0)
        return AP_EXIT_OK;
    int best = AP_EXIT_DATAERR;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == AP_SEV_ERROR && rank(d->items[i].exit_code) > rank(best))
            best = d->items[i].exit_code;
    return best;
}

void ap_diags_print(const ap_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        const ap_diag *g = &d->items[i];
        const char *sev = g->severity == AP_SEV_ERROR ? "error" : "warning";
        if (g->line > 0)
            fprintf(out, "%s:%ld: %s: %s\n", g->file, g->line, sev, g->message);
        else
            fprintf(out, "%s: %s: %s\n", g->file, sev, g->message);
    }
    if (d->dropped)
        fprintf(out, "(%zu further findings not shown)\n", d->dropped);
}

static int cmp_diag(const void *a, const void *b)
{
    const ap_diag *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return 0;
}

void ap_diags_sort(ap_diags *d)
{
    /* insertion sort: stable, and lists are short */
    for (size_t i = 1; i < d->count; i++) {
        ap_diag t = d->items[i];
        size_t j = i;
        while (j > 0 && cmp_diag(&d->items[j - 1], &t) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = t;
    }
}
