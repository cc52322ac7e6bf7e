/* Trimming the CIDToGIDMap libharu 2.3.0 writes for a UTF-8 CID font. The
 * map holds two bytes for each of the 65,536 BMP code points (128 KiB per
 * face, deflated at every save) although a packet draws only code points up
 * to about U+2022. CIDs are code points here, so a map ending at the
 * highest code point drawn with the face maps every CID the packet uses.
 * Internal to render. */
#ifndef AP_CID_MAP_H
#define AP_CID_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include <hpdf.h>

/* Rewrites the font's CIDToGIDMap to cover CIDs 0..highest only, from the
 * face's own code point -> glyph mapping; false (map untouched) when the
 * font has no map stream. */
bool ap_cid_map_trim(HPDF_Font font, uint32_t highest);

#endif
