/* Unit tests of scan embedding: PNG pass-through and decode paths, JPEG
 * pass-through with EXIF orientation, and refusal of damaged files. Every
 * image is generated here (PNGs with libpng or a raw chunk writer, JPEGs as
 * minimal hand-built files) apart from the repo's fixture scans. Saved PDFs
 * are read back with pdfimages when it is installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>
#include <zlib.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "image/embed.h"
#include "image/check_queue.h"
#include "image/embed_private.h" /* ap_png_verify_whole_max */

static char g_dir[64];
static bool g_have_pdfimages;

/* ---- files ------------------------------------------------------------ */

static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    assert_true(strlen(g_dir) + 1 + strlen(name) < sizeof buf[0]);
    snprintf(p, sizeof buf[0], "%s/%.300s", g_dir, name);
    return p;
}

static const char *source_dir(void)
{
    const char *s = getenv("AP_SOURCE_DIR");
    return s ? s : AP_DATA_DIR;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_all(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int count_open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* ---- PNG writing ------------------------------------------------------ */

typedef unsigned (*sample_fn)(uint32_t x, uint32_t y, unsigned c);

typedef struct {
    uint32_t w, h;
    int color, depth, interlace;
    sample_fn sample;        /* sample value at the file's bit depth */
    int n_palette;           /* palette: entry i = (i*37, 255-i*11, i*5) mod 256 */
    int n_trns;              /* palette alpha entries, or 1 for a gray/RGB tRNS colour */
} png_spec;

static unsigned channels_of(int color)
{
    switch (color) {
    case PNG_COLOR_TYPE_GRAY: case PNG_COLOR_TYPE_PALETTE: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    default: return 4;
    }
}

/* Packs samples into PNG row layout (big-endian 16-bit, MSB-first bits). */
static unsigned char *pack_rows(const png_spec *s, size_t *stride)
{
    unsigned ch = channels_of(s->color);
    *stride = ((size_t)s->w * ch * (size_t)s->depth + 7) / 8;
    unsigned char *buf = calloc(*stride * s->h, 1);
    assert_non_null(buf);
    for (uint32_t y = 0; y < s->h; y++) {
        unsigned char *row = buf + *stride * y;
        for (uint32_t x = 0; x < s->w; x++)
            for (unsigned c = 0; c < ch; c++) {
                unsigned v = s->sample(x, y, c);
                size_t i = (size_t)x * ch + c;
                if (s->depth == 16) {
                    row[2 * i] = (unsigned char)(v >> 8);
                    row[2 * i + 1] = (unsigned char)v;
                } else if (s->depth == 8) {
                    row[i] = (unsigned char)v;
                } else {
                    size_t bit = i * (size_t)s->depth;
                    row[bit / 8] |= (unsigned char)(v << (8 - s->depth - bit % 8));
                }
            }
    }
    return buf;
}

static void palette_entry(int i, png_color *c)
{
    c->red = (png_byte)(i * 37);
    c->green = (png_byte)(255 - i * 11);
    c->blue = (png_byte)(i * 5);
}

static void write_png(const char *path, const png_spec *s)
{
    size_t stride;
    unsigned char *pix = pack_rows(s, &stride);
    png_bytep *rows = malloc(sizeof *rows * s->h);
    assert_non_null(rows);
    for (uint32_t y = 0; y < s->h; y++)
        rows[y] = pix + stride * y;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not write %s", path);
    png_init_io(png, f);
    png_set_IHDR(png, info, s->w, s->h, s->depth, s->color, s->interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color pal[256];
    png_byte alpha[256];
    if (s->color == PNG_COLOR_TYPE_PALETTE) {
        for (int i = 0; i < s->n_palette; i++)
            palette_entry(i, &pal[i]);
        png_set_PLTE(png, info, pal, s->n_palette);
    }
    png_color_16 key = {0, 10, 95, 180, 10}; /* matches the pattern in places */
    if (s->n_trns > 0) {
        for (int i = 0; i < s->n_trns; i++)
            alpha[i] = (png_byte)(i * 60);
        png_set_tRNS(png, info, alpha, s->color == PNG_COLOR_TYPE_PALETTE ? s->n_trns : 0,
                     s->color == PNG_COLOR_TYPE_PALETTE ? NULL : &key);
    }
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    assert_int_equal(fclose(f), 0);
    free(rows);
    free(pix);
}

/* Raw PNG writer for files libpng would refuse to write. */
static void put_chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len)
{
    unsigned char h[8] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len,
                          (unsigned char)type[0], (unsigned char)type[1],
                          (unsigned char)type[2], (unsigned char)type[3]};
    uint32_t crc = (uint32_t)crc32(0, h + 4, 4);
    if (len)
        crc = (uint32_t)crc32(crc, data, len);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    fwrite(h, 1, 8, f);
    if (len)
        fwrite(data, 1, len, f);
    fwrite(c, 1, 4, f);
}

/* Writes a non-interlaced PNG whose IDAT payload is z as given, split into
 * IDAT chunks of at most chunk bytes (after an empty one when asked). */
static void write_png_file(const char *path, uint32_t w, uint32_t h, int depth, int color,
                           const unsigned char *z, size_t zlen, size_t chunk, bool empty_idat_first)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    fwrite(sig, 1, 8, f);
    unsigned char ihdr[13] = {(unsigned char)(w >> 24), (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w,
                              (unsigned char)(h >> 24), (unsigned char)(h >> 16), (unsigned char)(h >> 8), (unsigned char)h,
                              (unsigned char)depth, (unsigned char)color, 0, 0, 0};
    put_chunk(f, "IHDR", ihdr, 13);
    if (empty_idat_first)
        put_chunk(f, "IDAT", NULL, 0);
    for (size_t at = 0; at < zlen; at += chunk)
        put_chunk(f, "IDAT", z + at, (uint32_t)(zlen - at < chunk ? zlen - at : chunk));
    put_chunk(f, "IEND", NULL, 0);
    assert_int_equal(fclose(f), 0);
}

/* Writes a non-interlaced PNG whose IDAT is zlib(filtered), as given. */
static void write_png_raw(const char *path, uint32_t w, uint32_t h, int depth, int color,
                          const unsigned char *filtered, size_t n)
{
    uLongf clen = compressBound(n);
    unsigned char *z = malloc(clen);
    assert_non_null(z);
    assert_int_equal(compress2(z, &clen, filtered, n, 6), Z_OK);
    write_png_file(path, w, h, depth, color, z, clen, clen, false);
    free(z);
}

/* Sum of IDAT payload lengths, and the offset of the first IDAT payload. */
static size_t idat_bytes(const char *path, size_t *first)
{
    size_t len, total = 0;
    unsigned char *b = read_all(path, &len);
    *first = 0;
    for (size_t p = 8; p + 12 <= len;) {
        size_t n = (size_t)b[p] << 24 | (size_t)b[p + 1] << 16 | (size_t)b[p + 2] << 8 | b[p + 3];
        if (memcmp(b + p + 4, "IDAT", 4) == 0) {
            if (!*first)
                *first = p + 8;
            total += n;
        }
        p += 12 + n;
    }
    free(b);
    return total;
}

/* ---- pixel patterns --------------------------------------------------- */

static unsigned pat8(uint32_t x, uint32_t y, unsigned c)
{
    return (x * 7 + y * 13 + (x * y) % 31 + c * 85) & 255;
}

static unsigned pat16(uint32_t x, uint32_t y, unsigned c)
{
    return pat8(x, y, c) << 8 | ((x * 3 + y * 5 + c) & 255);
}

static unsigned pat_alpha8(uint32_t x, uint32_t y, unsigned c)
{
    return c == 3 ? (x * 5 + y * 3) & 255 : pat8(x, y, c);
}

static unsigned pat_ga8(uint32_t x, uint32_t y, unsigned c)
{
    return c == 1 ? (x * 5 + y * 3) & 255 : pat8(x, y, c);
}

static unsigned pat_low(uint32_t x, uint32_t y, unsigned c)
{
    (void)c;
    return (x / 3 + y / 2) & 15; /* masked further for depth below */
}

static unsigned pat_bits1(uint32_t x, uint32_t y, unsigned c) { return pat_low(x, y, c) & 1; }
static unsigned pat_bits2(uint32_t x, uint32_t y, unsigned c) { return pat_low(x, y, c) & 3; }
static unsigned pat_bits4(uint32_t x, uint32_t y, unsigned c) { return pat_low(x, y, c) & 15; }
static unsigned pat_index13(uint32_t x, uint32_t y, unsigned c) { (void)c; return (x / 4 + y / 5) % 13; }
static unsigned pat_index4(uint32_t x, uint32_t y, unsigned c) { (void)c; return (x + y / 3) % 5; }

/* ---- libharu document and pdfimages --------------------------------- */

typedef struct {
    HPDF_STATUS first, detail;
} doc_errors;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    doc_errors *e = user;
    if (!e->first) {
        e->first = error_no;
        e->detail = detail_no;
    }
}

static HPDF_Doc new_doc(doc_errors *e)
{
    memset(e, 0, sizeof *e);
    HPDF_Doc doc = HPDF_New(on_hpdf_error, e);
    assert_non_null(doc);
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    return doc;
}

static bool embed(HPDF_Doc doc, const char *path, bool verify, ap_embedded_image *out, char *why)
{
    ap_embed_options opt = {.verify = verify};
    why[0] = '\0';
    bool ok = ap_image_embed(doc, path, &opt, out, why, 512);
    if (ok)
        assert_string_equal(why, "");
    else
        assert_non_null(strstr(why, " — ")); /* every reason says what and how to fix it */
    return ok;
}

static void embed_ok(HPDF_Doc doc, const char *path, bool verify, ap_embedded_image *out)
{
    char why[512];
    bool ok = embed(doc, path, verify, out, why);
    if (!ok)
        fail_msg("embedding %s failed: %s", path, why);
    assert_non_null(out->image);
}

static void refuse(const char *path, bool verify, const char *expect)
{
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image out;
    char why[512];
    assert_false(embed(doc, path, verify, &out, why));
    assert_null(out.image);
    if (!strstr(why, expect))
        fail_msg("reason for %s was \"%s\", expected it to mention \"%s\"", path, why, expect);
    assert_int_equal(e.first, 0); /* a refused scan does not poison the document */
    HPDF_Free(doc);
}

static void draw_on_page(HPDF_Doc doc, const ap_embedded_image *img)
{
    HPDF_Page page = HPDF_AddPage(doc);
    assert_non_null(page);
    HPDF_Page_SetWidth(page, (HPDF_REAL)img->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)img->height);
    assert_int_equal(HPDF_Page_DrawImage(page, img->image, 0, 0, (HPDF_REAL)img->width,
                                         (HPDF_REAL)img->height), HPDF_OK);
}

static void save(HPDF_Doc doc, const doc_errors *e, const char *pdf)
{
    assert_int_equal(HPDF_SaveToFile(doc, pdf), HPDF_OK);
    assert_int_equal(e->first, 0);
}

typedef struct {
    unsigned width, height, bpc;
    char color[16], enc[16];
} listed_image;

/* Reads the n-th image of pdfimages -list; false when there is none. */
static bool pdfimages_list(const char *pdf, int n, listed_image *li)
{
    char cmd[512], line[512];
    snprintf(cmd, sizeof cmd, "pdfimages -list '%s' 2>&1", pdf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    bool found = false;
    for (int i = 0; fgets(line, sizeof line, p); i++) {
        int page, num, comp;
        char type[16];
        if (i - 2 == n) /* after two header lines */
            found = sscanf(line, "%d %d %15s %u %u %15s %d %u %15s", &page, &num, type, &li->width,
                           &li->height, li->color, &comp, &li->bpc, li->enc) == 9;
    }
    pclose(p);
    return found;
}

static void expect_listed(const char *pdf, int n, unsigned w, unsigned h, const char *color,
                          unsigned bpc, const char *enc)
{
    if (!g_have_pdfimages)
        return;
    listed_image li;
    assert_true(pdfimages_list(pdf, n, &li));
    assert_int_equal(li.width, w);
    assert_int_equal(li.height, h);
    assert_string_equal(li.color, color);
    assert_int_equal(li.bpc, bpc);
    assert_string_equal(li.enc, enc);
}

/* Reads any PNG as 8-bit samples (palette expanded, 16-bit stripped, low
 * bit depths scaled); alpha is kept as a channel. */
static unsigned char *read_png8(const char *path, uint32_t *w, uint32_t *h, unsigned *ch)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not read %s", path);
    png_init_io(png, f);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    *w = png_get_image_width(png, info);
    *h = png_get_image_height(png, info);
    *ch = png_get_channels(png, info);
    size_t stride = png_get_rowbytes(png, info);
    unsigned char *buf = malloc(stride * *h);
    png_bytep *rows = malloc(sizeof *rows * *h);
    assert_non_null(buf);
    assert_non_null(rows);
    for (uint32_t y = 0; y < *h; y++)
        rows[y] = buf + stride * y;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    free(rows);
    return buf;
}

/* Extracts the first image of pdf with pdfimages -png and returns its
 * 8-bit samples. */
static unsigned char *extract_png8(const char *pdf, uint32_t *w, uint32_t *h, unsigned *ch)
{
    char cmd[512], out[300];
    snprintf(cmd, sizeof cmd, "pdfimages -png -f 1 -l 1 '%s' '%s/x' 2>&1", pdf, g_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(out, sizeof out, "%s/x-000.png", g_dir);
    unsigned char *px = read_png8(out, w, h, ch);
    unlink(out);
    return px;
}

/* The first page's image, extracted, equals expected (w x h x ch bytes). */
static void expect_pixels(const char *pdf, const unsigned char *expected, uint32_t w, uint32_t h,
                          unsigned ch)
{
    if (!g_have_pdfimages)
        return;
    uint32_t gw, gh;
    unsigned gch;
    unsigned char *got = extract_png8(pdf, &gw, &gh, &gch);
    assert_int_equal(gw, w);
    assert_int_equal(gh, h);
    assert_int_equal(gch, ch);
    size_t n = (size_t)w * h * ch, diff = 0;
    for (size_t i = 0; i < n; i++)
        diff += got[i] != expected[i];
    free(got);
    assert_int_equal(diff, 0);
}

/* The first page's image equals the source PNG read back with libpng. */
static void expect_pixels_of(const char *pdf, const char *png_path)
{
    uint32_t w, h;
    unsigned ch;
    unsigned char *src = read_png8(png_path, &w, &h, &ch);
    expect_pixels(pdf, src, w, h, ch);
    free(src);
}

/* Embeds a single PNG, draws it, saves and checks what pdfimages lists. */
static ap_embedded_image embed_save_check(const char *png_path, const char *pdf, const char *color,
                                          unsigned bpc, bool *passed_through)
{
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    embed_ok(doc, png_path, true, &img);
    size_t first;
    size_t idat = idat_bytes(png_path, &first);
    HPDF_Stream s = img.image->stream;
    *passed_through = HPDF_Stream_Size(s) == idat;
    draw_on_page(doc, &img);
    save(doc, &e, pdf);
    HPDF_Free(doc);
    expect_listed(pdf, 0, img.width, img.height, color, bpc, "image");
    return img;
}

/* ---- PNG tests -------------------------------------------------------- */

static void test_png_gray8_pass_through(void **state)
{
    (void)state;
    png_spec s = {.w = 301, .h = 203, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    const char *png = tmp_path("gray8.png"), *pdf = tmp_path("gray8.pdf");
    write_png(png, &s);
    int fds = count_open_fds();
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    embed_ok(doc, png, true, &img);
    assert_int_equal(img.width, 301);
    assert_int_equal(img.height, 203);
    assert_int_equal(img.orientation_rotate, 0);
    assert_false(img.orientation_mirror);
    assert_int_equal(count_open_fds(), fds); /* the file is opened again only at save time */
    size_t first;
    assert_int_equal(HPDF_Stream_Size(img.image->stream), idat_bytes(png, &first));
    assert_int_equal(HPDF_Image_GetWidth(img.image), 301);
    assert_int_equal(HPDF_Image_GetHeight(img.image), 203);
    draw_on_page(doc, &img);
    save(doc, &e, pdf);
    assert_int_equal(count_open_fds(), fds); /* closed at end of data */
    /* saving twice reads the file twice */
    const char *pdf2 = tmp_path("gray8-again.pdf");
    save(doc, &e, pdf2);
    HPDF_Free(doc);
    assert_int_equal(count_open_fds(), fds);
    size_t n1, n2;
    unsigned char *a = read_all(pdf, &n1), *b = read_all(pdf2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    expect_listed(pdf, 0, 301, 203, "gray", 8, "image");
    expect_pixels_of(pdf, png);
}

static void test_png_low_bit_gray_and_rgb(void **state)
{
    (void)state;
    static const struct { int depth, color; sample_fn f; const char *color_name; } cases[] = {
        {1, PNG_COLOR_TYPE_GRAY, pat_bits1, "gray"},
        {2, PNG_COLOR_TYPE_GRAY, pat_bits2, "gray"},
        {4, PNG_COLOR_TYPE_GRAY, pat_bits4, "gray"},
        {8, PNG_COLOR_TYPE_RGB, pat8, "rgb"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        png_spec s = {.w = 77, .h = 45, .color = cases[i].color, .depth = cases[i].depth, .sample = cases[i].f};
        char name[32];
        snprintf(name, sizeof name, "low%zu.png", i);
        const char *png = tmp_path(name), *pdf = tmp_path("low.pdf");
        write_png(png, &s);
        bool pass;
        embed_save_check(png, pdf, cases[i].color_name, (unsigned)cases[i].depth, &pass);
        assert_true(pass);
        expect_pixels_of(pdf, png);
    }
}

static void test_png_palette_pass_through(void **state)
{
    (void)state;
    png_spec s8 = {.w = 120, .h = 90, .color = PNG_COLOR_TYPE_PALETTE, .depth = 8, .sample = pat_index13, .n_palette = 13};
    png_spec s4 = {.w = 33, .h = 17, .color = PNG_COLOR_TYPE_PALETTE, .depth = 4, .sample = pat_index4, .n_palette = 5};
    const png_spec *specs[2] = {&s8, &s4};
    for (int i = 0; i < 2; i++) {
        const char *png = tmp_path(i ? "pal4.png" : "pal8.png"), *pdf = tmp_path("pal.pdf");
        write_png(png, specs[i]);
        bool pass;
        ap_embedded_image img = embed_save_check(png, pdf, "index", (unsigned)specs[i]->depth, &pass);
        assert_true(pass);
        assert_int_equal(img.width, specs[i]->w);
        expect_pixels_of(pdf, png);
    }
}

static void test_png_16bit_decode(void **state)
{
    (void)state;
    png_spec gray = {.w = 160, .h = 99, .color = PNG_COLOR_TYPE_GRAY, .depth = 16, .sample = pat16};
    png_spec rgb = {.w = 64, .h = 48, .color = PNG_COLOR_TYPE_RGB, .depth = 16, .sample = pat16};
    const png_spec *specs[2] = {&gray, &rgb};
    for (int i = 0; i < 2; i++) {
        const char *png = tmp_path(i ? "rgb16.png" : "gray16.png"), *pdf = tmp_path("16.pdf");
        write_png(png, specs[i]);
        bool pass;
        embed_save_check(png, pdf, i ? "rgb" : "gray", 8, &pass);
        assert_false(pass);
        expect_pixels_of(pdf, png); /* read back with strip_16: the high bytes */
        if (!g_have_pdfimages)
            continue;
        /* and those are the pattern's high bytes */
        unsigned ch = i ? 3 : 1;
        unsigned char *want = malloc((size_t)specs[i]->w * specs[i]->h * ch);
        assert_non_null(want);
        for (uint32_t y = 0; y < specs[i]->h; y++)
            for (uint32_t x = 0; x < specs[i]->w; x++)
                for (unsigned c = 0; c < ch; c++)
                    want[((size_t)y * specs[i]->w + x) * ch + c] = (unsigned char)pat8(x, y, c);
        expect_pixels(pdf, want, specs[i]->w, specs[i]->h, ch);
        free(want);
    }
}

static void test_png_interlaced_decode(void **state)
{
    (void)state;
    png_spec gray = {.w = 97, .h = 61, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8,
                     .interlace = PNG_INTERLACE_ADAM7};
    png_spec pal = {.w = 40, .h = 21, .color = PNG_COLOR_TYPE_PALETTE, .depth = 4, .sample = pat_index4,
                    .n_palette = 5, .interlace = PNG_INTERLACE_ADAM7};
    const char *png = tmp_path("interlaced.png"), *pdf = tmp_path("interlaced.pdf");
    write_png(png, &gray);
    bool pass;
    embed_save_check(png, pdf, "gray", 8, &pass);
    assert_false(pass);
    expect_pixels_of(pdf, png);
    png = tmp_path("interlaced-pal.png");
    write_png(png, &pal);
    embed_save_check(png, pdf, "rgb", 8, &pass); /* palette expanded on decode */
    assert_false(pass);
    expect_pixels_of(pdf, png);
}

/* Source composited onto white, as the decode path must do. */
static unsigned char *flatten_expected(const char *png_path, uint32_t *w, uint32_t *h, unsigned *out_ch)
{
    unsigned ch;
    unsigned char *src = read_png8(png_path, w, h, &ch);
    assert_true(ch == 2 || ch == 4);
    *out_ch = ch - 1;
    size_t n = (size_t)*w * *h;
    unsigned char *out = malloc(n * *out_ch);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        unsigned a = src[i * ch + ch - 1];
        for (unsigned c = 0; c < *out_ch; c++)
            out[i * *out_ch + c] = (unsigned char)((src[i * ch + c] * a + 255u * (255u - a) + 127u) / 255u);
    }
    free(src);
    return out;
}

static void test_png_alpha_decode(void **state)
{
    (void)state;
    static const struct { png_spec s; const char *color; } cases[] = {
        {{.w = 50, .h = 40, .color = PNG_COLOR_TYPE_RGB_ALPHA, .depth = 8, .sample = pat_alpha8}, "rgb"},
        {{.w = 51, .h = 41, .color = PNG_COLOR_TYPE_GRAY_ALPHA, .depth = 8, .sample = pat_ga8}, "gray"},
        {{.w = 52, .h = 42, .color = PNG_COLOR_TYPE_GRAY_ALPHA, .depth = 16, .sample = pat16}, "gray"},
        {{.w = 53, .h = 43, .color = PNG_COLOR_TYPE_PALETTE, .depth = 8, .sample = pat_index13,
          .n_palette = 13, .n_trns = 4}, "rgb"},
        {{.w = 54, .h = 44, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8, .n_trns = 1}, "gray"},
        {{.w = 55, .h = 45, .color = PNG_COLOR_TYPE_RGB, .depth = 8, .sample = pat8, .n_trns = 1}, "rgb"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "alpha%zu.png", i);
        const char *png = tmp_path(name), *pdf = tmp_path("alpha.pdf");
        write_png(png, &cases[i].s);
        bool pass;
        embed_save_check(png, pdf, cases[i].color, 8, &pass);
        assert_false(pass);
        if (!g_have_pdfimages)
            continue;
        uint32_t w, h;
        unsigned ch;
        unsigned char *want = flatten_expected(png, &w, &h, &ch);
        expect_pixels(pdf, want, w, h, ch);
        free(want);
    }
}

static void test_png_truncated_rejected(void **state)
{
    (void)state;
    png_spec s = {.w = 64, .h = 64, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    const char *png = tmp_path("whole.png"), *cut = tmp_path("cut.png");
    write_png(png, &s);
    size_t len;
    unsigned char *b = read_all(png, &len);
    write_all(cut, b, len * 6 / 10);
    refuse(cut, true, "PNG");
    /* every cut point is refused, with or without the inflate check */
    for (size_t n = 1; n < len; n += 7) {
        write_all(cut, b, n);
        doc_errors e;
        HPDF_Doc doc = new_doc(&e);
        ap_embedded_image img;
        char why[512];
        assert_false(embed(doc, cut, n % 2 == 0, &img, why));
        assert_int_equal(e.first, 0);
        HPDF_Free(doc);
    }
    free(b);
}

static void test_png_bad_idat_crc_rejected(void **state)
{
    (void)state;
    png_spec s = {.w = 64, .h = 64, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    const char *png = tmp_path("crc.png");
    write_png(png, &s);
    size_t len, first;
    idat_bytes(png, &first);
    unsigned char *b = read_all(png, &len);
    b[first + 10] ^= 0x01;
    write_all(png, b, len);
    free(b);
    refuse(png, false, "PNG IDAT chunk has a bad CRC");
    refuse(png, true, "PNG IDAT chunk has a bad CRC");
}

static void test_png_short_idat_rejected_when_verifying(void **state)
{
    (void)state;
    const uint32_t w = 40, h = 30;
    size_t row = w + 1, n = row * h;
    unsigned char *raw = calloc(n, 1);
    assert_non_null(raw);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            raw[y * row + 1 + x] = (unsigned char)pat8(x, y, 0);
    const char *png = tmp_path("short.png");
    /* half the rows, with valid CRCs */
    write_png_raw(png, w, h, 8, 0, raw, n / 2);
    refuse(png, true, "fewer rows");
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    embed_ok(doc, png, false, &img); /* the fast mode does not inflate */
    HPDF_Free(doc);
    /* more rows than declared */
    unsigned char *big = calloc(n * 2, 1);
    assert_non_null(big);
    write_png_raw(png, w, h, 8, 0, big, n * 2);
    refuse(png, true, "more than its header declares");
    free(big);
    /* an impossible row filter */
    raw[row * 7] = 9;
    write_png_raw(png, w, h, 8, 0, raw, n);
    refuse(png, true, "row filter");
    /* the same damage on the decode path (16-bit) is caught by libpng */
    size_t row16 = w * 2 + 1;
    unsigned char *raw16 = calloc(row16 * h, 1);
    assert_non_null(raw16);
    raw16[row16 * 5] = 7;
    write_png_raw(png, w, h, 16, 0, raw16, row16 * h);
    refuse(png, false, "cannot be decoded");
    write_png_raw(png, w, h, 16, 0, raw16, row16 * h / 3);
    refuse(png, false, "cannot be decoded");
    free(raw16);
    /* not zlib at all */
    FILE *f = fopen(png, "wb");
    assert_non_null(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {0, 0, 0, 40, 0, 0, 0, 30, 8, 0, 0, 0, 0};
    fwrite(sig, 1, 8, f);
    put_chunk(f, "IHDR", ihdr, 13);
    put_chunk(f, "IDAT", raw, 200);
    put_chunk(f, "IEND", NULL, 0);
    fclose(f);
    refuse(png, true, "not a valid compressed stream");
    free(raw);
}

/* ---- the inflate check, in one piece and in blocks ------------------ */

/* zlib stream of raw at the given level; malloc'd. */
static unsigned char *zlib_of(const unsigned char *raw, size_t n, int level, size_t *zlen)
{
    uLongf clen = compressBound(n);
    unsigned char *z = malloc(clen);
    assert_non_null(z);
    assert_int_equal(compress2(z, &clen, raw, n, level), Z_OK);
    *zlen = clen;
    return z;
}

/* zlib stream of raw as stored blocks of at most block bytes; malloc'd. */
static unsigned char *zlib_stored(const unsigned char *raw, size_t n, size_t block, size_t *zlen)
{
    size_t blocks = (n + block - 1) / block;
    unsigned char *z = malloc(2 + blocks * 5 + n + 4), *p = z;
    assert_non_null(z);
    *p++ = 0x78;
    *p++ = 0x01;
    for (size_t at = 0; at < n; at += block) {
        size_t k = n - at < block ? n - at : block;
        *p++ = at + k == n; /* BFINAL, BTYPE 00 */
        p[0] = (unsigned char)k;
        p[1] = (unsigned char)(k >> 8);
        p[2] = (unsigned char)~k;
        p[3] = (unsigned char)(~k >> 8);
        memcpy(p + 4, raw + at, k);
        p += 4 + k;
    }
    uint32_t a = (uint32_t)adler32(adler32(0, NULL, 0), raw, (uInt)n);
    for (int i = 3; i >= 0; i--)
        *p++ = (unsigned char)(a >> (8 * i));
    *zlen = (size_t)(p - z);
    return z;
}

/* Writes a w x h 8-bit gray PNG whose IDAT payload is z as given, split into
 * IDAT chunks of at most chunk bytes after an empty one. */
static void write_png_idat(const char *path, uint32_t w, uint32_t h, const unsigned char *z,
                           size_t zlen, size_t chunk)
{
    write_png_file(path, w, h, 8, 0, z, zlen, chunk, true);
}

/* Filtered rows of a w x h 8-bit gray image, every filter type in turn. */
static unsigned char *filtered_rows(uint32_t w, uint32_t h, size_t *n)
{
    size_t row = (size_t)w + 1;
    *n = row * h;
    unsigned char *raw = malloc(*n + 1); /* room for one byte too many */
    assert_non_null(raw);
    for (uint32_t y = 0; y < h; y++) {
        raw[y * row] = (unsigned char)(y % 5);
        for (uint32_t x = 0; x < w; x++)
            raw[y * row + 1 + x] = (unsigned char)pat8(x, y, 0);
    }
    raw[*n] = 0;
    return raw;
}

/* Embeds the PNG with the inflate check; expect NULL means it must pass. */
static void verify_expect(const char *png, const char *expect, const char *what)
{
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    char why[512];
    bool ok = embed(doc, png, true, &img, why);
    if (!expect && !ok)
        fail_msg("%s (check limit %zu): refused: %s", what, ap_png_verify_whole_max, why);
    if (expect && ok)
        fail_msg("%s (check limit %zu): accepted, expected \"%s\"", what, ap_png_verify_whole_max, expect);
    if (expect && !strstr(why, expect))
        fail_msg("%s (check limit %zu): reason \"%s\", expected it to mention \"%s\"", what,
                 ap_png_verify_whole_max, why, expect);
    assert_int_equal(e.first, 0);

    /* the same check deferred to the background queue says the same */
    ap_embed_options deferred = {.verify = true, .defer = true};
    char why2[512] = "";
    assert_true(ap_image_embed(doc, png, &deferred, &img, why2, sizeof why2));
    assert_non_null(img.check);
    ap_check_queue *q = ap_check_queue_new();
    ap_check_queue_add(q, img.check, 7);
    size_t tag = 0;
    bool ok2 = ap_check_queue_wait(q, &tag, why2, sizeof why2);
    if (ok2 != ok || (!ok2 && (tag != 7 || strcmp(why2, why) != 0)))
        fail_msg("%s: deferred check differs: %s/%s vs %s/%s", what, ok ? "ok" : "refused", why,
                 ok2 ? "ok" : "refused", why2);
    ap_check_queue_free(q);
    HPDF_Free(doc);
}

static const char *const TOO_SHORT = "holds fewer rows than its header declares";
static const char *const TOO_LONG = "inflates to more than its header declares";
static const char *const BAD_FILTER = "has an invalid row filter";
static const char *const BAD_STREAM = "is not a valid compressed stream";

/* Every outcome of the check, at the check limit currently set. */
static void verify_cases(void)
{
    const uint32_t w = 300, h = 250; /* 75,250 bytes decoded */
    size_t n, zlen;
    unsigned char *raw = filtered_rows(w, h, &n);
    const char *png = tmp_path("verify.png");
    unsigned char *z;

    /* exactly the declared size: one IDAT chunk, many, one byte each */
    static const size_t chunks[] = {1u << 20, 1000, 1};
    z = zlib_of(raw, n, 6, &zlen);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        write_png_idat(png, w, h, z, zlen, chunks[i]);
        verify_expect(png, NULL, "exact size");
    }
    free(z);
    z = zlib_stored(raw, n, 4096, &zlen);
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, NULL, "exact size, stored blocks");
    free(z);

    /* one byte short, one byte long */
    z = zlib_of(raw, n - 1, 6, &zlen);
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, TOO_SHORT, "one byte short");
    free(z);
    z = zlib_of(raw, n + 1, 6, &zlen);
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, TOO_LONG, "one byte long");
    free(z);

    /* a row filter byte above 4: the first row, a middle row, the last row */
    static const size_t bad_rows[] = {0, 123, 249};
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        unsigned char keep = raw[bad_rows[i] * (w + 1)];
        raw[bad_rows[i] * (w + 1)] = i == 0 ? 255 : 5;
        z = zlib_of(raw, n, 6, &zlen);
        write_png_idat(png, w, h, z, zlen, 8192);
        verify_expect(png, BAD_FILTER, "bad filter byte");
        free(z);
        raw[bad_rows[i] * (w + 1)] = keep;
    }

    /* corrupted deflate data: a reserved block type at the start, and a
     * stored block whose length check fails in the middle of the stream */
    z = zlib_of(raw, n, 6, &zlen);
    z[2] |= 0x06;
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, BAD_STREAM, "reserved block type");
    free(z);
    z = zlib_stored(raw, n, 4096, &zlen);
    z[2 + 9 * (5 + 4096) + 3] ^= 0x10; /* NLEN of the tenth block */
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, BAD_STREAM, "stored block length");
    free(z);

    /* a bad adler32 */
    z = zlib_of(raw, n, 6, &zlen);
    z[zlen - 1] ^= 0x01;
    write_png_idat(png, w, h, z, zlen, 8192);
    verify_expect(png, BAD_STREAM, "bad adler32");
    free(z);

    /* a stream cut short (CRCs valid): in the middle, or just its adler32 */
    z = zlib_of(raw, n, 6, &zlen);
    write_png_idat(png, w, h, z, zlen / 2, 8192);
    verify_expect(png, TOO_SHORT, "stream cut in half");
    write_png_idat(png, w, h, z, zlen - 4, 8192);
    verify_expect(png, TOO_SHORT, "stream without adler32");
    free(z);

    /* bytes after the end of the zlib stream are ignored */
    z = zlib_of(raw, n, 6, &zlen);
    unsigned char *more = malloc(zlen + 100);
    assert_non_null(more);
    memcpy(more, z, zlen);
    memset(more + zlen, 0xA5, 100);
    write_png_idat(png, w, h, more, zlen + 100, 8192);
    verify_expect(png, NULL, "data after the stream");
    free(more);
    free(z);
    free(raw);
}

/* Growing and reusing the buffers: sizes up and down, each exact and short. */
static void verify_sizes(void)
{
    static const uint32_t sizes[][2] = {{8, 8}, {300, 250}, {8, 8}, {1000, 90}, {1, 1}, {600, 40}};
    const char *png = tmp_path("sizes.png");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n, zlen;
        unsigned char *raw = filtered_rows(sizes[i][0], sizes[i][1], &n);
        unsigned char *z = zlib_of(raw, n, 6, &zlen);
        write_png_idat(png, sizes[i][0], sizes[i][1], z, zlen, 8192);
        verify_expect(png, NULL, "exact size");
        free(z);
        z = zlib_of(raw, n - 1, 6, &zlen);
        write_png_idat(png, sizes[i][0], sizes[i][1], z, zlen, 8192);
        verify_expect(png, TOO_SHORT, "one byte short");
        free(z);
        free(raw);
    }
}

static int reset_verify_limit(void **state)
{
    (void)state;
    ap_png_verify_whole_max = AP_PNG_VERIFY_WHOLE_MAX;
    return 0;
}

/* libdeflate into one buffer of the decoded size (the default). */
static void test_png_verify_whole(void **state)
{
    (void)state;
    assert_int_equal(ap_png_verify_whole_max, AP_PNG_VERIFY_WHOLE_MAX);
    verify_cases();
    verify_sizes();
    ap_png_verify_whole_max = 301 * 250; /* the decoded size: fits, stored-block streams do not */
    verify_cases();
}

/* zlib in blocks, for images over the limit. */
static void test_png_verify_in_blocks(void **state)
{
    (void)state;
    ap_png_verify_whole_max = 0;
    verify_cases();
    verify_sizes();
    ap_png_verify_whole_max = 301 * 250 - 1; /* one byte over the limit */
    verify_cases();
}

/* Checks run beside the build: the first failure in the order added is the
 * one reported, whatever finishes first; a queue dropped unwaited frees its
 * checks; without deferral nothing is handed back. */
static void test_check_queue(void **state)
{
    (void)state;
    size_t n;
    unsigned char *raw = filtered_rows(300, 250, &n);
    size_t zlen;
    unsigned char *z = zlib_of(raw, n, 6, &zlen);
    const char *good = tmp_path("q-good.png");
    write_png_idat(good, 300, 250, z, zlen, 8192);
    free(z);
    raw[n / 2 / 301 * 301] = 9;                       /* a filter byte out of range */
    z = zlib_of(raw, n, 6, &zlen);
    const char *filter = tmp_path("q-filter.png");
    write_png_idat(filter, 300, 250, z, zlen, 8192);
    free(z);
    z = zlib_of(raw, n - 301, 6, &zlen);                /* one row short, and a bad filter */
    const char *shorter = tmp_path("q-short.png");
    write_png_idat(shorter, 300, 250, z, zlen, 8192);
    free(z);
    free(raw);

    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embed_options deferred = {.verify = true, .defer = true};
    const char *order[] = {good, filter, good, shorter};
    char why[512];
    ap_check_queue *q = ap_check_queue_new();
    for (size_t i = 0; i < 4; i++) {
        ap_embedded_image img;
        assert_true(ap_image_embed(doc, order[i], &deferred, &img, why, sizeof why));
        assert_non_null(img.check);
        ap_check_queue_add(q, img.check, 100 + i);
    }
    size_t tag = 0;
    assert_false(ap_check_queue_wait(q, &tag, why, sizeof why));
    assert_int_equal(tag, 101);
    assert_non_null(strstr(why, BAD_FILTER));
    ap_check_queue_free(q);

    q = ap_check_queue_new();
    for (size_t i = 0; i < 3; i++) {
        ap_embedded_image img;
        assert_true(ap_image_embed(doc, good, &deferred, &img, why, sizeof why));
        ap_check_queue_add(q, img.check, i);
    }
    assert_true(ap_check_queue_wait(q, &tag, why, sizeof why));
    assert_true(ap_check_queue_wait(q, &tag, why, sizeof why));   /* waiting again is fine */
    ap_check_queue_free(q);

    q = ap_check_queue_new();                           /* dropped without waiting */
    ap_embedded_image img;
    assert_true(ap_image_embed(doc, shorter, &deferred, &img, why, sizeof why));
    ap_check_queue_add(q, img.check, 0);
    ap_check_queue_free(q);
    ap_check_queue_free(NULL);

    ap_embed_options inline_check = {.verify = true};
    assert_true(ap_image_embed(doc, good, &inline_check, &img, why, sizeof why));
    assert_null(img.check);

    /* waiting checks hold no file descriptors: a 1000-page case must not
       run out of them while the check thread catches up */
    int fds = count_open_fds();
    ap_image_check *waiting[200];
    for (size_t i = 0; i < 200; i++) {
        assert_true(ap_image_embed(doc, good, &deferred, &img, why, sizeof why));
        waiting[i] = img.check;
    }
    assert_int_equal(count_open_fds(), fds);
    q = ap_check_queue_new();
    for (size_t i = 0; i < 200; i++)
        ap_check_queue_add(q, waiting[i], i);
    assert_true(ap_check_queue_wait(q, &tag, why, sizeof why));
    ap_check_queue_free(q);
    assert_int_equal(count_open_fds(), fds);
    assert_int_equal(e.first, 0);
    HPDF_Free(doc);
}

static void test_png_structure_rejected(void **state)
{
    (void)state;
    const char *png = tmp_path("structure.png");
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {0, 0, 0, 8, 0, 0, 0, 2, 8, 0, 0, 0, 0};
    unsigned char raw[18] = {0};
    uLongf zl = 64;
    unsigned char z[64];
    assert_int_equal(compress2(z, &zl, raw, sizeof raw, 6), Z_OK);
    /* IDAT split by another chunk */
    FILE *f = fopen(png, "wb");
    fwrite(sig, 1, 8, f);
    put_chunk(f, "IHDR", ihdr, 13);
    put_chunk(f, "IDAT", z, 4);
    put_chunk(f, "tEXt", (const unsigned char *)"a\0b", 3);
    put_chunk(f, "IDAT", z + 4, (uint32_t)zl - 4);
    put_chunk(f, "IEND", NULL, 0);
    fclose(f);
    refuse(png, true, "split by other chunks");
    /* unknown critical chunk */
    f = fopen(png, "wb");
    fwrite(sig, 1, 8, f);
    put_chunk(f, "IHDR", ihdr, 13);
    put_chunk(f, "ABCD", raw, 4);
    put_chunk(f, "IDAT", z, (uint32_t)zl);
    put_chunk(f, "IEND", NULL, 0);
    fclose(f);
    refuse(png, true, "unknown critical chunk");
    /* palette image without PLTE */
    ihdr[9] = 3;
    f = fopen(png, "wb");
    fwrite(sig, 1, 8, f);
    put_chunk(f, "IHDR", ihdr, 13);
    put_chunk(f, "IDAT", z, (uint32_t)zl);
    put_chunk(f, "IEND", NULL, 0);
    fclose(f);
    refuse(png, true, "no palette");
}

static void test_not_an_image_rejected(void **state)
{
    (void)state;
    const char *txt = tmp_path("notes.png");
    static const char text[] = "This is a text file that someone named .png\n";
    write_all(txt, text, sizeof text - 1);
    refuse(txt, true, "neither a PNG nor a JPEG");
    write_all(txt, "", 0);
    refuse(txt, true, "empty");
    refuse(tmp_path("does-not-exist.png"), true, "does not exist");
}

static void test_file_changed_after_embed(void **state)
{
    (void)state;
    png_spec s = {.w = 64, .h = 64, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    const char *png = tmp_path("changing.png");
    write_png(png, &s);
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    embed_ok(doc, png, true, &img);
    draw_on_page(doc, &img);
    size_t len, first;
    idat_bytes(png, &first);
    unsigned char *b = read_all(png, &len);
    b[first + 3] ^= 0x40;
    write_all(png, b, len); /* same size, different IDAT bytes */
    free(b);
    assert_int_not_equal(HPDF_SaveToFile(doc, tmp_path("changed.pdf")), HPDF_OK);
    assert_int_equal(e.first, HPDF_FILE_IO_ERROR);
    HPDF_Free(doc);
    /* deleted before saving */
    write_png(png, &s);
    doc = new_doc(&e);
    embed_ok(doc, png, true, &img);
    draw_on_page(doc, &img);
    unlink(png);
    assert_int_not_equal(HPDF_SaveToFile(doc, tmp_path("deleted.pdf")), HPDF_OK);
    assert_int_equal(e.first, HPDF_FILE_OPEN_ERROR);
    HPDF_Free(doc);
}

/* ---- JPEG ------------------------------------------------------------- */

typedef struct {
    uint32_t w, h;
    unsigned comps;
    bool adobe;
    unsigned orientation;    /* 0: no EXIF */
    bool exif_le;
    bool progressive;
} jpeg_spec;

static size_t put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
    return 2;
}

/* A minimal JPEG: every block has DC difference 0 and an immediate EOB, with
 * one-code Huffman tables, so it decodes to flat mid-gray. */
static size_t make_jpeg(unsigned char *b, const jpeg_spec *s)
{
    size_t n = 0;
    n += put16(b + n, 0xFFD8);
    if (s->orientation) {
        unsigned char t[26];
        bool le = s->exif_le;
        memcpy(t, le ? "II*\0" : "MM\0*", 4);
        unsigned char ifd_off[4] = {0, 0, 0, 8}, ifd_le[4] = {8, 0, 0, 0};
        memcpy(t + 4, le ? ifd_le : ifd_off, 4);
        unsigned char one[2] = {le ? 1 : 0, le ? 0 : 1};
        memcpy(t + 8, one, 2);                      /* one entry */
        unsigned char tag[2] = {le ? 0x12 : 0x01, le ? 0x01 : 0x12};
        memcpy(t + 10, tag, 2);
        unsigned char type[2] = {le ? 3 : 0, le ? 0 : 3};
        memcpy(t + 12, type, 2);
        unsigned char cnt_be[4] = {0, 0, 0, 1}, cnt_le[4] = {1, 0, 0, 0};
        memcpy(t + 14, le ? cnt_le : cnt_be, 4);
        unsigned char val[4] = {0, 0, 0, 0};
        val[le ? 0 : 1] = (unsigned char)s->orientation;
        memcpy(t + 18, val, 4);
        memset(t + 22, 0, 4);                       /* no next IFD */
        n += put16(b + n, 0xFFE1);
        n += put16(b + n, 2 + 6 + sizeof t);
        memcpy(b + n, "Exif\0\0", 6);
        n += 6;
        memcpy(b + n, t, sizeof t);
        n += sizeof t;
    }
    if (s->adobe) {
        static const unsigned char adobe[12] = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        n += put16(b + n, 0xFFEE);
        n += put16(b + n, 2 + sizeof adobe);
        memcpy(b + n, adobe, sizeof adobe);
        n += sizeof adobe;
    }
    n += put16(b + n, 0xFFDB);
    n += put16(b + n, 67);
    b[n++] = 0;
    memset(b + n, 1, 64);
    n += 64;
    n += put16(b + n, s->progressive ? 0xFFC2 : 0xFFC0);
    n += put16(b + n, 8 + 3 * s->comps);
    b[n++] = 8;
    n += put16(b + n, s->h);
    n += put16(b + n, s->w);
    b[n++] = (unsigned char)s->comps;
    for (unsigned c = 0; c < s->comps; c++) {
        b[n++] = (unsigned char)(c + 1);
        b[n++] = 0x11;
        b[n++] = 0;
    }
    for (int t = 0; t < 2; t++) {
        n += put16(b + n, 0xFFC4);
        n += put16(b + n, 2 + 1 + 16 + 1);
        b[n++] = t ? 0x10 : 0x00;
        b[n++] = 1;          /* one code of length 1 */
        memset(b + n, 0, 15);
        n += 15;
        b[n++] = 0;          /* DC: category 0; AC: EOB */
    }
    n += put16(b + n, 0xFFDA);
    n += put16(b + n, 6 + 2 * s->comps);
    b[n++] = (unsigned char)s->comps;
    for (unsigned c = 0; c < s->comps; c++) {
        b[n++] = (unsigned char)(c + 1);
        b[n++] = 0x00;
    }
    b[n++] = 0;
    b[n++] = s->progressive ? 0 : 63; /* a progressive file gets its DC scan only */
    b[n++] = 0;
    size_t blocks = (size_t)((s->w + 7) / 8) * ((s->h + 7) / 8) * s->comps;
    size_t bits = blocks * (s->progressive ? 1 : 2), bytes = (bits + 7) / 8;
    memset(b + n, 0, bytes);
    if (bits % 8)
        b[n + bytes - 1] = (unsigned char)((1u << (8 - bits % 8)) - 1); /* pad with ones */
    n += bytes;
    n += put16(b + n, 0xFFD9);
    return n;
}

static void write_jpeg(const char *path, const jpeg_spec *s)
{
    size_t cap = 4096 + (size_t)((s->w + 7) / 8) * ((s->h + 7) / 8) * s->comps;
    unsigned char *b = malloc(cap);
    assert_non_null(b);
    write_all(path, b, make_jpeg(b, s));
    free(b);
}

static void test_jpeg_fixture_accepted(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/cases/format-example/scans/pathology-1.jpg", source_dir());
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    int fds = count_open_fds();
    embed_ok(doc, path, true, &img);
    assert_int_equal(count_open_fds(), fds);
    assert_int_equal(img.width, 1275);
    assert_int_equal(img.height, 1650);
    assert_int_equal(img.orientation_rotate, 0);
    assert_false(img.orientation_mirror);
    draw_on_page(doc, &img);
    /* a progressive scan and a sideways photo (EXIF orientation 6) from the fixtures */
    ap_embedded_image prog, photo;
    snprintf(path, sizeof path, "%s/fixtures/cases/prp-injection/scans/mri-right-knee-2026-06-30.jpg", source_dir());
    embed_ok(doc, path, true, &prog);
    draw_on_page(doc, &prog);
    snprintf(path, sizeof path, "%s/fixtures/cases/insulin-pump/scans/glucose-log-photo.jpg", source_dir());
    embed_ok(doc, path, true, &photo);
    assert_int_equal(photo.width, 1650);
    assert_int_equal(photo.height, 1275);
    assert_int_equal(photo.orientation_rotate, 90);
    assert_false(photo.orientation_mirror);
    draw_on_page(doc, &photo);
    const char *pdf = tmp_path("jpeg.pdf");
    save(doc, &e, pdf);
    HPDF_Free(doc);
    assert_int_equal(count_open_fds(), fds);
    expect_listed(pdf, 0, 1275, 1650, "gray", 8, "jpeg");
    expect_listed(pdf, 1, prog.width, prog.height, "gray", 8, "jpeg");
    expect_listed(pdf, 2, 1650, 1275, "rgb", 8, "jpeg");
    /* the stream is the file's bytes, unchanged */
    size_t flen, plen;
    unsigned char *jpg = read_all(path, &flen), *out = read_all(pdf, &plen);
    bool found = false;
    for (size_t i = 0; i + flen <= plen && !found; i++)
        found = out[i] == 0xFF && memcmp(out + i, jpg, flen) == 0;
    assert_true(found);
    free(jpg);
    free(out);
}

static void test_jpeg_generated(void **state)
{
    (void)state;
    static const struct { jpeg_spec s; const char *color; bool decode; } cases[] = {
        {{.w = 100, .h = 60, .comps = 1}, "gray", false},
        {{.w = 33, .h = 17, .comps = 3, .progressive = true}, "rgb", false},
        {{.w = 40, .h = 24, .comps = 4}, "cmyk", false},
        {{.w = 40, .h = 24, .comps = 4, .adobe = true}, "cmyk", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *jpg = tmp_path("gen.jpg"), *pdf = tmp_path("gen.pdf");
        write_jpeg(jpg, &cases[i].s);
        doc_errors e;
        HPDF_Doc doc = new_doc(&e);
        ap_embedded_image img;
        embed_ok(doc, jpg, true, &img);
        assert_int_equal(img.width, cases[i].s.w);
        assert_int_equal(img.height, cases[i].s.h);
        bool has_decode = HPDF_Dict_GetItem(img.image, "Decode", HPDF_OCLASS_ARRAY) != NULL;
        assert_int_equal(has_decode, cases[i].decode);
        draw_on_page(doc, &img);
        save(doc, &e, pdf);
        HPDF_Free(doc);
        expect_listed(pdf, 0, cases[i].s.w, cases[i].s.h, cases[i].color, 8, "jpeg");
    }
    /* a gray one decodes to flat mid-gray */
    if (g_have_pdfimages) {
        const char *jpg = tmp_path("flat.jpg"), *pdf = tmp_path("flat.pdf");
        jpeg_spec s = {.w = 16, .h = 8, .comps = 1};
        write_jpeg(jpg, &s);
        doc_errors e;
        HPDF_Doc doc = new_doc(&e);
        ap_embedded_image img;
        embed_ok(doc, jpg, true, &img);
        draw_on_page(doc, &img);
        save(doc, &e, pdf);
        HPDF_Free(doc);
        unsigned char want[16 * 8];
        memset(want, 128, sizeof want);
        expect_pixels(pdf, want, 16, 8, 1);
    }
}

static void test_jpeg_truncated_rejected(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/fixtures/cases/format-example/scans/pathology-1.jpg", source_dir());
    size_t len;
    unsigned char *b = read_all(path, &len);
    const char *cut = tmp_path("cut.jpg");
    write_all(cut, b, len / 2);
    refuse(cut, true, "JPEG");
    /* cut just before EOI: the probe may not notice, the walk must */
    write_all(cut, b, len - 2);
    refuse(cut, true, "JPEG");
    free(b);
    /* every cut point of a small generated JPEG */
    jpeg_spec s = {.w = 64, .h = 64, .comps = 3, .orientation = 6};
    unsigned char gen[8192];
    size_t n = make_jpeg(gen, &s);
    for (size_t k = 1; k < n; k++) {
        write_all(cut, gen, k);
        doc_errors e;
        HPDF_Doc doc = new_doc(&e);
        ap_embedded_image img;
        char why[512];
        assert_false(embed(doc, cut, true, &img, why));
        HPDF_Free(doc);
    }
    /* a frame but no scan */
    static const unsigned char no_scan[] = {0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0,
                                            0xFF, 0xD9};
    write_all(cut, no_scan, sizeof no_scan);
    refuse(cut, true, "before any image data");
    /* data after EOI, and a lossless frame */
    memcpy(gen + n, "trailing", 8);
    write_all(cut, gen, n + 8);
    refuse(cut, true, "JPEG");
    n = make_jpeg(gen, &s);
    for (size_t i = 0; i + 1 < n; i++)
        if (gen[i] == 0xFF && gen[i + 1] == 0xC0) {
            gen[i + 1] = 0xC3;
            break;
        }
    write_all(cut, gen, n);
    refuse(cut, true, "lossless");
}

static void test_jpeg_exif_orientation(void **state)
{
    (void)state;
    static const int rotate[9] = {0, 0, 0, 180, 180, 270, 90, 90, 270};
    static const bool mirror[9] = {false, false, true, false, true, true, false, true, false};
    const char *jpg = tmp_path("exif.jpg");
    for (unsigned o = 1; o <= 8; o++)
        for (int le = 0; le < 2; le++) {
            jpeg_spec s = {.w = 24, .h = 16, .comps = 1, .orientation = o, .exif_le = le};
            write_jpeg(jpg, &s);
            doc_errors e;
            HPDF_Doc doc = new_doc(&e);
            ap_embedded_image img;
            embed_ok(doc, jpg, true, &img);
            assert_int_equal(img.orientation_rotate, rotate[o]);
            assert_int_equal(img.orientation_mirror, mirror[o]);
            assert_int_equal(img.width, 24); /* the stored size, not the displayed one */
            HPDF_Free(doc);
        }
    /* orientation 6: turn a quarter clockwise */
    jpeg_spec s = {.w = 24, .h = 16, .comps = 3, .orientation = 6};
    write_jpeg(jpg, &s);
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img;
    embed_ok(doc, jpg, false, &img);
    assert_int_equal(img.orientation_rotate, 90);
    assert_false(img.orientation_mirror);
    HPDF_Free(doc);
    /* an out-of-range value is ignored */
    s.orientation = 9;
    write_jpeg(jpg, &s);
    doc = new_doc(&e);
    embed_ok(doc, jpg, true, &img);
    assert_int_equal(img.orientation_rotate, 0);
    assert_false(img.orientation_mirror);
    HPDF_Free(doc);
}

static void test_no_descriptor_leak(void **state)
{
    (void)state;
    png_spec s = {.w = 20, .h = 20, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    char png[512];
    snprintf(png, sizeof png, "%s", tmp_path("leak.png"));
    write_png(png, &s);
    int fds = count_open_fds();
    for (int i = 0; i < 50; i++) {
        doc_errors e;
        HPDF_Doc doc = new_doc(&e);
        ap_embedded_image img;
        embed_ok(doc, png, true, &img);
        if (i % 2) {
            draw_on_page(doc, &img);
            save(doc, &e, tmp_path("leak.pdf"));
        }
        HPDF_Free(doc); /* freed without saving, or after */
    }
    assert_int_equal(count_open_fds(), fds);
}

static void test_relative_path_and_no_reason(void **state)
{
    (void)state;
    png_spec s = {.w = 30, .h = 20, .color = PNG_COLOR_TYPE_GRAY, .depth = 8, .sample = pat8};
    write_png(tmp_path("relative.png"), &s);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(g_dir), 0);
    doc_errors e;
    HPDF_Doc doc = new_doc(&e);
    ap_embedded_image img, none;
    assert_true(ap_image_embed(doc, "relative.png", NULL, &img, NULL, 0)); /* NULL options: verify */
    assert_false(ap_image_embed(doc, "missing.png", NULL, &none, NULL, 0));
    assert_null(none.image);
    assert_int_equal(chdir("/"), 0); /* the saver may run elsewhere */
    draw_on_page(doc, &img);
    save(doc, &e, tmp_path("relative.pdf"));
    HPDF_Free(doc);
    assert_int_equal(chdir(cwd), 0);
    expect_listed(tmp_path("relative.pdf"), 0, 30, 20, "gray", 8, "image");
}

/* ---- setup ------------------------------------------------------------- */

static int make_dir(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/ap-embed-XXXXXX");
    if (!mkdtemp(g_dir))
        return -1;
    g_have_pdfimages = system("command -v pdfimages >/dev/null 2>&1") == 0;
    if (!g_have_pdfimages)
        fprintf(stderr, "pdfimages not found: skipping the read-back checks\n");
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    DIR *d = opendir(g_dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d)))
            if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
                unlink(tmp_path(ent->d_name));
        closedir(d);
    }
    rmdir(g_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_gray8_pass_through),
        cmocka_unit_test(test_png_low_bit_gray_and_rgb),
        cmocka_unit_test(test_png_palette_pass_through),
        cmocka_unit_test(test_png_16bit_decode),
        cmocka_unit_test(test_png_interlaced_decode),
        cmocka_unit_test(test_png_alpha_decode),
        cmocka_unit_test(test_png_truncated_rejected),
        cmocka_unit_test(test_png_bad_idat_crc_rejected),
        cmocka_unit_test(test_png_short_idat_rejected_when_verifying),
        cmocka_unit_test_teardown(test_png_verify_whole, reset_verify_limit),
        cmocka_unit_test_teardown(test_png_verify_in_blocks, reset_verify_limit),
        cmocka_unit_test(test_png_structure_rejected),
        cmocka_unit_test(test_not_an_image_rejected),
        cmocka_unit_test(test_file_changed_after_embed),
        cmocka_unit_test(test_jpeg_fixture_accepted),
        cmocka_unit_test(test_jpeg_generated),
        cmocka_unit_test(test_jpeg_truncated_rejected),
        cmocka_unit_test(test_jpeg_exif_orientation),
        cmocka_unit_test(test_no_descriptor_leak),
        cmocka_unit_test(test_relative_path_and_no_reason),
        cmocka_unit_test(test_check_queue),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
