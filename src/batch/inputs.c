/* Gathering case files: the directory rule, manifests, order and de-duplication. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/inputs.h"
#include "case/case.h"
#include "util/xalloc.h"

char *ap_batch_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n == 0)
        return ap_xstrdup(name);
    return ap_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

static void add_path(ap_batch_inputs *in, const char *path)
{
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 64;
        in->items = ap_xrealloc(in->items, in->cap * sizeof *in->items);
    }
    ap_batch_input *it = &in->items[in->n++];
    memset(it, 0, sizeof *it);
    it->path = ap_xstrdup(path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct { char **v; size_t n, cap; } strvec;

static void strvec_push(strvec *s, char *p)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = ap_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = p;
}

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Collects every case.xml below dir, not following symlinked folders. */
static void find_case_xml(const char *dir, strvec *out, int depth)
{
    if (depth > 64)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = ap_batch_path_join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            find_case_xml(p, out, depth + 1);
            free(p);
        } else if (!strcmp(e->d_name, "case.xml") && is_regular(p)) {
            strvec_push(out, p);
        } else {
            free(p);
        }
    }
    closedir(d);
}

static bool has_xml_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, ".xml");
}

size_t ap_batch_inputs_add_dir(ap_batch_inputs *in, const char *dir)
{
    strvec found = {0};
    find_case_xml(dir, &found, 0);
    if (found.n == 0) {
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.' || !has_xml_suffix(e->d_name))
                continue;
            char *p = ap_batch_path_join(dir, e->d_name);
            if (is_regular(p))
                strvec_push(&found, p);
            else
                free(p);
        }
        if (d)
            closedir(d);
    }
    if (found.n > 1)
        qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (size_t i = 0; i < found.n; i++) {
        add_path(in, found.v[i]);
        free(found.v[i]);
    }
    free(found.v);
    return found.n;
}

/* Adds a manifest entry: a directory expands by the directory rule, anything
 * else is taken as a case file (a missing one is reported for that case). */
static void add_entry(ap_batch_inputs *in, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        ap_batch_inputs_add_dir(in, path);
    else
        add_path(in, path);
}

bool ap_batch_inputs_add_manifest(ap_batch_inputs *in, const char *manifest)
{
    bool from_stdin = !strcmp(manifest, "-");
    FILE *f = from_stdin ? stdin : fopen(manifest, "r");
    if (!f) {
        fprintf(stderr, "appeal-packet: cannot read manifest %s: %s\n", manifest, strerror(errno));
        return false;
    }
    /* relative entries are relative to the manifest's folder (stdin: the current folder) */
    char *base = NULL;
    const char *slash = strrchr(manifest, '/');
    if (!from_stdin && slash)
        base = slash == manifest ? ap_xstrdup("/") : strndup(manifest, (size_t)(slash - manifest));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        char *s = line, *end = line + len;
        while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        if (base && *s != '/') {
            char *p = ap_batch_path_join(base, s);
            add_entry(in, p);
            free(p);
        } else {
            add_entry(in, s);
        }
    }
    bool ok = !ferror(f);
    if (!ok)
        fprintf(stderr, "appeal-packet: reading manifest %s failed: %s\n", manifest, strerror(errno));
    free(line);
    free(base);
    if (!from_stdin)
        fclose(f);
    return ok;
}

bool ap_batch_inputs_add_arg(ap_batch_inputs *in, const char *arg)
{
    if (!strcmp(arg, "-"))
        return ap_batch_inputs_add_manifest(in, "-");
    if (arg[0] == '@')
        return ap_batch_inputs_add_manifest(in, arg + 1);
    struct stat st;
    if (stat(arg, &st) != 0) {
        fprintf(stderr, "appeal-packet: %s: %s — name a case file, a folder of cases or @MANIFEST\n", arg,
                strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        if (ap_batch_inputs_add_dir(in, arg) == 0)
            fprintf(stderr, "appeal-packet: note: no case.xml below %s and no *.xml in it\n", arg);
    } else {
        add_path(in, arg);
    }
    return true;
}

static int cmp_input(const void *a, const void *b)
{
    const ap_batch_input *x = a, *y = b;
    return strcmp(x->path, y->path);
}

/* Orders pointers into the path-sorted array by resolved path, then position. */
static int cmp_real(const void *a, const void *b)
{
    const ap_batch_input *x = *(ap_batch_input *const *)a, *y = *(ap_batch_input *const *)b;
    int c = strcmp(x->real, y->real);
    return c ? c : (x < y ? -1 : x > y);
}

void ap_batch_inputs_finish(ap_batch_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        char buf[PATH_MAX];
        in->items[i].real = ap_xstrdup(realpath(in->items[i].path, buf) ? buf : in->items[i].path);
    }
    if (in->n > 1)
        qsort(in->items, in->n, sizeof *in->items, cmp_input);
    /* the same file named twice (say, by a folder and by a manifest): keep the
     * first in path order; a dropped entry is marked by freeing its path */
    ap_batch_input **by_real = ap_xcalloc(in->n ? in->n : 1, sizeof *by_real);
    for (size_t i = 0; i < in->n; i++)
        by_real[i] = &in->items[i];
    qsort(by_real, in->n, sizeof *by_real, cmp_real);
    for (size_t i = 1; i < in->n; i++) {
        if (!strcmp(by_real[i]->real, by_real[i - 1]->real)) {
            free(by_real[i]->path);
            by_real[i]->path = NULL;
        }
    }
    free(by_real);
    size_t kept = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (!in->items[i].path) {
            free(in->items[i].real);
            continue;
        }
        in->items[kept++] = in->items[i];
    }
    in->n = kept;
    for (size_t i = 0; i < in->n; i++)
        ap_case_peek_id(in->items[i].path, in->items[i].id, sizeof in->items[i].id);
}

void ap_batch_inputs_free(ap_batch_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->items[i].path);
        free(in->items[i].real);
    }
    free(in->items);
    in->items = NULL;
    in->n = in->cap = 0;
}
