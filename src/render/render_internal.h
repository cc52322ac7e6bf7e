/* Renderer state shared by render.c (document, fonts, images) and draw.c
 * (pages). Internal to render. */
#ifndef AP_RENDER_INTERNAL_H
#define AP_RENDER_INTERNAL_H

#include <hpdf.h>

#include "render/cid_map.h"
#include "render/render.h"

struct ap_renderer {
    HPDF_Doc pdf;
    HPDF_FontDef defs[AP_FONT_COUNT];     /* loaded faces, NULL until first use */
    HPDF_Font fonts[AP_FONT_COUNT];       /* their CID fonts, NULL until first drawn or measured */
    const char *font_names[AP_FONT_COUNT];
    char *font_paths[AP_FONT_COUNT];
    char font_error[512];                 /* why a face could not be loaded */
    ap_cid_set drawn[AP_FONT_COUNT];      /* code points drawn with each face */
    int16_t *width_cache[AP_FONT_COUNT];  /* advances of the BMP below U+3000, -1 unknown */
    ap_metrics metrics;
    HPDF_Image *images;
    size_t n_images, cap_images;
    char context[96];          /* what the renderer is doing, for error messages */
    HPDF_STATUS error_no, detail_no;
    char error_context[96];
};

/* The CID font of a face, loaded on first use; face 0 stands in for a face
 * that failed to load (ap_renderer_failed then says why). */
HPDF_Font ap_renderer_face(ap_renderer *r, int font);
/* Writes the first libharu error (with context) into why; true if any. */
bool ap_renderer_failed(ap_renderer *r, char *why, size_t why_size);

#endif
