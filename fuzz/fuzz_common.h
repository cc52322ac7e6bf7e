/* Shared helpers of the fuzz harnesses: a private scratch folder and whole
 * file writes. Each harness includes this once. */
#ifndef AP_FUZZ_COMMON_H
#define AP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fuzz_dir_name[64];

/* Removes path and, for a folder, everything in it (links are not followed). */
static inline void fuzz_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[512];
            if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
                fuzz_rm_tree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static inline void fuzz_rm_dir(void)
{
    if (fuzz_dir_name[0])
        fuzz_rm_tree(fuzz_dir_name);
}

/* The scratch folder: created on first use, removed at a normal exit (the
 * end of a replay or of a timed libFuzzer run). */
static inline const char *fuzz_dir(void)
{
    char *dir = fuzz_dir_name;
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof fuzz_dir_name, "%.40s/apfuzz-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(fuzz_rm_dir);
    }
    return dir;
}

/* Writes data to path, replacing it; aborts on failure (a harness bug). */
static inline void fuzz_write(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    const char *p = data;
    while (size) {
        ssize_t n = write(fd, p, size);
        if (n <= 0) {
            perror(path);
            abort();
        }
        p += n;
        size -= (size_t)n;
    }
    close(fd);
}

/* "DIR/name" in a static buffer of its own per call site's slot. */
static inline const char *fuzz_path(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", fuzz_dir(), name);
    return p;
}

#endif
