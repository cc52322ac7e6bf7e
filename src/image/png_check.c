/* The check of passed-through PNG data: the IDAT payloads must inflate to
 * exactly height rows of (filter byte + row bytes), each filter byte at most
 * 4. In one piece with libdeflate into a buffer of the decoded size; images
 * whose data or decoded size is over ap_png_verify_whole_max are inflated in
 * blocks with zlib instead, so memory stays bounded. */
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "image/embed_private.h"
#include "image/probe.h"

#define VERIFY_BUF_SIZE 65536u

/* Outcome of checking passed-through IDAT data. */
typedef enum {
    VERIFY_OK,
    VERIFY_IO,          /* the file could not be read */
    VERIFY_OOM,
    VERIFY_TOO_LONG,    /* inflates to more than the header declares */
    VERIFY_BAD_STREAM,  /* not a valid zlib stream (deflate data or adler32) */
    VERIFY_TOO_SHORT,   /* fewer bytes than declared, or no end of stream */
    VERIFY_BAD_FILTER   /* a row filter byte above 4 */
} verify_result;

/* Writes the reason for a failed check; true for VERIFY_OK. */
static bool verify_report(verify_result v, char *why, size_t ws)
{
    switch (v) {
    case VERIFY_IO:
        return ap_embed_fail(why, ws, "the PNG file cannot be read (disk or network error) — check the disk and try again");
    case VERIFY_OOM:
        return ap_embed_fail(why, ws, "out of memory while checking the PNG — close other programs and try again");
    case VERIFY_TOO_LONG:
        return ap_embed_fail(why, ws, "the PNG image data inflates to more than its header declares (corrupt or forged) — re-export the scan");
    case VERIFY_BAD_STREAM:
        return ap_embed_fail(why, ws, "the PNG image data is not a valid compressed stream (corrupt) — rescan or re-export the page");
    case VERIFY_TOO_SHORT:
        return ap_embed_fail(why, ws, "the PNG image data holds fewer rows than its header declares (truncated or damaged) — rescan or re-export the page");
    case VERIFY_BAD_FILTER:
        return ap_embed_fail(why, ws, "the PNG image data has an invalid row filter (corrupt) — re-export the scan");
    case VERIFY_OK:
        break;
    }
    return true;
}

/* ---- check in blocks (zlib) ------------------------------------------------ */

typedef struct {
    uint64_t expected, produced;
    uint64_t row_len;       /* filter byte + row bytes */
    uint64_t next_filter;   /* offset of the next filter byte */
    bool bad_filter;
} inflate_check;

/* Checks every filter byte that falls into a block of inflated output. */
static void check_filter_bytes(inflate_check *c, const unsigned char *out, size_t n)
{
    uint64_t end = c->produced + n;
    while (c->next_filter < end && c->next_filter < c->expected) {
        if (out[c->next_filter - c->produced] > 4)
            c->bad_filter = true;
        c->next_filter += c->row_len;
    }
    c->produced = end;
}

/* Inflates the IDAT data in 64 KiB blocks with zlib, for images too large
 * to check in one piece; bytes after the end of the zlib stream are ignored. */
static verify_result verify_in_blocks(int fd, const ap_png_data *L)
{
    inflate_check c = {0};
    c.row_len = L->row_len;
    c.expected = L->row_len * L->height;
    unsigned char *in = malloc(VERIFY_BUF_SIZE), *out = malloc(VERIFY_BUF_SIZE);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!in || !out || inflateInit(&zs) != Z_OK) {
        free(in);
        free(out);
        return VERIFY_OOM;
    }
    int ret = Z_OK;
    bool io_ok = true;
    for (size_t i = 0; i < L->n_spans && ret != Z_STREAM_END && io_ok; i++) {
        const ap_file_span *sp = &L->spans[i];
        for (uint32_t done = 0; done < sp->length && ret != Z_STREAM_END;) {
            uint32_t n = sp->length - done < VERIFY_BUF_SIZE ? sp->length - done : VERIFY_BUF_SIZE;
            if (!ap_pread_full(fd, in, n, sp->offset + done)) {
                io_ok = false;
                break;
            }
            done += n;
            zs.next_in = in;
            zs.avail_in = n;
            do {
                zs.next_out = out;
                zs.avail_out = VERIFY_BUF_SIZE;
                ret = inflate(&zs, Z_NO_FLUSH);
                check_filter_bytes(&c, out, VERIFY_BUF_SIZE - zs.avail_out);
            } while ((ret == Z_OK && (zs.avail_in > 0 || zs.avail_out == 0)) && c.produced <= c.expected);
            if (ret == Z_BUF_ERROR && zs.avail_in == 0)
                ret = Z_OK; /* needs the next block of input */
            if ((ret != Z_OK && ret != Z_STREAM_END) || c.produced > c.expected)
                break;
        }
        if ((ret != Z_OK && ret != Z_STREAM_END) || c.produced > c.expected)
            break;
    }
    inflateEnd(&zs);
    free(in);
    free(out);
    if (!io_ok)
        return VERIFY_IO;
    if (c.produced > c.expected)
        return VERIFY_TOO_LONG;
    if (ret != Z_OK && ret != Z_STREAM_END)
        return VERIFY_BAD_STREAM;
    if (ret != Z_STREAM_END || c.produced < c.expected)
        return VERIFY_TOO_SHORT;
    if (c.bad_filter)
        return VERIFY_BAD_FILTER;
    return VERIFY_OK;
}

/* ---- check in one piece (libdeflate) --------------------------------------- */

size_t ap_png_verify_whole_max = AP_PNG_VERIFY_WHOLE_MAX;

/* Makes *buf hold at least n bytes; its old contents are not kept. */
static bool scratch_reserve(unsigned char **buf, size_t *cap, size_t n)
{
    if (*cap >= n)
        return true;
    free(*buf);
    *buf = malloc(n);
    *cap = *buf ? n : 0;
    return *buf != NULL;
}

/* Gathers every IDAT payload into one buffer and inflates it with libdeflate
 * into a buffer of exactly the declared size. Bytes after the end of the zlib
 * stream are ignored, as in the block-wise check. */
static verify_result verify_whole(int fd, const ap_png_data *L, ap_png_scratch *scratch, size_t expected)
{
    size_t in_len = (size_t)L->total;
    if (!scratch->dec)
        scratch->dec = libdeflate_alloc_decompressor();
    if (!scratch->dec || !scratch_reserve(&scratch->in, &scratch->in_cap, in_len)
        || !scratch_reserve(&scratch->out, &scratch->out_cap, expected))
        return VERIFY_OOM;
    size_t at = 0;
    for (size_t i = 0; i < L->n_spans; i++) {
        const ap_file_span *sp = &L->spans[i];
        if (!ap_pread_full(fd, scratch->in + at, sp->length, sp->offset))
            return VERIFY_IO;
        at += sp->length;
    }
    size_t used_in, produced;
    enum libdeflate_result res = libdeflate_zlib_decompress_ex(scratch->dec, scratch->in, in_len,
                                                               scratch->out, expected, &used_in, &produced);
    if (res == LIBDEFLATE_INSUFFICIENT_SPACE)
        return VERIFY_TOO_LONG;
    if (res != LIBDEFLATE_SUCCESS)
        return VERIFY_BAD_STREAM; /* bad deflate data or adler32, or cut short */
    if (produced != expected)
        return VERIFY_TOO_SHORT;
    for (size_t off = 0; off < expected; off += (size_t)L->row_len)
        if (scratch->out[off] > 4)
            return VERIFY_BAD_FILTER;
    return VERIFY_OK;
}

bool ap_png_check(int fd, const ap_png_data *L, ap_png_scratch *scratch, char *why, size_t ws)
{
    uint64_t expected = L->row_len * L->height;
    if (expected > ap_png_verify_whole_max || L->total > ap_png_verify_whole_max)
        return verify_report(verify_in_blocks(fd, L), why, ws);
    verify_result v = verify_whole(fd, L, scratch, (size_t)expected);
    if (v == VERIFY_BAD_STREAM) {
        /* libdeflate does not tell a stream cut short (reported as too few
         * rows) from a damaged one: let zlib name the defect. A stream zlib
         * would take stays refused. */
        verify_result named = verify_in_blocks(fd, L);
        if (named != VERIFY_OK)
            v = named;
    }
    return verify_report(v, why, ws);
}

void ap_png_scratch_free(ap_png_scratch *scratch)
{
    if (scratch->dec)
        libdeflate_free_decompressor(scratch->dec);
    free(scratch->in);
    free(scratch->out);
    memset(scratch, 0, sizeof *scratch);
}
