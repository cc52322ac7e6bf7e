/* Indexed cmap for libharu TrueType faces (see cmap_index.h). The glyph
 * table is filled by walking the segments once, with libharu's own rules:
 * a code point belongs to the first segment whose end is at or above it,
 * is unmapped below that segment's start, and otherwise maps by id_delta or
 * through glyph_id_array exactly as HPDF_TTFontDef_GetGlyphid does. */
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>

#include "render/cmap_index.h"

#define CODE_POINTS 65536u

/* The glyph libharu maps code point u to through segment i. */
static HPDF_UINT16 segment_glyph(const HPDF_TTF_CmapRange *m, unsigned seg_count, unsigned i, unsigned u)
{
    if (m->start_count[i] > u)
        return 0;
    if (m->id_range_offset[i] == 0)
        return (HPDF_UINT16)(u + (unsigned)m->id_delta[i]);
    long idx = (long)(m->id_range_offset[i] / 2) + (long)(u - m->start_count[i]) - (long)(seg_count - i);
    if (idx < 0 || (unsigned long)idx >= m->glyph_id_array_count)
        return 0;
    return (HPDF_UINT16)(m->glyph_id_array[idx] + (unsigned)m->id_delta[i]);
}

bool ap_cmap_index(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *m = &a->cmap;
    unsigned seg_count = m->seg_count_x2 / 2u;
    if (m->format != 4 || seg_count == 0)
        return false;
    HPDF_UINT16 *glyphs = HPDF_GetMem(def->mmgr, CODE_POINTS * sizeof *glyphs);
    HPDF_UINT16 *end = HPDF_GetMem(def->mmgr, sizeof *end);
    HPDF_UINT16 *start = HPDF_GetMem(def->mmgr, sizeof *start);
    HPDF_INT16 *delta = HPDF_GetMem(def->mmgr, sizeof *delta);
    HPDF_UINT16 *range_offset = HPDF_GetMem(def->mmgr, sizeof *range_offset);
    if (!glyphs || !end || !start || !delta || !range_offset) {
        void *got[] = {glyphs, end, start, delta, range_offset};
        for (size_t k = 0; k < sizeof got / sizeof got[0]; k++)
            if (got[k])
                HPDF_FreeMem(def->mmgr, got[k]);
        return false;
    }

    unsigned next = 0;   /* lowest code point no earlier segment covers */
    for (unsigned i = 0; i < seg_count && next < CODE_POINTS; i++) {
        unsigned last = m->end_count[i];
        for (; next <= last; next++)
            glyphs[next] = segment_glyph(m, seg_count, i, next);
    }
    for (; next < CODE_POINTS; next++)
        glyphs[next] = 0;

    /* One segment [0, 0xFFFF]: GetGlyphid computes its index as
     * range_offset / 2 + u - 1, so range_offset 2 reads glyphs[u]. */
    *end = 0xFFFF;
    *start = 0;
    *delta = 0;
    *range_offset = 2;
    HPDF_FreeMem(def->mmgr, m->end_count);
    HPDF_FreeMem(def->mmgr, m->start_count);
    HPDF_FreeMem(def->mmgr, m->id_delta);
    HPDF_FreeMem(def->mmgr, m->id_range_offset);
    if (m->glyph_id_array)
        HPDF_FreeMem(def->mmgr, m->glyph_id_array);
    m->end_count = end;
    m->start_count = start;
    m->id_delta = delta;
    m->id_range_offset = range_offset;
    m->glyph_id_array = glyphs;
    m->glyph_id_array_count = CODE_POINTS;
    m->seg_count_x2 = 2;
    return true;
}
