/* Scan probing: identify a PNG or JPEG from its header and read its declared
 * dimensions, without decoding pixels. Used by the case checker so a bad
 * scan is refused before any layout or decoding happens. */
#ifndef AP_IMAGE_PROBE_H
#define AP_IMAGE_PROBE_H

#include <stddef.h>
#include "case/case.h"

/* Documented limits (README "Limits"). */
#define AP_IMAGE_MAX_SIDE 12000u                    /* pixels, either side */
#define AP_IMAGE_MAX_PIXELS (12000ull * 12000ull)  /* width x height */
#define AP_IMAGE_MAX_BYTES (256ull * 1024 * 1024)  /* one scan file */

/* Probes an open file descriptor: fills info or writes a "what — fix" reason
 * into why and returns false. Reads only headers (PNG IHDR, JPEG markers up
 * to the frame header). */
bool ap_image_probe_fd(int fd, ap_image_info *info, char *why, size_t why_size);

#endif
