/* Fuzz target: the line breaker with arbitrary bytes as UTF-8 (invalid
 * sequences included) and stand-in font metrics.
 *
 * Input layout: byte 0 sets the line width (0-255 points), byte 1 the font
 * size (1-32 points) and family; the rest is split at NUL bytes into inline
 * runs, each starting with a control byte (bits 0-1 style, bit 2 a page
 * reference, bits 3-5 the anchor).
 *
 * Checked after every break: a line wider than the width holds one glyph;
 * no text is lost, reordered or invented (outside of white space); segment
 * offsets and widths add up to the line width. */
#include <math.h>

#include "fuzz_common.h"

#include "layout/layout.h"
#include "layout/linebreak.h"
#include "packet/packet.h"
#include "util/arena.h"
#include "util/utf8.h"

#define MAX_RUNS 256

static float fake_advance(void *ctx, int font, uint32_t cp)
{
    (void)ctx;
    if (cp == ' ')
        return 250.0f;
    if (cp == 0x200B || cp == 0x00AD || (cp & 0xFF) == 0x7F)
        return 0.0f; /* zero-width glyphs occur in real fonts */
    return 300.0f + (float)((cp * 31u + (unsigned)font * 17u) % 900u);
}

static float fake_ascent(void *ctx, int font)
{
    (void)ctx;
    return 700.0f + (float)font * 10.0f;
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Appends s without white space to buf (grown as needed). */
static void append_dark(char **buf, size_t *len, size_t *cap, const char *s)
{
    for (; *s; s++) {
        if (is_ws(*s))
            continue;
        if (*len + 1 >= *cap) {
            *cap = *cap ? *cap * 2 : 256;
            *buf = realloc(*buf, *cap);
            if (!*buf)
                abort();
        }
        (*buf)[(*len)++] = *s;
        (*buf)[*len] = '\0';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    float width = (float)data[0];
    ap_para_style style = {0};
    style.size = (float)(1 + (data[1] & 31));
    style.family = (data[1] & 32) ? AP_FAMILY_SANS : AP_FAMILY_SERIF;
    style.leading = (data[1] & 64) ? style.size * 1.5f : 0.0f;

    /* a NUL-terminated copy of the runs */
    char *copy = malloc(size - 2 + 1);
    if (!copy)
        return 0;
    memcpy(copy, data + 2, size - 2);
    copy[size - 2] = '\0';

    ap_inline items[MAX_RUNS];
    ap_text text = {items, 0, MAX_RUNS};
    int anchor_page[8] = {0, -1, 4, 99, 12345, -1, 7, 2147483646};
    char *expected = NULL;
    size_t elen = 0, ecap = 0;
    for (size_t at = 0; at < size - 2 && text.n < MAX_RUNS;) {
        char *run = copy + at;
        size_t len = strlen(run);
        at += len + 1;
        if (len == 0)
            continue;
        unsigned ctl = (unsigned char)run[0];
        ap_inline *in = &items[text.n++];
        in->style = ctl & 3u;
        in->kind = (ctl & 4u) ? AP_INLINE_PAGEREF : AP_INLINE_TEXT;
        in->anchor = (ctl & 0x40u) ? (int)((ctl >> 3) & 7u) : -1;
        in->text = run + 1;
        if (in->kind == AP_INLINE_PAGEREF) {
            char digits[16] = "00";
            if (in->anchor >= 0 && anchor_page[in->anchor] >= 0)
                snprintf(digits, sizeof digits, "%d", anchor_page[in->anchor] + 1);
            append_dark(&expected, &elen, &ecap, digits);
        } else {
            append_dark(&expected, &elen, &ecap, in->text);
        }
    }

    ap_metrics m = {fake_advance, fake_ascent, NULL};
    ap_arena *arena = ap_arena_new();
    ap_lines lines = ap_break_lines(&text, &style, width, &m, anchor_page, arena);

    char *got = NULL;
    size_t glen = 0, gcap = 0;
    for (size_t i = 0; i < lines.n; i++) {
        const ap_line *l = &lines.lines[i];
        float x = 0;
        size_t glyphs = 0;
        for (size_t k = 0; k < l->n; k++) {
            const ap_segment *s = &l->segs[k];
            if (fabsf(s->x - x) > 0.01f || s->w < 0 || !s->text)
                abort();
            x += s->w;
            for (const char *p = s->text; *p;) {
                ap_utf8_next(&p);
                glyphs++;
            }
            append_dark(&got, &glen, &gcap, s->text);
        }
        if (fabsf(l->width - x) > 0.01f)
            abort();
        if (l->width > width + 0.01f && glyphs != 1)
            abort(); /* only a single glyph may be wider than the line */
    }
    if (elen != glen || (elen && memcmp(expected, got, elen) != 0))
        abort(); /* text lost, reordered or invented */
    if (!(lines.leading > 0) || !isfinite(lines.ascent))
        abort();

    free(got);
    free(expected);
    ap_arena_free(arena);
    free(copy);
    return 0;
}
