/* Unit tests of the case layer: dates, diagnostics, the reader's model, the
 * scan probe and JSON escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "case/case.h"
#include "image/probe.h"
#include "util/diag.h"
#include "util/exitcodes.h"
#include "util/json.h"

static const char *source_dir(void)
{
    const char *s = getenv("AP_SOURCE_DIR");
    return s ? s : AP_DATA_DIR;
}

static void test_date_parse(void **state)
{
    (void)state;
    ap_date d;
    assert_true(ap_date_parse("2028-02-29", &d));
    assert_int_equal(d.year, 2028);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    assert_false(ap_date_parse("2027-02-29", &d));
    assert_false(ap_date_parse("2026-02-30", &d));
    assert_false(ap_date_parse("2026-13-01", &d));
    assert_false(ap_date_parse("2026-1-01", &d));
    assert_false(ap_date_parse("2026-01-01x", &d));
    assert_false(ap_date_parse("20260101", &d));
    assert_false(ap_date_parse("", &d));
    assert_false(ap_date_parse(NULL, &d));
    assert_true(ap_date_parse("2000-02-29", &d));
    assert_false(ap_date_parse("1900-02-29", &d));
}

static void test_date_arithmetic(void **state)
{
    (void)state;
    ap_date epoch = {1970, 1, 1};
    assert_int_equal(ap_date_to_days(epoch), 0);
    ap_date d = {2027, 12, 31};
    ap_date next = ap_date_from_days(ap_date_to_days(d) + 1);
    assert_int_equal(next.year, 2028);
    assert_int_equal(next.month, 1);
    assert_int_equal(next.day, 1);
    ap_date leap = ap_date_from_days(ap_date_to_days((ap_date){2028, 2, 28}) + 1);
    assert_int_equal(leap.month, 2);
    assert_int_equal(leap.day, 29);
    /* round trip over two centuries */
    for (long z = ap_date_to_days((ap_date){1900, 1, 1}); z < ap_date_to_days((ap_date){2100, 1, 1}); z += 17) {
        ap_date x = ap_date_from_days(z);
        assert_true(ap_date_valid(x.year, x.month, x.day));
        assert_int_equal(ap_date_to_days(x), z);
    }
    char buf[11];
    ap_date_format((ap_date){2026, 3, 7}, buf);
    assert_string_equal(buf, "2026-03-07");
    assert_true(ap_date_cmp((ap_date){2026, 3, 7}, (ap_date){2026, 3, 8}) < 0);
    assert_int_equal(ap_date_cmp((ap_date){2026, 3, 7}, (ap_date){2026, 3, 7}), 0);
}

static void test_diags_exit_code(void **state)
{
    (void)state;
    ap_diags d;
    ap_diags_init(&d);
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_OK);
    ap_warning(&d, "a.xml", 3, "only a warning");
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_OK);
    ap_error(&d, "a.xml", 9, "bad %s", "thing");
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_DATAERR);
    ap_error_code(&d, AP_EXIT_IOERR, "a.xml", 1, "disk");
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_IOERR);
    ap_diags_sort(&d);
    assert_int_equal(d.items[0].line, 1);
    assert_int_equal(d.items[2].line, 9);
    assert_string_equal(d.items[2].message, "bad thing");
    ap_diags_free(&d);
}

static void test_load_base_case(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/invalid/base.xml", source_dir());
    ap_diags d;
    ap_diags_init(&d);
    ap_case *c = ap_case_load(path, NULL, &d);
    ap_diags_print(&d, stderr);
    assert_non_null(c);
    assert_int_equal(d.errors, 0);
    assert_string_equal(c->case_id, "INV-0001");
    assert_string_equal(c->patient.family, "Patient");
    assert_int_equal(c->coverage.plan_type, AP_PLAN_ERISA_SELF_FUNDED);
    assert_int_equal(c->denial.kind, AP_DENIAL_MEDICAL_NECESSITY);
    assert_int_equal(c->denial.stage, AP_STAGE_PRE_SERVICE);
    assert_int_equal(c->denial.level, AP_LEVEL_FIRST_INTERNAL);
    assert_int_equal(c->n_exhibits, 2);
    assert_int_equal(c->exhibits[1].pages[0].info.format, AP_IMAGE_JPEG);
    assert_int_equal(c->exhibits[0].pages[0].info.width, 64);
    assert_int_equal(c->exhibits[0].pages[0].info.height, 80);
    assert_non_null(c->exhibits[0].pages[0].path);
    assert_int_equal(c->n_criteria, 1);
    assert_int_equal(c->criteria[0].evidence[0].exhibit, 1);
    /* "Stage IVB disease (<ref E2/>), see <ref G1/>." */
    assert_int_equal(c->n_summary, 1);
    const ap_paragraph *p = &c->summary[0];
    assert_int_equal(p->n_runs, 5);
    assert_string_equal(p->runs[0].text, "Stage IVB disease (");
    assert_int_equal(p->runs[1].kind, AP_RUN_REF_EXHIBIT);
    assert_int_equal(p->runs[1].target, 1);
    assert_int_equal(p->runs[3].kind, AP_RUN_REF_GUIDELINE);
    assert_int_equal(p->runs[3].target, 0);
    assert_string_equal(p->runs[4].text, ".");
    ap_case_free(c);
    ap_diags_free(&d);

    char id[128];
    assert_true(ap_case_peek_id(path, id, sizeof id));
    assert_string_equal(id, "INV-0001");
}

static void test_missing_file_is_noinput(void **state)
{
    (void)state;
    ap_diags d;
    ap_diags_init(&d);
    assert_null(ap_case_load("/nonexistent/case.xml", NULL, &d));
    assert_int_equal(ap_diags_exit_code(&d), AP_EXIT_NOINPUT);
    ap_diags_free(&d);
}

static void test_probe_pngsuite(void **state)
{
    (void)state;
    static const struct { const char *name; bool ok; uint32_t w, h; } cases[] = {
        {"basn0g01.png", true, 32, 32}, {"basi6a16.png", true, 32, 32}, {"s01n3p01.png", true, 1, 1},
        {"s39i3p04.png", true, 39, 39}, {"xs1n0g01.png", false, 0, 0}, {"xcrn0g04.png", false, 0, 0},
        {"xd0n2c08.png", false, 0, 0}, {"xc9n2c08.png", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/../shared/testdata/pngsuite/png/%s", source_dir(), cases[i].name);
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            skip();
            return;
        }
        ap_image_info info;
        char why[300] = "";
        bool ok = ap_image_probe_fd(fd, &info, why, sizeof why);
        close(fd);
        if (ok != cases[i].ok)
            fail_msg("%s: probe said %s (%s)", cases[i].name, ok ? "ok" : "bad", why);
        if (ok) {
            assert_int_equal(info.width, cases[i].w);
            assert_int_equal(info.height, cases[i].h);
        } else {
            assert_true(strlen(why) > 10);
        }
    }
}

static void test_json_string(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ap_json_string(f, "a\"b\\c\n\x01 Ø");
    fputc(' ', f);
    ap_json_string(f, NULL);
    fclose(f);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\u0001 Ø\" null");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_arithmetic),
        cmocka_unit_test(test_diags_exit_code),
        cmocka_unit_test(test_load_base_case),
        cmocka_unit_test(test_missing_file_is_noinput),
        cmocka_unit_test(test_probe_pngsuite),
        cmocka_unit_test(test_json_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
