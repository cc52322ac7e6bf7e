/* The result of `appeal-packet check`: human-readable findings on stderr,
 * or one JSON object on stdout with --json. */
#ifndef AP_CHECK_REPORT_H
#define AP_CHECK_REPORT_H

#include <stdio.h>

#include "pipeline.h"

/* Checks the case and reports it; json (may be NULL) receives the JSON
 * object, human receives "FILE:LINE: error: ..." lines when json is NULL.
 * Returns the exit code. */
int ap_check_report(const char *case_path, const ap_build_options *o, FILE *json, FILE *human);

/* Writes the diagnostics of one severity as a JSON array of {file, line, message}. */
void ap_diags_write_json(const ap_diags *d, ap_severity severity, FILE *out);

#endif
