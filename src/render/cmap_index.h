/* Constant-time code point -> glyph lookups for libharu 2.3.0 TrueType
 * faces. libharu searches a format-4 cmap's segments one by one for every
 * lookup, and creating a CID font looks up all 65,536 BMP code points:
 * with DejaVu's hundreds of segments that was most of the per-document font
 * cost. The index replaces the parsed segments with one segment over a
 * 65,536-entry glyph table that libharu's own lookup reads directly, so the
 * mapping stays exactly as libharu computed it. Internal to render. */
#ifndef AP_CMAP_INDEX_H
#define AP_CMAP_INDEX_H

#include <stdbool.h>

#include <hpdf.h>

/* Rewrites a loaded face's format-4 cmap as one indexed segment; false (and
 * the face untouched) for other cmap formats or when memory runs out. */
bool ap_cmap_index(HPDF_FontDef def);

#endif
