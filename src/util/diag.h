/* Diagnostics: errors and warnings collected while reading, checking and
 * building a case, each tied to a file and a line. Messages never carry
 * patient data: they name elements, attributes, ids and paths only. */
#ifndef AP_DIAG_H
#define AP_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { AP_SEV_ERROR, AP_SEV_WARNING } ap_severity;

typedef struct {
    ap_severity severity;
    char *file;     /* the file the finding is about (case file or a scan) */
    long line;      /* 1-based line in the case file, 0 when none applies */
    char *message;  /* "what is wrong — how to fix it" */
    int exit_code;  /* the sysexits code this error implies (65, 66, 74 ...) */
} ap_diag;

typedef struct {
    ap_diag *items;
    size_t count, cap;
    size_t errors, warnings;
    size_t limit;   /* stop recording after this many (0: default 1000) */
    size_t dropped; /* findings past the limit, counted but not stored */
} ap_diags;

/* Initialises an empty diagnostics list. */
void ap_diags_init(ap_diags *d);
/* Frees every stored diagnostic. */
void ap_diags_free(ap_diags *d);
/* Records an error (exit code 65 unless set later) with a printf-style message. */
void ap_error(ap_diags *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records an error that implies a specific exit code (66 missing input, 74 I/O). */
void ap_error_code(ap_diags *d, int exit_code, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Records a warning with a printf-style message. */
void ap_warning(ap_diags *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Returns the exit code the recorded errors imply: 0 if none, else the most severe. */
int ap_diags_exit_code(const ap_diags *d);
/* Prints every diagnostic as "FILE:LINE: error: message" to the stream. */
void ap_diags_print(const ap_diags *d, FILE *out);
/* Sorts diagnostics by file, then line, keeping insertion order among equals. */
void ap_diags_sort(ap_diags *d);

#endif
