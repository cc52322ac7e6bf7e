/* The scan path shared by fuzz_png and fuzz_jpeg: the input becomes a scan
 * file, which is probed (as `check` does), embedded into a fresh libharu
 * document (as `build` does: chunk or marker walk, CRCs, inflate check or
 * libpng decode) and, when embedding succeeds, saved to memory so the lazy
 * file stream is read back and its CRCs compared. */
#ifndef AP_FUZZ_IMAGE_H
#define AP_FUZZ_IMAGE_H

#include "fuzz_common.h"

#include <hpdf.h>

#include "image/embed.h"
#include "image/probe.h"

static inline void fuzz_image(const uint8_t *data, size_t size, const char *name)
{
    const char *path = fuzz_path(name);
    fuzz_write(path, data, size);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        abort();
    ap_image_info info;
    char why[512];
    bool probed = ap_image_probe_fd(fd, &info, why, sizeof why);
    close(fd);
    if (!probed && !why[0])
        abort(); /* a refusal always says why */

    HPDF_Doc doc = HPDF_New(NULL, NULL);
    if (!doc)
        return;
    ap_embed_options opt = {.verify = true};
    ap_embedded_image img;
    why[0] = '\0';
    bool ok = ap_image_embed(doc, path, &opt, &img, why, sizeof why);
    if (ok && !probed)
        abort(); /* build may never take what check refuses */
    if (!ok && !why[0])
        abort();
    if (ok) {
        if (!img.image || img.width != info.width || img.height != info.height)
            abort();
        HPDF_Page page = HPDF_AddPage(doc);
        if (page)
            HPDF_Page_DrawImage(page, img.image, 0, 0, 100, 100);
        HPDF_SaveToStream(doc);
    }
    HPDF_Free(doc);
}

#endif
