/* Minimal JSON output helpers (strings escaped per RFC 8259). */
#ifndef AP_JSON_H
#define AP_JSON_H

#include <stdio.h>

/* Writes s as a quoted JSON string (NULL is written as null). */
void ap_json_string(FILE *out, const char *s);

#endif
