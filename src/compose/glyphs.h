/* Characters the bundled fonts cannot print: found in the case's text
 * before layout and reported as warnings naming the element and its line,
 * never dropped silently. */
#ifndef AP_GLYPHS_H
#define AP_GLYPHS_H

#include <stdbool.h>
#include <stdint.h>

#include "case/case.h"
#include "util/diag.h"

/* Answers whether every face used for case text can print a code point. */
typedef bool (*ap_glyph_test)(void *ctx, uint32_t cp);

/* Warns once per element about each code point the fonts lack. */
void ap_check_glyphs(const ap_case *c, ap_glyph_test printable, void *ctx, ap_diags *diags);

#endif
