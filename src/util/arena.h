/* A bump allocator: many small allocations freed together. The Case keeps
 * all its strings and arrays in one arena. */
#ifndef AP_ARENA_H
#define AP_ARENA_H

#include <stddef.h>

typedef struct ap_arena ap_arena;

/* Creates an empty arena. */
ap_arena *ap_arena_new(void);
/* Frees the arena and everything allocated from it (NULL is fine). */
void ap_arena_free(ap_arena *a);
/* Allocates n zeroed bytes, aligned for any type. */
void *ap_arena_alloc(ap_arena *a, size_t n);
/* Copies a NUL-terminated string into the arena (NULL stays NULL). */
char *ap_arena_strdup(ap_arena *a, const char *s);
/* Copies n bytes and a terminating NUL into the arena. */
char *ap_arena_strndup(ap_arena *a, const char *s, size_t n);
/* Bytes handed out so far (for limits and tests). */
size_t ap_arena_used(const ap_arena *a);

#endif
