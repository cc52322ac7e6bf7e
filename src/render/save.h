/* Atomic, checked saving of a libharu document (HPDF_SaveToFile ignores
 * write and close errors). Internal to render. */
#ifndef AP_SAVE_H
#define AP_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

/* Writes the document to a temporary file beside target through a stream
 * whose every write is checked, fsyncs it, renames it over target and
 * fsyncs the directory. Returns 0, 73 or 74; on failure removes the
 * temporary file and leaves target untouched. */
int ap_pdf_save_atomic(HPDF_Doc pdf, const char *target, uint64_t *bytes, char *why, size_t why_size);

#endif
