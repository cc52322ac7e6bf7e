/* PNG scans. Every chunk's CRC is checked first. Non-interlaced gray
 * (1-8 bit), RGB8 and palette PNGs without transparency pass through: their
 * IDAT payloads become the XObject's /FlateDecode data with a PNG predictor,
 * read from the file at save time (optionally inflated once now to prove the
 * data is complete: with libdeflate in one piece, or with zlib in blocks for
 * very large images). All other PNGs are decoded with libpng under setjmp,
 * flattened onto white, and deflated again row by row with the Up filter. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <png.h>
#include <zlib.h>

#include "image/embed_private.h"
#include "image/probe.h"

#define PNG_MAX_CHUNKS (1u << 20)      /* chunks of any kind in one file */
#define PNG_MAX_IDAT_CHUNKS (1u << 18) /* IDAT runs remembered for save time */
#define PNG_CHUNK_MALLOC_MAX (8u << 20) /* libpng: largest ancillary chunk */

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

typedef struct {
    uint32_t width, height;
    unsigned depth, color, interlace;
    bool has_plte, has_trns;
    bool seen_idat, prev_idat;  /* walk state: IDAT must form one run */
    unsigned char palette[768];
    unsigned palette_entries;
    ap_span_list idat;
} png_layout;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool is_chunk_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned channels_of(unsigned color)
{
    static const unsigned ch[7] = {1, 0, 3, 1, 2, 0, 4};
    return color < 7 ? ch[color] : 0;
}

static uint64_t png_row_bytes(uint32_t width, unsigned color, unsigned depth)
{
    return ((uint64_t)width * channels_of(color) * depth + 7) / 8;
}

static bool truncated(const ap_reader *r, char *why, size_t ws)
{
    if (r->io_error)
        return ap_embed_fail(why, ws, "the PNG file cannot be read (disk or network error) — check the disk and try again");
    return ap_embed_fail(why, ws, "the PNG file is truncated inside a chunk — rescan or re-export the page");
}

/* ---- chunk walk ----------------------------------------------------------- */

static bool parse_ihdr(const unsigned char *p, uint32_t len, png_layout *L, char *why, size_t ws)
{
    if (len != 13)
        return ap_embed_fail(why, ws, "the PNG header chunk has the wrong length (corrupt) — re-export the scan");
    L->width = be32(p);
    L->height = be32(p + 4);
    L->depth = p[8];
    L->color = p[9];
    L->interlace = p[12];
    unsigned d = L->depth;
    bool depth_ok;
    switch (L->color) {
    case 0: depth_ok = d == 1 || d == 2 || d == 4 || d == 8 || d == 16; break;
    case 3: depth_ok = d == 1 || d == 2 || d == 4 || d == 8; break;
    case 2: case 4: case 6: depth_ok = d == 8 || d == 16; break;
    default: depth_ok = false;
    }
    if (!depth_ok || p[10] != 0 || p[11] != 0 || L->interlace > 1)
        return ap_embed_fail(why, ws, "the PNG header declares an impossible colour type, bit depth or method (corrupt) — re-export the scan");
    if (L->width == 0 || L->height == 0 || L->width > AP_IMAGE_MAX_SIDE || L->height > AP_IMAGE_MAX_SIDE
        || (uint64_t)L->width * L->height > AP_IMAGE_MAX_PIXELS)
        return ap_embed_fail(why, ws, "the PNG declares %u x %u pixels, outside 1 to %u on a side — rescan at 300 dpi or less",
                             L->width, L->height, AP_IMAGE_MAX_SIDE);
    return true;
}

static bool parse_plte(const unsigned char *p, uint32_t len, png_layout *L, char *why, size_t ws)
{
    if (L->color != 3)
        return true; /* a suggested palette for a truecolour image: unused */
    if (L->has_plte || len == 0 || len % 3 != 0 || len / 3 > (1u << L->depth))
        return ap_embed_fail(why, ws, "the PNG palette is damaged (wrong size or repeated) — re-export the scan");
    memcpy(L->palette, p, len);
    L->palette_entries = len / 3;
    L->has_plte = true;
    return true;
}

/* Applies one chunk's meaning to the layout; its CRC is already checked. */
static bool take_chunk(const unsigned char *type, const unsigned char *data, uint32_t len,
                       uint64_t data_off, uint32_t crc, png_layout *L, char *why, size_t ws)
{
    bool idat = memcmp(type, "IDAT", 4) == 0;
    bool after_idat = L->seen_idat;
    bool idat_run_ended = L->seen_idat && !L->prev_idat;
    L->prev_idat = idat;
    if (!idat) {
        if (memcmp(type, "IHDR", 4) == 0)
            return ap_embed_fail(why, ws, "the PNG file has a second header chunk (corrupt) — re-export the scan");
        if (memcmp(type, "PLTE", 4) == 0) {
            if (after_idat)
                return ap_embed_fail(why, ws, "the PNG palette comes after the image data (corrupt) — re-export the scan");
            return parse_plte(data, len, L, why, ws);
        }
        if (memcmp(type, "tRNS", 4) == 0) {
            if (!after_idat && L->color != 4 && L->color != 6)
                L->has_trns = true;
            return true;
        }
        if (type[0] >= 'A' && type[0] <= 'Z')
            return ap_embed_fail(why, ws, "the PNG uses an unknown critical chunk (%.4s) that readers cannot skip — re-export the scan as a plain PNG",
                                 (const char *)type);
        return true;
    }
    if (idat_run_ended)
        return ap_embed_fail(why, ws, "the PNG image data is split by other chunks (corrupt) — re-export the scan");
    L->seen_idat = true;
    if (L->color == 3 && !L->has_plte)
        return ap_embed_fail(why, ws, "the PNG palette image has no palette before its image data (corrupt) — re-export the scan");
    if (len == 0)
        return true;
    if (L->idat.n_spans >= PNG_MAX_IDAT_CHUNKS)
        return ap_embed_fail(why, ws, "the PNG image data is split into too many chunks — re-export the scan with a common tool");
    if (!ap_span_list_add(&L->idat, data_off, len, crc))
        return ap_embed_fail(why, ws, "out of memory while reading the PNG — close other programs and try again");
    return true;
}

/* Walks every chunk from the signature to IEND, checking lengths, order and
 * CRCs, and records the IHDR values, the palette and where IDAT lies. */
static bool walk_chunks(ap_reader *r, png_layout *L, char *why, size_t ws)
{
    unsigned char sig[8];
    if (!ap_reader_read(r, sig, 8) || memcmp(sig, png_signature, 8) != 0)
        return ap_embed_fail(why, ws, "the file is not a PNG (bad signature) — export the scan as PNG or JPEG");
    for (unsigned n = 0; n < PNG_MAX_CHUNKS; n++) {
        unsigned char head[8], tail[4], small[768];
        if (!ap_reader_read(r, head, 8))
            return truncated(r, why, ws);
        uint32_t len = be32(head);
        const unsigned char *type = head + 4;
        if (len > 0x7fffffffu || !is_chunk_letter(type[0]) || !is_chunk_letter(type[1])
            || !is_chunk_letter(type[2]) || !is_chunk_letter(type[3]))
            return ap_embed_fail(why, ws, "the PNG file has a damaged chunk header (corrupt) — re-export the scan");
        if (r->pos + (uint64_t)len + 4 > r->size)
            return truncated(r, why, ws);
        if (n == 0 && memcmp(type, "IHDR", 4) != 0)
            return ap_embed_fail(why, ws, "the PNG file does not start with a header chunk (corrupt) — re-export the scan");
        uint64_t data_off = r->pos;
        uint32_t crc = libdeflate_crc32(0, type, 4);
        bool keep = len <= sizeof small && (memcmp(type, "IHDR", 4) == 0 || memcmp(type, "PLTE", 4) == 0);
        if (keep ? !ap_reader_read(r, small, len) : !ap_reader_crc(r, len, &crc))
            return truncated(r, why, ws);
        if (keep)
            crc = libdeflate_crc32(crc, small, len);
        if (!ap_reader_read(r, tail, 4))
            return truncated(r, why, ws);
        if (be32(tail) != crc)
            return ap_embed_fail(why, ws, "the PNG %.4s chunk has a bad CRC (file is corrupt or truncated) — rescan or re-export the page",
                                 (const char *)type);
        if (n == 0) {
            if (!parse_ihdr(small, len, L, why, ws))
                return false;
            continue;
        }
        if (memcmp(type, "IEND", 4) == 0) {
            if (L->idat.n_spans == 0)
                return ap_embed_fail(why, ws, "the PNG file has no image data (corrupt) — re-export the scan");
            if (r->pos != r->size)
                return ap_embed_fail(why, ws, "the PNG file has data after its end chunk (damaged or not a plain PNG) — re-export the scan");
            return true;
        }
        if (!take_chunk(type, small, len, data_off, crc, L, why, ws))
            return false;
    }
    return ap_embed_fail(why, ws, "the PNG file has too many chunks (corrupt or forged) — re-export the scan");
}

/* ---- pass-through --------------------------------------------------------- */

static bool can_pass_through(const png_layout *L)
{
    if (L->interlace != 0 || L->has_trns)
        return false;
    return (L->color == 0 && L->depth <= 8) || (L->color == 2 && L->depth == 8) || L->color == 3;
}

/* The check of this image's data, run now or handed back for later. */
static bool check_or_defer(int fd, const char *path, const png_layout *L, const ap_embed_options *opt,
                           ap_embedded_image *out, char *why, size_t ws)
{
    ap_png_data data = {L->idat.spans, L->idat.n_spans, L->idat.total, L->height,
                        png_row_bytes(L->width, L->color, L->depth) + 1};
    if (opt->defer) {
        out->check = ap_image_check_new(path, &data);
        return out->check
               || ap_embed_fail(why, ws, "out of memory while embedding the PNG — close other programs and try again");
    }
    ap_png_scratch scratch = {0};
    bool ok = ap_png_check(fd, &data, &scratch, why, ws);
    ap_png_scratch_free(&scratch);
    return ok;
}

static bool embed_pass_through(HPDF_Doc doc, int fd, const char *path, png_layout *L, const ap_embed_options *opt,
                               ap_embedded_image *out, char *why, size_t ws)
{
    L->idat.path = ap_path_for_save(path);
    if (!L->idat.path)
        return ap_embed_fail(why, ws, "out of memory while embedding the PNG — close other programs and try again");
    if (opt->verify && !check_or_defer(fd, L->idat.path, L, opt, out, why, ws))
        return false;
    L->idat.crc_seed = libdeflate_crc32(0, "IDAT", 4);
    ap_xobject_desc d = {
        .width = L->width, .height = L->height, .bits = L->depth,
        .colors = L->color == 2 ? 3 : 1,
        .palette = L->color == 3 ? L->palette : NULL, .palette_entries = L->palette_entries,
    };
    HPDF_Image img = ap_embed_xobject(doc, &d, ap_stream_from_file(doc, &L->idat));
    if (!img)
        return ap_embed_fail(why, ws, "the PDF library could not take the PNG (out of memory) — close other programs and try again");
    out->image = img;
    out->width = L->width;
    out->height = L->height;
    return true;
}

/* ---- decode and re-encode ------------------------------------------------- */

typedef struct {
    int fd;
    uint64_t pos, size;
    char msg[128];
    bool oom;
    uint32_t width, height;
    unsigned channels, out_colors;
    unsigned char *image;       /* every row, for interlaced files only */
    png_bytep *rows;
    unsigned char *in_row, *cur, *prev, *line;
    z_stream zs;
    bool zs_live;
    unsigned char *out;
    size_t out_len, out_cap;
} png_decoder;

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_decoder *d = png_get_error_ptr(png);
    if (d && !d->msg[0]) {
        size_t i = 0;
        for (; msg && msg[i] && i + 1 < sizeof d->msg; i++)
            d->msg[i] = (msg[i] >= 0x20 && msg[i] < 0x7f) ? msg[i] : '?';
        d->msg[i] = '\0';
    }
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void read_png_bytes(png_structp png, png_bytep dst, size_t n)
{
    png_decoder *d = png_get_io_ptr(png);
    if (n > d->size - d->pos || !ap_pread_full(d->fd, dst, n, d->pos))
        png_error(png, "file is truncated");
    d->pos += n;
}

static void *alloc_or_fail(png_structp png, png_decoder *d, size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        d->oom = true;
        png_error(png, "out of memory");
    }
    return p;
}

/* Runs deflate over the pending input, growing the output buffer. */
static bool deflate_pending(png_decoder *d, int flush)
{
    for (;;) {
        if (d->out_len == d->out_cap) {
            size_t cap = d->out_cap * 2;
            if (cap > AP_EMBED_MAX_STREAM)
                cap = AP_EMBED_MAX_STREAM;
            unsigned char *p = cap > d->out_cap ? realloc(d->out, cap) : NULL;
            if (!p)
                return false;
            d->out = p;
            d->out_cap = cap;
        }
        d->zs.next_out = d->out + d->out_len;
        d->zs.avail_out = (uInt)(d->out_cap - d->out_len);
        int ret = deflate(&d->zs, flush);
        d->out_len = d->out_cap - d->zs.avail_out;
        if (ret == Z_STREAM_ERROR)
            return false;
        if (flush == Z_FINISH ? ret == Z_STREAM_END : (d->zs.avail_in == 0 && d->zs.avail_out > 0))
            return true;
    }
}

/* Flattens one decoded row onto white, keeping gray or RGB. */
static void flatten_row(const unsigned char *src, unsigned char *dst, uint32_t width, unsigned channels)
{
    if (channels == 1 || channels == 3) {
        memcpy(dst, src, (size_t)width * channels);
        return;
    }
    unsigned colors = channels - 1;
    for (uint32_t x = 0; x < width; x++, src += channels, dst += colors) {
        unsigned a = src[colors];
        for (unsigned c = 0; c < colors; c++)
            dst[c] = (unsigned char)((src[c] * a + 255u * (255u - a) + 127u) / 255u);
    }
}

/* Flattens, Up-filters and deflates one row. */
static void encode_row(png_structp png, png_decoder *d, const unsigned char *src)
{
    size_t n = (size_t)d->width * d->out_colors;
    flatten_row(src, d->cur, d->width, d->channels);
    d->line[0] = 2; /* Up */
    for (size_t i = 0; i < n; i++)
        d->line[i + 1] = (unsigned char)(d->cur[i] - d->prev[i]);
    unsigned char *t = d->prev;
    d->prev = d->cur;
    d->cur = t;
    d->zs.next_in = d->line;
    d->zs.avail_in = (uInt)(n + 1);
    if (!deflate_pending(d, Z_NO_FLUSH)) {
        d->oom = true;
        png_error(png, "out of memory");
    }
}

/* Asks libpng for 8-bit gray, gray+alpha, RGB or RGBA rows; returns the
 * number of interlace passes. */
static int set_transforms(png_structp png, png_infop info)
{
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (depth == 16)
        png_set_strip_16(png);
    return png_set_interlace_handling(png);
}

static void allocate_buffers(png_structp png, png_decoder *d, size_t row_bytes, bool whole_image)
{
    size_t out_row = (size_t)d->width * d->out_colors;
    d->in_row = alloc_or_fail(png, d, row_bytes);
    d->cur = alloc_or_fail(png, d, out_row);
    d->prev = alloc_or_fail(png, d, out_row);
    d->line = alloc_or_fail(png, d, out_row + 1);
    memset(d->prev, 0, out_row);
    d->out_cap = (out_row + 1) * d->height / 8 + 65536;
    if (d->out_cap > AP_EMBED_MAX_STREAM)
        d->out_cap = AP_EMBED_MAX_STREAM;
    d->out = alloc_or_fail(png, d, d->out_cap);
    if (deflateInit(&d->zs, Z_DEFAULT_COMPRESSION) != Z_OK) {
        d->oom = true;
        png_error(png, "out of memory");
    }
    d->zs_live = true;
    if (!whole_image)
        return;
    d->image = alloc_or_fail(png, d, row_bytes * d->height);
    d->rows = alloc_or_fail(png, d, sizeof *d->rows * d->height);
    for (uint32_t y = 0; y < d->height; y++)
        d->rows[y] = d->image + row_bytes * y;
}

static void decode_body(png_structp png, png_infop info, png_decoder *d)
{
    png_set_user_limits(png, AP_IMAGE_MAX_SIDE, AP_IMAGE_MAX_SIDE);
    png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
    png_set_chunk_cache_max(png, 1000);
    png_set_read_fn(png, d, read_png_bytes);
    png_read_info(png, info);
    int passes = set_transforms(png, info);
    png_read_update_info(png, info);
    d->width = png_get_image_width(png, info);
    d->height = png_get_image_height(png, info);
    d->channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (png_get_bit_depth(png, info) != 8 || d->channels < 1 || d->channels > 4
        || row_bytes != (size_t)d->width * d->channels)
        png_error(png, "unexpected pixel layout after transforms");
    d->out_colors = d->channels >= 3 ? 3 : 1;
    allocate_buffers(png, d, row_bytes, passes > 1);
    if (passes > 1)
        png_read_image(png, d->rows);
    for (uint32_t y = 0; y < d->height; y++) {
        if (passes > 1) {
            encode_row(png, d, d->rows[y]);
        } else {
            png_read_row(png, d->in_row, NULL);
            encode_row(png, d, d->in_row);
        }
    }
    png_read_end(png, NULL);
}

static bool decode_guarded(png_structp png, png_infop info, png_decoder *d)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    decode_body(png, info, d);
    return true;
}

static void decoder_free(png_decoder *d)
{
    if (d->zs_live)
        deflateEnd(&d->zs);
    free(d->image);
    free(d->rows);
    free(d->in_row);
    free(d->cur);
    free(d->prev);
    free(d->line);
    free(d->out);
}

static bool embed_decoded(HPDF_Doc doc, int fd, uint64_t size, ap_embedded_image *out,
                          char *why, size_t ws)
{
    png_decoder d;
    memset(&d, 0, sizeof d);
    d.fd = fd;
    d.size = size;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool created = info != NULL;
    bool ok = created && decode_guarded(png, info, &d);
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    if (ok) {
        d.zs.next_in = NULL;
        d.zs.avail_in = 0;
        ok = deflate_pending(&d, Z_FINISH);
        d.oom = !ok;
    }
    if (!ok) {
        bool oom = d.oom || !created;
        char msg[sizeof d.msg];
        memcpy(msg, d.msg, sizeof msg);
        decoder_free(&d);
        if (oom)
            return ap_embed_fail(why, ws, "not enough memory to decode the PNG — save it non-interlaced, 8-bit and without transparency, or free memory");
        return ap_embed_fail(why, ws, "the PNG image data cannot be decoded (%s; file is corrupt) — rescan or re-export the page",
                             msg[0] ? msg : "unknown libpng error");
    }
    ap_xobject_desc desc = {
        .width = d.width, .height = d.height, .bits = 8, .colors = d.out_colors,
    };
    unsigned char *data = d.out;
    size_t len = d.out_len;
    d.out = NULL;
    decoder_free(&d);
    HPDF_Image img = ap_embed_xobject(doc, &desc, ap_stream_from_memory(doc, data, len));
    if (!img)
        return ap_embed_fail(why, ws, "the PDF library could not take the PNG (out of memory) — close other programs and try again");
    out->image = img;
    out->width = desc.width;
    out->height = desc.height;
    return true;
}

bool ap_embed_png(HPDF_Doc doc, int fd, const char *path, uint64_t size, const ap_embed_options *opt,
                  ap_embedded_image *out, char *why, size_t why_size)
{
    png_layout L;
    memset(&L, 0, sizeof L);
    ap_reader r;
    if (!ap_reader_open(&r, fd, size, 0))
        return ap_embed_fail(why, why_size, "out of memory while reading the PNG — close other programs and try again");
    bool ok = walk_chunks(&r, &L, why, why_size);
    ap_reader_close(&r);
    if (ok && can_pass_through(&L))
        ok = embed_pass_through(doc, fd, path, &L, opt, out, why, why_size);
    else if (ok)
        ok = embed_decoded(doc, fd, size, out, why, why_size);
    ap_span_list_free(&L.idat);
    return ok;
}
