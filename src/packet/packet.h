/* The Packet: a small document tree (headings, rich paragraphs, tables,
 * image pages, signature blocks, page breaks) that compose builds from a
 * Case and layout turns into pages. It knows nothing about PDF or XML.
 * Cross-references are anchors: numbered targets whose page numbers are
 * known only after layout, which is why layout runs in two passes. */
#ifndef AP_PACKET_H
#define AP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { AP_FAMILY_SERIF, AP_FAMILY_SANS } ap_family;
enum { AP_FONT_BOLD = 1, AP_FONT_ITALIC = 2 };
/* Font index used by layout and render: family * 4 + style bits. */
#define AP_FONT_INDEX(family, style) ((int)(family) * 4 + (int)((style) & 3u))
#define AP_FONT_COUNT 8

typedef enum {
    AP_INLINE_TEXT,     /* text in a style; links to anchor when anchor >= 0 */
    AP_INLINE_PAGEREF,  /* the page number an anchor lands on (a link to it) */
} ap_inline_kind;

typedef struct {
    ap_inline_kind kind;
    unsigned style;    /* AP_FONT_* bits */
    const char *text;  /* UTF-8; unused for page references */
    int anchor;        /* link / reference target, -1 for none */
} ap_inline;

/* Rich text: a sequence of inline runs. */
typedef struct {
    ap_inline *items;
    size_t n, cap;
} ap_text;

typedef enum { AP_ALIGN_LEFT, AP_ALIGN_CENTER, AP_ALIGN_RIGHT } ap_align;

/* How a paragraph (or a table cell) is set. */
typedef struct {
    ap_family family;
    float size;          /* points */
    float leading;       /* line height in points (0: 1.25 x size) */
    ap_align align;
    float indent;        /* left indent in points */
    float space_before, space_after;
    bool keep_with_next; /* never end a page after this block */
    bool keep_together;  /* move the whole block to the next page rather than split it */
} ap_para_style;

typedef struct {
    ap_text *cells;     /* n_cols cells */
} ap_table_row;

typedef struct {
    size_t n_cols;
    float *widths;      /* fractions of the text width, summing to 1 */
    ap_para_style cell_style;
    ap_text *header;    /* n_cols header cells, repeated on every page */
    bool has_header;    /* false: no header row at all */
    ap_table_row *rows;
    size_t n_rows, cap_rows;
} ap_table;

/* One scanned page drawn on a page of its own, below the running header. */
typedef struct {
    const char *path;        /* the scan file */
    uint32_t width, height;  /* pixels as stored */
    int rotate;              /* clockwise degrees to show it upright: 0/90/180/270 */
    bool mirror;             /* mirror horizontally before rotating */
    bool fit_portrait;       /* turn a landscape scan a quarter turn so it fills a portrait page */
    ap_text caption;         /* printed above the scan */
    int image_slot;          /* render's handle for the embedded image, -1 before embedding */
    long source_line;        /* the <page> element's line in the case file */
} ap_image_page;

typedef struct {
    const char *image_path;  /* authorised signature image, or NULL for a wet-ink line */
    uint32_t width, height;
    int image_slot;
    long source_line;
    ap_text *lines;          /* name, credentials, ... under the line */
    size_t n_lines;
} ap_signature;

typedef enum {
    AP_BLOCK_HEADING, AP_BLOCK_PARAGRAPH, AP_BLOCK_TABLE, AP_BLOCK_IMAGE_PAGE,
    AP_BLOCK_SIGNATURE, AP_BLOCK_PAGE_BREAK, AP_BLOCK_RULE,
    AP_BLOCK_ANCHOR,   /* no content: places its anchor where the previous block ended */
} ap_block_kind;

typedef struct {
    ap_block_kind kind;
    int anchor;              /* target placed at the top of this block, -1 for none */
    int outline_level;       /* 0: not in the outline; 1, 2: outline depth */
    const char *outline_title;
    ap_para_style style;     /* headings and paragraphs */
    ap_text text;            /* headings and paragraphs */
    ap_table table;
    ap_image_page image;
    ap_signature signature;
} ap_block;

/* What every page repeats: the running header and footer texts. */
typedef struct {
    const char *header_left[2], *header_right[2];
    const char *footer_left;  /* e.g. the case id; "Page X of Y" is added on the right */
} ap_running;

typedef struct ap_packet {
    ap_block *blocks;
    size_t n_blocks, cap_blocks;
    size_t n_anchors;
    ap_running running;
    const char *title, *subject, *author; /* document info */
    struct ap_arena *arena;               /* owns every string and array */
} ap_packet;

/* Creates an empty packet. */
ap_packet *ap_packet_new(void);
/* Frees a packet and everything in it (NULL is fine). */
void ap_packet_free(ap_packet *p);
/* Copies a string into the packet's arena. */
const char *ap_packet_strdup(ap_packet *p, const char *s);
/* printf into a string owned by the packet. */
const char *ap_packet_printf(ap_packet *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reserves a new anchor number (a cross-reference target). */
int ap_packet_new_anchor(ap_packet *p);
/* Appends a block of the given kind (zeroed, anchor -1) and returns it; the
 * pointer is valid until the next append. */
ap_block *ap_packet_add(ap_packet *p, ap_block_kind kind);

/* Appends a text run to rich text (text is copied). */
void ap_text_add(ap_packet *p, ap_text *t, unsigned style, const char *text);
/* Appends a text run that links to an anchor. */
void ap_text_add_link(ap_packet *p, ap_text *t, unsigned style, const char *text, int anchor);
/* Appends the page number an anchor lands on, linked to it. */
void ap_text_add_pageref(ap_packet *p, ap_text *t, unsigned style, int anchor);
/* Appends printf-formatted text in a style. */
void ap_text_addf(ap_packet *p, ap_text *t, unsigned style, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Starts a table with n_cols columns of the given width fractions. */
void ap_table_init(ap_packet *p, ap_table *t, size_t n_cols, const float *widths, ap_para_style cell_style);
/* Appends an empty row and returns its cells (n_cols rich texts). */
ap_text *ap_table_add_row(ap_packet *p, ap_table *t);

#endif
