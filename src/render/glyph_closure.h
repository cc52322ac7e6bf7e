/* Marks every nested component of every used composite glyph as used, so
 * libharu's subsetter keeps accents built from composite parts. Internal to
 * render. */
#ifndef AP_GLYPH_CLOSURE_H
#define AP_GLYPH_CLOSURE_H

#include <stdbool.h>

#include <hpdf.h>

/* Closes the used-glyph set of a loaded TrueType font over composite
 * components, reading glyph data from the font file; false if the file
 * cannot be read or parsed (the font is then left as it was). */
bool ap_glyph_closure(HPDF_Font font, const char *font_path);

#endif
