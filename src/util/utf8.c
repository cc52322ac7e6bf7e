/* UTF-8 decoding (see utf8.h). */
#include <string.h>

#include "util/utf8.h"

uint32_t ap_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp;
    int extra;
    if (p[0] < 0x80) {
        *s += 1;
        return p[0];
    } else if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1F; extra = 1;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0F; extra = 2;
    } else if ((p[0] & 0xF8) == 0xF0) {
        cp = p[0] & 0x07; extra = 3;
    } else {
        *s += 1;
        return 0xFFFD;
    }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += (size_t)i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s += (size_t)extra + 1;
    /* overlong forms (C0 89 would be a tab), surrogates and values past
       U+10FFFF are invalid too */
    static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0xFFFD;
    return cp;
}

bool ap_utf8_valid(const char *s)
{
    while (*s) {
        const char *at = s;
        if (ap_utf8_next(&s) == 0xFFFD && (s - at != 3 || memcmp(at, "\xEF\xBF\xBD", 3) != 0))
            return false;
    }
    return true;
}
