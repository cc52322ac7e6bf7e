/* The two code maps of a UTF-8 CID font from libharu 2.3.0, where CIDs are
 * BMP code points. Its CIDToGIDMap holds two bytes for each of the 65,536
 * code points (128 KiB per face, deflated at every save) although a packet
 * draws only code points up to about U+2022: a map ending at the highest
 * code point drawn with the face maps every CID the packet uses. Its
 * ToUnicode stream is a copy of the encoding CMap (a cidrange, which
 * readers reject: poppler warns on every page); the proper one maps each
 * CID drawn to the same code point. Internal to render. */
#ifndef AP_CID_MAP_H
#define AP_CID_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include <hpdf.h>

/* The set of CIDs drawn with a font. */
typedef struct {
    uint8_t bits[65536 / 8];
} ap_cid_set;

/* Adds the CIDs libharu draws for UTF-8 text (valid UTF-8: the case file
 * is checked by libxml2, templates and rules when they are read): each BMP
 * code point itself, a space for one past U+FFFF. */
void ap_cid_set_add_text(ap_cid_set *set, const char *utf8);
/* The highest CID in the set (0 when empty). */
uint32_t ap_cid_set_highest(const ap_cid_set *set);

/* Rewrites the font's CIDToGIDMap to cover CIDs 0..highest only, from the
 * face's own code point -> glyph mapping; false (map untouched) when the
 * font has no map stream. */
bool ap_cid_map_trim(HPDF_Font font, uint32_t highest);

/* Replaces the font's ToUnicode stream by one mapping each CID of the set
 * to the same code point; false (stream untouched) when the font has none. */
bool ap_cid_tounicode(HPDF_Font font, const ap_cid_set *drawn);

#endif
