/* appeal-packet command line: build, check, batch, watch. Only argument
 * handling lives here; the work is in pipeline.c and batch/. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "cli_options.h"
#include "pipeline.h"
#include "report/check_report.h"
#include "util/exitcodes.h"

static const char usage[] =
    "Usage: appeal-packet COMMAND [OPTIONS]\n"
    "\n"
    "Turns an appeal case file (XML) into one print-ready PDF appeal packet.\n"
    "\n"
    "Commands:\n"
    "  build CASE.xml -o OUT.pdf   check the case and write the packet\n"
    "  check CASE.xml [--json]     check the case; print every error and warning\n"
    "  batch INPUT... -o OUTDIR    build many cases (see 'appeal-packet batch --help')\n"
    "  watch INBOX -o OUTDIR       build cases dropped into a folder\n"
    "\n"
    "Options for build and check:\n"
    "  -o, --output FILE     where to write the PDF (build)\n"
    "      --json            print the check result as one JSON object (check)\n"
    "      --date YYYY-MM-DD the letter date (default: today, or SOURCE_DATE_EPOCH)\n"
    "      --a4              A4 paper (default: US Letter)\n"
    "      --templates DIR   letter templates and rules (default: the bundled ones)\n"
    "      --fonts DIR       fonts (default: the bundled ones)\n"
    "      --fast-images     skip the inflate check of passed-through PNG data\n"
    "      --base-dir DIR    let scans live anywhere below DIR (default: the case folder)\n"
    "  -h, --help            this help\n"
    "  -V, --version         print the version\n"
    "\n"
    "Exit codes: 0 success, 64 usage, 65 invalid case, 66 missing input,\n"
    "70 internal error, 73 output cannot be created, 74 I/O error,\n78 invalid templates or rules.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("appeal-packet: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'appeal-packet --help'.\n", stderr);
    return AP_EXIT_USAGE;
}

typedef struct {
    const char *case_path;
    const char *out_path;
    bool json;
} command_args;

/* Parses the options of build/check; returns -1 on success, else an exit code. */
static int parse_args(int argc, char **argv, ap_build_options *o, command_args *a, bool is_build)
{
    static const struct option extra[] = {
        {"output", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, AP_OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct option *longopts = ap_cli_merge(extra);
    int rc = -1, ch;
    optind = 1;
    while (rc < 0 && (ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': a->out_path = optarg; break;
        case AP_OPT_JSON: a->json = true; break;
        case 'h': case AP_OPT_HELP: fputs(usage, stdout); rc = AP_EXIT_OK; break;
        case '?': rc = AP_EXIT_USAGE; fputs("Try 'appeal-packet --help'.\n", stderr); break;
        default:
            if (!ap_cli_apply(ch, optarg, o))
                rc = AP_EXIT_USAGE;
        }
    }
    free(longopts);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s needs a case file (CASE.xml)", argv[0]);
    if (optind + 1 < argc)
        return usage_error("unexpected argument '%s' (one case file at a time; use 'batch' for many)", argv[optind + 1]);
    a->case_path = argv[optind];
    if (is_build && !a->out_path)
        return usage_error("%s", "build needs -o OUT.pdf");
    if (!is_build && a->out_path)
        return usage_error("%s", "check writes nothing; -o belongs to build");
    if (is_build && a->json)
        return usage_error("%s", "--json belongs to check");
    return -1;
}

static int cmd_check(int argc, char **argv, ap_build_options *o)
{
    command_args a = {0};
    int rc = parse_args(argc, argv, o, &a, false);
    if (rc >= 0)
        return rc;
    return ap_check_report(a.case_path, o, a.json ? stdout : NULL, stderr);
}

static int cmd_build(int argc, char **argv, ap_build_options *o)
{
    command_args a = {0};
    int rc = parse_args(argc, argv, o, &a, true);
    if (rc >= 0)
        return rc;
    ap_diags diags;
    ap_diags_init(&diags);
    ap_build_result result;
    rc = ap_build_case(a.case_path, a.out_path, o, &diags, &result);
    ap_diags_print(&diags, stderr);
    ap_diags_free(&diags);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return AP_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return AP_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("appeal-packet %s\n", AP_VERSION);
        return AP_EXIT_OK;
    }
    ap_build_options o;
    ap_build_options_init(&o);
    if (!ap_cli_default_date(&o.date))
        return AP_EXIT_USAGE;
    if (!strcmp(cmd, "build"))
        return cmd_build(argc - 1, argv + 1, &o);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1, &o);
    if (!strcmp(cmd, "batch"))
        return ap_batch_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "watch"))
        return ap_watch_main(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}
