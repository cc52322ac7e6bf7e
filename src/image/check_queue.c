/* Background scan checks (see check_queue.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/check_queue.h"
#include "image/embed_private.h"
#include "util/xalloc.h"

typedef struct {
    ap_image_check *check;
    size_t tag;
    bool done, passed;
    char why[512];
} queued_check;

struct ap_check_queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;       /* a check was added, finished, or the queue is stopping */
    pthread_t thread;
    bool has_thread, stopping;
    queued_check *items;
    size_t n, cap, next;          /* next: the first check not yet started */
    ap_png_scratch scratch;       /* used by whichever thread runs the checks */
};

/* Runs check i with the lock released; the caller holds it. */
static void run_one(ap_check_queue *q, size_t i)
{
    ap_image_check *c = q->items[i].check;
    char why[512] = "";
    pthread_mutex_unlock(&q->lock);
    bool passed = ap_image_check_run(c, &q->scratch, why, sizeof why);
    pthread_mutex_lock(&q->lock);
    queued_check *it = &q->items[i];   /* items may have moved while unlocked */
    it->passed = passed;
    snprintf(it->why, sizeof it->why, "%s", why);
    it->done = true;
    pthread_cond_broadcast(&q->changed);
}

static void *worker(void *arg)
{
    ap_check_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->next == q->n && !q->stopping)
            pthread_cond_wait(&q->changed, &q->lock);
        if (q->stopping)
            break;
        run_one(q, q->next++);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

ap_check_queue *ap_check_queue_new(void)
{
    ap_check_queue *q = ap_xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->changed, NULL);
    q->has_thread = pthread_create(&q->thread, NULL, worker, q) == 0;
    return q;
}

void ap_check_queue_add(ap_check_queue *q, ap_image_check *check, size_t tag)
{
    pthread_mutex_lock(&q->lock);
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->items = ap_xrealloc(q->items, q->cap * sizeof *q->items);
    }
    q->items[q->n++] = (queued_check){.check = check, .tag = tag};
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

bool ap_check_queue_wait(ap_check_queue *q, size_t *failed_tag, char *why, size_t why_size)
{
    pthread_mutex_lock(&q->lock);
    if (!q->has_thread)
        while (q->next < q->n)
            run_one(q, q->next++);
    bool ok = true;
    for (size_t i = 0; i < q->n && ok; i++) {
        while (!q->items[i].done)
            pthread_cond_wait(&q->changed, &q->lock);
        if (!q->items[i].passed) {
            ok = false;
            *failed_tag = q->items[i].tag;
            snprintf(why, why_size, "%s", q->items[i].why);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return ok;
}

void ap_check_queue_free(ap_check_queue *q)
{
    if (!q)
        return;
    if (q->has_thread) {
        pthread_mutex_lock(&q->lock);
        q->stopping = true;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        pthread_join(q->thread, NULL);
    }
    for (size_t i = 0; i < q->n; i++)
        ap_image_check_free(q->items[i].check);
    free(q->items);
    ap_png_scratch_free(&q->scratch);
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->lock);
    free(q);
}
