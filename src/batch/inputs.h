/* The case files a batch works on, gathered from files, directories and
 * manifests, in one deterministic order (byte order of the path). */
#ifndef AP_BATCH_INPUTS_H
#define AP_BATCH_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *path;       /* the case file */
    char *real;       /* its resolved path, or a copy of path when it cannot be resolved */
    char id[128];     /* the case id read from the file; "" when it cannot be read */
} ap_batch_input;

typedef struct {
    ap_batch_input *items;
    size_t n, cap;
} ap_batch_inputs;

/* Adds one command-line INPUT: a case file, a directory, "@MANIFEST" or "-"
 * (a manifest on stdin). False, with the reason on stderr, when it does not exist. */
bool ap_batch_inputs_add_arg(ap_batch_inputs *in, const char *arg);
/* Adds every entry of a manifest ("-" = stdin); false with a message when it cannot be read. */
bool ap_batch_inputs_add_manifest(ap_batch_inputs *in, const char *manifest);
/* Adds the case files of a directory: every file named case.xml below it
 * (hidden folders skipped), or when there is none, every *.xml directly in it.
 * Returns how many were added. */
size_t ap_batch_inputs_add_dir(ap_batch_inputs *in, const char *dir);
/* Sorts by path, drops entries naming the same file twice, and reads each case id. */
void ap_batch_inputs_finish(ap_batch_inputs *in);
/* Frees every entry. */
void ap_batch_inputs_free(ap_batch_inputs *in);
/* Joins a folder and a name with exactly one '/' (caller frees). */
char *ap_batch_path_join(const char *dir, const char *name);

#endif
