/* CIDToGIDMap trimming and ToUnicode maps (see cid_map.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "render/cid_map.h"
#include "util/utf8.h"
#include "util/xalloc.h"

bool ap_cid_map_trim(HPDF_Font font, uint32_t highest)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr->map_stream || !attr->map_stream->stream || highest > 0xFFFF)
        return false;
    size_t n = (size_t)highest + 1;
    HPDF_BYTE *map = ap_xmalloc(n * 2);
    for (size_t cid = 0; cid < n; cid++) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(attr->fontdef, (HPDF_UINT16)cid);
        map[cid * 2] = (HPDF_BYTE)(gid >> 8);
        map[cid * 2 + 1] = (HPDF_BYTE)gid;
    }
    HPDF_Stream s = attr->map_stream->stream;
    HPDF_MemStream_FreeData(s);
    bool ok = HPDF_Stream_Write(s, map, (HPDF_UINT)(n * 2)) == HPDF_OK;
    free(map);
    return ok;
}

void ap_cid_set_add_text(ap_cid_set *set, const char *utf8)
{
    for (const char *s = utf8; *s;) {
        uint32_t cp = ap_utf8_next(&s);
        if (cp > 0xFFFF)
            cp = ' ';   /* libharu draws code points past the BMP as spaces */
        set->bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    }
}

uint32_t ap_cid_set_highest(const ap_cid_set *set)
{
    for (size_t i = sizeof set->bits; i-- > 0;)
        if (set->bits[i])
            for (int b = 7; b >= 0; b--)
                if (set->bits[i] & (1u << b))
                    return (uint32_t)(i * 8 + (size_t)b);
    return 0;
}

static const char TOUNICODE_HEAD[] =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
static const char TOUNICODE_TAIL[] =
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\n"
    "end\n";

bool ap_cid_tounicode(HPDF_Font font, const ap_cid_set *drawn)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr->cmap_stream || !attr->cmap_stream->stream)
        return false;
    size_t n = 0;
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        n += (drawn->bits[cp >> 3] >> (cp & 7)) & 1u;
    /* bfchar sections hold at most 100 entries */
    size_t cap = sizeof TOUNICODE_HEAD + sizeof TOUNICODE_TAIL + n * 16 + (n / 100 + 1) * 32;
    char *text = ap_xmalloc(cap);
    size_t len = (size_t)snprintf(text, cap, "%s", TOUNICODE_HEAD);
    size_t in_section = 0, left = n;
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
        if (!((drawn->bits[cp >> 3] >> (cp & 7)) & 1u))
            continue;
        if (in_section == 0)
            len += (size_t)snprintf(text + len, cap - len, "%zu beginbfchar\n", left < 100 ? left : 100);
        len += (size_t)snprintf(text + len, cap - len, "<%04X> <%04X>\n", (unsigned)cp, (unsigned)cp);
        left--;
        if (++in_section == 100 || left == 0) {
            len += (size_t)snprintf(text + len, cap - len, "endbfchar\n");
            in_section = 0;
        }
    }
    len += (size_t)snprintf(text + len, cap - len, "%s", TOUNICODE_TAIL);
    HPDF_Stream s = attr->cmap_stream->stream;
    HPDF_MemStream_FreeData(s);
    bool ok = HPDF_Stream_Write(s, (HPDF_BYTE *)text, (HPDF_UINT)len) == HPDF_OK;
    free(text);
    return ok;
}
