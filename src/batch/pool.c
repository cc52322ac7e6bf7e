/* Forked workers, one pipe pair each: tasks go down, report lines come back. */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "batch/files.h"
#include "batch/pool.h"
#include "util/exitcodes.h"
#include "util/fdio.h"
#include "util/xalloc.h"

typedef struct {
    pid_t pid;            /* 0: no process in this slot */
    int task_fd;          /* parent writes tasks */
    int result_fd;        /* parent reads results */
    bool busy;
    /* the task in flight, kept to report it if the worker dies */
    size_t tag;
    char *input, *output, *case_id;
} worker;

struct ap_pool {
    worker *w;
    unsigned max, live;   /* slots in w; processes running */
    unsigned cap;         /* processes allowed: max, lowered when fork fails */
    const ap_build_options *o;
    ap_pool_result last;  /* the result handed to the callback; freed after it returns */
};

static volatile sig_atomic_t stop_signal, stop_count;
/* SIGINT and SIGTERM stay blocked except inside ppoll(), so a stop can never
 * slip in between checking the flag and starting to wait */
static sigset_t wait_mask;
static bool signals_caught;

static void on_stop(int sig)
{
    if (!stop_signal)
        stop_signal = sig;
    if (stop_count < 100)
        stop_count++;
}

void ap_batch_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() returns EINTR so the loop sees the stop */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigprocmask(SIG_BLOCK, &stops, &wait_mask);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    signals_caught = true;
}

int ap_batch_stop_signal(void) { return stop_signal; }
int ap_batch_stop_count(void) { return stop_count; }

bool ap_batch_parse_jobs(const char *arg, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 1 || v > 1024) {
        fprintf(stderr, "appeal-packet: -j '%s' is not a worker count from 1 to 1024\n", arg);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

unsigned ap_batch_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n;
}

/* Task message: u32 length of the rest, the head (tag, the letter date, as
 * the parent's options have it now, and force), then three NUL-terminated
 * strings: input, output ("" = none), case id ("" = none). */
typedef struct { uint64_t tag; int32_t year, month, day; uint8_t force; } task_head;
/* Result message: the head, then len bytes of the report line. */
typedef struct { uint64_t tag; int32_t status, exit_code; uint32_t len; } result_head;

static bool send_task(int fd, const ap_pool_task *t, ap_date date)
{
    const char *out = t->output ? t->output : "", *id = t->case_id ? t->case_id : "";
    size_t a = strlen(t->input) + 1, b = strlen(out) + 1, c = strlen(id) + 1;
    uint32_t len = (uint32_t)(sizeof(task_head) + a + b + c);
    char *msg = ap_xmalloc(sizeof len + len);
    task_head h = {t->tag, date.year, date.month, date.day, t->force};
    memcpy(msg, &len, sizeof len);
    memcpy(msg + sizeof len, &h, sizeof h);
    char *s = msg + sizeof len + sizeof h;
    memcpy(s, t->input, a);
    memcpy(s + a, out, b);
    memcpy(s + a + b, id, c);
    bool ok = ap_write_all(fd, msg, sizeof len + len) == 0;
    free(msg);
    return ok;
}

/* The worker's life: read a task, run it, send the line back; exit when the
 * parent closes the task pipe (or dies: the pipe write fails). */
static void worker_main(int task_fd, int result_fd, const ap_build_options *parent_options)
{
    ap_build_options o = *parent_options;
    for (;;) {
        uint32_t len;
        if (!ap_read_full(task_fd, &len, sizeof len) || len < sizeof(task_head) + 3 || len > (1u << 20))
            _exit(0);
        char *msg = ap_xmalloc(len + 1);
        if (!ap_read_full(task_fd, msg, len))
            _exit(0);
        msg[len] = '\0';
        task_head h;
        memcpy(&h, msg, sizeof h);
        const char *input = msg + sizeof h;
        const char *output = input + strlen(input) + 1;
        const char *id = output + strlen(output) + 1;
        ap_pool_task t = {.tag = (size_t)h.tag, .input = input, .output = *output ? output : NULL,
                          .case_id = *id ? id : NULL, .force = h.force != 0};
        o.date = (ap_date){h.year, h.month, h.day};
        ap_pool_result r = ap_pool_run_task(&t, &o);
        size_t n = strlen(r.json);
        result_head rh = {h.tag, (int32_t)r.status, (int32_t)r.exit_code, (uint32_t)n};
        if (ap_write_all(result_fd, &rh, sizeof rh) != 0 || ap_write_all(result_fd, r.json, n) != 0)
            _exit(0);
        free(r.json);
        free(msg);
    }
}

ap_pool *ap_pool_new(unsigned max_workers, const ap_build_options *o)
{
    ap_pool *p = ap_xcalloc(1, sizeof *p);
    p->max = max_workers ? max_workers : 1;
    p->cap = p->max;
    p->w = ap_xcalloc(p->max, sizeof *p->w);
    p->o = o;
    return p;
}

static worker *find_idle(ap_pool *p)
{
    for (unsigned i = 0; i < p->max; i++)
        if (p->w[i].pid && !p->w[i].busy)
            return &p->w[i];
    return NULL;
}

bool ap_pool_can_take(const ap_pool *p)
{
    if (p->live < p->cap)
        return true;
    for (unsigned i = 0; i < p->max; i++)
        if (p->w[i].pid && !p->w[i].busy)
            return true;
    return false;
}

size_t ap_pool_in_flight(const ap_pool *p)
{
    size_t n = 0;
    for (unsigned i = 0; i < p->max; i++)
        n += p->w[i].pid && p->w[i].busy;
    return n;
}

static bool start_worker(ap_pool *p, worker *w, char *why, size_t why_size)
{
    int down[2], up[2];
    if (pipe(down) != 0) {
        snprintf(why, why_size, "cannot start a worker: %s", strerror(errno));
        return false;
    }
    if (pipe(up) != 0) {
        snprintf(why, why_size, "cannot start a worker: %s", strerror(errno));
        close(down[0]);
        close(down[1]);
        return false;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, why_size, "cannot start a worker: %s", strerror(errno));
        close(down[0]); close(down[1]); close(up[0]); close(up[1]);
        return false;
    }
    if (pid == 0) {
        /* a worker finishes its case through SIGINT/SIGTERM (the parent
         * decides when to stop) but dies with the parent */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (getppid() != parent)
            _exit(0);
        /* other workers' pipe ends must not stay open here, or those
         * workers would never see their task pipe close */
        for (unsigned i = 0; i < p->max; i++) {
            if (p->w[i].pid) {
                close(p->w[i].task_fd);
                close(p->w[i].result_fd);
            }
        }
        close(down[1]);
        close(up[0]);
        worker_main(down[0], up[1], p->o);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    *w = (worker){.pid = pid, .task_fd = down[1], .result_fd = up[0]};
    p->live++;
    return true;
}

bool ap_pool_submit(ap_pool *p, const ap_pool_task *t, char *why, size_t why_size)
{
    worker *w = find_idle(p);
    if (!w) {
        for (unsigned i = 0; i < p->max && !w && p->live < p->cap; i++)
            if (!p->w[i].pid)
                w = &p->w[i];
        if (!w) {
            snprintf(why, why_size, "every worker is busy");
            return false;
        }
        if (!start_worker(p, w, why, why_size)) {
            /* run with the workers there are */
            if (p->live)
                p->cap = p->live;
            return false;
        }
    }
    w->busy = true;
    w->tag = t->tag;
    w->input = ap_xstrdup(t->input);
    w->output = t->output ? ap_xstrdup(t->output) : NULL;
    w->case_id = t->case_id ? ap_xstrdup(t->case_id) : NULL;
    /* a failed write means the worker is gone; the wait below reports it */
    (void)send_task(w->task_fd, t, p->o->date);
    return true;
}

static void clear_task(worker *w)
{
    free(w->input);
    free(w->output);
    free(w->case_id);
    w->input = w->output = w->case_id = NULL;
    w->busy = false;
}

/* Closes a worker's pipes and reaps it; returns its wait status. */
static int bury(ap_pool *p, worker *w)
{
    close(w->task_fd);
    close(w->result_fd);
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    p->live--;
    return status;
}

/* The report line of a case whose worker died while building it. */
static void report_death(ap_pool *p, worker *w, int status, ap_pool_done_fn done, void *ctx)
{
    if (w->output)
        ap_batch_remove_partials_of(w->output);
    ap_diags diags;
    ap_diags_init(&diags);
    if (WIFSIGNALED(status))
        ap_error_code(&diags, AP_EXIT_SOFTWARE, w->input, 0,
                      "the worker building this case was killed by signal %d (%s) — the batch went on; "
                      "run 'appeal-packet build' on this case alone and report the fault",
                      WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        ap_error_code(&diags, AP_EXIT_SOFTWARE, w->input, 0,
                      "the worker building this case exited with status %d — the batch went on; "
                      "run 'appeal-packet build' on this case alone and report the fault",
                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    ap_batch_record r;
    ap_batch_record_init(&r);
    r.case_id = w->case_id;
    r.input = w->input;
    r.diags = &diags;
    p->last = (ap_pool_result){.tag = w->tag, .status = AP_BATCH_FAILED, .exit_code = AP_EXIT_SOFTWARE,
                               .json = ap_batch_record_json(&r)};
    ap_diags_free(&diags);
    clear_task(w);
    done(ctx, &p->last);
    free(p->last.json);
    p->last.json = NULL;
}

/* Reads one result from a worker whose pipe is readable. */
static void collect(ap_pool *p, worker *w, ap_pool_done_fn done, void *ctx)
{
    result_head h;
    char *json = NULL;
    bool ok = ap_read_full(w->result_fd, &h, sizeof h) && h.len < (1u << 30);
    if (ok) {
        json = ap_xmalloc((size_t)h.len + 1);
        ok = ap_read_full(w->result_fd, json, h.len);
        json[h.len] = '\0';
    }
    if (!ok || !w->busy || h.tag != (uint64_t)w->tag) {
        free(json);
        bool was_busy = w->busy;
        int status = bury(p, w);
        if (was_busy)
            report_death(p, w, status, done, ctx);
        return;
    }
    p->last = (ap_pool_result){.tag = w->tag, .status = (ap_batch_status)h.status, .exit_code = h.exit_code,
                               .json = json};
    clear_task(w);
    done(ctx, &p->last);
    free(p->last.json);
    p->last.json = NULL;
}

int ap_pool_wait(ap_pool *p, int timeout_ms, int extra_fd, ap_pool_done_fn done, void *ctx)
{
    struct pollfd *fds = ap_xcalloc(p->max + 1, sizeof *fds);
    worker **who = ap_xcalloc(p->max + 1, sizeof *who);
    nfds_t n = 0;
    for (unsigned i = 0; i < p->max; i++) {
        if (!p->w[i].pid)
            continue;
        fds[n] = (struct pollfd){.fd = p->w[i].result_fd, .events = POLLIN};
        who[n++] = &p->w[i];
    }
    nfds_t extra = n;
    if (extra_fd >= 0)
        fds[n++] = (struct pollfd){.fd = extra_fd, .events = POLLIN};
    int ready = 0;
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    int r = ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, signals_caught ? &wait_mask : NULL);
    if (r > 0) {
        for (nfds_t i = 0; i < extra; i++)
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                collect(p, who[i], done, ctx);
        if (extra_fd >= 0 && (fds[extra].revents & POLLIN))
            ready = 1;
    }
    free(fds);
    free(who);
    return ready;
}

size_t ap_pool_abort(ap_pool *p, ap_pool_done_fn done, void *ctx)
{
    size_t killed = 0;
    for (unsigned i = 0; i < p->max; i++) {
        worker *w = &p->w[i];
        if (!w->pid || !w->busy)
            continue;
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        /* a result sent just before the kill still counts; the pipe keeps it */
        result_head h;
        if (ap_read_full(w->result_fd, &h, sizeof h) && h.tag == (uint64_t)w->tag && h.len < (1u << 30)) {
            char *json = ap_xmalloc((size_t)h.len + 1);
            if (ap_read_full(w->result_fd, json, h.len)) {
                json[h.len] = '\0';
                p->last = (ap_pool_result){.tag = w->tag, .status = (ap_batch_status)h.status,
                                           .exit_code = h.exit_code, .json = json};
                done(ctx, &p->last);
                p->last.json = NULL;
            } else {
                killed++;
            }
            free(json);
        } else {
            killed++;
        }
        close(w->task_fd);
        close(w->result_fd);
        w->pid = 0;
        p->live--;
        if (w->output)
            ap_batch_remove_partials_of(w->output);
        clear_task(w);
    }
    return killed;
}

void ap_pool_free(ap_pool *p)
{
    if (!p)
        return;
    /* closing the task pipe tells an idle worker to exit; a busy one
     * finishes its case first (nobody reads the result any more) */
    for (unsigned i = 0; i < p->max; i++)
        if (p->w[i].pid)
            close(p->w[i].task_fd);
    for (unsigned i = 0; i < p->max; i++) {
        worker *w = &p->w[i];
        if (!w->pid)
            continue;
        close(w->result_fd);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        if (w->busy && w->output)
            ap_batch_remove_partials_of(w->output);
        clear_task(w);
        w->pid = 0;
    }
    free(p->w);
    free(p);
}
