/* Fuzz target: PNG scans (probe, chunk walk and CRCs, IDAT pass-through
 * with the inflate check, libpng decode and re-encode, save). Inputs that
 * do not start with the PNG signature are skipped: fuzz_jpeg and the
 * probe's own tests cover the other signatures. */
#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size < 8 || memcmp(data, sig, 8) != 0)
        return 0;
    fuzz_image(data, size, "scan.png");
    return 0;
}
