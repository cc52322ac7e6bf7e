/* Checked-stream atomic save (see save.h). The stream is a libharu callback
 * writer installed as the document's output stream: HPDF_SaveToStream only
 * resets memory streams, so the PDF goes straight to the file descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf_doc.h>
#include <hpdf_streams.h>

#include "pipeline.h"
#include "render/save.h"
#include "util/exitcodes.h"
#include "util/fdio.h"
#include "util/xalloc.h"

#define SAVE_BUFFER (256u * 1024u)

typedef struct {
    int fd;
    unsigned char *buf;
    size_t len;
    uint64_t total;
    int err;      /* first errno, 0 when all writes succeeded */
} sink;

static int flush(sink *s)
{
    if (!s->err && s->len)
        s->err = ap_write_all(s->fd, s->buf, s->len);
    s->len = 0;
    return s->err;
}

static HPDF_STATUS sink_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size)
{
    sink *s = stream->attr;
    if (s->err)
        return HPDF_FILE_IO_ERROR;
    s->total += size;
    if (s->len + size > SAVE_BUFFER && flush(s))
        return HPDF_FILE_IO_ERROR;
    if (size >= SAVE_BUFFER) {
        s->err = ap_write_all(s->fd, ptr, size);
        return s->err ? HPDF_FILE_IO_ERROR : HPDF_OK;
    }
    memcpy(s->buf + s->len, ptr, size);
    s->len += size;
    return HPDF_OK;
}

/* "/a/b/c.pdf" -> "/a/b" and "c.pdf" (newly allocated). */
static void split_path(const char *target, char **dir, char **base)
{
    char *d = ap_xstrdup(target), *b = ap_xstrdup(target);
    *dir = ap_xstrdup(dirname(d));
    *base = ap_xstrdup(basename(b));
    free(d);
    free(b);
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);   /* best effort: some file systems refuse directory fsync */
        close(fd);
    }
}

/* Writes the document to fd through a checked sink and syncs it to disk;
 * returns 0 or an exit code with a reason. */
static int write_and_sync(HPDF_Doc pdf, int fd, const char *target, uint64_t *total, char *why, size_t why_size)
{
    sink s = {.fd = fd, .buf = ap_xmalloc(SAVE_BUFFER)};
    int rc = AP_EXIT_OK;
    HPDF_Stream stream = HPDF_CallbackWriter_New(pdf->mmgr, sink_write, &s);
    if (!stream) {
        snprintf(why, why_size, "out of memory while saving — free memory and run again");
        rc = AP_EXIT_SOFTWARE;
    } else {
        if (pdf->stream)
            HPDF_Stream_Free(pdf->stream);
        pdf->stream = stream;
        HPDF_STATUS st = HPDF_SaveToStream(pdf);
        flush(&s);
        if (st != HPDF_OK || s.err) {
            int e = s.err ? s.err : EIO;
            snprintf(why, why_size, "writing %s failed: %s — free disk space or choose another output folder",
                     target, s.err ? strerror(e) : "the PDF library reported an error");
            rc = AP_EXIT_IOERR;
        }
    }
    free(s.buf);
    if (rc == AP_EXIT_OK && fsync(fd) != 0) {
        snprintf(why, why_size, "writing %s failed: %s — free disk space or choose another output folder",
                 target, strerror(errno));
        rc = AP_EXIT_IOERR;
    }
    *total = s.total;
    return rc;
}

int ap_pdf_save_atomic(HPDF_Doc pdf, const char *target, uint64_t *bytes, ap_save_gate gate, void *gate_ctx,
                       char *why, size_t why_size)
{
    /* a link at the target is followed, so the PDF replaces the file it
       leads to and never the link itself (think of /dev/stdout) */
    struct stat existing;
    char *resolved = NULL;
    if (lstat(target, &existing) == 0 && S_ISLNK(existing.st_mode) && !(resolved = realpath(target, NULL))) {
        snprintf(why, why_size, "cannot write %s: it is a symbolic link that leads nowhere (%s) — give the path of a PDF file",
                 target, strerror(errno));
        return AP_EXIT_CANTCREAT;
    }
    const char *path = resolved ? resolved : target;
    char *dir, *base;
    split_path(path, &dir, &base);
    char *tmp = ap_xasprintf("%s/.%s" AP_PARTIAL_INFIX "XXXXXX", dir, base);
    int rc = AP_EXIT_OK;
    /* rename would put the PDF in place of a device (/dev/full) or a FIFO,
       so only a new path or a regular file may be the target */
    if (stat(path, &existing) == 0 && !S_ISREG(existing.st_mode)) {
        snprintf(why, why_size, "cannot write %s: it exists and is not a regular file (a folder, device or FIFO) — give the path of a PDF file",
                 target);
        rc = AP_EXIT_CANTCREAT;
        goto out;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create a file in %s: %s — check that the folder exists and is writable",
                 dir, strerror(errno));
        rc = AP_EXIT_CANTCREAT;
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    uint64_t total = 0;
    rc = write_and_sync(pdf, fd, target, &total, why, why_size);
    if (rc == AP_EXIT_OK && gate) {
        why[0] = '\0';
        rc = gate(gate_ctx, why, why_size);
    }
    if (close(fd) != 0 && rc == AP_EXIT_OK) {
        snprintf(why, why_size, "writing %s failed: %s — free disk space or choose another output folder",
                 target, strerror(errno));
        rc = AP_EXIT_IOERR;
    }
    if (rc == AP_EXIT_OK && rename(tmp, path) != 0) {
        snprintf(why, why_size, "cannot replace %s: %s — check that the path is a writable file name",
                 target, strerror(errno));
        rc = AP_EXIT_CANTCREAT;
    }
    if (rc != AP_EXIT_OK) {
        unlink(tmp);
    } else {
        fsync_dir(dir);
        if (bytes)
            *bytes = total;
    }
out:
    free(resolved);
    free(tmp);
    free(dir);
    free(base);
    return rc;
}
