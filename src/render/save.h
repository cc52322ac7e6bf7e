/* Atomic, checked saving of a libharu document (HPDF_SaveToFile ignores
 * write and close errors). Internal to render. */
#ifndef AP_SAVE_H
#define AP_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

/* The last word before a written packet is put in place: 0 to go ahead,
 * or an exit code to drop it, with a reason in why (or why left empty when
 * the gate reported the reason itself). */
typedef int (*ap_save_gate)(void *ctx, char *why, size_t why_size);

/* Writes the document to a temporary file beside target through a stream
 * whose every write is checked, fsyncs it, asks the gate (when not NULL),
 * renames it over target and fsyncs the directory. Returns 0, 73, 74 or
 * the gate's code; on failure removes the temporary file and leaves target
 * untouched. */
int ap_pdf_save_atomic(HPDF_Doc pdf, const char *target, uint64_t *bytes, ap_save_gate gate, void *gate_ctx,
                       char *why, size_t why_size);

#endif
