/* `appeal-packet watch`: a hot folder. Cases dropped into INBOX (a case
 * file closed after writing or moved in, or a case folder moved in) are
 * built by the worker pool; each is then moved to INBOX/done or
 * INBOX/failed and its report line appended to the report. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/files.h"
#include "batch/inputs.h"
#include "batch/pool.h"
#include "batch/record.h"
#include "cli_options.h"
#include "util/exitcodes.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char watch_usage[] =
    "Usage: appeal-packet watch INBOX -o OUTDIR [OPTIONS]\n"
    "\n"
    "Builds every case dropped into INBOX into OUTDIR/CASE-ID.pdf, then moves the\n"
    "case to INBOX/done (built) or INBOX/failed (invalid or failed) and appends its\n"
    "line to the report. A case is a NAME.xml written into INBOX (taken when the\n"
    "writer closes it) or moved in, or a folder moved into INBOX with the case at\n"
    "FOLDER/case.xml and its scans beside it (the whole folder is moved on).\n"
    "Hidden names (starting with '.') are ignored, so write elsewhere or under a\n"
    "hidden name and rename into place. Cases already in INBOX are taken at start.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR   where the packets go (created if missing)\n"
    "  -j, --jobs N          worker processes (default: the number of CPUs)\n"
    "      --once            take the cases in INBOX now, then exit\n"
    "      --report FILE     the JSON lines report, appended to\n"
    "                        (default: OUTDIR/report.jsonl)\n"
    "      --date, --a4, --letter, --templates, --fonts, --fast-images, --base-dir\n"
    "                        as for build (without --date: the day each case is built)\n"
    "  -h, --help            this help\n"
    "\n"
    "SIGINT or SIGTERM: the cases in progress finish and are moved, then watch\n"
    "exits 0 (a second signal kills them; they stay in INBOX). With --once the exit\n"
    "code is that of batch: 0, 65 if a case was invalid, 70 or 74 on failures.\n"
    "Details: docs/batch.md.\n";

enum { OPT_ONCE = 3000, OPT_REPORT };

typedef enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY } slot_state;

typedef struct {
    slot_state state;
    unsigned long seq;   /* arrival order */
    char *name;          /* entry in INBOX */
    bool is_dir;
    char *input, *output;
    char id[128];
} slot;

typedef struct {
    const char *inbox, *outdir, *report;
    bool once, date_given;
    ap_build_options *o;
    slot *s;
    size_t n;
    unsigned long next_seq;
    ap_batch_tally tally;
} watcher;

static bool ignored_name(const char *name)
{
    return name[0] == '.' || !strcmp(name, "done") || !strcmp(name, "failed");
}

static bool xml_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, ".xml");
}

/* Queues an INBOX entry unless it is queued or being built already. */
static void enqueue(watcher *w, const char *name, bool is_dir)
{
    if (ignored_name(name) || (!is_dir && !xml_name(name)))
        return;
    slot *free_slot = NULL;
    for (size_t i = 0; i < w->n; i++) {
        if (w->s[i].state != SLOT_FREE && !strcmp(w->s[i].name, name))
            return;
        if (w->s[i].state == SLOT_FREE && !free_slot)
            free_slot = &w->s[i];
    }
    if (!free_slot) {
        w->s = ap_xrealloc(w->s, (w->n + 1) * sizeof *w->s);
        free_slot = &w->s[w->n++];
    }
    *free_slot = (slot){.state = SLOT_QUEUED, .seq = w->next_seq++, .name = ap_xstrdup(name), .is_dir = is_dir};
}

static void release(slot *s)
{
    free(s->name);
    free(s->input);
    free(s->output);
    *s = (slot){.state = SLOT_FREE};
}

/* Queues every case entry now in INBOX, in name order. */
static void scan_inbox(watcher *w)
{
    struct dirent **list = NULL;
    int n = scandir(w->inbox, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char *p = ap_batch_path_join(w->inbox, list[i]->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
            enqueue(w, list[i]->d_name, S_ISDIR(st.st_mode));
        free(p);
        free(list[i]);
    }
    free(list);
}

/* A free name for NAME in folder dest: NAME, else NAME-2, NAME-3 ...
 * (before the .xml of a case file). Caller frees. */
static char *free_name(const char *dest, const char *name, bool is_dir)
{
    size_t stem = strlen(name);
    if (!is_dir && xml_name(name))
        stem -= 4;
    for (unsigned k = 1;; k++) {
        char *p = k == 1 ? ap_xasprintf("%s/%s", dest, name)
                         : ap_xasprintf("%s/%.*s-%u%s", dest, (int)stem, name, k, name + stem);
        struct stat st;
        if (lstat(p, &st) != 0 && errno == ENOENT)
            return p;
        free(p);
    }
}

static void log_case(const slot *s, const char *status, const char *moved_to, const char *output)
{
    if (output)
        fprintf(stderr, "appeal-packet watch: %s: %s %s, moved to %s\n", s->name, status, output, moved_to);
    else
        fprintf(stderr, "appeal-packet watch: %s: %s (see the report), moved to %s\n", s->name, status, moved_to);
}

/* Appends the report line (with moved_to added) and moves the case on. */
static void finish(watcher *w, slot *s, const char *json, ap_batch_status st, int exit_code)
{
    ap_batch_tally_add(&w->tally, st, exit_code);
    bool good = st == AP_BATCH_BUILT || st == AP_BATCH_SKIPPED;
    char *dest_dir = ap_xasprintf("%s/%s", w->inbox, good ? "done" : "failed");
    char *dest = free_name(dest_dir, s->name, s->is_dir);
    /* the line from the worker is one object: add moved_to before its last brace */
    char *line = NULL;
    size_t len = 0;
    FILE *f = ap_xmemstream(&line, &len);
    size_t n = strlen(json);
    fwrite(json, 1, n ? n - 1 : 0, f);
    fputs(", \"moved_to\": ", f);
    ap_json_string(f, dest);
    fputc('}', f);
    fclose(f);
    char why[512];
    /* the line first: a crash between the two leaves the case in INBOX to be
     * built again (a repeated line), never a moved case without its line */
    if (ap_batch_append_line(w->report, line, why, sizeof why) != AP_EXIT_OK) {
        fprintf(stderr, "appeal-packet watch: %s\n", why);
        w->tally.io = true;
    }
    char *from = ap_batch_path_join(w->inbox, s->name);
    if (rename(from, dest) != 0) {
        fprintf(stderr, "appeal-packet watch: cannot move %s to %s: %s\n", from, dest, strerror(errno));
        w->tally.io = true;
    }
    log_case(s, ap_batch_status_name(st), dest, good ? s->output : NULL);
    free(from);
    free(line);
    free(dest);
    free(dest_dir);
    release(s);
}

static void on_done(void *ctx, const ap_pool_result *r)
{
    watcher *w = ctx;
    finish(w, &w->s[r->tag], r->json, r->status, r->exit_code);
}

/* A dropped folder without case.xml: reported and moved to failed/ at once. */
static void finish_no_case(watcher *w, slot *s)
{
    ap_diags diags;
    ap_diags_init(&diags);
    ap_error_code(&diags, AP_EXIT_NOINPUT, s->input, 0,
                  "the folder has no case.xml — name the case file %s/case.xml, with its scans beside it", s->name);
    ap_batch_record r;
    ap_batch_record_init(&r);
    r.input = s->input;
    r.status = AP_BATCH_INVALID;
    r.exit_code = AP_EXIT_NOINPUT;
    r.diags = &diags;
    char *json = ap_batch_record_json(&r);
    finish(w, s, json, AP_BATCH_INVALID, AP_EXIT_NOINPUT);
    free(json);
    ap_diags_free(&diags);
}

/* True when the folder holds a *.xml file directly (a case under the wrong name). */
static bool has_xml(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(d)))
        found = e->d_name[0] != '.' && xml_name(e->d_name);
    closedir(d);
    return found;
}

/* The queued slot that arrived first, or NULL. */
static slot *next_queued(watcher *w)
{
    slot *best = NULL;
    for (size_t i = 0; i < w->n; i++)
        if (w->s[i].state == SLOT_QUEUED && (!best || w->s[i].seq < best->seq))
            best = &w->s[i];
    return best;
}

/* Hands queued cases to the pool while it has room. */
static void dispatch(watcher *w, ap_pool *pool)
{
    slot *s;
    while (!ap_batch_stop_signal() && ap_pool_can_take(pool) && (s = next_queued(w))) {
        char *path = ap_batch_path_join(w->inbox, s->name);
        struct stat st;
        if (lstat(path, &st) != 0) {
            /* gone again (moved away or deleted before its turn) */
            free(path);
            release(s);
            continue;
        }
        if (s->is_dir) {
            s->input = ap_batch_path_join(path, "case.xml");
            free(path);
            if (stat(s->input, &st) != 0 || !S_ISREG(st.st_mode)) {
                free(s->input);
                s->input = ap_batch_path_join(w->inbox, s->name);
                if (has_xml(s->input)) {
                    finish_no_case(w, s);
                } else {
                    /* no case here at all: say, the scans of lone case files */
                    fprintf(stderr, "appeal-packet watch: %s: no case.xml and no *.xml, left in place\n",
                            s->name);
                    release(s);
                }
                continue;
            }
        } else {
            s->input = path;
        }
        if (ap_case_peek_id(s->input, s->id, sizeof s->id) && s->id[0] != '.')
            s->output = ap_xasprintf("%s/%s.pdf", w->outdir, s->id);
        else
            s->id[0] = '\0';
        /* a new date each day for a long-running watch without --date */
        if (!w->date_given)
            ap_cli_default_date(&w->o->date);
        ap_pool_task t = {.tag = (size_t)(s - w->s), .input = s->input, .output = s->output,
                          .case_id = s->id[0] ? s->id : NULL, .force = true};
        char why[512];
        if (!ap_pool_submit(pool, &t, why, sizeof why)) {
            if (ap_pool_in_flight(pool) > 0) {
                /* retry when a worker is free */
                free(s->input);
                free(s->output);
                s->input = s->output = NULL;
                break;
            }
            fprintf(stderr, "appeal-packet watch: %s\n", why);
            ap_diags diags;
            ap_diags_init(&diags);
            ap_error_code(&diags, AP_EXIT_SOFTWARE, s->input, 0, "%s", why);
            ap_batch_record r;
            ap_batch_record_init(&r);
            r.input = s->input;
            r.case_id = s->id[0] ? s->id : NULL;
            r.diags = &diags;
            char *json = ap_batch_record_json(&r);
            finish(w, s, json, AP_BATCH_FAILED, AP_EXIT_SOFTWARE);
            free(json);
            ap_diags_free(&diags);
            continue;
        }
        s->state = SLOT_BUSY;
    }
}

/* Reads pending inotify events and queues what they announce; false when
 * INBOX itself went away. */
static bool read_events(watcher *w, int fd)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(fd, buf, sizeof buf);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0)
            return true;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->mask & IN_Q_OVERFLOW)
                scan_inbox(w);
            if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
                return false;
            if (ev->len && (ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_TO))
                enqueue(w, ev->name, true);
            else if (ev->len && !(ev->mask & IN_ISDIR) && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
                enqueue(w, ev->name, false);
            p += sizeof *ev + ev->len;
        }
    }
}

static int usage_error(const char *msg, const char *arg)
{
    fputs("appeal-packet watch: ", stderr);
    fprintf(stderr, msg, arg);
    fputs("\nTry 'appeal-packet watch --help'.\n", stderr);
    return AP_EXIT_USAGE;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ap_watch_main(int argc, char **argv)
{
    ap_build_options o;
    ap_build_options_init(&o);
    if (!ap_cli_default_date(&o.date))
        return AP_EXIT_USAGE;
    static const struct option extra[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"once", no_argument, NULL, OPT_ONCE},
        {"report", required_argument, NULL, OPT_REPORT},
        {NULL, 0, NULL, 0},
    };
    watcher w = {.o = &o};
    unsigned jobs = ap_batch_default_jobs();
    struct option *longopts = ap_cli_merge(extra);
    int rc = -1, ch;
    optind = 1;
    while (rc < 0 && (ch = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': w.outdir = optarg; break;
        case 'j': if (!ap_batch_parse_jobs(optarg, &jobs)) rc = AP_EXIT_USAGE; break;
        case OPT_ONCE: w.once = true; break;
        case OPT_REPORT: w.report = optarg; break;
        case 'h': case AP_OPT_HELP: fputs(watch_usage, stdout); rc = AP_EXIT_OK; break;
        case '?': rc = AP_EXIT_USAGE; fputs("Try 'appeal-packet watch --help'.\n", stderr); break;
        default:
            if (ch == AP_OPT_DATE)
                w.date_given = true;
            if (!ap_cli_apply(ch, optarg, &o))
                rc = AP_EXIT_USAGE;
        }
    }
    free(longopts);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s", "watch needs an INBOX folder");
    if (optind + 1 < argc)
        return usage_error("unexpected argument '%s' (one INBOX)", argv[optind + 1]);
    if (!w.outdir)
        return usage_error("%s", "watch needs -o OUTDIR");
    w.inbox = argv[optind];
    struct stat st;
    if (stat(w.inbox, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "appeal-packet watch: %s is not a folder — create it or name the inbox folder\n", w.inbox);
        return AP_EXIT_NOINPUT;
    }
    char *done_dir = ap_batch_path_join(w.inbox, "done"), *failed_dir = ap_batch_path_join(w.inbox, "failed");
    char *report = w.report ? ap_xstrdup(w.report) : ap_batch_path_join(w.outdir, "report.jsonl");
    w.report = report;
    rc = AP_EXIT_OK;
    const char *bad_dir = !ap_batch_mkdirs(w.outdir) ? w.outdir
                          : !ap_batch_mkdirs(done_dir) ? done_dir
                          : !ap_batch_mkdirs(failed_dir) ? failed_dir : NULL;
    if (bad_dir) {
        fprintf(stderr, "appeal-packet watch: cannot create %s: %s\n", bad_dir, strerror(errno));
        rc = AP_EXIT_CANTCREAT;
        goto out;
    }
    /* leftovers of a watch that was killed (one watch per OUTDIR) */
    ap_batch_remove_partials(w.outdir, NULL, NULL);

    int fd = -1;
    if (!w.once) {
        /* watch before the first scan, so nothing dropped in between is missed */
        fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0 || inotify_add_watch(fd, w.inbox, IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF |
                                                         IN_MOVE_SELF | IN_ONLYDIR) < 0) {
            fprintf(stderr, "appeal-packet watch: cannot watch %s: %s\n", w.inbox, strerror(errno));
            if (fd >= 0)
                close(fd);
            rc = AP_EXIT_SOFTWARE;
            goto out;
        }
    }
    double start = now_seconds();
    ap_batch_catch_signals();
    ap_pool *pool = ap_pool_new(jobs, &o);
    scan_inbox(&w);
    bool inbox_gone = false;
    if (!w.once)
        fprintf(stderr, "appeal-packet watch: watching %s\n", w.inbox);
    for (;;) {
        dispatch(&w, pool);
        bool idle = ap_pool_in_flight(pool) == 0;
        if (idle && (ap_batch_stop_signal() || inbox_gone || (w.once && !next_queued(&w))))
            break;
        if (ap_batch_stop_count() >= 2) {
            ap_pool_abort(pool, on_done, &w);
            break;
        }
        if (ap_pool_wait(pool, -1, inbox_gone || ap_batch_stop_signal() ? -1 : fd, on_done, &w) == 1 &&
            !read_events(&w, fd)) {
            fprintf(stderr, "appeal-packet watch: %s was removed or moved — stopping\n", w.inbox);
            inbox_gone = true;
        }
    }
    ap_pool_free(pool);
    if (fd >= 0)
        close(fd);
    fputs("appeal-packet watch: ", stderr);
    if (ap_batch_stop_signal())
        fprintf(stderr, "stopped by %s: ", ap_batch_stop_signal() == SIGINT ? "SIGINT" : "SIGTERM");
    ap_batch_tally_print(&w.tally, now_seconds() - start, stderr);
    fprintf(stderr, "; report %s\n", report);
    if (inbox_gone)
        rc = AP_EXIT_NOINPUT;
    else if (w.once)
        rc = ap_batch_stop_signal() ? 128 + ap_batch_stop_signal() : ap_batch_tally_exit(&w.tally);
    else
        rc = w.tally.io ? AP_EXIT_IOERR : AP_EXIT_OK;
out:
    for (size_t i = 0; i < w.n; i++)
        release(&w.s[i]);
    free(w.s);
    free(report);
    free(done_dir);
    free(failed_dir);
    return rc;
}
