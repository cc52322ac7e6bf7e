/* Folders, stale temporary files and the report file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/files.h"
#include "pipeline.h"
#include "util/exitcodes.h"
#include "util/fdio.h"
#include "util/xalloc.h"

bool ap_batch_mkdirs(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return true;
        errno = ENOTDIR;
        return false;
    }
    char *p = ap_xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            errno = e;
            return false;
        }
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || (errno == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    int e = errno;
    free(p);
    errno = e;
    return ok;
}

char *ap_batch_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ap_xstrdup(".");
    if (slash == path)
        return ap_xstrdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *ap_batch_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bool ap_batch_is_partial(const char *name, size_t *target_len)
{
    static const size_t infix = sizeof AP_PARTIAL_INFIX - 1;
    size_t n = strlen(name);
    /* "." + TARGET (at least one byte) + infix + six mkstemp characters */
    if (name[0] != '.' || n < 1 + 1 + infix + 6)
        return false;
    size_t t = n - 6 - infix;
    if (memcmp(name + t, AP_PARTIAL_INFIX, infix) != 0)
        return false;
    for (size_t i = n - 6; i < n; i++)
        if (name[i] == '/' || name[i] == '.')
            return false;
    if (target_len)
        *target_len = t - 1;
    return true;
}

size_t ap_batch_remove_partials(const char *dir, bool (*keep)(const char *target, size_t len, void *ctx),
                                void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len;
        if (!ap_batch_is_partial(e->d_name, &len))
            continue;
        if (keep && keep(e->d_name + 1, len, ctx))
            continue;
        char *p = ap_xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) == 0)
            removed++;
        free(p);
    }
    closedir(d);
    return removed;
}

typedef struct { const char *name; size_t len; } one_target;

static bool keep_other_targets(const char *target, size_t len, void *ctx)
{
    const one_target *t = ctx;
    return len != t->len || memcmp(target, t->name, len) != 0;
}

void ap_batch_remove_partials_of(const char *target)
{
    char *dir = ap_batch_dirname(target);
    one_target t = {ap_batch_basename(target), strlen(ap_batch_basename(target))};
    ap_batch_remove_partials(dir, keep_other_targets, &t);
    free(dir);
}

int ap_batch_write_lines(const char *path, char *const *lines, size_t n, char *why, size_t why_size)
{
    char *dir = ap_batch_dirname(path);
    char *tmp = ap_xasprintf("%s/.%s" AP_PARTIAL_INFIX "XXXXXX", dir, ap_batch_basename(path));
    int rc = AP_EXIT_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create the report in %s: %s", dir, strerror(errno));
        rc = AP_EXIT_CANTCREAT;
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = ap_write_all(fd, lines[i], strlen(lines[i])) == 0 && ap_write_all(fd, "\n", 1) == 0;
    if (!ok || fsync(fd) != 0) {
        snprintf(why, why_size, "writing the report %s failed: %s", path, strerror(errno));
        rc = AP_EXIT_IOERR;
    }
    if (close(fd) != 0 && rc == AP_EXIT_OK) {
        snprintf(why, why_size, "writing the report %s failed: %s", path, strerror(errno));
        rc = AP_EXIT_IOERR;
    }
    if (rc == AP_EXIT_OK && rename(tmp, path) != 0) {
        snprintf(why, why_size, "cannot replace the report %s: %s", path, strerror(errno));
        rc = AP_EXIT_CANTCREAT;
    }
    if (rc != AP_EXIT_OK)
        unlink(tmp);
out:
    free(tmp);
    free(dir);
    return rc;
}

int ap_batch_append_line(const char *path, const char *line, char *why, size_t why_size)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(why, why_size, "cannot open the report %s: %s", path, strerror(errno));
        return AP_EXIT_CANTCREAT;
    }
    size_t n = strlen(line);
    char *buf = ap_xmalloc(n + 1);
    memcpy(buf, line, n);
    buf[n] = '\n';
    int rc = AP_EXIT_OK;
    struct stat st;
    off_t before = fstat(fd, &st) == 0 ? st.st_size : -1;
    /* one write() for the whole line, so concurrent appenders never interleave within it */
    ssize_t w;
    do
        w = write(fd, buf, n + 1);
    while (w < 0 && errno == EINTR);
    if (w != (ssize_t)(n + 1) || fsync(fd) != 0) {
        snprintf(why, why_size, "appending to the report %s failed: %s", path,
                 w < 0 || w == (ssize_t)(n + 1) ? strerror(errno) : "short write");
        rc = AP_EXIT_IOERR;
        /* never leave half a line behind: cut the file back to where it was */
        if (w > 0 && w != (ssize_t)(n + 1) && before >= 0)
            (void)ftruncate(fd, before);
    }
    if (close(fd) != 0 && rc == AP_EXIT_OK) {
        snprintf(why, why_size, "appending to the report %s failed: %s", path, strerror(errno));
        rc = AP_EXIT_IOERR;
    }
    free(buf);
    return rc;
}
