/* Greedy line breaking over code points (see linebreak.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/linebreak.h"
#include "util/arena.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* One code point of the flattened paragraph. */
typedef struct {
    uint32_t cp;
    int font;
    int anchor;
    const char *src;   /* its UTF-8 bytes */
    unsigned len;
    float w;           /* advance in points */
} glyph;

typedef struct {
    glyph *items;
    size_t n, cap;
} glyph_list;

float ap_text_width(const ap_metrics *m, int font, float size, const char *utf8)
{
    float w = 0;
    for (const char *s = utf8; *s;)
        w += m->advance(m->ctx, font, ap_utf8_next(&s));
    return w * size / 1000.0f;
}

float ap_style_leading(const ap_para_style *style)
{
    return style->leading > 0 ? style->leading : style->size * 1.25f;
}

static void push_glyphs(glyph_list *g, const char *text, int font, int anchor, float size, const ap_metrics *m)
{
    for (const char *s = text; *s;) {
        const char *start = s;
        uint32_t cp = ap_utf8_next(&s);
        if (cp == '\t' || cp == '\r')
            cp = ' ';
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 256;
            g->items = ap_xrealloc(g->items, g->cap * sizeof *g->items);
        }
        float w = cp == '\n' ? 0 : m->advance(m->ctx, font, cp) * size / 1000.0f;
        g->items[g->n++] = (glyph){cp, font, anchor, start, (unsigned)(s - start), w};
    }
}

/* Flattens rich text into glyphs, resolving page references. */
static void flatten(glyph_list *g, const ap_text *text, const ap_para_style *style, const ap_metrics *m,
                    const int *anchor_page, ap_arena *arena)
{
    for (size_t i = 0; i < text->n; i++) {
        const ap_inline *in = &text->items[i];
        int font = AP_FONT_INDEX(style->family, in->style);
        const char *s = in->text;
        if (in->kind == AP_INLINE_PAGEREF) {
            char buf[16] = "00";
            if (anchor_page && in->anchor >= 0 && anchor_page[in->anchor] >= 0)
                snprintf(buf, sizeof buf, "%d", anchor_page[in->anchor] + 1);
            s = ap_arena_strdup(arena, buf);
        }
        push_glyphs(g, s, font, in->anchor, style->size, m);
    }
}

static bool is_space(uint32_t cp) { return cp == ' '; }
static bool is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }
/* A line may end after these when a non-space follows (never inside a
 * date such as 08/20/2026). */
static bool is_break_after(uint32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014 || cp == '/'; }

/* Builds a line from glyphs [from, to) (trailing spaces already excluded). */
static ap_line make_line(const glyph *g, size_t from, size_t to, ap_arena *arena)
{
    ap_line line = {0};
    size_t runs = 0;
    for (size_t i = from; i < to; i++)
        if (i == from || g[i].font != g[i - 1].font || g[i].anchor != g[i - 1].anchor)
            runs++;
    line.segs = ap_arena_alloc(arena, (runs ? runs : 1) * sizeof *line.segs);
    float x = 0;
    for (size_t i = from; i < to;) {
        size_t j = i, bytes = 0;
        float w = 0;
        while (j < to && g[j].font == g[i].font && g[j].anchor == g[i].anchor) {
            bytes += g[j].len;
            w += g[j].w;
            j++;
        }
        char *text = ap_arena_alloc(arena, bytes + 1), *o = text;
        for (size_t k = i; k < j; k++) {
            memcpy(o, g[k].src, g[k].len);
            o += g[k].len;
        }
        line.segs[line.n++] = (ap_segment){g[i].font, x, w, text, g[i].anchor};
        x += w;
        i = j;
    }
    line.width = x;
    return line;
}

ap_lines ap_break_lines(const ap_text *text, const ap_para_style *style, float width,
                        const ap_metrics *m, const int *anchor_page, ap_arena *arena)
{
    glyph_list gl = {0};
    flatten(&gl, text, style, m, anchor_page, arena);
    const glyph *g = gl.items;
    size_t n = gl.n;

    ap_lines out = {0};
    out.leading = ap_style_leading(style);
    out.ascent = m->ascent(m->ctx, AP_FONT_INDEX(style->family, 0)) * style->size / 1000.0f
                 + (out.leading - style->size * 1.16f) / 2.0f;
    size_t cap = 0;
    size_t start = 0;
    while (start < n) {
        while (start < n && is_space(g[start].cp))
            start++;
        if (start >= n)
            break;
        size_t end = n, next = n;   /* the line is [start, end); the next starts at next */
        size_t brk_end = 0, brk_next = 0;
        bool have_break = false;
        float w = 0;
        for (size_t k = start; k < n; k++) {
            if (g[k].cp == '\n') {
                end = k; next = k + 1;
                goto emit;
            }
            if (is_space(g[k].cp)) {
                brk_end = k; brk_next = k + 1; have_break = true;
                w += g[k].w;
                continue;
            }
            if (w + g[k].w > width) {
                if (have_break) {
                    end = brk_end; next = brk_next;
                } else {
                    end = k > start ? k : k + 1;  /* force a break inside the token */
                    next = end;
                }
                goto emit;
            }
            w += g[k].w;
            if (is_break_after(g[k].cp) && k + 1 < n && !is_space(g[k + 1].cp) && k > start
                && !(g[k].cp == '/' && is_digit(g[k - 1].cp) && is_digit(g[k + 1].cp))) {
                brk_end = k + 1; brk_next = k + 1; have_break = true;
            }
        }
    emit:
        while (end > start && is_space(g[end - 1].cp))
            end--;
        if (out.n == cap) {
            size_t fresh = cap ? cap * 2 : 8;
            ap_line *lines = ap_arena_alloc(arena, fresh * sizeof *lines);
            if (out.n)
                memcpy(lines, out.lines, out.n * sizeof *lines);
            out.lines = lines;
            cap = fresh;
        }
        out.lines[out.n++] = make_line(g, start, end, arena);
        start = next;
    }
    free(gl.items);
    return out;
}
