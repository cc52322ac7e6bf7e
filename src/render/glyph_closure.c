/* Composite-glyph closure for libharu's font subsetter. libharu 2.3.0 keeps
 * the outlines of used glyphs and of their direct components only; a glyph
 * built from a component that is itself composite (Vietnamese ễ, ố, ậ ... in
 * DejaVu) loses its accents on paper. Before saving, every component of
 * every used glyph, at any depth, is marked as used. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hpdf_font.h>
#include <hpdf_fontdef.h>

#include "render/glyph_closure.h"
#include "util/xalloc.h"

#define MAX_FONT_BYTES (16u * 1024u * 1024u)
#define MAX_DEPTH 8

typedef struct {
    unsigned char *data;
    size_t size;
    size_t glyf, loca;       /* table offsets */
    size_t glyf_len, loca_len;
    int long_loca;
    unsigned n_glyphs;
} ttf;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long u32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static bool read_file(const char *path, ttf *t)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct stat st;
    bool ok = fstat(fileno(f), &st) == 0 && st.st_size > 0 && (uintmax_t)st.st_size <= MAX_FONT_BYTES;
    if (ok) {
        t->data = ap_xmalloc((size_t)st.st_size);
        t->size = fread(t->data, 1, (size_t)st.st_size, f);
        ok = !ferror(f) && t->size == (size_t)st.st_size;
    }
    fclose(f);
    return ok;
}

/* Finds the head, loca and glyf tables; false for anything malformed. */
static bool parse_tables(ttf *t)
{
    if (t->size < 12)
        return false;
    unsigned n = u16(t->data + 4);
    if (12 + (size_t)n * 16 > t->size)
        return false;
    size_t head = 0;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = t->data + 12 + (size_t)i * 16;
        size_t off = u32(rec + 8), len = u32(rec + 12);
        if (off > t->size || len > t->size - off)
            return false;
        if (!memcmp(rec, "head", 4) && len >= 54)
            head = off;
        else if (!memcmp(rec, "loca", 4)) {
            t->loca = off;
            t->loca_len = len;
        } else if (!memcmp(rec, "glyf", 4)) {
            t->glyf = off;
            t->glyf_len = len;
        }
    }
    if (!head || !t->loca || !t->glyf)
        return false;
    t->long_loca = u16(t->data + head + 50) != 0;
    t->n_glyphs = (unsigned)(t->loca_len / (t->long_loca ? 4 : 2));
    if (t->n_glyphs)
        t->n_glyphs--;
    return true;
}

/* The byte range of a glyph inside glyf, or false when empty or bad. */
static bool glyph_range(const ttf *t, unsigned gid, size_t *start, size_t *end)
{
    if (gid >= t->n_glyphs)
        return false;
    const unsigned char *l = t->data + t->loca;
    size_t a = t->long_loca ? u32(l + gid * 4) : u16(l + gid * 2) * 2u;
    size_t b = t->long_loca ? u32(l + gid * 4 + 4) : u16(l + gid * 2 + 2) * 2u;
    if (b <= a || b > t->glyf_len)
        return false;
    *start = t->glyf + a;
    *end = t->glyf + b;
    return true;
}

static void mark_components(const ttf *t, unsigned gid, HPDF_BYTE *used, unsigned n_used, int depth)
{
    size_t p, end;
    if (depth > MAX_DEPTH || !glyph_range(t, gid, &p, &end) || end - p < 10)
        return;
    if ((int16_t)u16(t->data + p) >= 0)
        return;   /* a simple glyph */
    p += 10;
    for (;;) {
        if (end - p < 4)
            return;
        unsigned flags = u16(t->data + p), component = u16(t->data + p + 2);
        p += 4;
        p += (flags & 0x0001) ? 4 : 2;                   /* ARG_1_AND_2_ARE_WORDS */
        if (flags & 0x0008) p += 2;                      /* WE_HAVE_A_SCALE */
        else if (flags & 0x0040) p += 4;                 /* WE_HAVE_AN_X_AND_Y_SCALE */
        else if (flags & 0x0080) p += 8;                 /* WE_HAVE_A_TWO_BY_TWO */
        if (component < n_used) {
            used[component] = 1;
            mark_components(t, component, used, n_used, depth + 1);
        }
        if (!(flags & 0x0020) || p > end)                /* MORE_COMPONENTS */
            return;
    }
}

bool ap_glyph_closure(HPDF_Font font, const char *font_path)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_TTFontDefAttr def = (HPDF_TTFontDefAttr)attr->fontdef->attr;
    if (!def || !def->glyph_tbl.flgs)
        return false;
    ttf t = {0};
    bool ok = read_file(font_path, &t) && parse_tables(&t);
    if (ok) {
        unsigned n = def->num_glyphs;
        for (unsigned gid = 0; gid < n; gid++)
            if (def->glyph_tbl.flgs[gid] == 1)
                mark_components(&t, gid, def->glyph_tbl.flgs, n, 0);
    }
    free(t.data);
    return ok;
}
