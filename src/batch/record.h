/* One line of the batch report (docs/batch-report.schema.json): what
 * happened to one case. Only ids, paths, counts, digests, dates and the
 * diagnostics' messages go in; never patient data. */
#ifndef AP_BATCH_RECORD_H
#define AP_BATCH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case/case.h"
#include "util/diag.h"

typedef enum { AP_BATCH_BUILT, AP_BATCH_INVALID, AP_BATCH_FAILED, AP_BATCH_SKIPPED } ap_batch_status;

typedef struct {
    const char *case_id;      /* NULL: the id could not be read */
    const char *input;        /* the case file as found */
    ap_batch_status status;
    int exit_code;            /* what `build` would have returned for this case */
    const char *output;       /* the PDF (built or skipped), else NULL */
    int pages;                /* -1: unknown */
    int64_t bytes;            /* -1: unknown */
    const char *sha256;       /* 64 hex digits or NULL */
    bool has_file_by;
    ap_date file_appeal_by;
    const ap_diags *diags;    /* errors and warnings; may be NULL */
    const char *moved_to;     /* watch only: where the case was moved; else NULL */
} ap_batch_record;

/* Sets every field to "unknown" (NULL, -1, no diagnostics). */
void ap_batch_record_init(ap_batch_record *r);
/* The report spelling of a status: "built", "invalid", "failed" or "skipped". */
const char *ap_batch_status_name(ap_batch_status s);
/* The status a `build` exit code stands for: 0 built, 65/66 invalid, else failed. */
ap_batch_status ap_batch_status_for(int exit_code);
/* Returns the record as one JSON object on one line, without the newline (caller frees). */
char *ap_batch_record_json(const ap_batch_record *r);

/* Counts of a run, for the summary line and the exit code. */
typedef struct {
    size_t built, invalid, failed, skipped;
    bool internal;  /* a case failed with an internal error (70) or a worker died */
    bool io;        /* a case failed to be written (73/74), or the report did */
} ap_batch_tally;

/* Counts one finished case. */
void ap_batch_tally_add(ap_batch_tally *t, ap_batch_status s, int exit_code);
/* The run's exit code: 70 if anything failed internally, else 74 on an I/O
 * failure, else 65 if a case was invalid, else 0. */
int ap_batch_tally_exit(const ap_batch_tally *t);
/* Writes "N built, M invalid, F failed, S skipped in T s" (no newline). */
void ap_batch_tally_print(const ap_batch_tally *t, double seconds, FILE *out);

#endif
