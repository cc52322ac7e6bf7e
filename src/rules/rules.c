/* The rules file parser: INI sections named by plan type, "key = value"
 * lines, '#' comments. Every plan type must have a section with every key;
 * anything else is an error naming the line. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "case/names.h"
#include "rules/rules.h"
#include "util/arena.h"
#include "util/exitcodes.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MAX_LINE 2048

/* The keys every section must have, in file order. */
static const char *const KEYS[] = {
    "label", "file_within", "file_from", "file_basis", "decide_urgent", "decide_pre_service",
    "decide_post_service", "decide_basis", "appeal_basis", "expedite_basis", "claim_file_basis",
    "state_law", "next_level", "next_within", "next_basis", "effective", "verified",
};
#define N_KEYS (sizeof KEYS / sizeof *KEYS)

typedef struct {
    bool seen[AP_PLAN_COUNT][N_KEYS];
    bool section_seen[AP_PLAN_COUNT];
} progress;

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Parses "N days" / "N months" / "" / "automatic". */
static bool parse_span(const char *v, ap_span *out)
{
    out->amount = 0;
    out->unit = AP_SPAN_NONE;
    if (!*v || !strcmp(v, "automatic"))
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || n <= 0 || n > 1000)
        return false;
    end = trim(end);
    out->amount = (int)n;
    if (!strcmp(end, "days") || !strcmp(end, "day"))
        out->unit = AP_SPAN_DAYS;
    else if (!strcmp(end, "months") || !strcmp(end, "month"))
        out->unit = AP_SPAN_MONTHS;
    else
        return false;
    return true;
}

/* Stores one key's value into the plan's row; false with a reason. */
static bool set_key(ap_rules *r, ap_plan_rules *p, size_t key, const char *value, const char **why)
{
    const char *v = ap_arena_strdup(r->arena, value);
    switch (key) {
    case 0: p->label = v; break;
    case 1: if (!parse_span(v, &p->file_within)) { *why = "a window is \"N days\" or \"N months\""; return false; } break;
    case 2:
        if (!strcmp(v, "received")) p->file_from = AP_FROM_RECEIVED;
        else if (!strcmp(v, "notice")) p->file_from = AP_FROM_NOTICE;
        else if (!strcmp(v, "notice+5")) p->file_from = AP_FROM_NOTICE_PLUS_5;
        else { *why = "file_from is received, notice or notice+5"; return false; }
        break;
    case 3: p->file_basis = v; break;
    case 4: p->decide[AP_STAGE_URGENT] = v; break;
    case 5: p->decide[AP_STAGE_PRE_SERVICE] = v; break;
    case 6: p->decide[AP_STAGE_POST_SERVICE] = v; break;
    case 7: p->decide_basis = v; break;
    case 8: p->appeal_basis = v; break;
    case 9: p->expedite_basis = v; break;
    case 10: p->claim_file_basis = v; break;
    case 11:
        if (strcmp(v, "yes") && strcmp(v, "no")) { *why = "state_law is yes or no"; return false; }
        p->state_law = !strcmp(v, "yes");
        break;
    case 12: p->next_level = v; break;
    case 13: if (!parse_span(v, &p->next_within)) { *why = "a window is \"N days\" or \"N months\""; return false; } break;
    case 14: p->next_basis = v; break;
    case 15: p->effective = v; break;
    case 16: p->verified = v; break;
    }
    return true;
}

ap_rules *ap_rules_load(const char *path, ap_diags *diags)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        ap_error_code(diags, AP_EXIT_CONFIG, path, 0,
                      "the rules file cannot be opened — restore templates/rules.ini or pass --templates DIR");
        return NULL;
    }
    ap_rules *r = ap_xcalloc(1, sizeof *r);
    r->arena = ap_arena_new();
    r->path = ap_xstrdup(path);
    progress *pg = ap_xcalloc(1, sizeof *pg);
    char buf[MAX_LINE];
    long line = 0;
    int plan = -1;
    size_t errors_before = diags->errors;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        if (!strchr(buf, '\n') && !feof(f)) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "line longer than %d bytes — shorten it", MAX_LINE - 2);
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            continue;
        }
        if (!ap_utf8_valid(buf)) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "the line is not UTF-8 text — save the file as UTF-8");
            continue;
        }
        char *s = trim(buf);
        if (!*s || *s == '#')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1]) {
                ap_error_code(diags, AP_EXIT_CONFIG, path, line, "a section header is [plan-type] — fix the brackets");
                plan = -1;
                continue;
            }
            *close = '\0';
            int t = ap_name_lookup(&ap_plan_table, s + 1);
            if (t < 0) {
                ap_error_code(diags, AP_EXIT_CONFIG, path, line,
                              "unknown plan type [%s] — use a plan-type value of the case format", s + 1);
                plan = -1;
                continue;
            }
            if (pg->section_seen[t])
                ap_error_code(diags, AP_EXIT_CONFIG, path, line, "plan type [%s] appears twice — keep one section", s + 1);
            pg->section_seen[t] = true;
            plan = t;
            r->plans[t].line = line;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "expected \"key = value\" — add the '='");
            continue;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (plan < 0) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "key %s outside a [plan-type] section — move it into one", key);
            continue;
        }
        size_t k = 0;
        while (k < N_KEYS && strcmp(KEYS[k], key))
            k++;
        if (k == N_KEYS) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "unknown key %s — see the key list at the top of the file", key);
            continue;
        }
        const char *why = NULL;
        if (!set_key(r, &r->plans[plan], k, value, &why))
            ap_error_code(diags, AP_EXIT_CONFIG, path, line, "bad value for %s: %s", key, why);
        pg->seen[plan][k] = true;
    }
    fclose(f);
    for (int t = 0; t < AP_PLAN_COUNT; t++) {
        if (!pg->section_seen[t]) {
            ap_error_code(diags, AP_EXIT_CONFIG, path, 0, "no section for plan type [%s] — add one",
                          ap_plan_type_name((ap_plan_type)t));
            continue;
        }
        for (size_t k = 0; k < N_KEYS; k++)
            if (!pg->seen[t][k])
                ap_error_code(diags, AP_EXIT_CONFIG, path, r->plans[t].line, "section [%s] lacks the key %s — add it",
                              ap_plan_type_name((ap_plan_type)t), KEYS[k]);
    }
    free(pg);
    if (diags->errors > errors_before) {
        ap_rules_free(r);
        return NULL;
    }
    return r;
}

void ap_rules_free(ap_rules *r)
{
    if (!r)
        return;
    ap_arena_free(r->arena);
    free(r->path);
    free(r);
}

const ap_plan_rules *ap_rules_for(const ap_rules *r, ap_plan_type t)
{
    return &r->plans[t < AP_PLAN_COUNT ? t : AP_PLAN_OTHER];
}
