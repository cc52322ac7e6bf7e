/* Pagination: places broken lines, tables, image pages and signature blocks
 * on pages, records where every anchor lands, and repeats the whole pass
 * until the page references it printed match where anchors landed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "layout/linebreak.h"
#include "util/arena.h"
#include "util/xalloc.h"

#define PT_PER_IN 72.0f
#define CELL_PAD 4.0f
#define RULE_WIDTH 0.75f       /* table rules: 2 px at 200 dpi, survive a fax */
#define HEADER_RULE_WIDTH 1.5f
#define MAX_PASSES 6
#define SIGNATURE_SPACE 44.0f      /* room above the signature line */
#define SIGNATURE_SIZE 11.0f
#define SIGNATURE_LEADING (SIGNATURE_SIZE * 1.25f)

typedef struct {
    ap_layout *l;
    const ap_packet *p;
    const ap_metrics *m;
    const int *refs;    /* anchor pages of the previous pass (NULL in the first) */
    float y;            /* cursor */
    bool page_empty;
} state;

ap_geometry ap_geometry_for(bool a4)
{
    ap_geometry g;
    g.width = a4 ? 595.28f : 612.0f;
    g.height = a4 ? 841.89f : 792.0f;
    g.margin_left = g.margin_right = 0.75f * PT_PER_IN;
    g.header_top = 0.5f * PT_PER_IN;
    g.header_bottom = g.header_top + 27.0f;
    g.body_top = g.header_bottom + 14.0f;
    g.footer_baseline = g.height - 0.5f * PT_PER_IN - 2.0f;
    g.footer_top = g.footer_baseline - 16.0f;
    g.body_bottom = g.footer_top - 8.0f;
    return g;
}

static float text_width(const ap_geometry *g) { return g->width - g->margin_left - g->margin_right; }
static float body_height(const ap_geometry *g) { return g->body_bottom - g->body_top; }

/* Appends an operation to the current page. */
static void emit(state *s, ap_op op)
{
    ap_page_ops *pg = &s->l->pages[s->l->n_pages - 1];
    if (pg->n == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 64;
        pg->ops = ap_xrealloc(pg->ops, pg->cap * sizeof *pg->ops);
    }
    pg->ops[pg->n++] = op;
    s->page_empty = false;
}

static void new_page(state *s)
{
    ap_layout *l = s->l;
    if (l->n_pages == l->cap_pages) {
        l->cap_pages = l->cap_pages ? l->cap_pages * 2 : 16;
        l->pages = ap_xrealloc(l->pages, l->cap_pages * sizeof *l->pages);
    }
    memset(&l->pages[l->n_pages++], 0, sizeof(ap_page_ops));
    s->y = l->geometry.body_top;
    s->page_empty = true;
}

/* Starts a new page unless the current one is still empty. */
static void fresh_page(state *s)
{
    if (!s->page_empty)
        new_page(s);
}

static float room(const state *s) { return s->l->geometry.body_bottom - s->y; }

/* Records where a block's anchor and outline entry land. */
static void mark(state *s, const ap_block *b)
{
    ap_layout *l = s->l;
    if (b->anchor >= 0 && (size_t)b->anchor < s->p->n_anchors) {
        l->anchor_page[b->anchor] = (int)l->n_pages - 1;
        l->anchor_y[b->anchor] = s->y;
    }
    if (b->outline_level > 0 && b->outline_title) {
        if (l->n_outline == l->cap_outline) {
            l->cap_outline = l->cap_outline ? l->cap_outline * 2 : 32;
            l->outline = ap_xrealloc(l->outline, l->cap_outline * sizeof *l->outline);
        }
        l->outline[l->n_outline++] = (ap_outline_entry){b->outline_title, b->outline_level,
                                                        (int)l->n_pages - 1, s->y};
    }
}

/* Draws one line with its top at y, x0 the left edge of a box width wide. */
static void draw_line(state *s, const ap_line *line, const ap_lines *ls, const ap_para_style *st,
                      float x0, float width, float top)
{
    float x = x0 + st->indent;
    if (st->align == AP_ALIGN_CENTER)
        x = x0 + (width - line->width) / 2.0f;
    else if (st->align == AP_ALIGN_RIGHT)
        x = x0 + width - line->width;
    float baseline = top + ls->ascent;
    for (size_t i = 0; i < line->n; i++) {
        const ap_segment *seg = &line->segs[i];
        ap_op t = {.kind = AP_OP_TEXT, .x = x + seg->x, .y = baseline, .font = seg->font,
                   .size = st->size, .text = seg->text, .anchor = -1};
        emit(s, t);
        if (seg->anchor >= 0)
            emit(s, (ap_op){.kind = AP_OP_LINK, .x = x + seg->x, .y = top, .w = seg->w,
                            .h = ls->leading, .anchor = seg->anchor});
    }
}

static ap_lines break_para(state *s, const ap_text *t, const ap_para_style *st, float width)
{
    return ap_break_lines(t, st, width - st->indent, s->m, s->refs, s->l->arena);
}

/* The height the start of a block needs so a heading is not left alone. */
static float lead_in_height(state *s, const ap_block *b)
{
    const ap_geometry *g = &s->l->geometry;
    switch (b->kind) {
    case AP_BLOCK_HEADING:
    case AP_BLOCK_PARAGRAPH: {
        ap_lines ls = break_para(s, &b->text, &b->style, text_width(g));
        size_t n = b->style.keep_together ? ls.n : ls.n < 2 ? ls.n : 2;
        return b->style.space_before + (float)n * ls.leading;
    }
    case AP_BLOCK_TABLE:
        return 2.0f * (ap_style_leading(&b->table.cell_style) * 2.0f + 2.0f * CELL_PAD);
    case AP_BLOCK_SIGNATURE:
        return b->style.space_before + SIGNATURE_SPACE + 6.0f
               + (float)b->signature.n_lines * SIGNATURE_LEADING;
    default:
        return 0;
    }
}

/* Places a heading or paragraph, with orphan and widow control. */
static void place_paragraph(state *s, const ap_block *b, const ap_block *next)
{
    const ap_geometry *g = &s->l->geometry;
    float width = text_width(g);
    ap_lines ls = break_para(s, &b->text, &b->style, width);
    float before = s->page_empty ? 0 : b->style.space_before;
    float need_all = before + (float)ls.n * ls.leading;
    if (b->style.keep_with_next && next)
        need_all += b->style.space_after + lead_in_height(s, next);
    if (need_all > room(s) && (b->style.keep_with_next || b->style.keep_together || ls.n <= 3) && !s->page_empty
        && need_all <= body_height(g))
        new_page(s);
    else if (!s->page_empty && room(s) < before + 2.0f * ls.leading && ls.n >= 2)
        new_page(s);   /* no orphan: at least two lines or none */
    if (!s->page_empty)
        s->y += b->style.space_before;
    mark(s, b);
    size_t i = 0;
    while (i < ls.n) {
        size_t fit = (size_t)floorf((room(s) + 0.01f) / ls.leading);
        size_t left = ls.n - i;
        if (fit >= left) {
            fit = left;
        } else {
            if (left - fit < 2 && fit > 2)
                fit = left - 2;         /* no widow: carry two lines over */
            if (s->page_empty && fit < 1)
                fit = 1;   /* a line taller than the page: place it anyway */
            else if (fit < 1 || (fit < 2 && left >= 2 && !s->page_empty)) {
                new_page(s);
                continue;
            }
        }
        for (size_t k = 0; k < fit; k++, i++) {
            draw_line(s, &ls.lines[i], &ls, &b->style, g->margin_left, width, s->y);
            s->y += ls.leading;
        }
        if (i < ls.n)
            new_page(s);
    }
    s->y += b->style.space_after;
}

/* Cell contents of one row, broken into lines per column. */
typedef struct {
    ap_lines *cells;
    size_t max_lines;
} row_lines;

static row_lines break_row(state *s, const ap_table *t, const ap_text *cells, const ap_para_style *st)
{
    float width = text_width(&s->l->geometry);
    row_lines r = {ap_arena_alloc(s->l->arena, t->n_cols * sizeof(ap_lines)), 0};
    for (size_t c = 0; c < t->n_cols; c++) {
        float cw = width * t->widths[c] - 2 * CELL_PAD;
        r.cells[c] = ap_break_lines(&cells[c], st, cw, s->m, s->refs, s->l->arena);
        if (r.cells[c].n > r.max_lines)
            r.max_lines = r.cells[c].n;
    }
    return r;
}

/* Draws lines [from, from + count) of every cell as one ruled row slice. */
static void draw_row_slice(state *s, const ap_table *t, const row_lines *r, const ap_para_style *st,
                           size_t from, size_t count, bool header)
{
    const ap_geometry *g = &s->l->geometry;
    float width = text_width(g), leading = ap_style_leading(st);
    float top = s->y, h = (float)count * leading + 2 * CELL_PAD;
    float x = g->margin_left;
    for (size_t c = 0; c < t->n_cols; c++) {
        float cw = width * t->widths[c];
        const ap_lines *ls = &r->cells[c];
        for (size_t k = from; k < from + count && k < ls->n; k++)
            draw_line(s, &ls->lines[k], ls, st, x + CELL_PAD, cw - 2 * CELL_PAD,
                      top + CELL_PAD + (float)(k - from) * leading);
        x += cw;
    }
    float right = g->margin_left + width;
    emit(s, (ap_op){.kind = AP_OP_LINE, .x = g->margin_left, .y = top, .x2 = right, .y2 = top,
                    .w = header ? HEADER_RULE_WIDTH : RULE_WIDTH, .anchor = -1});
    emit(s, (ap_op){.kind = AP_OP_LINE, .x = g->margin_left, .y = top + h, .x2 = right, .y2 = top + h,
                    .w = header ? HEADER_RULE_WIDTH : RULE_WIDTH, .anchor = -1});
    x = g->margin_left;
    for (size_t c = 0; c <= t->n_cols; c++) {
        emit(s, (ap_op){.kind = AP_OP_LINE, .x = x, .y = top, .x2 = x, .y2 = top + h, .w = RULE_WIDTH, .anchor = -1});
        if (c < t->n_cols)
            x += width * t->widths[c];
    }
    s->y += h;
}

static void draw_header(state *s, const ap_table *t, const row_lines *header, const ap_para_style *st)
{
    if (t->has_header)
        draw_row_slice(s, t, header, st, 0, header->max_lines, true);
}

static void place_table(state *s, const ap_block *b)
{
    const ap_table *t = &b->table;
    const ap_geometry *g = &s->l->geometry;
    ap_para_style head_style = t->cell_style;
    float leading = ap_style_leading(&t->cell_style);
    row_lines header = break_row(s, t, t->header, &head_style);
    float header_h = (float)header.max_lines * ap_style_leading(&head_style) + 2 * CELL_PAD;
    if (!t->has_header)
        header_h = 0;
    float before = s->page_empty ? 0 : b->style.space_before;
    /* the header and the first two lines of the first row, or a new page */
    if (!s->page_empty && room(s) < before + header_h + 2 * leading + 2 * CELL_PAD)
        new_page(s);
    if (!s->page_empty)
        s->y += b->style.space_before;
    mark(s, b);
    draw_header(s, t, &header, &head_style);
    for (size_t i = 0; i < t->n_rows; i++) {
        row_lines r = break_row(s, t, t->rows[i].cells, &t->cell_style);
        size_t from = 0;
        bool fresh = false;   /* just moved to a new page for this row */
        while (from < r.max_lines || (r.max_lines == 0 && from == 0)) {
            size_t left = r.max_lines - from;
            float need = (float)left * leading + 2 * CELL_PAD;
            if (need <= room(s) + 0.01f) {
                draw_row_slice(s, t, &r, &t->cell_style, from, left, false);
                break;
            }
            size_t fit = (size_t)floorf((room(s) - 2 * CELL_PAD + 0.01f) / leading);
            bool small = need <= 0.25f * body_height(g);
            if (fresh && fit < 2)
                fit = fit < 1 ? 1 : fit;   /* lines taller than a page: never loop */
            else if (small || fit < 2 || (left - fit) < 2) {
                if (fit >= 2 && left - fit < 2 && !small && fit > 2) {
                    fit = left - 2;   /* no single line carried over */
                } else {
                    new_page(s);
                    draw_header(s, t, &header, &head_style);
                    fresh = true;
                    continue;
                }
            }
            draw_row_slice(s, t, &r, &t->cell_style, from, fit, false);
            from += fit;
            new_page(s);
            draw_header(s, t, &header, &head_style);
            fresh = true;
        }
    }
    s->y += b->style.space_after;
}

/* A scan on a page of its own: caption at the top of the body, the image
 * scaled to fit the rest, centred, aspect kept. */
static void place_image_page(state *s, const ap_block *b)
{
    const ap_geometry *g = &s->l->geometry;
    const ap_image_page *im = &b->image;
    fresh_page(s);
    mark(s, b);
    ap_para_style cap = {.family = AP_FAMILY_SANS, .size = 9.0f, .align = AP_ALIGN_LEFT};
    ap_lines ls = break_para(s, &im->caption, &cap, text_width(g));
    for (size_t i = 0; i < ls.n && i < 2; i++) {
        draw_line(s, &ls.lines[i], &ls, &cap, g->margin_left, text_width(g), s->y);
        s->y += ls.leading;
    }
    s->y += 4.0f;
    float box_w = text_width(g), box_h = g->body_bottom - s->y;
    int rotate = im->rotate;
    bool sideways = rotate == 90 || rotate == 270;
    float iw = (float)(sideways ? im->height : im->width), ih = (float)(sideways ? im->width : im->height);
    if (im->fit_portrait && iw > ih * 1.05f && box_h > box_w) {
        /* landscape on a portrait page: a quarter turn anticlockwise, so the
         * top of the scan faces the binding edge as printers do */
        rotate = (rotate + 270) % 360;
        float t = iw;
        iw = ih;
        ih = t;
    }
    if (iw <= 0 || ih <= 0)
        iw = ih = 1;
    float scale = fminf(box_w / iw, box_h / ih);
    float w = iw * scale, h = ih * scale;
    emit(s, (ap_op){.kind = AP_OP_IMAGE, .x = g->margin_left + (box_w - w) / 2.0f, .y = s->y, .w = w, .h = h,
                    .image_slot = im->image_slot, .rotate = rotate, .mirror = im->mirror, .anchor = -1});
    s->y = g->body_bottom;   /* nothing else goes on this page */
}

/* The signature block is kept together: image or blank space, the line,
 * then the name lines. */
static void place_signature(state *s, const ap_block *b)
{
    const ap_geometry *g = &s->l->geometry;
    const ap_signature *sig = &b->signature;
    ap_para_style st = {.family = AP_FAMILY_SERIF, .size = SIGNATURE_SIZE};
    float leading = ap_style_leading(&st);
    float space = SIGNATURE_SPACE, need = space + 6.0f + (float)sig->n_lines * leading + b->style.space_before;
    if (need > room(s) && !s->page_empty)
        new_page(s);
    if (!s->page_empty)
        s->y += b->style.space_before;
    mark(s, b);
    if (sig->image_slot >= 0 && sig->width && sig->height) {
        float h = space - 4.0f, w = h * (float)sig->width / (float)sig->height;
        if (w > 3.0f * PT_PER_IN) {
            w = 3.0f * PT_PER_IN;
            h = w * (float)sig->height / (float)sig->width;
        }
        emit(s, (ap_op){.kind = AP_OP_IMAGE, .x = g->margin_left, .y = s->y + space - 2.0f - h, .w = w, .h = h,
                        .image_slot = sig->image_slot, .anchor = -1});
    }
    s->y += space;
    emit(s, (ap_op){.kind = AP_OP_LINE, .x = g->margin_left, .y = s->y, .x2 = g->margin_left + 3.25f * PT_PER_IN,
                    .y2 = s->y, .w = RULE_WIDTH, .anchor = -1});
    s->y += 4.0f;
    for (size_t i = 0; i < sig->n_lines; i++) {
        ap_lines ls = break_para(s, &sig->lines[i], &st, text_width(g));
        for (size_t k = 0; k < ls.n; k++) {
            draw_line(s, &ls.lines[k], &ls, &st, g->margin_left, text_width(g), s->y);
            s->y += ls.leading;
        }
    }
    s->y += b->style.space_after;
}

static void place_rule(state *s, const ap_block *b)
{
    const ap_geometry *g = &s->l->geometry;
    if (room(s) < 12.0f) {
        new_page(s);
        return;
    }
    s->y += b->style.space_before + 2.0f;
    emit(s, (ap_op){.kind = AP_OP_LINE, .x = g->margin_left, .y = s->y, .x2 = g->width - g->margin_right,
                    .y2 = s->y, .w = RULE_WIDTH, .anchor = -1});
    s->y += 2.0f + b->style.space_after;
}

static void reset(ap_layout *l, size_t n_anchors)
{
    for (size_t i = 0; i < l->n_pages; i++)
        free(l->pages[i].ops);
    l->n_pages = 0;
    l->n_outline = 0;
    for (size_t i = 0; i < n_anchors; i++) {
        l->anchor_page[i] = -1;
        l->anchor_y[i] = 0;
    }
}

/* One full layout pass using refs for page references. */
static void run_pass(ap_layout *l, const ap_packet *p, const ap_metrics *m, const int *refs)
{
    state s = {.l = l, .p = p, .m = m, .refs = refs};
    reset(l, p->n_anchors);
    new_page(&s);
    for (size_t i = 0; i < p->n_blocks; i++) {
        const ap_block *b = &p->blocks[i];
        const ap_block *next = i + 1 < p->n_blocks ? &p->blocks[i + 1] : NULL;
        switch (b->kind) {
        case AP_BLOCK_HEADING:
        case AP_BLOCK_PARAGRAPH: place_paragraph(&s, b, next); break;
        case AP_BLOCK_TABLE: place_table(&s, b); break;
        case AP_BLOCK_IMAGE_PAGE: place_image_page(&s, b); break;
        case AP_BLOCK_SIGNATURE: place_signature(&s, b); break;
        case AP_BLOCK_PAGE_BREAK: fresh_page(&s); mark(&s, b); break;
        case AP_BLOCK_RULE: place_rule(&s, b); break;
        case AP_BLOCK_ANCHOR: mark(&s, b); break;
        }
    }
}

ap_layout *ap_layout_packet(const ap_packet *p, const ap_geometry *g, const ap_metrics *m)
{
    ap_layout *l = ap_xcalloc(1, sizeof *l);
    l->geometry = *g;
    size_t n = p->n_anchors ? p->n_anchors : 1;
    l->anchor_page = ap_xcalloc(n, sizeof *l->anchor_page);
    l->anchor_y = ap_xcalloc(n, sizeof *l->anchor_y);
    int *previous = ap_xcalloc(n, sizeof *previous);
    bool settled = false;
    for (int pass = 0; pass < MAX_PASSES && !settled; pass++) {
        ap_arena_free(l->arena);
        l->arena = ap_arena_new();
        run_pass(l, p, m, pass == 0 ? NULL : previous);
        l->passes = pass + 1;
        settled = pass > 0 && memcmp(previous, l->anchor_page, p->n_anchors * sizeof *previous) == 0;
        memcpy(previous, l->anchor_page, p->n_anchors * sizeof *previous);
    }
    free(previous);
    if (!settled) {
        ap_layout_free(l);
        return NULL;
    }
    return l;
}

void ap_layout_free(ap_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_pages; i++)
        free(l->pages[i].ops);
    free(l->pages);
    free(l->anchor_page);
    free(l->anchor_y);
    free(l->outline);
    ap_arena_free(l->arena);
    free(l);
}
