/* `check` output: human-readable or JSON. Neither carries patient data: the
 * case id, file names, lines and messages only. */
#include <string.h>

#include "report/check_report.h"
#include "util/json.h"

void ap_diags_write_json(const ap_diags *d, ap_severity severity, FILE *out)
{
    fputc('[', out);
    bool first = true;
    for (size_t i = 0; i < d->count; i++) {
        const ap_diag *g = &d->items[i];
        if (g->severity != severity)
            continue;
        fputs(first ? "{\"file\": " : ", {\"file\": ", out);
        first = false;
        ap_json_string(out, g->file);
        if (g->line > 0)
            fprintf(out, ", \"line\": %ld, \"message\": ", g->line);
        else
            fputs(", \"line\": null, \"message\": ", out);
        ap_json_string(out, g->message);
        fputc('}', out);
    }
    fputc(']', out);
}

int ap_check_report(const char *case_path, const ap_build_options *o, FILE *json, FILE *human)
{
    ap_diags diags;
    ap_diags_init(&diags);
    ap_checked_case k;
    int rc = ap_check_case(case_path, o, &diags, &k);
    char case_id[128] = "";
    if (k.c && k.c->case_id)
        snprintf(case_id, sizeof case_id, "%s", k.c->case_id);
    else
        ap_case_peek_id(case_path, case_id, sizeof case_id);
    if (json) {
        fputs("{\"case_id\": ", json);
        ap_json_string(json, case_id[0] ? case_id : NULL);
        fprintf(json, ", \"valid\": %s, \"errors\": ", rc == 0 ? "true" : "false");
        ap_diags_write_json(&diags, AP_SEV_ERROR, json);
        fputs(", \"warnings\": ", json);
        ap_diags_write_json(&diags, AP_SEV_WARNING, json);
        if (k.c && rc == 0) {
            fputs(", \"deadlines\": ", json);
            ap_deadlines_write_json(&k.deadlines, json);
        }
        fputs("}\n", json);
    } else {
        ap_diags_print(&diags, human);
        if (rc == 0)
            fprintf(human, "%s: case %s is valid (%zu warning%s)\n", case_path, case_id,
                    diags.warnings, diags.warnings == 1 ? "" : "s");
    }
    ap_checked_case_free(&k);
    ap_diags_free(&diags);
    return rc;
}
