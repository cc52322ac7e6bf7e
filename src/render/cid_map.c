/* CIDToGIDMap trimming (see cid_map.h). */
#include <stdlib.h>

#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "render/cid_map.h"
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
