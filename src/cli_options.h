/* Command-line options shared by build, check, batch and watch. */
#ifndef AP_CLI_OPTIONS_H
#define AP_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "pipeline.h"

/* getopt_long ids of the shared options (values above any short option). */
enum {
    AP_OPT_DATE = 1000, AP_OPT_A4, AP_OPT_LETTER, AP_OPT_TEMPLATES, AP_OPT_FONTS,
    AP_OPT_FAST_IMAGES, AP_OPT_BASE_DIR, AP_OPT_JSON, AP_OPT_HELP
};

/* The long options every subcommand accepts, terminated like getopt's arrays;
 * use ap_cli_merge to append a subcommand's own. */
extern const struct option ap_cli_common_options[];

/* Returns a new option array: the common options followed by extra (NULL-terminated). */
struct option *ap_cli_merge(const struct option *extra);

/* Applies one shared option to o; returns false (after printing the reason
 * to stderr) when its argument is invalid. Unknown ids return false too. */
bool ap_cli_apply(int id, const char *arg, ap_build_options *o);

/* The default letter date: SOURCE_DATE_EPOCH when set and valid, else today (UTC).
 * Returns false with a message on stderr when SOURCE_DATE_EPOCH is malformed. */
bool ap_cli_default_date(ap_date *out);

#endif
