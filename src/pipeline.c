/* The whole job for one case: read and check, compose, lay out, render. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pipeline.h"
#include "util/exitcodes.h"

void ap_build_options_init(ap_build_options *o)
{
    memset(o, 0, sizeof *o);
    o->date = ap_date_from_days((long)(time(NULL) / 86400));
    o->paper = AP_PAPER_LETTER;
}

int ap_check_case(const char *case_path, const ap_build_options *o, ap_diags *diags, ap_case **out)
{
    ap_load_options lo = {o->base_dir, false};
    if (out)
        *out = NULL;
    ap_case *c = ap_case_load(case_path, &lo, diags);
    if (!c)
        return ap_diags_exit_code(diags);
    if (out)
        *out = c;
    else
        ap_case_free(c);
    return AP_EXIT_OK;
}

void ap_check_write_deadlines(const ap_case *c, const ap_build_options *o, FILE *out)
{
    (void)c; (void)o;
    fputs("null", out);
}

int ap_build_loaded_case(const ap_case *c, const char *out_path, const ap_build_options *o,
                         ap_diags *diags, ap_build_result *result)
{
    (void)c; (void)out_path; (void)o; (void)result;
    ap_error_code(diags, AP_EXIT_SOFTWARE, c->file, 0, "packet rendering is not available in this build");
    return AP_EXIT_SOFTWARE;
}

int ap_build_case(const char *case_path, const char *out_path, const ap_build_options *o,
                  ap_diags *diags, ap_build_result *result)
{
    if (result)
        memset(result, 0, sizeof *result);
    ap_case *c = NULL;
    int rc = ap_check_case(case_path, o, diags, &c);
    if (rc != AP_EXIT_OK)
        return rc;
    if (result && c->case_id)
        snprintf(result->case_id, sizeof result->case_id, "%s", c->case_id);
    rc = ap_build_loaded_case(c, out_path, o, diags, result);
    ap_case_free(c);
    return rc;
}
