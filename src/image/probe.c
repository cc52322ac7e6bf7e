/* Scan probing: PNG IHDR / JPEG frame header, declared size against limits
 * and against the file's length, and a check that the file is not cut
 * short (PNG ends with IEND, JPEG with EOI). Decodes nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/probe.h"
#include "util/fdio.h"

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool fail(char *why, size_t size, const char *msg)
{
    snprintf(why, size, "%s", msg);
    return false;
}

static bool sides_ok(uint32_t w, uint32_t h, char *why, size_t size)
{
    if (w == 0 || h == 0)
        return fail(why, size, "the image declares zero width or height — rescan the page");
    if (w > AP_IMAGE_MAX_SIDE || h > AP_IMAGE_MAX_SIDE || (uint64_t)w * h > AP_IMAGE_MAX_PIXELS) {
        snprintf(why, size, "the image declares %u x %u pixels, over the limit of %u x %u — rescan at 300 dpi or less",
                 w, h, AP_IMAGE_MAX_SIDE, AP_IMAGE_MAX_SIDE);
        return false;
    }
    return true;
}

static bool probe_png(int fd, uint64_t size, ap_image_info *info, char *why, size_t ws)
{
    unsigned char h[33];
    if (size < 8 + 25 + 12 || !ap_pread_full(fd, h, sizeof h, 0))
        return fail(why, ws, "the PNG file is truncated before its header ends — rescan or re-export the page");
    if (be32(h + 8) != 13 || memcmp(h + 12, "IHDR", 4) != 0)
        return fail(why, ws, "the PNG file does not start with an IHDR chunk (corrupt) — re-export the scan");
    uint32_t w = be32(h + 16), ht = be32(h + 20);
    unsigned depth = h[24], color = h[25], comp = h[26], filter = h[27], interlace = h[28];
    bool depth_ok;
    switch (color) {
    case 0: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
    case 3: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
    case 2: case 4: case 6: depth_ok = depth == 8 || depth == 16; break;
    default: depth_ok = false;
    }
    if (!depth_ok || comp != 0 || filter != 0 || interlace > 1)
        return fail(why, ws, "the PNG header declares an impossible colour type, bit depth or method (corrupt) — re-export the scan");
    if (!sides_ok(w, ht, why, ws))
        return false;
    /* deflate cannot compress better than about 1032:1 */
    static const unsigned channels[7] = {1, 0, 3, 1, 2, 0, 4};
    uint64_t row = ((uint64_t)w * channels[color] * depth + 7) / 8 + 1;
    uint64_t raw = row * ht;
    if (raw / 1032 > size) {
        snprintf(why, ws, "the PNG declares %u x %u pixels, which cannot fit in a %llu-byte file (truncated or forged header) — re-export the scan",
                 w, ht, (unsigned long long)size);
        return false;
    }
    unsigned char tail[12];
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    if (!ap_pread_full(fd, tail, sizeof tail, (uint64_t)(size - 12)) || memcmp(tail, iend, 12) != 0)
        return fail(why, ws, "the PNG file does not end with an IEND chunk (truncated or has trailing data) — re-export the scan");
    info->format = AP_IMAGE_PNG;
    info->width = w;
    info->height = ht;
    return true;
}

static bool probe_jpeg(int fd, uint64_t size, ap_image_info *info, char *why, size_t ws)
{
    off_t pos = 2;
    unsigned char m[4];
    for (int segments = 0; segments < 4096; segments++) {
        if ((uint64_t)pos + 4 > size || !ap_pread_full(fd, m, 4, pos))
            return fail(why, ws, "the JPEG file ends before its frame header — rescan or re-export the page");
        if (m[0] != 0xFF)
            return fail(why, ws, "the JPEG file has a broken marker structure (corrupt) — re-export the scan");
        unsigned marker = m[1];
        if (marker == 0xFF) { /* fill byte */
            pos += 1;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return fail(why, ws, "the JPEG file has no frame header before its image data (corrupt) — re-export the scan");
        unsigned len = (unsigned)m[2] << 8 | m[3];
        if (len < 2)
            return fail(why, ws, "the JPEG file has a segment with an impossible length (corrupt) — re-export the scan");
        bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            unsigned char f[6];
            if (len < 8 || !ap_pread_full(fd, f, 6, pos + 4))
                return fail(why, ws, "the JPEG frame header is truncated — re-export the scan");
            if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2)
                return fail(why, ws, "the JPEG uses a lossless, hierarchical or arithmetic-coded mode that PDF readers do not display — save it as a baseline or progressive JPEG");
            uint32_t ht = (uint32_t)f[1] << 8 | f[2], w = (uint32_t)f[3] << 8 | f[4];
            unsigned comps = f[5];
            if (f[0] != 8)
                return fail(why, ws, "the JPEG is not 8 bits per sample — save it as an ordinary 8-bit JPEG");
            if (comps != 1 && comps != 3 && comps != 4)
                return fail(why, ws, "the JPEG has an unusual number of colour components — save it as grayscale, RGB or CMYK");
            if (!sides_ok(w, ht, why, ws))
                return false;
            /* every 8x8 block of every component costs at least a few bits */
            uint64_t blocks = ((uint64_t)w + 7) / 8 * (((uint64_t)ht + 7) / 8) * comps;
            if (blocks / 16 > size) {
                snprintf(why, ws, "the JPEG declares %u x %u pixels, which cannot fit in a %llu-byte file (truncated or forged header) — re-export the scan",
                         w, ht, (unsigned long long)size);
                return false;
            }
            /* allow a little padding after EOI, as some scanners write */
            bool eoi = false;
            unsigned char end[64];
            size_t n = size < sizeof end ? (size_t)size : sizeof end;
            if (ap_pread_full(fd, end, n, (uint64_t)(size - n)))
                for (size_t i = n - 1; i > 0; i--) {
                    if (end[i - 1] == 0xFF && end[i] == 0xD9) {
                        eoi = true;
                        break;
                    }
                    if (end[i] != 0x00 && end[i] != 0xFF && end[i] != 0x0A && end[i] != 0x0D)
                        break;
                }
            if (!eoi)
                return fail(why, ws, "the JPEG file does not end with an end-of-image marker (truncated) — rescan or re-export the page");
            info->format = AP_IMAGE_JPEG;
            info->width = w;
            info->height = ht;
            return true;
        }
        pos += 2 + (off_t)len;
    }
    return fail(why, ws, "the JPEG file has too many segments before its frame header (corrupt) — re-export the scan");
}

bool ap_image_probe_fd(int fd, ap_image_info *info, char *why, size_t why_size)
{
    struct stat st;
    memset(info, 0, sizeof *info);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return fail(why, why_size, "not a regular file — point src at a PNG or JPEG scan");
    uint64_t size = (uint64_t)st.st_size;
    info->file_size = size;
    if (size == 0)
        return fail(why, why_size, "the file is empty — rescan the page");
    if (size > AP_IMAGE_MAX_BYTES) {
        snprintf(why, why_size, "the file is %llu bytes, over the %llu MiB limit for one scan — rescan at 300 dpi or compress it",
                 (unsigned long long)size, AP_IMAGE_MAX_BYTES / (1024 * 1024));
        return false;
    }
    unsigned char head[8] = {0};
    if (!ap_pread_full(fd, head, size < 8 ? (size_t)size : 8, 0))
        return fail(why, why_size, "the file cannot be read — check the disk and its permissions");
    if (size >= 8 && memcmp(head, png_sig, 8) == 0)
        return probe_png(fd, size, info, why, why_size);
    if (size >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        return probe_jpeg(fd, size, info, why, why_size);
    return fail(why, why_size, "the file is neither a PNG nor a JPEG (its first bytes are no image signature) — export the scan as PNG or JPEG");
}
