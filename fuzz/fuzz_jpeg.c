/* Fuzz target: JPEG scans (probe, full marker walk through every scan's
 * entropy-coded data, EXIF orientation, Adobe marker, save). Inputs that
 * do not start with SOI are skipped. The EXIF reader is also run on the
 * raw input, since an APP1 payload is the part hardest to reach. */
#include "fuzz_image.h"

#include "image/embed_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 6 && memcmp(data, "Exif\0\0", 6) == 0) {
        unsigned o = ap_exif_orientation(data, size);
        if (o > 8)
            abort();
        return 0;
    }
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8)
        return 0;
    fuzz_image(data, size, "scan.jpg");
    return 0;
}
