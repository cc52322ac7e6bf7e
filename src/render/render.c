/* The libharu document: fonts, metrics, error capture, images, saving. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>

#include "render/cid_map.h"
#include "render/cmap_index.h"
#include "render/glyph_closure.h"
#include "render/render_internal.h"
#include "render/save.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

/* Advances of the BMP below U+3000 are cached per face. */
#define WIDTH_CACHE_SIZE 0x3000u

/* Face files by font index (AP_FONT_INDEX). */
static const char *const FACE_FILES[AP_FONT_COUNT] = {
    "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    ap_renderer *r = user;
    if (!r->error_no) {
        r->error_no = error_no;
        r->detail_no = detail_no;
        snprintf(r->error_context, sizeof r->error_context, "%s", r->context);
    }
}

/* Writes the first libharu error into why; true if there was one. */
bool ap_renderer_failed(ap_renderer *r, char *why, size_t why_size)
{
    if (r->font_error[0]) {
        snprintf(why, why_size, "%s", r->font_error);
        return true;
    }
    if (!r->error_no)
        return false;
    snprintf(why, why_size, "the PDF library failed while %s (error 0x%04X, detail %u) — report this as a bug",
             r->error_context[0] ? r->error_context : "writing the packet", (unsigned)r->error_no,
             (unsigned)r->detail_no);
    return true;
}

/* Face i's definition, loaded on first use: the font file parsed and its
 * cmap indexed. NULL once a face has failed to load (the reason is kept). */
static HPDF_FontDef face_def(ap_renderer *r, int i)
{
    if (r->defs[i] || r->font_error[0])
        return r->defs[i];
    snprintf(r->context, sizeof r->context, "loading font %s", FACE_FILES[i]);
    const char *name = HPDF_LoadTTFontFromFile(r->pdf, r->font_paths[i], HPDF_TRUE);
    HPDF_FontDef def = name ? HPDF_GetFontDef(r->pdf, name) : NULL;
    r->context[0] = '\0';
    if (!def) {
        snprintf(r->font_error, sizeof r->font_error,
                 "font %s could not be loaded — reinstall appeal-packet or pass --fonts DIR", r->font_paths[i]);
        return NULL;
    }
    ap_cmap_index(def);   /* when it cannot, lookups stay correct, only slower */
    r->font_names[i] = name;
    r->defs[i] = def;
    r->width_cache[i] = ap_xmalloc(WIDTH_CACHE_SIZE * sizeof(int16_t));
    memset(r->width_cache[i], 0xFF, WIDTH_CACHE_SIZE * sizeof(int16_t));
    return def;
}

HPDF_Font ap_renderer_face(ap_renderer *r, int font)
{
    if (font < 0 || font >= AP_FONT_COUNT)
        font = 0;
    if (!r->fonts[font] && face_def(r, font)) {
        r->fonts[font] = HPDF_GetFont(r->pdf, r->font_names[font], "UTF-8");
        if (!r->fonts[font] && !r->font_error[0])
            snprintf(r->font_error, sizeof r->font_error,
                     "font %s could not be loaded — reinstall appeal-packet or pass --fonts DIR",
                     r->font_paths[font]);
    }
    return r->fonts[font] ? r->fonts[font] : r->fonts[0];
}

static float metric_advance(void *ctx, int font, uint32_t cp)
{
    ap_renderer *r = ctx;
    if (font < 0 || font >= AP_FONT_COUNT)
        font = 0;
    if (cp > 0xFFFF)
        cp = ' ';   /* libharu's UTF-8 encoder draws these as spaces */
    int16_t *cache = r->width_cache[font];
    if (cache && cp < WIDTH_CACHE_SIZE && cache[cp] >= 0)
        return (float)cache[cp];
    int16_t w = (int16_t)HPDF_Font_GetUnicodeWidth(ap_renderer_face(r, font), (HPDF_UNICODE)cp);
    cache = r->width_cache[font];   /* the face may have been loaded just now */
    if (cache && cp < WIDTH_CACHE_SIZE)
        cache[cp] = w;
    return (float)w;
}

static float metric_ascent(void *ctx, int font)
{
    return (float)HPDF_Font_GetAscent(ap_renderer_face(ctx, font));
}

bool ap_renderer_has_glyph(ap_renderer *r, int font, uint32_t cp)
{
    if (cp > 0xFFFF)
        return false;
    if (cp < 0x20 || cp == ' ')
        return true;
    HPDF_FontDef def = face_def(r, font < 0 || font >= AP_FONT_COUNT ? 0 : font);
    if (!def)
        return true;   /* the face's load error is reported, not a glyph warning */
    return HPDF_TTFontDef_GetGlyphid(def, (HPDF_UNICODE)cp) != 0;
}

ap_renderer *ap_renderer_new(const char *fonts_dir, char *why, size_t why_size)
{
    ap_renderer *r = ap_xcalloc(1, sizeof *r);
    r->pdf = HPDF_New(on_error, r);
    if (!r->pdf) {
        snprintf(why, why_size, "out of memory creating the PDF — free memory and run again");
        free(r);
        return NULL;
    }
    HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(r->pdf);
    HPDF_SetCurrentEncoder(r->pdf, "UTF-8");
    /* Every face must be readable now; each is loaded when first used, so a
     * packet embeds only the faces it prints. */
    for (int i = 0; i < AP_FONT_COUNT; i++) {
        r->font_paths[i] = ap_xasprintf("%s/%s", fonts_dir, FACE_FILES[i]);
        FILE *probe = fopen(r->font_paths[i], "rb");
        if (!probe) {
            snprintf(why, why_size, "font %s cannot be opened — reinstall appeal-packet or pass --fonts DIR",
                     r->font_paths[i]);
            ap_renderer_free(r);
            return NULL;
        }
        fclose(probe);
    }
    /* The first face is the fallback of every other one. */
    if (!ap_renderer_face(r, 0)) {
        ap_renderer_failed(r, why, why_size);   /* a face that fails says why */
        ap_renderer_free(r);
        return NULL;
    }
    r->metrics = (ap_metrics){metric_advance, metric_ascent, r};
    return r;
}

void ap_renderer_free(ap_renderer *r)
{
    if (!r)
        return;
    if (r->pdf)
        HPDF_Free(r->pdf);
    for (int i = 0; i < AP_FONT_COUNT; i++) {
        free(r->width_cache[i]);
        free(r->font_paths[i]);
    }
    free(r->images);
    free(r);
}

const ap_metrics *ap_renderer_metrics(ap_renderer *r)
{
    return &r->metrics;
}

int ap_renderer_embed(ap_renderer *r, const char *path, const ap_embed_options *opt,
                      ap_embedded_image *out, char *why, size_t why_size)
{
    snprintf(r->context, sizeof r->context, "embedding a scan");
    if (!ap_image_embed(r->pdf, path, opt, out, why, why_size))
        return -1;
    if (ap_renderer_failed(r, why, why_size))
        return -1;
    if (r->n_images == r->cap_images) {
        r->cap_images = r->cap_images ? r->cap_images * 2 : 16;
        r->images = ap_xrealloc(r->images, r->cap_images * sizeof *r->images);
    }
    r->images[r->n_images] = out->image;
    return (int)r->n_images++;
}

typedef struct {
    ap_renderer *r;
    ap_save_gate next;
    void *next_ctx;
} renderer_gate;

/* Refuses a packet the library reported an error on during the save, then
 * asks the caller's gate. */
static int renderer_gate_check(void *ctx, char *why, size_t why_size)
{
    renderer_gate *g = ctx;
    if (ap_renderer_failed(g->r, why, why_size))
        return AP_EXIT_SOFTWARE;
    return g->next ? g->next(g->next_ctx, why, why_size) : AP_EXIT_OK;
}

int ap_renderer_save(ap_renderer *r, const char *out_path, uint64_t *bytes, ap_save_gate gate, void *gate_ctx,
                     char *why, size_t why_size)
{
    if (ap_renderer_failed(r, why, why_size))
        return AP_EXIT_SOFTWARE;
    for (int i = 0; i < AP_FONT_COUNT; i++) {
        if (!r->fonts[i])
            continue;
        if (!ap_glyph_closure(r->fonts[i], r->font_paths[i])) {
            snprintf(why, why_size, "font %s cannot be read — reinstall appeal-packet or pass --fonts DIR",
                     r->font_paths[i]);
            return AP_EXIT_SOFTWARE;
        }
        ap_cid_map_trim(r->fonts[i], ap_cid_set_highest(&r->drawn[i]));
        ap_cid_tounicode(r->fonts[i], &r->drawn[i]);
    }
    snprintf(r->context, sizeof r->context, "saving the PDF");
    renderer_gate g = {r, gate, gate_ctx};
    return ap_pdf_save_atomic(r->pdf, out_path, bytes, renderer_gate_check, &g, why, why_size);
}
