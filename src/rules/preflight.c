/* Preflight warnings: things a reviewer would catch before the packet is
 * faxed. None of them stops the build. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/preflight.h"

/* True when the exhibit title names a denial notice. */
static bool looks_like_denial(const char *title)
{
    static const char *const words[] = {"denial", "adverse", "determination", "non-certification", "noncertification"};
    char lower[256];
    size_t n = 0;
    for (; title[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)title[n]);
    lower[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(lower, words[i]))
            return true;
    return false;
}

static void mark_runs(const ap_paragraph *paras, size_t n, bool *used)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < paras[i].n_runs; k++)
            if (paras[i].runs[k].kind == AP_RUN_REF_EXHIBIT && paras[i].runs[k].target >= 0)
                used[paras[i].runs[k].target] = true;
}

void ap_preflight(const ap_case *c, const ap_deadlines *d, ap_date today, ap_diags *diags)
{
    bool *used = calloc(c->n_exhibits + 1, sizeof *used);
    if (!used)
        return;
    mark_runs(c->summary, c->n_summary, used);
    mark_runs(c->argument, c->n_argument, used);
    for (size_t i = 0; i < c->n_criteria; i++)
        for (size_t k = 0; k < c->criteria[i].n_evidence; k++)
            if (c->criteria[i].evidence[k].exhibit >= 0)
                used[c->criteria[i].evidence[k].exhibit] = true;
    for (size_t i = 0; i < c->n_treatments; i++)
        if (c->treatments[i].exhibit >= 0)
            used[c->treatments[i].exhibit] = true;

    int denial = -1;
    for (size_t e = 0; e < c->n_exhibits; e++) {
        if (denial < 0 && looks_like_denial(c->exhibits[e].title))
            denial = (int)e;
        if (!used[e] && !(denial == (int)e))
            ap_warning(diags, c->file, c->exhibits[e].line,
                       "exhibit %s is never referenced by the letter, a criterion or the treatment history — "
                       "cite it or leave it out", c->exhibits[e].id);
    }
    if (denial < 0)
        ap_warning(diags, c->file, c->denial.line,
                   "no exhibit looks like the denial notice (no title with \"denial\", \"adverse\" or "
                   "\"determination\") — include the notice as an exhibit, as insurers ask");
    for (size_t i = 0; i < c->n_criteria && denial >= 0; i++) {
        const ap_criterion *cr = &c->criteria[i];
        bool only_denial = cr->n_evidence > 0;
        for (size_t k = 0; k < cr->n_evidence; k++)
            only_denial &= cr->evidence[k].exhibit == denial;
        if (only_denial)
            ap_warning(diags, c->file, cr->line,
                       "criterion %s is supported only by the denial notice itself — add chart evidence", cr->id);
    }
    if (c->requests.expedited && !c->requests.expedited_reason)
        ap_warning(diags, c->file, c->requests.line,
                   "expedited review is requested without a reason — add <expedited reason=\"...\"/> saying why "
                   "the standard time frame could seriously jeopardize the patient");
    if (d->has_file_by) {
        long left = ap_date_to_days(d->file_appeal_by) - ap_date_to_days(today);
        char due[11];
        ap_date_format(d->file_appeal_by, due);
        if (left < 0)
            ap_warning(diags, c->file, c->denial.line,
                       "the filing deadline (%s) has passed — file anyway and ask the plan to accept it for good "
                       "cause", due);
        else if (left <= 7)
            ap_warning(diags, c->file, c->denial.line,
                       "the filing deadline (%s) is %ld day%s away — send the packet now", due, left,
                       left == 1 ? "" : "s");
    }
    free(used);
}
