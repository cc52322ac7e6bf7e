/* Streams libharu reads image data from at save time: a lazy reader over
 * runs of the scan file (opened on first read, every run's CRC checked
 * again, closed at end of data) and a reader over a compressed buffer in
 * memory. Also the buffered sequential reader the chunk and marker walks use. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "image/embed_private.h"

#define READER_BUF_SIZE 65536u

/* libharu detail codes for errors raised while saving, so a failed save can
 * be told apart from libharu's own I/O errors. */
enum {
    DETAIL_FILE_OPEN = 0x4150,   /* the scan can no longer be opened */
    DETAIL_FILE_SHORT = 0x4151,  /* the scan shrank or cannot be read */
    DETAIL_FILE_CHANGED = 0x4152 /* a run's CRC differs from embed time */
};

char *ap_path_for_save(const char *path)
{
    char *abs = realpath(path, NULL);
    return abs ? abs : strdup(path);
}

bool ap_span_list_add(ap_span_list *l, uint64_t offset, uint32_t length, uint32_t crc)
{
    if (l->n_spans == l->cap_spans) {
        size_t cap = l->cap_spans ? l->cap_spans * 2 : 16;
        ap_file_span *s = realloc(l->spans, cap * sizeof *s);
        if (!s)
            return false;
        l->spans = s;
        l->cap_spans = cap;
    }
    l->spans[l->n_spans++] = (ap_file_span){offset, length, crc};
    l->total += length;
    return true;
}

void ap_span_list_free(ap_span_list *l)
{
    free(l->spans);
    free(l->path);
    memset(l, 0, sizeof *l);
}

/* ---- lazy file stream ---------------------------------------------------- */

typedef struct {
    ap_span_list list;
    int fd;              /* -1 while closed */
    size_t span;         /* current run */
    uint32_t in_span;    /* bytes of the current run already delivered */
    uint32_t crc;        /* running CRC-32 of the current run */
    uint64_t pos;        /* bytes delivered since the last rewind */
} file_source;

static void file_source_close(file_source *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
}

static HPDF_STATUS file_source_error(HPDF_Stream s, file_source *f, HPDF_UINT *siz,
                                     HPDF_STATUS code, HPDF_STATUS detail)
{
    file_source_close(f);
    *siz = 0;
    return HPDF_SetError(s->error, code, detail);
}

/* Moves to the next run once the current one is complete, checking its CRC. */
static bool file_source_finish_span(file_source *f)
{
    const ap_file_span *sp = &f->list.spans[f->span];
    if (f->in_span < sp->length)
        return true;
    if (f->crc != sp->crc)
        return false;
    f->span++;
    f->in_span = 0;
    f->crc = f->list.crc_seed;
    return true;
}

static HPDF_STATUS file_source_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    file_source *f = s->attr;
    HPDF_UINT want = *siz, got = 0;
    if (f->fd < 0 && f->span < f->list.n_spans) {
        f->fd = open(f->list.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (f->fd < 0)
            return file_source_error(s, f, siz, HPDF_FILE_OPEN_ERROR, DETAIL_FILE_OPEN);
    }
    while (got < want && f->span < f->list.n_spans) {
        const ap_file_span *sp = &f->list.spans[f->span];
        uint32_t n = sp->length - f->in_span;
        if (n > want - got)
            n = want - got;
        if (!ap_pread_full(f->fd, ptr + got, n, sp->offset + f->in_span))
            return file_source_error(s, f, siz, HPDF_FILE_IO_ERROR, DETAIL_FILE_SHORT);
        f->crc = libdeflate_crc32(f->crc, ptr + got, n);
        f->in_span += n;
        f->pos += n;
        got += n;
        if (!file_source_finish_span(f))
            return file_source_error(s, f, siz, HPDF_FILE_IO_ERROR, DETAIL_FILE_CHANGED);
    }
    *siz = got;
    if (f->span == f->list.n_spans) {
        file_source_close(f);
        return HPDF_STREAM_EOF;
    }
    return HPDF_OK;
}

static HPDF_STATUS file_source_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    file_source *f = s->attr;
    if (pos != 0 || mode != HPDF_SEEK_SET)
        return HPDF_SetError(s->error, HPDF_INVALID_OPERATION, 0);
    f->span = 0;
    f->in_span = 0;
    f->crc = f->list.crc_seed;
    f->pos = 0;
    return HPDF_OK;
}

static HPDF_INT32 file_source_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((file_source *)s->attr)->pos;
}

static HPDF_UINT32 file_source_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((file_source *)s->attr)->list.total;
}

static void file_source_free(HPDF_Stream s)
{
    file_source *f = s->attr;
    if (!f)
        return;
    file_source_close(f);
    ap_span_list_free(&f->list);
    free(f);
    s->attr = NULL;
}

HPDF_Stream ap_stream_from_file(HPDF_Doc doc, ap_span_list *spans)
{
    file_source *f = calloc(1, sizeof *f);
    if (!f || spans->total == 0 || spans->total > AP_EMBED_MAX_STREAM) {
        free(f);
        ap_span_list_free(spans);
        return NULL;
    }
    f->list = *spans;
    memset(spans, 0, sizeof *spans);
    f->fd = -1;
    f->crc = f->list.crc_seed;
    HPDF_Stream s = HPDF_CallbackReader_New(doc->mmgr, file_source_read, file_source_seek,
                                            file_source_tell, file_source_size, f);
    if (!s) {
        ap_span_list_free(&f->list);
        free(f);
        return NULL;
    }
    s->free_fn = file_source_free;
    return s;
}

/* ---- memory stream ------------------------------------------------------- */

typedef struct {
    unsigned char *buf;
    size_t len, pos;
} mem_source;

static HPDF_STATUS mem_source_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    mem_source *m = s->attr;
    size_t n = m->len - m->pos;
    if (n > *siz)
        n = *siz;
    memcpy(ptr, m->buf + m->pos, n);
    m->pos += n;
    *siz = (HPDF_UINT)n;
    return m->pos == m->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS mem_source_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    mem_source *m = s->attr;
    if (pos != 0 || mode != HPDF_SEEK_SET)
        return HPDF_SetError(s->error, HPDF_INVALID_OPERATION, 0);
    m->pos = 0;
    return HPDF_OK;
}

static HPDF_INT32 mem_source_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((mem_source *)s->attr)->pos;
}

static HPDF_UINT32 mem_source_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((mem_source *)s->attr)->len;
}

static void mem_source_free(HPDF_Stream s)
{
    mem_source *m = s->attr;
    if (!m)
        return;
    free(m->buf);
    free(m);
    s->attr = NULL;
}

HPDF_Stream ap_stream_from_memory(HPDF_Doc doc, unsigned char *buf, size_t len)
{
    mem_source *m = calloc(1, sizeof *m);
    if (!m || len == 0 || len > AP_EMBED_MAX_STREAM) {
        free(m);
        free(buf);
        return NULL;
    }
    m->buf = buf;
    m->len = len;
    HPDF_Stream s = HPDF_CallbackReader_New(doc->mmgr, mem_source_read, mem_source_seek,
                                            mem_source_tell, mem_source_size, m);
    if (!s) {
        free(buf);
        free(m);
        return NULL;
    }
    s->free_fn = mem_source_free;
    return s;
}

/* ---- buffered sequential reader ----------------------------------------- */

bool ap_reader_open(ap_reader *r, int fd, uint64_t size, uint64_t pos)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->size = size;
    r->pos = pos;
    r->buf = malloc(READER_BUF_SIZE);
    return r->buf != NULL;
}

void ap_reader_close(ap_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Refills the buffer from the current position; false at end or error. */
static bool reader_fill(ap_reader *r)
{
    if (r->pos >= r->size)
        return false;
    uint64_t left = r->size - r->pos;
    size_t n = left < READER_BUF_SIZE ? (size_t)left : READER_BUF_SIZE;
    if (!ap_pread_full(r->fd, r->buf, n, r->pos)) {
        r->io_error = true;
        return false;
    }
    r->have = n;
    r->at = 0;
    return true;
}

bool ap_reader_read(ap_reader *r, void *dst, size_t n)
{
    unsigned char *d = dst;
    while (n > 0) {
        if (r->at == r->have && !reader_fill(r))
            return false;
        size_t k = r->have - r->at;
        if (k > n)
            k = n;
        memcpy(d, r->buf + r->at, k);
        r->at += k;
        r->pos += k;
        d += k;
        n -= k;
    }
    return true;
}

bool ap_reader_crc(ap_reader *r, uint64_t n, uint32_t *crc)
{
    while (n > 0) {
        if (r->at == r->have && !reader_fill(r))
            return false;
        size_t k = r->have - r->at;
        if (k > n)
            k = (size_t)n;
        *crc = libdeflate_crc32(*crc, r->buf + r->at, k);
        r->at += k;
        r->pos += k;
        n -= k;
    }
    return true;
}

int ap_reader_byte(ap_reader *r)
{
    if (r->at == r->have && !reader_fill(r))
        return -1;
    r->pos++;
    return r->buf[r->at++];
}
