/* A pool of forked worker processes that build one case at a time each.
 * The parent hands out tasks over a pipe per worker and reads back one
 * result (a finished report line) per task; a worker that dies is reported
 * as a failed case and replaced on the next hand-out. */
#ifndef AP_BATCH_POOL_H
#define AP_BATCH_POOL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "batch/record.h"
#include "pipeline.h"

typedef struct {
    size_t tag;           /* the caller's number for this case, returned with the result */
    const char *input;    /* the case file */
    const char *output;   /* the PDF to write; NULL: only check (the case id could not be read) */
    const char *case_id;  /* the id read from the case file, or NULL */
    bool force;           /* build even when the PDF is newer than the case and its scans */
} ap_pool_task;

typedef struct {
    size_t tag;
    ap_batch_status status;
    int exit_code;        /* 0 built/skipped, 65/66 invalid, 70/73/74 failed */
    char *json;           /* the report line (no newline); owned by the pool */
} ap_pool_result;

/* Receives each finished case. */
typedef void (*ap_pool_done_fn)(void *ctx, const ap_pool_result *r);

typedef struct ap_pool ap_pool;

/* A pool of at most max_workers processes (forked on demand) building with o,
 * which must outlive the pool; o->date is read again at every hand-out. */
ap_pool *ap_pool_new(unsigned max_workers, const ap_build_options *o);
/* True when a task can be handed out now (a worker is idle or may be started). */
bool ap_pool_can_take(const ap_pool *p);
/* Cases being built right now. */
size_t ap_pool_in_flight(const ap_pool *p);
/* Hands a task to a worker; false (reason in why) when no worker could be
 * started. The pool copies what it needs. */
bool ap_pool_submit(ap_pool *p, const ap_pool_task *t, char *why, size_t why_size);
/* Waits up to timeout_ms (-1: no limit) for results and calls done for each.
 * Returns 1 when extra_fd (ignored if < 0) became readable, 0 otherwise
 * (also when a signal interrupted the wait). */
int ap_pool_wait(ap_pool *p, int timeout_ms, int extra_fd, ap_pool_done_fn done, void *ctx);
/* Kills the workers still building (SIGKILL) and removes their temporary
 * files. A result already sent is still passed to done; the other cases get
 * none (a packet renamed into place just before the kill stays: it is
 * complete). Returns how many cases got no result. */
size_t ap_pool_abort(ap_pool *p, ap_pool_done_fn done, void *ctx);
/* Lets idle workers exit, waits for them and frees the pool. */
void ap_pool_free(ap_pool *p);

/* Builds (or checks, or skips) one case in this process and returns its
 * report line: what each worker runs. */
ap_pool_result ap_pool_run_task(const ap_pool_task *t, const ap_build_options *o);

/* Parses a worker count for -j (1 to 1024); false with a message on stderr. */
bool ap_batch_parse_jobs(const char *arg, unsigned *out);
/* The default worker count: the number of online CPUs (at least 1). */
unsigned ap_batch_default_jobs(void);

/* Installs SIGINT/SIGTERM handlers that only record the signal, and blocks
 * both except while ap_pool_wait waits (which then returns early); ignores SIGPIPE. */
void ap_batch_catch_signals(void);
/* The first stop signal received (0: none). */
int ap_batch_stop_signal(void);
/* How many stop signals arrived (a second one means "stop now"). */
int ap_batch_stop_count(void);

#endif
