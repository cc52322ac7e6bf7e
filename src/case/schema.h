/* The RELAX NG schema for case files, compiled into the program from
 * schema/case.rng so a build never depends on files beside the binary. */
#ifndef AP_CASE_SCHEMA_H
#define AP_CASE_SCHEMA_H

#include <stddef.h>

extern const unsigned char ap_case_schema_rng[];
extern const size_t ap_case_schema_rng_len;

#endif
