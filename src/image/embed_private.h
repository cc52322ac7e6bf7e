/* Internals of scan embedding, shared by embed.c (dispatch and the image
 * XObject), embed_png.c (chunk walk, pass-through, libpng decode),
 * embed_jpeg.c (marker walk, EXIF) and embed_stream.c (the lazy file and
 * memory streams libharu reads at save time, and a buffered file reader). */
#ifndef AP_IMAGE_EMBED_PRIVATE_H
#define AP_IMAGE_EMBED_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "image/embed.h"
#include "util/fdio.h"

/* libharu stream sizes are 32-bit; the probe's file limit keeps us far below. */
#define AP_EMBED_MAX_STREAM 0x7fffffffu

/* Passed-through PNG data is checked in one piece (libdeflate, into a buffer
 * of the decoded size) when both its decoded size and its IDAT bytes are at
 * most this; larger images (up to 432 MB decoded within the pixel limits)
 * are inflated in blocks with zlib. A 300-dpi RGB letter page is 25 MB. */
#define AP_PNG_VERIFY_WHOLE_MAX (64u << 20)

/* The limit in force, AP_PNG_VERIFY_WHOLE_MAX; tests lower it to run the
 * block-wise check. */
extern size_t ap_png_verify_whole_max;

/* What the image XObject declares about its pixels and its data. */
typedef struct {
    uint32_t width, height;
    unsigned bits;               /* BitsPerComponent */
    unsigned colors;             /* components per pixel in the data: 1, 3 or 4 */
    const unsigned char *palette; /* RGB triples: /Indexed /DeviceRGB when set */
    unsigned palette_entries;
    bool dct;                    /* DCTDecode data, else FlateDecode with PNG predictors */
    bool cmyk_inverted;          /* Adobe CMYK JPEG: /Decode [1 0 1 0 1 0 1 0] */
} ap_xobject_desc;

/* One run of bytes in the scan file and the CRC it had when embedded. */
typedef struct {
    uint64_t offset;
    uint32_t length;
    uint32_t crc;                /* CRC-32 of the run, seeded with the source's crc_seed */
} ap_file_span;

/* The runs of one file that make up an image stream (PNG IDAT payloads, or
 * the whole JPEG). */
typedef struct {
    char *path;
    ap_file_span *spans;
    size_t n_spans, cap_spans;
    uint32_t crc_seed;           /* CRC-32 of what precedes each run in its CRC (PNG: "IDAT") */
    uint64_t total;
} ap_span_list;

/* Sequential buffered reader over a file descriptor. */
typedef struct {
    int fd;
    uint64_t size;               /* file size */
    uint64_t pos;                /* file offset of the next byte handed out */
    unsigned char *buf;
    size_t have, at;             /* bytes in buf, and how many of them are consumed */
    bool io_error;               /* a read failed (as opposed to end of file) */
} ap_reader;

/* Passed-through PNG data to check: the IDAT runs in the file, and the
 * rows the header declares. */
typedef struct {
    const ap_file_span *spans;
    size_t n_spans;
    uint64_t total;              /* IDAT bytes */
    uint32_t height;             /* rows */
    uint64_t row_len;            /* filter byte + row bytes */
} ap_png_data;

/* Buffers and decompressor of the one-piece check, reused from one image to
 * the next by whoever owns them (one thread at a time). */
typedef struct {
    struct libdeflate_decompressor *dec;
    unsigned char *in, *out;
    size_t in_cap, out_cap;
} ap_png_scratch;

/* Inflates the data once; false with a reason if it is not exactly height
 * rows with valid filter bytes (png_check.c). */
bool ap_png_check(int fd, const ap_png_data *d, ap_png_scratch *scratch, char *why, size_t why_size);

/* Frees the scratch's buffers and decompressor. */
void ap_png_scratch_free(ap_png_scratch *scratch);

/* A deferred check: the file's path and a copy of the runs. It opens the
 * file when it runs, so checks waiting in a queue hold no descriptors; a
 * file changed in between fails the save's CRC check of every run. */
struct ap_image_check {
    char *path;
    ap_file_span *spans;
    ap_png_data data;
};

/* A deferred check of the data (its runs copied); NULL when out of memory. */
ap_image_check *ap_image_check_new(const char *path, const ap_png_data *d);

/* Runs a deferred check; false with a reason (thread-safe given its own
 * scratch). */
bool ap_image_check_run(ap_image_check *c, ap_png_scratch *scratch, char *why, size_t why_size);

/* Writes a formatted "what — fix" reason into why and returns false. */
bool ap_embed_fail(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Creates the image XObject over data (which it takes over, even on failure). */
HPDF_Image ap_embed_xobject(HPDF_Doc doc, const ap_xobject_desc *d, HPDF_Stream data);

/* Embeds a PNG whose header the probe has accepted. */
bool ap_embed_png(HPDF_Doc doc, int fd, const char *path, uint64_t size, const ap_embed_options *opt,
                  ap_embedded_image *out, char *why, size_t why_size);

/* Embeds a JPEG whose header the probe has accepted. */
bool ap_embed_jpeg(HPDF_Doc doc, int fd, const char *path, uint64_t size,
                   ap_embedded_image *out, char *why, size_t why_size);

/* Maps an EXIF orientation (1..8) to a clockwise rotation and a mirror. */
void ap_exif_orientation_apply(unsigned orientation, int *rotate, bool *mirror);

/* Reads the EXIF orientation from an APP1 payload; 0 when absent or invalid. */
unsigned ap_exif_orientation(const unsigned char *p, size_t n);

/* Appends a run to the list; false when out of memory. */
bool ap_span_list_add(ap_span_list *l, uint64_t offset, uint32_t length, uint32_t crc);

/* Frees the list's memory. */
void ap_span_list_free(ap_span_list *l);

/* Stream that reads the runs from the file at save time, checking each
 * run's CRC; takes over the list (also on failure). */
HPDF_Stream ap_stream_from_file(HPDF_Doc doc, ap_span_list *spans);

/* Stream over a malloc'd buffer, freed with the stream (also on failure). */
HPDF_Stream ap_stream_from_memory(HPDF_Doc doc, unsigned char *buf, size_t len);

/* The scan's path as it should be reopened at save time (absolute when it
 * can be resolved); malloc'd, NULL when out of memory. */
char *ap_path_for_save(const char *path);

/* Opens a buffered reader at offset pos; false when out of memory. */
bool ap_reader_open(ap_reader *r, int fd, uint64_t size, uint64_t pos);

/* Releases the reader's buffer. */
void ap_reader_close(ap_reader *r);

/* Copies the next n bytes; false at end of file or on a read error. */
bool ap_reader_read(ap_reader *r, void *dst, size_t n);

/* Consumes the next n bytes into a running CRC-32; false if fewer remain. */
bool ap_reader_crc(ap_reader *r, uint64_t n, uint32_t *crc);

/* Returns the next byte, or -1 at end of file or on a read error. */
int ap_reader_byte(ap_reader *r);


#endif
