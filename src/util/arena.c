/* Bump allocator with a chunk list; oversized requests get their own chunk. */
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/xalloc.h"

#define AP_ARENA_CHUNK (64u * 1024u)

struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[];
};

struct ap_arena {
    struct chunk *head;
    size_t total;
};

ap_arena *ap_arena_new(void)
{
    return ap_xcalloc(1, sizeof(ap_arena));
}

void ap_arena_free(ap_arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *ap_arena_alloc(ap_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > AP_ARENA_CHUNK ? n : AP_ARENA_CHUNK;
        struct chunk *fresh = ap_xmalloc(sizeof *fresh + size);
        fresh->size = size;
        fresh->used = 0;
        if (c && n > AP_ARENA_CHUNK) {
            /* keep the current chunk open for small allocations */
            fresh->next = c->next;
            c->next = fresh;
        } else {
            fresh->next = c;
            a->head = fresh;
        }
        c = fresh;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *ap_arena_strndup(ap_arena *a, const char *s, size_t n)
{
    char *p = ap_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ap_arena_strdup(ap_arena *a, const char *s)
{
    return s ? ap_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t ap_arena_used(const ap_arena *a)
{
    return a->total;
}
