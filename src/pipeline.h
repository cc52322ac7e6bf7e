/* The whole job for one case: read and check the case, compose the packet,
 * lay it out and write the PDF atomically. The command line (main.c) and the
 * batch runner (batch/) both call these and nothing deeper. */
#ifndef AP_PIPELINE_H
#define AP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "case/case.h"
#include "util/diag.h"

typedef enum { AP_PAPER_LETTER, AP_PAPER_A4 } ap_paper;

typedef struct {
    ap_date date;              /* the letter date (--date, SOURCE_DATE_EPOCH, or today) */
    ap_paper paper;            /* US Letter by default */
    const char *templates_dir; /* NULL: the bundled templates/ */
    const char *fonts_dir;     /* NULL: the bundled fonts/ */
    const char *base_dir;      /* NULL: scans must stay inside the case folder */
    bool fast_images;          /* skip the inflate check of passed-through PNG data */
} ap_build_options;

typedef struct {
    char case_id[128];         /* empty when the case id could not be read */
    int pages;                 /* pages in the written PDF */
    uint64_t bytes;            /* size of the written PDF */
    bool has_file_by;          /* a filing deadline could be computed */
    ap_date file_appeal_by;
} ap_build_result;

/* Fills options with the defaults (today's date, Letter, bundled data). */
void ap_build_options_init(ap_build_options *o);

/* Reads and checks a case without writing anything; returns an exit code
 * (0 valid, 65 invalid, 66 missing) with every finding in diags. On success
 * *out receives the case (caller frees) if out is not NULL. */
int ap_check_case(const char *case_path, const ap_build_options *o, ap_diags *diags, ap_case **out);

/* Writes the `deadlines` JSON object of a checked case (for check --json). */
void ap_check_write_deadlines(const ap_case *c, const ap_build_options *o, FILE *out);

/* Builds the packet for an already loaded and checked case into out_path
 * (atomically). Returns an exit code; fills result when not NULL. */
int ap_build_loaded_case(const ap_case *c, const char *out_path, const ap_build_options *o,
                         ap_diags *diags, ap_build_result *result);

/* Temporary files of an atomic save live beside the target and are named
 * ".NAME.partial-XXXXXX" (NAME = the target's file name); nothing else uses
 * that pattern, so a batch runner may remove leftovers after a crash. */
#define AP_PARTIAL_INFIX ".partial-"

/* Builds the packet for one case into out_path (atomically: complete file
 * or nothing). Returns an exit code; fills result when not NULL. */
int ap_build_case(const char *case_path, const char *out_path, const ap_build_options *o,
                  ap_diags *diags, ap_build_result *result);

#endif
