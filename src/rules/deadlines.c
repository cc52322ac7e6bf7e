/* Deadline arithmetic: calendar days, clamped months, the external-review
 * four-month rule with its fifth-month and weekend/federal-holiday rules. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/json.h"

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

ap_date ap_date_add_days(ap_date d, long days)
{
    return ap_date_from_days(ap_date_to_days(d) + days);
}

/* Year and month `months` after d's (day untouched, may not exist). */
static void shift_month(ap_date d, int months, int *y, int *m)
{
    int index = d.year * 12 + (d.month - 1) + months;
    *y = index / 12;
    *m = index % 12 + 1;
}

ap_date ap_date_add_months_clamped(ap_date d, int months)
{
    int y, m;
    shift_month(d, months, &y, &m);
    int last = days_in_month(y, m);
    return (ap_date){y, m, d.day > last ? last : d.day};
}

int ap_weekday(ap_date d)
{
    long days = ap_date_to_days(d);   /* 1970-01-01 was a Thursday */
    long w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* The n-th (1-based) given weekday of a month; n = -1 for the last one. */
static int nth_weekday(int y, int m, int weekday, int n)
{
    if (n > 0) {
        int first = ap_weekday((ap_date){y, m, 1});
        return 1 + (weekday - first + 7) % 7 + (n - 1) * 7;
    }
    int last_day = days_in_month(y, m);
    int last = ap_weekday((ap_date){y, m, last_day});
    return last_day - (last - weekday + 7) % 7;
}

bool ap_is_federal_holiday(ap_date d)
{
    const int y = d.year, m = d.month, day = d.day;
    switch (m) {
    case 1: return day == 1 || day == nth_weekday(y, 1, 1, 3);   /* New Year's Day; Martin Luther King Jr. Day */
    case 2: return day == nth_weekday(y, 2, 1, 3);               /* Washington's Birthday */
    case 5: return day == nth_weekday(y, 5, 1, -1);              /* Memorial Day */
    case 6: return day == 19 && y >= 2021;                        /* Juneteenth */
    case 7: return day == 4;                                      /* Independence Day */
    case 9: return day == nth_weekday(y, 9, 1, 1);               /* Labor Day */
    case 10: return day == nth_weekday(y, 10, 1, 2);             /* Columbus Day */
    case 11: return day == 11 || day == nth_weekday(y, 11, 4, 4); /* Veterans Day; Thanksgiving */
    case 12: return day == 25;                                    /* Christmas Day */
    default: return false;
    }
}

ap_date ap_external_review_deadline(ap_date received)
{
    int y, m;
    shift_month(received, 4, &y, &m);
    ap_date due;
    if (received.day <= days_in_month(y, m)) {
        due = (ap_date){y, m, received.day};
    } else {
        shift_month(received, 5, &y, &m);   /* no corresponding date: the first day of the fifth month */
        due = (ap_date){y, m, 1};
    }
    while (ap_weekday(due) == 0 || ap_weekday(due) == 6 || ap_is_federal_holiday(due))
        due = ap_date_add_days(due, 1);
    return due;
}

static ap_date add_span(ap_date d, ap_span s)
{
    if (s.unit == AP_SPAN_DAYS)
        return ap_date_add_days(d, s.amount);
    return ap_date_add_months_clamped(d, s.amount);
}

ap_deadlines ap_deadlines_for(const ap_case *c, const ap_plan_rules *pr)
{
    ap_deadlines d;
    memset(&d, 0, sizeof d);
    d.decision_within = pr->decide[c->denial.stage];
    d.next_level = pr->next_level;
    d.basis = pr->file_basis;
    d.verified = !strcmp(pr->verified, "yes");
    const bool received = c->denial.has_received;
    if (c->denial.level == AP_LEVEL_EXTERNAL) {
        /* the appeal is the request for external review itself */
        if (pr->next_within.unit == AP_SPAN_MONTHS && pr->next_within.amount == 4) {
            d.has_file_by = true;
            d.external_rule = true;
            d.counted_from = received ? c->denial.received : c->denial.date;
            d.counted_what = received ? "the date the final denial was received" : "the date on the final denial";
            d.file_appeal_by = ap_external_review_deadline(d.counted_from);
        } else if (pr->next_within.unit != AP_SPAN_NONE) {
            d.has_file_by = true;
            d.counted_from = c->denial.date;
            d.counted_what = "the date on the decision";
            d.file_appeal_by = add_span(d.counted_from, pr->next_within);
        }
        d.basis = pr->next_basis;
        d.next_level = "";
        return d;
    }
    if (pr->file_within.unit == AP_SPAN_NONE)
        return d;
    d.has_file_by = true;
    switch (pr->file_from) {
    case AP_FROM_RECEIVED:
        d.counted_from = received ? c->denial.received : c->denial.date;
        d.counted_what = received ? "the date the notice was received" : "the date on the notice (receipt not recorded)";
        break;
    case AP_FROM_NOTICE_PLUS_5:
        d.counted_from = received ? c->denial.received : ap_date_add_days(c->denial.date, 5);
        d.counted_what = received ? "the date the notice was received"
                                  : "the presumed receipt, 5 days after the date on the notice";
        break;
    case AP_FROM_NOTICE:
        d.counted_from = c->denial.date;
        d.counted_what = "the date on the notice";
        break;
    }
    d.file_appeal_by = add_span(d.counted_from, pr->file_within);
    return d;
}

void ap_deadlines_write_json(const ap_deadlines *d, FILE *out)
{
    char buf[11];
    fputs("{\"file_appeal_by\": ", out);
    if (d->has_file_by) {
        ap_date_format(d->file_appeal_by, buf);
        ap_json_string(out, buf);
    } else {
        fputs("null", out);
    }
    fputs(", \"decision_within\": ", out);
    ap_json_string(out, d->decision_within);
    fputs(", \"next_level\": ", out);
    ap_json_string(out, d->next_level);
    fputs(", \"basis\": ", out);
    ap_json_string(out, d->basis);
    fprintf(out, ", \"verified\": %s}", d->verified ? "true" : "false");
}
