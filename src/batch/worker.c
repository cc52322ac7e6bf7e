/* What a worker does with one case: build it, or find its packet up to
 * date, or report why it is invalid; the answer is one report line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/pool.h"
#include "batch/sha256.h"
#include "util/exitcodes.h"

/* True when a is strictly later than b. */
static bool later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* True when the input exists and the packet's time is strictly later than its. */
static bool older_than_packet(const char *input, const struct stat *pdf)
{
    struct stat st;
    return input && stat(input, &st) == 0 && later(&pdf->st_mtim, &st.st_mtim);
}

/* The up-to-date rule: the packet is newer than the case file and every
 * scan and signature image the case references. */
static bool up_to_date(const ap_case *c, const struct stat *pdf)
{
    if (!older_than_packet(c->file, pdf))
        return false;
    for (size_t i = 0; i < c->n_exhibits; i++)
        for (size_t j = 0; j < c->exhibits[i].n_pages; j++)
            if (!older_than_packet(c->exhibits[i].pages[j].path, pdf))
                return false;
    if (c->prescriber.signature && !older_than_packet(c->prescriber.signature->path, pdf))
        return false;
    return true;
}

ap_pool_result ap_pool_run_task(const ap_pool_task *t, const ap_build_options *o)
{
    ap_diags diags;
    ap_diags_init(&diags);
    ap_build_result res;
    memset(&res, 0, sizeof res);
    ap_batch_record r;
    ap_batch_record_init(&r);
    r.input = t->input;
    r.case_id = t->case_id;
    r.diags = &diags;
    char hex[65];
    int rc;
    bool skipped = false;
    struct stat pdf;

    if (!t->output) {
        /* no usable id, so no output name: collect the case's errors */
        rc = ap_check_case(t->input, o, &diags, NULL);
        if (rc == AP_EXIT_OK) {
            ap_error(&diags, t->input, 0,
                     "the case id (id= on <appeal>) cannot name a file — use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'");
            rc = AP_EXIT_DATAERR;
        }
    } else if (!t->force && stat(t->output, &pdf) == 0) {
        ap_checked_case k;
        rc = ap_check_case(t->input, o, &diags, &k);
        if (rc == AP_EXIT_OK && up_to_date(k.c, &pdf)) {
            skipped = true;
            res.has_file_by = k.deadlines.has_file_by;
            res.file_appeal_by = k.deadlines.file_appeal_by;
        } else if (rc == AP_EXIT_OK) {
            rc = ap_build_loaded_case(&k, t->output, o, &diags, &res);
            if (k.c->case_id)
                snprintf(res.case_id, sizeof res.case_id, "%s", k.c->case_id);
        }
        ap_checked_case_free(&k);
    } else {
        rc = ap_build_case(t->input, t->output, o, &diags, &res);
    }

    r.exit_code = rc;
    r.status = skipped ? AP_BATCH_SKIPPED : ap_batch_status_for(rc);
    if (rc == AP_EXIT_OK) {
        r.output = t->output;
        if (skipped) {
            r.bytes = (int64_t)pdf.st_size;
            r.has_file_by = res.has_file_by;
            r.file_appeal_by = res.file_appeal_by;
        } else {
            r.pages = res.pages;
            r.bytes = (int64_t)res.bytes;
            r.has_file_by = res.has_file_by;
            r.file_appeal_by = res.file_appeal_by;
        }
        if (ap_sha256_file(t->output, hex)) {
            r.sha256 = hex;
        } else {
            /* the packet vanished or cannot be read back right after the save */
            ap_error_code(&diags, AP_EXIT_IOERR, t->output, 0, "cannot read the packet back: %s", strerror(errno));
            r.exit_code = AP_EXIT_IOERR;
            r.status = AP_BATCH_FAILED;
            r.output = NULL;
            r.pages = -1;
            r.bytes = -1;
            r.has_file_by = false;
        }
    }
    ap_diags_sort(&diags);
    ap_pool_result out = {.tag = t->tag, .status = r.status, .exit_code = r.exit_code,
                          .json = ap_batch_record_json(&r)};
    ap_diags_free(&diags);
    return out;
}
