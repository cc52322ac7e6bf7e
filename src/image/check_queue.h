/* Deferred scan checks run on one background thread while the build goes
 * on, so checking the scans' data costs the second core instead of wall
 * time. Checks run in the order added; the builder waits for them all
 * before it puts the packet in place. One thread keeps memory as it was:
 * one set of check buffers. Without threads the checks run in the wait. */
#ifndef AP_CHECK_QUEUE_H
#define AP_CHECK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "image/embed.h"

typedef struct ap_check_queue ap_check_queue;

/* An empty queue with its thread started (if a thread can be had). */
ap_check_queue *ap_check_queue_new(void);
/* Queues a check (taking it over) under the caller's tag. */
void ap_check_queue_add(ap_check_queue *q, ap_image_check *check, size_t tag);
/* Waits until every check has run; true when all passed, else false with
 * the tag and reason of the first failed check in the order added. */
bool ap_check_queue_wait(ap_check_queue *q, size_t *failed_tag, char *why, size_t why_size);
/* Stops the thread (checks not yet started are skipped) and frees the
 * queue (NULL is fine). */
void ap_check_queue_free(ap_check_queue *q);

#endif
