/* Layout: Packet -> pages of positioned drawing operations. Text is measured
 * with the real font metrics (through a callback, so layout knows no PDF),
 * broken into lines on code points, paginated with keep-with-next and no
 * orphan or widow lines; tables repeat their header row and split rows that
 * do not fit. Layout runs until every page reference is stable (two passes
 * in practice), so "Page X of Y" and the exhibit index are exact. */
#ifndef AP_LAYOUT_H
#define AP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet/packet.h"

/* Font metrics supplied by the renderer. */
typedef struct {
    /* Advance width of a code point in 1/1000 em for font index (AP_FONT_INDEX). */
    float (*advance)(void *ctx, int font, uint32_t cp);
    /* Ascent of a font above the baseline in 1/1000 em. */
    float (*ascent)(void *ctx, int font);
    void *ctx;
} ap_metrics;

/* Page geometry in points, origin at the top left, y growing downwards. */
typedef struct {
    float width, height;
    float margin_left, margin_right;
    float header_top, header_bottom;   /* the running-header band */
    float body_top, body_bottom;       /* where blocks go */
    float footer_top, footer_baseline; /* the footer band */
} ap_geometry;

typedef enum { AP_OP_TEXT, AP_OP_LINE, AP_OP_IMAGE, AP_OP_LINK } ap_op_kind;

/* One drawing operation. Text: x, y is the baseline start; lines: (x, y) to
 * (x2, y2) with width; images: the box x, y (top left), w, h; links: the
 * box x, y, w, h leading to anchor. */
typedef struct {
    ap_op_kind kind;
    float x, y, x2, y2, w, h;
    int font;
    float size;
    const char *text;   /* owned by the layout's arena */
    int anchor;
    int image_slot;
    int rotate;
    bool mirror;
} ap_op;

typedef struct {
    ap_op *ops;
    size_t n, cap;
} ap_page_ops;

typedef struct {
    const char *title;
    int level;
    int page;    /* 0-based */
    float y;
} ap_outline_entry;

typedef struct ap_layout {
    ap_geometry geometry;
    ap_page_ops *pages;
    size_t n_pages, cap_pages;
    int *anchor_page;     /* per anchor: 0-based page, -1 if never placed */
    float *anchor_y;      /* per anchor: y at the top of its block */
    ap_outline_entry *outline;
    size_t n_outline, cap_outline;
    int passes;           /* layout passes it took to settle page references */
    struct ap_arena *arena;
} ap_layout;

/* The geometry of US Letter (a4 false) or A4 pages with 0.75 in side margins
 * and the running header and footer bands. */
ap_geometry ap_geometry_for(bool a4);

/* Lays out the packet; page references resolve to final page numbers. The
 * running header and footer are not included (render adds them, knowing
 * the page count). Returns NULL only if references never settle. */
ap_layout *ap_layout_packet(const ap_packet *p, const ap_geometry *g, const ap_metrics *m);
/* Frees a layout (NULL is fine). */
void ap_layout_free(ap_layout *l);

/* Width of UTF-8 text in points in a font and size (for running headers). */
float ap_text_width(const ap_metrics *m, int font, float size, const char *utf8);

#endif
