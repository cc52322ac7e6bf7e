/* Shared command-line options and the default-date rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_options.h"
#include "util/xalloc.h"

const struct option ap_cli_common_options[] = {
    {"date", required_argument, NULL, AP_OPT_DATE},
    {"a4", no_argument, NULL, AP_OPT_A4},
    {"letter", no_argument, NULL, AP_OPT_LETTER},
    {"templates", required_argument, NULL, AP_OPT_TEMPLATES},
    {"fonts", required_argument, NULL, AP_OPT_FONTS},
    {"fast-images", no_argument, NULL, AP_OPT_FAST_IMAGES},
    {"base-dir", required_argument, NULL, AP_OPT_BASE_DIR},
    {"help", no_argument, NULL, AP_OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct option *ap_cli_merge(const struct option *extra)
{
    size_t a = 0, b = 0;
    while (ap_cli_common_options[a].name)
        a++;
    while (extra && extra[b].name)
        b++;
    struct option *all = ap_xcalloc(a + b + 1, sizeof *all);
    memcpy(all, ap_cli_common_options, a * sizeof *all);
    if (b)
        memcpy(all + a, extra, b * sizeof *all);
    return all;
}

bool ap_cli_apply(int id, const char *arg, ap_build_options *o)
{
    switch (id) {
    case AP_OPT_DATE:
        if (!ap_date_parse(arg, &o->date)) {
            fprintf(stderr, "appeal-packet: --date '%s' is not a real date in the form YYYY-MM-DD\n", arg);
            return false;
        }
        return true;
    case AP_OPT_A4: o->paper = AP_PAPER_A4; return true;
    case AP_OPT_LETTER: o->paper = AP_PAPER_LETTER; return true;
    case AP_OPT_TEMPLATES: o->templates_dir = arg; return true;
    case AP_OPT_FONTS: o->fonts_dir = arg; return true;
    case AP_OPT_FAST_IMAGES: o->fast_images = true; return true;
    case AP_OPT_BASE_DIR: o->base_dir = arg; return true;
    default: return false;
    }
}

bool ap_cli_default_date(ap_date *out)
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0 || v > 7258118400LL) {
            fprintf(stderr, "appeal-packet: SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970 — fix or unset it\n", sde);
            return false;
        }
        now = (time_t)v;
    }
    *out = ap_date_from_days((long)(now / 86400));
    return true;
}
