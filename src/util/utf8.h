/* UTF-8 decoding, shared by layout, compose, render and the readers of
 * templates and rules. */
#ifndef AP_UTF8_H
#define AP_UTF8_H

#include <stdbool.h>
#include <stdint.h>

/* Decodes one UTF-8 code point at *s, advancing it; invalid bytes give U+FFFD. */
uint32_t ap_utf8_next(const char **s);
/* True when s is well-formed UTF-8: no stray or missing continuation byte,
 * overlong form, surrogate or value past U+10FFFF. */
bool ap_utf8_valid(const char *s);

#endif
