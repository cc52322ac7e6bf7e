/* Packet construction: blocks, rich text and tables, all owned by one arena.
 * Arrays grow geometrically by copying inside the arena, so the waste is
 * bounded by the final size and everything is freed at once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/packet.h"
#include "util/arena.h"
#include "util/xalloc.h"

/* Grows an arena array of elem-sized items so it can hold one more. */
static void *grow(ap_arena *a, void *items, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return items;
    size_t fresh_cap = *cap ? *cap * 2 : 8;
    void *fresh = ap_arena_alloc(a, fresh_cap * elem);
    if (n)
        memcpy(fresh, items, n * elem);
    *cap = fresh_cap;
    return fresh;
}

ap_packet *ap_packet_new(void)
{
    ap_packet *p = ap_xcalloc(1, sizeof *p);
    p->arena = ap_arena_new();
    return p;
}

void ap_packet_free(ap_packet *p)
{
    if (!p)
        return;
    ap_arena_free(p->arena);
    free(p);
}

const char *ap_packet_strdup(ap_packet *p, const char *s)
{
    return ap_arena_strdup(p->arena, s ? s : "");
}

const char *ap_packet_printf(ap_packet *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ap_xvasprintf(fmt, ap);
    va_end(ap);
    const char *copy = ap_arena_strdup(p->arena, s);
    free(s);
    return copy;
}

int ap_packet_new_anchor(ap_packet *p)
{
    return (int)p->n_anchors++;
}

ap_block *ap_packet_add(ap_packet *p, ap_block_kind kind)
{
    p->blocks = grow(p->arena, p->blocks, p->n_blocks, &p->cap_blocks, sizeof *p->blocks);
    ap_block *b = &p->blocks[p->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->anchor = -1;
    b->image.image_slot = -1;
    b->signature.image_slot = -1;
    return b;
}

/* Appends one inline run to rich text. */
static void add_inline(ap_packet *p, ap_text *t, ap_inline in)
{
    t->items = grow(p->arena, t->items, t->n, &t->cap, sizeof *t->items);
    t->items[t->n++] = in;
}

void ap_text_add(ap_packet *p, ap_text *t, unsigned style, const char *text)
{
    ap_text_add_link(p, t, style, text, -1);
}

void ap_text_add_link(ap_packet *p, ap_text *t, unsigned style, const char *text, int anchor)
{
    if (!text || !*text)
        return;
    add_inline(p, t, (ap_inline){AP_INLINE_TEXT, style, ap_packet_strdup(p, text), anchor});
}

void ap_text_add_pageref(ap_packet *p, ap_text *t, unsigned style, int anchor)
{
    add_inline(p, t, (ap_inline){AP_INLINE_PAGEREF, style, NULL, anchor});
}

void ap_text_addf(ap_packet *p, ap_text *t, unsigned style, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ap_xvasprintf(fmt, ap);
    va_end(ap);
    ap_text_add(p, t, style, s);
    free(s);
}

void ap_table_init(ap_packet *p, ap_table *t, size_t n_cols, const float *widths, ap_para_style cell_style)
{
    memset(t, 0, sizeof *t);
    t->n_cols = n_cols;
    t->widths = ap_arena_alloc(p->arena, n_cols * sizeof *t->widths);
    memcpy(t->widths, widths, n_cols * sizeof *widths);
    t->cell_style = cell_style;
    t->header = ap_arena_alloc(p->arena, n_cols * sizeof *t->header);
    t->has_header = true;
}

ap_text *ap_table_add_row(ap_packet *p, ap_table *t)
{
    t->rows = grow(p->arena, t->rows, t->n_rows, &t->cap_rows, sizeof *t->rows);
    ap_table_row *r = &t->rows[t->n_rows++];
    r->cells = ap_arena_alloc(p->arena, t->n_cols * sizeof *r->cells);
    return r->cells;
}
