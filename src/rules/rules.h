/* Plan-type rules: read from templates/rules.ini (data a reviewer can audit)
 * and the deadlines computed from them for a case. Insurance law lives in
 * the data file; this module only parses it and does the date arithmetic. */
#ifndef AP_RULES_H
#define AP_RULES_H

#include <stdbool.h>
#include <stdio.h>

#include "case/case.h"
#include "util/diag.h"

/* A filing window: N days or N months, or none. */
typedef struct {
    int amount;
    enum { AP_SPAN_NONE, AP_SPAN_DAYS, AP_SPAN_MONTHS } unit;
} ap_span;

typedef enum { AP_FROM_RECEIVED, AP_FROM_NOTICE, AP_FROM_NOTICE_PLUS_5 } ap_count_from;

/* One plan type's row of the rules file. Strings are never NULL ("" when empty). */
typedef struct {
    const char *label;
    ap_span file_within;
    ap_count_from file_from;
    const char *file_basis;
    const char *decide[AP_STAGE_COUNT];   /* indexed by ap_stage */
    const char *decide_basis;
    const char *appeal_basis, *expedite_basis, *claim_file_basis;
    bool state_law;
    const char *next_level;
    ap_span next_within;
    const char *next_basis;
    const char *effective;
    const char *verified;   /* "yes", or what is not verified */
    long line;              /* where the section starts in the file */
} ap_plan_rules;

typedef struct ap_rules {
    ap_plan_rules plans[AP_PLAN_COUNT];
    char *path;
    struct ap_arena *arena;
} ap_rules;

/* Reads a rules file; NULL with errors (file:line: what — fix) in diags. */
ap_rules *ap_rules_load(const char *path, ap_diags *diags);
/* Frees rules (NULL is fine). */
void ap_rules_free(ap_rules *r);
/* The row for a plan type. */
const ap_plan_rules *ap_rules_for(const ap_rules *r, ap_plan_type t);

/* The deadlines of a case under its plan's rules. */
typedef struct {
    bool has_file_by;
    ap_date file_appeal_by;
    ap_date counted_from;       /* the date the window was counted from */
    const char *counted_what;   /* "the date the notice was received", ... */
    bool external_rule;         /* 4-month external-review rule applied */
    const char *decision_within;/* e.g. "72 hours" ("" when unknown) */
    const char *next_level;
    const char *basis;          /* citation of the filing window */
    bool verified;
} ap_deadlines;

/* Computes the case's deadlines. */
ap_deadlines ap_deadlines_for(const ap_case *c, const ap_plan_rules *pr);
/* Writes the deadlines as the JSON object check --json prints. */
void ap_deadlines_write_json(const ap_deadlines *d, FILE *out);

/* Date arithmetic (exposed for tests). */
/* Adds calendar days. */
ap_date ap_date_add_days(ap_date d, long days);
/* Adds months; a day the target month lacks is clamped to its last day. */
ap_date ap_date_add_months_clamped(ap_date d, int months);
/* The 45 CFR 147.136(d)(2)(i) window: four months after d, or the first day
 * of the fifth month when that date does not exist, moved past Saturdays,
 * Sundays and federal holidays. */
ap_date ap_external_review_deadline(ap_date received);
/* True on the eleven federal holidays of 5 U.S.C. 6103(a) (actual dates). */
bool ap_is_federal_holiday(ap_date d);
/* 0 Sunday .. 6 Saturday. */
int ap_weekday(ap_date d);

#endif
