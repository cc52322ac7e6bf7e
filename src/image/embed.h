/* Scan embedding: turn a PNG or JPEG file into a libharu image XObject
 * without ever handing an unchecked file to libharu's own loaders (which
 * abort on corrupt PNGs). PNGs that PDF can take as they are (IDAT
 * pass-through with a PNG predictor) are streamed from the file at save
 * time; others are decoded once with libpng under setjmp and re-encoded;
 * JPEGs pass through as DCT data after a marker walk. */
#ifndef AP_IMAGE_EMBED_H
#define AP_IMAGE_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

typedef struct {
    bool verify;   /* inflate passed-through PNG data once to check it (default on; --fast-images turns it off) */
    bool defer;    /* with verify: hand that check back in out->check instead of running it now */
} ap_embed_options;

/* A scan's data check, deferred so it can run beside the rest of the build
 * (image/check_queue.h). */
typedef struct ap_image_check ap_image_check;

typedef struct {
    HPDF_Image image;   /* owned by the document */
    uint32_t width, height; /* pixel size as stored in the XObject */
    int orientation_rotate; /* extra clockwise rotation (0/90/180/270) from EXIF orientation */
    bool orientation_mirror; /* EXIF orientation asks for a horizontal mirror (before rotation) */
    ap_image_check *check;   /* with opt->defer: the check still to run, or NULL; the caller owns it */
} ap_embedded_image;

/* Embeds the scan at path into doc. On failure returns false and writes a
 * "what — fix" reason (naming the defect, not the patient) into why. */
bool ap_image_embed(HPDF_Doc doc, const char *path, const ap_embed_options *opt,
                    ap_embedded_image *out, char *why, size_t why_size);

/* Frees a deferred check (NULL is fine). */
void ap_image_check_free(ap_image_check *c);

#endif
