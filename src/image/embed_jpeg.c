/* JPEG scans: a full marker walk (SOI, segments, one 8-bit baseline,
 * extended or progressive frame, every scan's entropy-coded data up to EOI)
 * so that a truncated or damaged file is refused here rather than shown as a
 * broken page. The EXIF orientation is read from APP1 and the Adobe APP14
 * marker decides how CMYK is inverted. The bytes then pass through as
 * /DCTDecode, read from the file at save time. */
#include <stdlib.h>
#include <string.h>

#include "image/embed_private.h"
#include "image/probe.h"

#define JPEG_MAX_SEGMENTS 65536u

typedef struct {
    uint32_t width, height;
    unsigned components;
    bool have_frame, adobe;
    unsigned orientation;
    unsigned scans;
    uint64_t end;            /* offset just past EOI */
} jpeg_layout;

static unsigned rd16(const unsigned char *p, bool le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, bool le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

unsigned ap_exif_orientation(const unsigned char *p, size_t n)
{
    if (n < 6 + 8 || memcmp(p, "Exif\0\0", 6) != 0)
        return 0;
    const unsigned char *t = p + 6;
    size_t tn = n - 6;
    bool le;
    if (t[0] == 'I' && t[1] == 'I')
        le = true;
    else if (t[0] == 'M' && t[1] == 'M')
        le = false;
    else
        return 0;
    if (rd16(t + 2, le) != 42)
        return 0;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd < 8 || ifd > tn - 2)
        return 0;
    unsigned count = rd16(t + ifd, le);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)12 * i;
        if (e + 12 > tn)
            break;
        if (rd16(t + e, le) != 0x0112)
            continue;
        unsigned type = rd16(t + e + 2, le), v = rd16(t + e + 8, le);
        if (type != 3 || rd32(t + e + 4, le) < 1 || v < 1 || v > 8)
            return 0;
        return v;
    }
    return 0;
}

void ap_exif_orientation_apply(unsigned orientation, int *rotate, bool *mirror)
{
    /* EXIF 1..8 as "mirror horizontally first, then turn clockwise". */
    static const int turn[9] = {0, 0, 0, 180, 180, 270, 90, 90, 270};
    static const bool flip[9] = {false, false, true, false, true, true, false, true, false};
    unsigned o = orientation <= 8 ? orientation : 0;
    *rotate = turn[o];
    *mirror = flip[o];
}

static bool jpeg_truncated(const ap_reader *r, char *why, size_t ws)
{
    if (r->io_error)
        return ap_embed_fail(why, ws, "the JPEG file cannot be read (disk or network error) — check the disk and try again");
    return ap_embed_fail(why, ws, "the JPEG file is truncated before its end-of-image marker — rescan or re-export the page");
}

static bool broken_markers(char *why, size_t ws)
{
    return ap_embed_fail(why, ws, "the JPEG file has a broken marker structure (corrupt) — re-export the scan");
}

/* Advances past the next 0xFF byte; false at end of file. */
static bool skip_to_ff(ap_reader *r)
{
    for (;;) {
        if (r->at == r->have) {
            int c = ap_reader_byte(r);
            if (c < 0)
                return false;
            if (c == 0xFF)
                return true;
            continue;
        }
        const unsigned char *base = r->buf + r->at;
        const unsigned char *p = memchr(base, 0xFF, r->have - r->at);
        size_t k = p ? (size_t)(p - base) + 1 : r->have - r->at;
        r->at += k;
        r->pos += k;
        if (p)
            return true;
    }
}

/* Skips entropy-coded data (stuffed bytes, restart markers) and returns the
 * marker that ends it, or -1 at end of file. */
static int skip_scan_data(ap_reader *r)
{
    for (;;) {
        if (!skip_to_ff(r))
            return -1;
        int c;
        do
            c = ap_reader_byte(r);
        while (c == 0xFF);
        if (c < 0)
            return -1;
        if (c != 0x00 && !(c >= 0xD0 && c <= 0xD7))
            return c;
    }
}

static bool is_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static bool parse_sof(unsigned marker, const unsigned char *p, unsigned len, jpeg_layout *J,
                      char *why, size_t ws)
{
    if (J->have_frame)
        return ap_embed_fail(why, ws, "the JPEG file has more than one frame header (corrupt or multi-image) — re-export the scan");
    if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2)
        return ap_embed_fail(why, ws, "the JPEG uses a lossless, hierarchical or arithmetic-coded mode that PDF readers do not display — save it as a baseline or progressive JPEG");
    if (len < 6)
        return ap_embed_fail(why, ws, "the JPEG frame header is truncated — re-export the scan");
    if (p[0] != 8)
        return ap_embed_fail(why, ws, "the JPEG is not 8 bits per sample — save it as an ordinary 8-bit JPEG");
    J->height = (uint32_t)p[1] << 8 | p[2];
    J->width = (uint32_t)p[3] << 8 | p[4];
    J->components = p[5];
    if (J->components != 1 && J->components != 3 && J->components != 4)
        return ap_embed_fail(why, ws, "the JPEG has an unusual number of colour components — save it as grayscale, RGB or CMYK");
    if (len != 6 + 3 * J->components)
        return ap_embed_fail(why, ws, "the JPEG frame header is damaged (wrong length) — re-export the scan");
    if (J->width == 0 || J->height == 0 || J->width > AP_IMAGE_MAX_SIDE || J->height > AP_IMAGE_MAX_SIDE
        || (uint64_t)J->width * J->height > AP_IMAGE_MAX_PIXELS)
        return ap_embed_fail(why, ws, "the JPEG declares %u x %u pixels, outside 1 to %u on a side — rescan at 300 dpi or less",
                             J->width, J->height, AP_IMAGE_MAX_SIDE);
    J->have_frame = true;
    return true;
}

static bool parse_sos(const unsigned char *p, unsigned len, const jpeg_layout *J, char *why, size_t ws)
{
    if (!J->have_frame)
        return ap_embed_fail(why, ws, "the JPEG file has image data before its frame header (corrupt) — re-export the scan");
    if (len < 1 || p[0] < 1 || p[0] > 4 || len != 4u + 2u * p[0])
        return ap_embed_fail(why, ws, "the JPEG scan header is damaged — re-export the scan");
    return true;
}

/* Reads one marker segment's payload and applies it to the layout. */
static bool take_segment(ap_reader *r, unsigned marker, unsigned char *seg, jpeg_layout *J,
                         char *why, size_t ws)
{
    unsigned char lb[2];
    if (!ap_reader_read(r, lb, 2))
        return jpeg_truncated(r, why, ws);
    unsigned len = (unsigned)lb[0] << 8 | lb[1];
    if (len < 2)
        return ap_embed_fail(why, ws, "the JPEG file has a segment with an impossible length (corrupt) — re-export the scan");
    len -= 2;
    bool wanted = is_sof(marker) || marker == 0xDA || marker == 0xE1 || marker == 0xEE;
    if (!wanted) {
        uint32_t dummy = 0;
        return ap_reader_crc(r, len, &dummy) || jpeg_truncated(r, why, ws);
    }
    if (!ap_reader_read(r, seg, len))
        return jpeg_truncated(r, why, ws);
    if (is_sof(marker))
        return parse_sof(marker, seg, len, J, why, ws);
    if (marker == 0xDA)
        return parse_sos(seg, len, J, why, ws);
    if (marker == 0xE1 && J->orientation == 0)
        J->orientation = ap_exif_orientation(seg, len);
    if (marker == 0xEE && len >= 12 && memcmp(seg, "Adobe", 5) == 0)
        J->adobe = true;
    return true;
}

/* Only padding may follow EOI (as some scanners write). */
static bool only_padding_left(ap_reader *r)
{
    int c;
    while ((c = ap_reader_byte(r)) >= 0)
        if (c != 0x00 && c != 0xFF && c != '\r' && c != '\n')
            return false;
    return !r->io_error;
}

/* Reads the marker after 0xFF (skipping fill bytes); -1 at end of file. */
static int read_marker(ap_reader *r)
{
    int c = ap_reader_byte(r);
    if (c != 0xFF)
        return c < 0 ? -1 : -2;
    do
        c = ap_reader_byte(r);
    while (c == 0xFF);
    return c;
}

static bool walk_markers(ap_reader *r, unsigned char *seg, jpeg_layout *J, char *why, size_t ws)
{
    unsigned char soi[2];
    if (!ap_reader_read(r, soi, 2) || soi[0] != 0xFF || soi[1] != 0xD8)
        return ap_embed_fail(why, ws, "the file is not a JPEG (no start-of-image marker) — export the scan as PNG or JPEG");
    int marker = read_marker(r);
    for (unsigned n = 0; n < JPEG_MAX_SEGMENTS; n++) {
        if (marker == -1)
            return jpeg_truncated(r, why, ws);
        if (marker < 0 || marker == 0x00 || marker == 0xD8)
            return broken_markers(why, ws);
        if (marker == 0xD9) {
            if (J->scans == 0)
                return ap_embed_fail(why, ws, "the JPEG file ends before any image data (corrupt) — re-export the scan");
            J->end = r->pos;
            if (!only_padding_left(r))
                return r->io_error ? jpeg_truncated(r, why, ws)
                                   : ap_embed_fail(why, ws, "the JPEG file has data after its end-of-image marker (damaged or not a plain JPEG) — re-export the scan");
            return true;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            marker = read_marker(r);
            continue;
        }
        if (!take_segment(r, (unsigned)marker, seg, J, why, ws))
            return false;
        if (marker == 0xDA) {
            J->scans++;
            marker = skip_scan_data(r);
        } else {
            marker = read_marker(r);
        }
    }
    return ap_embed_fail(why, ws, "the JPEG file has too many segments (corrupt) — re-export the scan");
}

/* CRC-32 of the first n bytes of the file. */
static bool file_crc(int fd, uint64_t size, uint64_t n, uint32_t *crc)
{
    ap_reader r;
    if (!ap_reader_open(&r, fd, size, 0))
        return false;
    *crc = 0;
    bool ok = ap_reader_crc(&r, n, crc);
    ap_reader_close(&r);
    return ok;
}

bool ap_embed_jpeg(HPDF_Doc doc, int fd, const char *path, uint64_t size,
                   ap_embedded_image *out, char *why, size_t why_size)
{
    jpeg_layout J;
    memset(&J, 0, sizeof J);
    ap_reader r;
    unsigned char *seg = malloc(65536);
    if (!seg || !ap_reader_open(&r, fd, size, 0)) {
        free(seg);
        return ap_embed_fail(why, why_size, "out of memory while reading the JPEG — close other programs and try again");
    }
    bool ok = walk_markers(&r, seg, &J, why, why_size);
    ap_reader_close(&r);
    free(seg);
    if (!ok)
        return false;
    ap_span_list spans;
    memset(&spans, 0, sizeof spans);
    uint32_t crc;
    if (!file_crc(fd, size, J.end, &crc))
        return ap_embed_fail(why, why_size, "the JPEG file cannot be read (disk or network error) — check the disk and try again");
    spans.path = ap_path_for_save(path);
    if (!spans.path || !ap_span_list_add(&spans, 0, (uint32_t)J.end, crc)) {
        ap_span_list_free(&spans);
        return ap_embed_fail(why, why_size, "out of memory while embedding the JPEG — close other programs and try again");
    }
    ap_xobject_desc d = {
        .width = J.width, .height = J.height, .bits = 8, .colors = J.components,
        .dct = true, .cmyk_inverted = J.components == 4 && J.adobe,
    };
    HPDF_Image img = ap_embed_xobject(doc, &d, ap_stream_from_file(doc, &spans));
    if (!img)
        return ap_embed_fail(why, why_size, "the PDF library could not take the JPEG (out of memory) — close other programs and try again");
    out->image = img;
    out->width = J.width;
    out->height = J.height;
    ap_exif_orientation_apply(J.orientation, &out->orientation_rotate, &out->orientation_mirror);
    return true;
}
