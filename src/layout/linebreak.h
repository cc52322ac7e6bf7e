/* Line breaking of rich text on code points: breaks at spaces and after
 * hyphens, forces a break inside a token wider than the line (a URL, a
 * member id), and never lets a line outrun its width. Internal to layout. */
#ifndef AP_LINEBREAK_H
#define AP_LINEBREAK_H

#include "layout/layout.h"

/* A run of one font (and one link target) within a line. */
typedef struct {
    int font;
    float x, w;        /* offset from the line start and width, points */
    const char *text;  /* UTF-8, owned by the arena given to ap_break_lines */
    int anchor;
} ap_segment;

typedef struct {
    ap_segment *segs;
    size_t n;
    float width;
} ap_line;

typedef struct {
    ap_line *lines;
    size_t n;
    float leading;     /* baseline-to-baseline distance */
    float ascent;      /* first baseline below the top of the first line */
} ap_lines;

/* Breaks text into lines at most width points wide, in the given family and
 * size. Page references print anchor_page[anchor] + 1 (or "00" when
 * anchor_page is NULL or the anchor is not placed yet). Everything is
 * allocated from arena. */
ap_lines ap_break_lines(const ap_text *text, const ap_para_style *style, float width,
                        const ap_metrics *m, const int *anchor_page, struct ap_arena *arena);

/* The line height a paragraph style implies. */
float ap_style_leading(const ap_para_style *style);

#endif
