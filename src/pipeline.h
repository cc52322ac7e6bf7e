/* The whole job for one case: read and check the case, compose the packet,
 * lay it out and write the PDF atomically. The command line (main.c) and the
 * batch runner (batch/) both call these and nothing deeper. */
#ifndef AP_PIPELINE_H
#define AP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "case/case.h"
#include "rules/rules.h"
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

/* A read and checked case, with the rules of its plan type and the
 * deadlines they give; filled by ap_check_case, freed by
 * ap_checked_case_free. */
typedef struct {
    ap_case *c;
    ap_rules *rules;
    const ap_plan_rules *plan;   /* the rules of c's plan type, inside rules */
    ap_deadlines deadlines;
} ap_checked_case;

/* Reads and checks a case without writing anything; returns an exit code
 * (0 valid, 65 invalid, 66 missing, 78 bad rules file) with every finding
 * in diags. On success *out (when not NULL) receives the checked case. */
int ap_check_case(const char *case_path, const ap_build_options *o, ap_diags *diags, ap_checked_case *out);
/* Frees what ap_check_case filled (an empty one is fine). */
void ap_checked_case_free(ap_checked_case *k);
/* Builds the packet for a checked case into out_path (atomically).
 * Returns an exit code; fills result when not NULL. */
int ap_build_loaded_case(const ap_checked_case *k, const char *out_path, const ap_build_options *o,
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
