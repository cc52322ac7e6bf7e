/* Rules file and deadline arithmetic: every plan type, received against
 * notice dates, month ends, leap years, the external-review fifth-month
 * rule and its weekend/federal-holiday roll, and rules-file errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "util/exitcodes.h"

static ap_rules *rules;

static int load(void **state)
{
    (void)state;
    const char *src = getenv("AP_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/rules.ini", src ? src : ".");
    ap_diags d;
    ap_diags_init(&d);
    rules = ap_rules_load(path, &d);
    if (!rules)
        ap_diags_print(&d, stderr);
    ap_diags_free(&d);
    return rules ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    ap_rules_free(rules);
    return 0;
}

static ap_date D(int y, int m, int d) { return (ap_date){y, m, d}; }

static void assert_date(ap_date got, ap_date want)
{
    char g[11], w[11];
    ap_date_format(got, g);
    ap_date_format(want, w);
    assert_string_equal(g, w);
}

/* A case with just what the deadline rules read. */
static ap_case make_case(ap_plan_type plan, ap_date notice, const ap_date *received, ap_stage stage, ap_level level)
{
    ap_case c;
    memset(&c, 0, sizeof c);
    c.coverage.plan_type = plan;
    c.denial.date = notice;
    c.denial.has_received = received != NULL;
    if (received)
        c.denial.received = *received;
    c.denial.stage = stage;
    c.denial.level = level;
    return c;
}

static ap_deadlines deadlines(ap_plan_type plan, ap_date notice, const ap_date *received)
{
    ap_case c = make_case(plan, notice, received, AP_STAGE_PRE_SERVICE, AP_LEVEL_FIRST_INTERNAL);
    return ap_deadlines_for(&c, ap_rules_for(rules, plan));
}

static void test_aca_counts_180_days_from_receipt_or_notice(void **state)
{
    (void)state;
    ap_deadlines d = deadlines(AP_PLAN_ACA_INDIVIDUAL, D(2026, 1, 15), NULL);
    assert_true(d.has_file_by);
    assert_date(d.file_appeal_by, D(2026, 7, 14));
    ap_date rec = D(2026, 4, 10);
    d = deadlines(AP_PLAN_ERISA_SELF_FUNDED, D(2026, 4, 6), &rec);
    assert_date(d.file_appeal_by, D(2026, 10, 7));
    assert_date(d.counted_from, rec);
    d = deadlines(AP_PLAN_ACA_GROUP_INSURED, D(2026, 4, 6), &rec);
    assert_date(d.file_appeal_by, D(2026, 10, 7));
    d = deadlines(AP_PLAN_ERISA_INSURED, D(2026, 4, 6), NULL);
    assert_date(d.file_appeal_by, D(2026, 10, 3));
}

static void test_medicare_presumes_receipt_five_days_after_notice(void **state)
{
    (void)state;
    ap_deadlines d = deadlines(AP_PLAN_MEDICARE_ADVANTAGE, D(2026, 8, 20), NULL);
    assert_date(d.file_appeal_by, D(2026, 10, 24));
    d = deadlines(AP_PLAN_MEDICARE_PART_D, D(2026, 8, 20), NULL);
    assert_date(d.file_appeal_by, D(2026, 10, 24));
    ap_date rec = D(2026, 8, 28);
    d = deadlines(AP_PLAN_MEDICARE_ADVANTAGE, D(2026, 8, 20), &rec);
    assert_date(d.file_appeal_by, D(2026, 10, 27));
    assert_string_equal(d.basis, "42 CFR 422.582(b)");
}

static void test_medicaid_counts_from_the_notice_whatever_the_receipt(void **state)
{
    (void)state;
    ap_date rec = D(2026, 3, 10);
    ap_deadlines d = deadlines(AP_PLAN_MEDICAID_MCO, D(2026, 3, 1), &rec);
    assert_date(d.file_appeal_by, D(2026, 4, 30));
    assert_string_equal(d.basis, "42 CFR 438.402(c)(2)(ii)");
}

static void test_fehb_six_months_clamped_to_month_end(void **state)
{
    (void)state;
    assert_date(deadlines(AP_PLAN_FEHB, D(2026, 3, 15), NULL).file_appeal_by, D(2026, 9, 15));
    assert_date(deadlines(AP_PLAN_FEHB, D(2027, 8, 31), NULL).file_appeal_by, D(2028, 2, 29));
    assert_date(deadlines(AP_PLAN_FEHB, D(2026, 8, 31), NULL).file_appeal_by, D(2027, 2, 28));
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_date(deadlines(AP_PLAN_MEDICAID_MCO, D(2027, 12, 31), NULL).file_appeal_by, D(2028, 2, 29));
    assert_date(deadlines(AP_PLAN_ACA_INDIVIDUAL, D(2028, 2, 29), NULL).file_appeal_by, D(2028, 8, 27));
    assert_date(deadlines(AP_PLAN_MEDICARE_ADVANTAGE, D(2028, 2, 29), NULL).file_appeal_by, D(2028, 5, 4));
    assert_date(ap_date_add_months_clamped(D(2100, 1, 31), 1), D(2100, 2, 28));
    assert_date(ap_date_add_months_clamped(D(2000, 1, 31), 1), D(2000, 2, 29));
}

static void test_other_plan_has_no_filing_window(void **state)
{
    (void)state;
    ap_deadlines d = deadlines(AP_PLAN_OTHER, D(2026, 3, 1), NULL);
    assert_false(d.has_file_by);
}

static void test_decision_clock_follows_the_stage(void **state)
{
    (void)state;
    ap_case c = make_case(AP_PLAN_ERISA_SELF_FUNDED, D(2026, 3, 1), NULL, AP_STAGE_URGENT, AP_LEVEL_FIRST_INTERNAL);
    assert_string_equal(ap_deadlines_for(&c, ap_rules_for(rules, c.coverage.plan_type)).decision_within, "72 hours");
    c.denial.stage = AP_STAGE_POST_SERVICE;
    assert_string_equal(ap_deadlines_for(&c, ap_rules_for(rules, c.coverage.plan_type)).decision_within, "60 days");
    c.coverage.plan_type = AP_PLAN_MEDICARE_PART_D;
    c.denial.stage = AP_STAGE_PRE_SERVICE;
    assert_string_equal(ap_deadlines_for(&c, ap_rules_for(rules, c.coverage.plan_type)).decision_within, "7 days");
}

static void test_external_review_fifth_month_weekend_and_holiday(void **state)
{
    (void)state;
    /* Oct 30 + 4 months has no Feb 30: the first day of the fifth month */
    assert_date(ap_external_review_deadline(D(2026, 10, 30)), D(2027, 3, 1));
    /* a Sunday rolls to Monday */
    assert_date(ap_external_review_deadline(D(2026, 1, 3)), D(2026, 5, 4));
    /* Memorial Day 2026 (Monday May 25) rolls to Tuesday */
    assert_date(ap_external_review_deadline(D(2026, 1, 25)), D(2026, 5, 26));
    /* Thanksgiving 2026 (Thursday Nov 26) rolls to Friday */
    assert_date(ap_external_review_deadline(D(2026, 7, 26)), D(2026, 11, 27));
    /* Independence Day 2027 is a Sunday: Monday July 5 is a business day under 6103(a) */
    assert_date(ap_external_review_deadline(D(2027, 3, 4)), D(2027, 7, 5));
    /* a plain weekday stays */
    assert_date(ap_external_review_deadline(D(2026, 2, 10)), D(2026, 6, 10));
    /* the external level of a case uses it, counted from receipt */
    ap_date rec = D(2026, 10, 30);
    ap_case c = make_case(AP_PLAN_ACA_INDIVIDUAL, D(2026, 10, 26), &rec, AP_STAGE_PRE_SERVICE, AP_LEVEL_EXTERNAL);
    ap_deadlines d = ap_deadlines_for(&c, ap_rules_for(rules, c.coverage.plan_type));
    assert_true(d.external_rule);
    assert_date(d.file_appeal_by, D(2027, 3, 1));
}

static void test_federal_holidays(void **state)
{
    (void)state;
    assert_true(ap_is_federal_holiday(D(2026, 1, 19)));   /* MLK Day */
    assert_true(ap_is_federal_holiday(D(2026, 2, 16)));   /* Washington's Birthday */
    assert_true(ap_is_federal_holiday(D(2026, 6, 19)));
    assert_true(ap_is_federal_holiday(D(2026, 9, 7)));    /* Labor Day */
    assert_true(ap_is_federal_holiday(D(2026, 10, 12)));  /* Columbus Day */
    assert_true(ap_is_federal_holiday(D(2026, 11, 11)));
    assert_true(ap_is_federal_holiday(D(2026, 12, 25)));
    assert_false(ap_is_federal_holiday(D(2026, 11, 25)));
    assert_false(ap_is_federal_holiday(D(2020, 6, 19)));  /* before Juneteenth was a holiday */
    assert_int_equal(ap_weekday(D(2026, 11, 23)), 1);
}

static void test_rules_file_errors_name_the_line(void **state)
{
    (void)state;
    char path[] = "/tmp/ap-rules-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# comment\n[aca-individual]\nlabel = x\nfile_within = 180 weeks\n[no-such-plan]\nbogus\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ap_diags d;
    ap_diags_init(&d);
    assert_null(ap_rules_load(path, &d));
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_CONFIG);
    bool line4 = false, line5 = false, missing = false;
    for (size_t i = 0; i < d.count; i++) {
        line4 |= d.items[i].line == 4 && strstr(d.items[i].message, "file_within") != NULL;
        line5 |= d.items[i].line == 5 && strstr(d.items[i].message, "unknown plan type") != NULL;
        missing |= strstr(d.items[i].message, "no section for plan type [fehb]") != NULL;
    }
    assert_true(line4);
    assert_true(line5);
    assert_true(missing);
    ap_diags_free(&d);
    unlink(path);
}

static void test_state_law_binds_only_where_it_may(void **state)
{
    (void)state;
    assert_true(ap_rules_for(rules, AP_PLAN_ACA_INDIVIDUAL)->state_law);
    assert_true(ap_rules_for(rules, AP_PLAN_ERISA_INSURED)->state_law);
    assert_false(ap_rules_for(rules, AP_PLAN_ERISA_SELF_FUNDED)->state_law);
    assert_false(ap_rules_for(rules, AP_PLAN_MEDICARE_ADVANTAGE)->state_law);
    assert_false(ap_rules_for(rules, AP_PLAN_MEDICARE_PART_D)->state_law);
    assert_false(ap_rules_for(rules, AP_PLAN_FEHB)->state_law);
    /* ERISA claim-file rights are not cited for Medicare or Medicaid */
    assert_string_equal(ap_rules_for(rules, AP_PLAN_MEDICARE_ADVANTAGE)->claim_file_basis, "");
    assert_string_equal(ap_rules_for(rules, AP_PLAN_MEDICAID_MCO)->claim_file_basis, "");
    assert_non_null(strstr(ap_rules_for(rules, AP_PLAN_ERISA_SELF_FUNDED)->claim_file_basis, "2560.503-1(h)(2)(iii)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aca_counts_180_days_from_receipt_or_notice),
        cmocka_unit_test(test_medicare_presumes_receipt_five_days_after_notice),
        cmocka_unit_test(test_medicaid_counts_from_the_notice_whatever_the_receipt),
        cmocka_unit_test(test_fehb_six_months_clamped_to_month_end),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_other_plan_has_no_filing_window),
        cmocka_unit_test(test_decision_clock_follows_the_stage),
        cmocka_unit_test(test_external_review_fifth_month_weekend_and_holiday),
        cmocka_unit_test(test_federal_holidays),
        cmocka_unit_test(test_rules_file_errors_name_the_line),
        cmocka_unit_test(test_state_law_binds_only_where_it_may),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
