/* Line breaking and pagination with fixed-width fake metrics: no line wider
 * than its box, breaks at spaces and after hyphens, forced breaks inside an
 * over-long token on code-point boundaries, nothing lost or reordered;
 * tables repeat their header and split long rows; page references settle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout/layout.h"
#include "layout/linebreak.h"
#include "util/arena.h"

/* Every code point is 500/1000 em wide; with size 10 that is 5 pt. */
static float fixed_advance(void *ctx, int font, uint32_t cp)
{
    (void)ctx; (void)font; (void)cp;
    return 500.0f;
}

static float fixed_ascent(void *ctx, int font)
{
    (void)ctx; (void)font;
    return 800.0f;
}

static const ap_metrics METRICS = {fixed_advance, fixed_ascent, NULL};
static const ap_para_style STYLE = {.family = AP_FAMILY_SERIF, .size = 10.0f};

/* Breaks text into lines width points wide; returns the lines joined by '|'. */
static char *lines_of(const char *text, float width, size_t *n_lines)
{
    ap_packet *p = ap_packet_new();
    ap_text t = {0};
    ap_text_add(p, &t, 0, text);
    ap_arena *arena = ap_arena_new();
    ap_lines ls = ap_break_lines(&t, &STYLE, width, &METRICS, NULL, arena);
    size_t cap = strlen(text) * 2 + 16;
    char *out = calloc(1, cap);
    for (size_t i = 0; i < ls.n; i++) {
        assert_true(ls.lines[i].width <= width + 0.001f || ls.lines[i].n == 1);
        if (i)
            strcat(out, "|");
        for (size_t k = 0; k < ls.lines[i].n; k++)
            strcat(out, ls.lines[i].segs[k].text);
    }
    *n_lines = ls.n;
    ap_arena_free(arena);
    ap_packet_free(p);
    return out;
}

static void test_breaks_at_spaces_and_never_overflows(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("aaa bbb ccc ddd", 40.0f, &n);   /* 8 code points per line */
    assert_string_equal(s, "aaa bbb|ccc ddd");
    assert_int_equal(n, 2);
    free(s);
}

static void test_breaks_after_hyphens(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("well-known-thing", 55.0f, &n);   /* 11 per line */
    assert_string_equal(s, "well-known-|thing");
    free(s);
    s = lines_of("well-known-thing", 50.0f, &n);         /* 10: "well-known-" does not fit */
    assert_string_equal(s, "well-|known-|thing");
    free(s);
}

static void test_never_breaks_inside_a_date(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("see 08/20/2026", 55.0f, &n);   /* 11 per line */
    assert_string_equal(s, "see|08/20/2026");
    free(s);
    s = lines_of("abc and/or", 40.0f, &n);             /* 8: a slash between words may break */
    assert_string_equal(s, "abc and/|or");
    free(s);
}

static void test_forces_a_break_inside_a_long_token(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("U2290047315U2290047315", 25.0f, &n);   /* 5 per line */
    assert_string_equal(s, "U2290|04731|5U229|00473|15");
    free(s);
}

static void test_never_splits_a_utf8_sequence(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("ÅØÆÐŁŻŹĆŃÓŚĘĄẞ", 15.0f, &n);   /* 3 code points per line */
    assert_string_equal(s, "ÅØÆ|ÐŁŻ|ŹĆŃ|ÓŚĘ|Ąẞ");
    free(s);
    s = lines_of("Ελένη Дмитрий Nguyễn", 30.0f, &n);
    assert_string_equal(s, "Ελένη|Дмитри|й|Nguyễn");
    free(s);
}

static void test_hard_line_breaks_and_spaces(void **state)
{
    (void)state;
    size_t n;
    char *s = lines_of("one\ntwo   three", 100.0f, &n);
    assert_string_equal(s, "one|two   three");
    free(s);
    s = lines_of("   ", 100.0f, &n);
    assert_int_equal(n, 0);
    free(s);
}

static ap_geometry small_page(void)
{
    ap_geometry g = ap_geometry_for(false);
    return g;
}

/* Counts text operations on a page whose text equals s. */
static int count_text(const ap_page_ops *pg, const char *s)
{
    int n = 0;
    for (size_t i = 0; i < pg->n; i++)
        n += pg->ops[i].kind == AP_OP_TEXT && !strcmp(pg->ops[i].text, s);
    return n;
}

static void test_table_repeats_header_and_splits_a_long_row(void **state)
{
    (void)state;
    ap_packet *p = ap_packet_new();
    ap_block *b = ap_packet_add(p, AP_BLOCK_TABLE);
    ap_table_init(p, &b->table, 2, (const float[]){0.2f, 0.8f}, STYLE);
    ap_text_add(p, &b->table.header[0], AP_FONT_BOLD, "HeadA");
    ap_text_add(p, &b->table.header[1], AP_FONT_BOLD, "HeadB");
    ap_text *cells = ap_table_add_row(p, &b->table);
    ap_text_add(p, &cells[0], 0, "1");
    char *longtext = calloc(1, 200 * 8);
    for (int i = 0; i < 200; i++)
        sprintf(longtext + strlen(longtext), "w%03d\n", i);
    ap_text_add(p, &cells[1], 0, longtext);   /* 200 lines of one word: taller than three pages */
    free(longtext);
    ap_geometry g = small_page();
    ap_layout *l = ap_layout_packet(p, &g, &METRICS);
    assert_non_null(l);
    assert_true(l->n_pages >= 3);
    int words = 0, last = -1;
    for (size_t pg = 0; pg < l->n_pages; pg++) {
        assert_int_equal(count_text(&l->pages[pg], "HeadA"), 1);
        for (size_t i = 0; i < l->pages[pg].n; i++) {
            const ap_op *op = &l->pages[pg].ops[i];
            if (op->kind == AP_OP_TEXT && op->text[0] == 'w') {
                int k = atoi(op->text + 1);
                assert_int_equal(k, last + 1);   /* nothing lost, in order */
                last = k;
                words++;
                assert_true(op->y <= g.body_bottom);
            }
        }
    }
    assert_int_equal(words, 200);
    ap_layout_free(l);
    ap_packet_free(p);
}

static void test_page_references_settle(void **state)
{
    (void)state;
    ap_packet *p = ap_packet_new();
    int target = ap_packet_new_anchor(p);
    ap_block *ref = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    ref->style = STYLE;
    ap_text_add(p, &ref->text, 0, "see page ");
    ap_text_add_pageref(p, &ref->text, 0, target);
    for (int i = 0; i < 12; i++) {
        ap_packet_add(p, AP_BLOCK_PAGE_BREAK);
        ap_packet_add(p, AP_BLOCK_PAGE_BREAK);   /* a second break on an empty page adds nothing */
        ap_block *x = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
        x->style = STYLE;
        ap_text_add(p, &x->text, 0, "filler");
    }
    ap_packet_add(p, AP_BLOCK_PAGE_BREAK);
    ap_block *t = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    t->style = STYLE;
    t->anchor = target;
    ap_text_add(p, &t->text, 0, "target");
    ap_geometry g = small_page();
    ap_layout *l = ap_layout_packet(p, &g, &METRICS);
    assert_non_null(l);
    assert_int_equal(l->anchor_page[target], 13);
    assert_int_equal(l->n_pages, 14);
    char want[16];
    snprintf(want, sizeof want, "%d", l->anchor_page[target] + 1);
    assert_int_equal(count_text(&l->pages[0], want), 1);
    assert_true(l->passes >= 2);
    ap_layout_free(l);
    ap_packet_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breaks_at_spaces_and_never_overflows),
        cmocka_unit_test(test_breaks_after_hyphens),
        cmocka_unit_test(test_never_breaks_inside_a_date),
        cmocka_unit_test(test_forces_a_break_inside_a_long_token),
        cmocka_unit_test(test_never_splits_a_utf8_sequence),
        cmocka_unit_test(test_hard_line_breaks_and_spaces),
        cmocka_unit_test(test_table_repeats_header_and_splits_a_long_row),
        cmocka_unit_test(test_page_references_settle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
