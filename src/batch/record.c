/* Batch report lines as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "batch/record.h"
#include "report/check_report.h"
#include "util/exitcodes.h"
#include "util/json.h"
#include "util/xalloc.h"

void ap_batch_record_init(ap_batch_record *r)
{
    *r = (ap_batch_record){.status = AP_BATCH_FAILED, .exit_code = AP_EXIT_SOFTWARE, .pages = -1, .bytes = -1};
}

const char *ap_batch_status_name(ap_batch_status s)
{
    switch (s) {
    case AP_BATCH_BUILT: return "built";
    case AP_BATCH_INVALID: return "invalid";
    case AP_BATCH_SKIPPED: return "skipped";
    case AP_BATCH_FAILED: break;
    }
    return "failed";
}

ap_batch_status ap_batch_status_for(int exit_code)
{
    if (exit_code == AP_EXIT_OK)
        return AP_BATCH_BUILT;
    if (exit_code == AP_EXIT_DATAERR || exit_code == AP_EXIT_NOINPUT)
        return AP_BATCH_INVALID;
    return AP_BATCH_FAILED;
}

static void write_diags(FILE *f, const ap_diags *d, ap_severity sev)
{
    if (d)
        ap_diags_write_json(d, sev, f);
    else
        fputs("[]", f);
}

char *ap_batch_record_json(const ap_batch_record *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = ap_xmemstream(&buf, &len);
    fputs("{\"case_id\": ", f);
    ap_json_string(f, r->case_id);
    fputs(", \"input\": ", f);
    ap_json_string(f, r->input);
    fprintf(f, ", \"status\": \"%s\", \"output\": ", ap_batch_status_name(r->status));
    ap_json_string(f, r->output);
    if (r->pages >= 0)
        fprintf(f, ", \"pages\": %d", r->pages);
    else
        fputs(", \"pages\": null", f);
    if (r->bytes >= 0)
        fprintf(f, ", \"bytes\": %lld", (long long)r->bytes);
    else
        fputs(", \"bytes\": null", f);
    fputs(", \"sha256\": ", f);
    ap_json_string(f, r->sha256);
    if (r->has_file_by) {
        char d[16];
        ap_date_format(r->file_appeal_by, d);
        fprintf(f, ", \"file_appeal_by\": \"%s\"", d);
    } else {
        fputs(", \"file_appeal_by\": null", f);
    }
    fputs(", \"warnings\": ", f);
    write_diags(f, r->diags, AP_SEV_WARNING);
    fputs(", \"errors\": ", f);
    write_diags(f, r->diags, AP_SEV_ERROR);
    if (r->moved_to) {
        fputs(", \"moved_to\": ", f);
        ap_json_string(f, r->moved_to);
    }
    fputc('}', f);
    if (fclose(f) != 0 || !buf) {
        fputs("appeal-packet: out of memory\n", stderr);
        exit(AP_EXIT_SOFTWARE);
    }
    return buf;
}

void ap_batch_tally_add(ap_batch_tally *t, ap_batch_status s, int exit_code)
{
    switch (s) {
    case AP_BATCH_BUILT: t->built++; break;
    case AP_BATCH_INVALID: t->invalid++; break;
    case AP_BATCH_SKIPPED: t->skipped++; break;
    case AP_BATCH_FAILED:
        t->failed++;
        if (exit_code == AP_EXIT_CANTCREAT || exit_code == AP_EXIT_IOERR)
            t->io = true;
        else
            t->internal = true;
        break;
    }
}

int ap_batch_tally_exit(const ap_batch_tally *t)
{
    if (t->internal)
        return AP_EXIT_SOFTWARE;
    if (t->io)
        return AP_EXIT_IOERR;
    if (t->invalid)
        return AP_EXIT_DATAERR;
    return AP_EXIT_OK;
}

void ap_batch_tally_print(const ap_batch_tally *t, double seconds, FILE *out)
{
    fprintf(out, "%zu built, %zu invalid, %zu failed, %zu skipped in %.1f s", t->built, t->invalid, t->failed,
            t->skipped, seconds);
}
