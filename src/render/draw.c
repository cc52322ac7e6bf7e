/* Drawing laid-out pages with libharu: text, rules, images (rotated and
 * mirrored by matrix), internal links, the running header and footer,
 * the outline and the document info. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_internal.h"
#include "util/xalloc.h"

#define BAND_SIZE 8.5f
#define BAND_MIN_SIZE 6.0f

/* Draws UTF-8 text with its baseline at top-down y, noting the code points
 * drawn with the face. */
static void text_at(ap_renderer *r, HPDF_Page page, float page_h, int font, float size, float x, float y,
                    const char *text)
{
    if (font < 0 || font >= AP_FONT_COUNT)
        font = 0;
    ap_cid_set_add_text(&r->drawn[font], text);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, ap_renderer_face(r, font), size);
    HPDF_Page_TextOut(page, x, page_h - y, text);
    HPDF_Page_EndText(page);
}

static void rule(HPDF_Page page, float page_h, float x1, float y1, float x2, float y2, float width)
{
    HPDF_Page_SetLineWidth(page, width);
    HPDF_Page_MoveTo(page, x1, page_h - y1);
    HPDF_Page_LineTo(page, x2, page_h - y2);
    HPDF_Page_Stroke(page);
}

/* Places an image in a top-down box, rotated clockwise and optionally
 * mirrored, through the current transformation matrix. */
static void image_at(HPDF_Page page, float page_h, HPDF_Image image, const ap_op *op)
{
    float bx = op->x, by = page_h - op->y - op->h, bw = op->w, bh = op->h;
    float a, b, c, d, e, f;
    switch (op->rotate) {
    case 90:  a = 0;   b = -bh; c = bw;  d = 0;   e = bx;      f = by + bh; break;
    case 180: a = -bw; b = 0;   c = 0;   d = -bh; e = bx + bw; f = by + bh; break;
    case 270: a = 0;   b = bh;  c = -bw; d = 0;   e = bx + bw; f = by;      break;
    default:  a = bw;  b = 0;   c = 0;   d = bh;  e = bx;      f = by;      break;
    }
    if (op->mirror) {   /* u -> 1 - u before the rotation */
        e += a;
        f += b;
        a = -a;
        b = -b;
    }
    HPDF_Page_GSave(page);
    HPDF_Page_Concat(page, a, b, c, d, e, f);
    HPDF_Page_ExecuteXObject(page, image);
    HPDF_Page_GRestore(page);
}

/* Draws left- and right-aligned texts on one band line, shrinking the size
 * until both fit side by side. */
static void band_line(ap_renderer *r, HPDF_Page page, const ap_geometry *g, float y, const char *left,
                      const char *right, int left_font, int right_font)
{
    float avail = g->width - g->margin_left - g->margin_right - 12.0f;
    float size = BAND_SIZE;
    for (;;) {
        float lw = left ? ap_text_width(&r->metrics, left_font, size, left) : 0;
        float rw = right ? ap_text_width(&r->metrics, right_font, size, right) : 0;
        if (lw + rw <= avail || size <= BAND_MIN_SIZE) {
            if (left)
                text_at(r, page, g->height, left_font, size, g->margin_left, y, left);
            if (right)
                text_at(r, page, g->height, right_font, size, g->width - g->margin_right - rw, y, right);
            return;
        }
        size -= 0.25f;
    }
}

static void running_bands(ap_renderer *r, HPDF_Page page, const ap_packet *p, const ap_geometry *g,
                          size_t index, size_t count)
{
    const int sans = AP_FONT_INDEX(AP_FAMILY_SANS, 0), sans_bold = AP_FONT_INDEX(AP_FAMILY_SANS, AP_FONT_BOLD);
    band_line(r, page, g, g->header_top + 9.0f, p->running.header_left[0], p->running.header_right[0], sans_bold,
              sans_bold);
    band_line(r, page, g, g->header_top + 20.0f, p->running.header_left[1], p->running.header_right[1], sans, sans);
    rule(page, g->height, g->margin_left, g->header_bottom, g->width - g->margin_right, g->header_bottom, 0.75f);
    rule(page, g->height, g->margin_left, g->footer_top, g->width - g->margin_right, g->footer_top, 0.75f);
    char page_of[64];
    snprintf(page_of, sizeof page_of, "Page %zu of %zu", index + 1, count);
    band_line(r, page, g, g->footer_baseline, p->running.footer_left, page_of, sans, sans_bold);
}

/* Formats a date as a PDF info date at midnight UTC. */
static HPDF_Date info_date(ap_date d)
{
    HPDF_Date out;
    memset(&out, 0, sizeof out);
    out.year = d.year;
    out.month = d.month;
    out.day = d.day;
    out.ind = 'Z';
    return out;
}

static void document_info(ap_renderer *r, const ap_packet *p, ap_date date)
{
    snprintf(r->context, sizeof r->context, "writing the document information");
    if (p->title)
        HPDF_SetInfoAttr(r->pdf, HPDF_INFO_TITLE, p->title);
    if (p->subject)
        HPDF_SetInfoAttr(r->pdf, HPDF_INFO_SUBJECT, p->subject);
    if (p->author)
        HPDF_SetInfoAttr(r->pdf, HPDF_INFO_AUTHOR, p->author);
    HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR, "appeal-packet " AP_VERSION);
    HPDF_SetInfoAttr(r->pdf, HPDF_INFO_PRODUCER, "appeal-packet " AP_VERSION " with libharu " HPDF_VERSION_TEXT);
    HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_CREATION_DATE, info_date(date));
    HPDF_SetInfoDateAttr(r->pdf, HPDF_INFO_MOD_DATE, info_date(date));
}

static void outline(ap_renderer *r, const ap_layout *l, HPDF_Page *pages)
{
    snprintf(r->context, sizeof r->context, "building the outline");
    HPDF_Encoder enc = HPDF_GetEncoder(r->pdf, "UTF-8");
    HPDF_Outline parent = NULL;
    for (size_t i = 0; i < l->n_outline; i++) {
        const ap_outline_entry *e = &l->outline[i];
        HPDF_Outline under = e->level > 1 && parent ? parent : NULL;   /* NULL: the root */
        HPDF_Outline o = HPDF_CreateOutline(r->pdf, under, e->title, enc);
        if (!o)
            return;
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[e->page]);
        HPDF_Outline_SetDestination(o, dst);
        if (e->level <= 1) {
            parent = o;
            HPDF_Outline_SetOpened(o, HPDF_TRUE);
        }
    }
}

bool ap_renderer_draw(ap_renderer *r, const ap_packet *p, const ap_layout *l, ap_date date, char *why,
                      size_t why_size)
{
    const ap_geometry *g = &l->geometry;
    HPDF_Page *pages = ap_xcalloc(l->n_pages ? l->n_pages : 1, sizeof *pages);
    snprintf(r->context, sizeof r->context, "adding pages");
    for (size_t i = 0; i < l->n_pages; i++) {
        pages[i] = HPDF_AddPage(r->pdf);
        if (!pages[i])
            break;
        HPDF_Page_SetWidth(pages[i], g->width);
        HPDF_Page_SetHeight(pages[i], g->height);
    }
    HPDF_Destination *dests = ap_xcalloc(p->n_anchors ? p->n_anchors : 1, sizeof *dests);
    for (size_t i = 0; i < l->n_pages && !r->error_no; i++) {
        snprintf(r->context, sizeof r->context, "drawing page %zu", i + 1);
        HPDF_Page page = pages[i];
        HPDF_Page_SetRGBStroke(page, 0, 0, 0);
        HPDF_Page_SetRGBFill(page, 0, 0, 0);
        running_bands(r, page, p, g, i, l->n_pages);
        const ap_page_ops *ops = &l->pages[i];
        for (size_t k = 0; k < ops->n; k++) {
            const ap_op *op = &ops->ops[k];
            switch (op->kind) {
            case AP_OP_TEXT:
                text_at(r, page, g->height, op->font, op->size, op->x, op->y, op->text);
                break;
            case AP_OP_LINE:
                rule(page, g->height, op->x, op->y, op->x2, op->y2, op->w);
                break;
            case AP_OP_IMAGE:
                if (op->image_slot >= 0 && (size_t)op->image_slot < r->n_images)
                    image_at(page, g->height, r->images[op->image_slot], op);
                break;
            case AP_OP_LINK: {
                if (op->anchor < 0 || (size_t)op->anchor >= p->n_anchors || l->anchor_page[op->anchor] < 0)
                    break;
                if (!dests[op->anchor])
                    dests[op->anchor] = HPDF_Page_CreateDestination(pages[l->anchor_page[op->anchor]]);
                HPDF_Rect rect = {op->x, g->height - op->y - op->h, op->x + op->w, g->height - op->y};
                HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(page, rect, dests[op->anchor]);
                if (a)
                    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
                break;
            }
            }
        }
    }
    if (!r->error_no)
        outline(r, l, pages);
    if (!r->error_no)
        document_info(r, p, date);
    free(dests);
    free(pages);
    return !ap_renderer_failed(r, why, why_size);
}
