/* File-system chores of the batch runner: folders, leftover temporary files
 * of atomic saves, and the report file. */
#ifndef AP_BATCH_FILES_H
#define AP_BATCH_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Creates dir and any missing parents (mode 0777 & ~umask); false with errno set. */
bool ap_batch_mkdirs(const char *dir);
/* True when name looks like ".TARGET.partial-XXXXXX", the temporary file of an
 * atomic save; *target_len then receives the length of TARGET (at name + 1). */
bool ap_batch_is_partial(const char *name, size_t *target_len);
/* Removes the ".TARGET.partial-*" files in dir whose TARGET keep() rejects
 * (keep NULL: all of them); returns how many were removed. */
size_t ap_batch_remove_partials(const char *dir, bool (*keep)(const char *target, size_t len, void *ctx),
                                void *ctx);
/* Removes the temporary files an interrupted atomic save of target left beside it. */
void ap_batch_remove_partials_of(const char *target);
/* Writes lines (each followed by '\n') to path atomically: a temporary file
 * beside it, fsync, rename. Returns 0, or 73/74 with the reason in why. */
int ap_batch_write_lines(const char *path, char *const *lines, size_t n, char *why, size_t why_size);
/* Appends one line (plus '\n') to path with a single write and fsyncs it.
 * Returns 0, or 73/74 with the reason in why. */
int ap_batch_append_line(const char *path, const char *line, char *why, size_t why_size);
/* The folder part of a path ("." when it has none; caller frees). */
char *ap_batch_dirname(const char *path);
/* The last component of a path (points into path). */
const char *ap_batch_basename(const char *path);

#endif
