/* `appeal-packet batch`: gather the cases, find duplicate ids, take this
 * shard's slice, clear leftovers of a crashed run, build with a worker
 * pool, and write the report atomically at the end. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/files.h"
#include "batch/inputs.h"
#include "batch/pool.h"
#include "batch/record.h"
#include "cli_options.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

static const char batch_usage[] =
    "Usage: appeal-packet batch INPUT... -o OUTDIR [OPTIONS]\n"
    "\n"
    "Builds every case into OUTDIR/CASE-ID.pdf with parallel workers and writes\n"
    "one JSON line per case to the report.\n"
    "\n"
    "INPUT is a case file; a folder (every case.xml below it, or if there is\n"
    "none, every *.xml directly in it); @MANIFEST, a file with one case path\n"
    "or folder per line (blank lines and lines starting with # are ignored,\n"
    "relative paths are relative to the manifest); or - for a manifest on stdin.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR   where the packets go (created if missing)\n"
    "  -j, --jobs N          worker processes (default: the number of CPUs)\n"
    "      --manifest FILE   read case paths from FILE (- for stdin); repeatable\n"
    "      --shard K/N       build only the K-th of N slices (cases whose position\n"
    "                        in the sorted input list, counted from 0, is K-1 mod N)\n"
    "      --report FILE     the JSON lines report (default: OUTDIR/report.jsonl,\n"
    "                        or OUTDIR/report-K-of-N.jsonl with --shard)\n"
    "      --force           rebuild packets that are up to date\n"
    "      --date, --a4, --letter, --templates, --fonts, --fast-images, --base-dir\n"
    "                        as for build\n"
    "  -h, --help            this help\n"
    "\n"
    "A packet is up to date when it is newer than its case file and every scan\n"
    "and signature image the case names; such a case is reported \"skipped\".\n"
    "SIGINT or SIGTERM stops handing out cases, lets the ones in progress\n"
    "finish, writes the report and exits 130 or 143; a second signal kills the\n"
    "cases in progress instead of waiting.\n"
    "\n"
    "Exit codes: 0 every case built or skipped, 65 some case invalid, 70 a case\n"
    "failed internally (70 wins over 74), 74 a packet or the report could not be\n"
    "written, 64 usage, 66 an INPUT does not exist or no case was found,\n"
    "73 OUTDIR cannot be created. Details: docs/batch.md.\n";

enum { OPT_SHARD = 2000, OPT_REPORT, OPT_FORCE, OPT_MANIFEST };

typedef struct {
    const char *outdir, *report;
    unsigned jobs;
    unsigned shard_k, shard_n;  /* 1-based K of N; N = 0: no sharding */
    bool force;
} batch_args;

static int usage_error(const char *msg, const char *arg)
{
    fputs("appeal-packet batch: ", stderr);
    fprintf(stderr, msg, arg);
    fputs("\nTry 'appeal-packet batch --help'.\n", stderr);
    return AP_EXIT_USAGE;
}

static bool parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '/')
        return false;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (errno || end == t || *end || b < 1 || b > 1000000 || a < 1 || a > b)
        return false;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return true;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- duplicate ids ------------------------------------------------------ */

static const ap_batch_inputs *sort_inputs;

static int cmp_by_id(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_inputs->items[x].id, sort_inputs->items[y].id);
    return c ? c : (x < y ? -1 : x > y);
}

/* For every input whose id another input also uses, the list of the others'
 * paths (NULL for unique ids); the caller frees each and the array. */
static char **find_duplicates(const ap_batch_inputs *in)
{
    char **dups = ap_xcalloc(in->n ? in->n : 1, sizeof *dups);
    size_t *order = ap_xcalloc(in->n ? in->n : 1, sizeof *order);
    for (size_t i = 0; i < in->n; i++)
        order[i] = i;
    sort_inputs = in;
    qsort(order, in->n, sizeof *order, cmp_by_id);
    for (size_t g = 0; g < in->n;) {
        size_t e = g + 1;
        while (e < in->n && !strcmp(in->items[order[e]].id, in->items[order[g]].id))
            e++;
        if (e - g > 1 && in->items[order[g]].id[0]) {
            for (size_t i = g; i < e; i++) {
                /* name up to three of the others, then count the rest */
                char *list = NULL;
                size_t named = 0;
                for (size_t j = g; j < e; j++) {
                    if (j == i)
                        continue;
                    char *next;
                    if (named == 3)
                        next = ap_xasprintf("%s and %zu more", list, e - g - 1 - named);
                    else
                        next = list ? ap_xasprintf("%s, %s", list, in->items[order[j]].path)
                                    : ap_xstrdup(in->items[order[j]].path);
                    free(list);
                    list = next;
                    if (named++ == 3)
                        break;
                }
                dups[order[i]] = list;
            }
        }
        g = e;
    }
    free(order);
    return dups;
}

/* The line of the root element, for pointing at the duplicated id= (0 if unknown). */
static long root_line(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long line = 1;
    int c, prev = 0;
    bool in_decl = false;
    /* the first '<' that opens neither a declaration, a comment nor a processing instruction */
    while ((c = fgetc(f)) != EOF) {
        if (c == '\n')
            line++;
        if (prev == '<' && c != '?' && c != '!' && !in_decl)
            break;
        if (prev == '<')
            in_decl = true;
        if (c == '>')
            in_decl = false;
        prev = c;
    }
    fclose(f);
    return c == EOF ? 0 : line;
}

/* ---- the run ------------------------------------------------------------ */

typedef struct {
    char **lines;           /* report line per selected case (NULL: not finished) */
    ap_batch_tally tally;
    size_t done, total;
    double start;
    bool progress;          /* stderr is a terminal */
} run_state;

static void show_progress(run_state *s)
{
    if (!s->progress)
        return;
    double secs = now_seconds() - s->start;
    double rate = secs > 0 ? s->done * 60.0 / secs : 0;
    char eta[32] = "--:--";
    if (s->done > 0 && s->done < s->total) {
        long left = (long)((s->total - s->done) * secs / s->done + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    } else if (s->done == s->total) {
        snprintf(eta, sizeof eta, "0:00");
    }
    fprintf(stderr, "\r\033[K%zu/%zu cases, %.0f cases/min, ETA %s", s->done, s->total, rate, eta);
    fflush(stderr);
}

static void record_line(run_state *s, size_t slot, char *line, ap_batch_status st, int exit_code)
{
    s->lines[slot] = line;
    ap_batch_tally_add(&s->tally, st, exit_code);
    s->done++;
}

static void on_done(void *ctx, const ap_pool_result *r)
{
    run_state *s = ctx;
    record_line(s, r->tag, ap_xstrdup(r->json), r->status, r->exit_code);
    show_progress(s);
}

/* The report line of a case rejected before building (duplicate id). */
static char *duplicate_line(const ap_batch_input *it, const char *others)
{
    ap_diags diags;
    ap_diags_init(&diags);
    ap_error(&diags, it->path, root_line(it->path),
             "case id %s is also the id of %s — give each case its own id; none of them is built", it->id,
             others);
    ap_batch_record r;
    ap_batch_record_init(&r);
    r.case_id = it->id;
    r.input = it->path;
    r.status = AP_BATCH_INVALID;
    r.exit_code = AP_EXIT_DATAERR;
    r.diags = &diags;
    char *line = ap_batch_record_json(&r);
    ap_diags_free(&diags);
    return line;
}

/* A failed case whose worker could not even be started. */
static char *unstarted_line(const ap_batch_input *it, const char *why)
{
    ap_diags diags;
    ap_diags_init(&diags);
    ap_error_code(&diags, AP_EXIT_SOFTWARE, it->path, 0, "%s", why);
    ap_batch_record r;
    ap_batch_record_init(&r);
    r.case_id = it->id[0] ? it->id : NULL;
    r.input = it->path;
    r.diags = &diags;
    char *line = ap_batch_record_json(&r);
    ap_diags_free(&diags);
    return line;
}

typedef struct {
    char **targets;  /* sorted file names this run may write in OUTDIR */
    size_t n;
} target_set;

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* keep() for stale-file removal with --shard: only this shard's targets are ours. */
static bool not_ours(const char *target, size_t len, void *ctx)
{
    const target_set *t = ctx;
    char *name = strndup(target, len);
    bool ours = name && bsearch(&name, t->targets, t->n, sizeof *t->targets, cmp_strp);
    free(name);
    return !ours;
}

static int parse_batch_args(int argc, char **argv, ap_build_options *o, batch_args *a, ap_batch_inputs *in)
{
    static const struct option extra[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"report", required_argument, NULL, OPT_REPORT},
        {"force", no_argument, NULL, OPT_FORCE},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {NULL, 0, NULL, 0},
    };
    struct option *longopts = ap_cli_merge(extra);
    int rc = -1, ch;
    optind = 1;
    bool any_manifest = false;
    while (rc < 0 && (ch = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': a->outdir = optarg; break;
        case 'j': if (!ap_batch_parse_jobs(optarg, &a->jobs)) rc = AP_EXIT_USAGE; break;
        case OPT_SHARD:
            if (!parse_shard(optarg, &a->shard_k, &a->shard_n))
                rc = usage_error("--shard '%s' is not K/N with 1 <= K <= N", optarg);
            break;
        case OPT_REPORT: a->report = optarg; break;
        case OPT_FORCE: a->force = true; break;
        case OPT_MANIFEST:
            any_manifest = true;
            if (!ap_batch_inputs_add_manifest(in, optarg))
                rc = AP_EXIT_NOINPUT;
            break;
        case 'h': case AP_OPT_HELP: fputs(batch_usage, stdout); rc = AP_EXIT_OK; break;
        case '?': rc = AP_EXIT_USAGE; fputs("Try 'appeal-packet batch --help'.\n", stderr); break;
        default:
            if (!ap_cli_apply(ch, optarg, o))
                rc = AP_EXIT_USAGE;
        }
    }
    free(longopts);
    if (rc >= 0)
        return rc;
    if (!a->outdir)
        return usage_error("%s", "batch needs -o OUTDIR");
    if (optind >= argc && !any_manifest)
        return usage_error("%s", "batch needs at least one INPUT (case file, folder, @MANIFEST or -)");
    for (int i = optind; i < argc; i++)
        if (!ap_batch_inputs_add_arg(in, argv[i]))
            return AP_EXIT_NOINPUT;
    return -1;
}

int ap_batch_main(int argc, char **argv)
{
    ap_build_options o;
    ap_build_options_init(&o);
    if (!ap_cli_default_date(&o.date))
        return AP_EXIT_USAGE;
    batch_args a = {.jobs = ap_batch_default_jobs()};
    ap_batch_inputs in = {0};
    int rc = parse_batch_args(argc, argv, &o, &a, &in);
    if (rc >= 0) {
        ap_batch_inputs_free(&in);
        return rc;
    }
    double start = now_seconds();
    ap_batch_inputs_finish(&in);
    if (in.n == 0) {
        fputs("appeal-packet batch: no case files found — see 'appeal-packet batch --help' for what an INPUT may be\n",
              stderr);
        ap_batch_inputs_free(&in);
        return AP_EXIT_NOINPUT;
    }
    if (!ap_batch_mkdirs(a.outdir)) {
        fprintf(stderr, "appeal-packet batch: cannot create %s: %s\n", a.outdir, strerror(errno));
        ap_batch_inputs_free(&in);
        return AP_EXIT_CANTCREAT;
    }
    char *report = a.report ? ap_xstrdup(a.report)
                   : a.shard_n ? ap_xasprintf("%s/report-%u-of-%u.jsonl", a.outdir, a.shard_k, a.shard_n)
                               : ap_batch_path_join(a.outdir, "report.jsonl");

    /* duplicates are judged over every input, so each shard agrees on them */
    char **dups = find_duplicates(&in);
    size_t *sel = ap_xcalloc(in.n, sizeof *sel);
    size_t n_sel = 0;
    for (size_t i = 0; i < in.n; i++)
        if (!a.shard_n || i % a.shard_n == a.shard_k - 1)
            sel[n_sel++] = i;

    /* outputs: OUTDIR/ID.pdf for a usable id that is not shared */
    char **outputs = ap_xcalloc(n_sel ? n_sel : 1, sizeof *outputs);
    target_set ours = {ap_xcalloc(n_sel + 1, sizeof(char *)), 0};
    for (size_t s = 0; s < n_sel; s++) {
        const ap_batch_input *it = &in.items[sel[s]];
        if (it->id[0] && it->id[0] != '.' && !dups[sel[s]]) {
            outputs[s] = ap_xasprintf("%s/%s.pdf", a.outdir, it->id);
            ours.targets[ours.n++] = ap_xasprintf("%s.pdf", it->id);
        }
    }
    ours.targets[ours.n++] = ap_xstrdup(ap_batch_basename(report));
    qsort(ours.targets, ours.n, sizeof *ours.targets, cmp_strp);

    /* leftovers of a run that was killed: every temporary file in OUTDIR,
     * or with --shard only those of this shard's packets (other shards may
     * be writing into the same folder right now) */
    ap_batch_remove_partials(a.outdir, a.shard_n ? not_ours : NULL, &ours);
    ap_batch_remove_partials_of(report);

    run_state st = {.lines = ap_xcalloc(n_sel ? n_sel : 1, sizeof(char *)), .total = n_sel,
                    .start = start, .progress = isatty(STDERR_FILENO) == 1};
    for (size_t s = 0; s < n_sel; s++) {
        const ap_batch_input *it = &in.items[sel[s]];
        if (dups[sel[s]])
            record_line(&st, s, duplicate_line(it, dups[sel[s]]), AP_BATCH_INVALID, AP_EXIT_DATAERR);
    }

    ap_batch_catch_signals();
    ap_pool *pool = ap_pool_new(a.jobs, &o);
    size_t next = 0;
    char why[512];
    show_progress(&st);
    for (;;) {
        while (!ap_batch_stop_signal() && next < n_sel && ap_pool_can_take(pool)) {
            size_t s = next;
            const ap_batch_input *it = &in.items[sel[s]];
            if (st.lines[s]) {
                next++;
                continue;
            }
            ap_pool_task t = {.tag = s, .input = it->path, .output = outputs[s],
                              .case_id = it->id[0] ? it->id : NULL, .force = a.force};
            if (ap_pool_submit(pool, &t, why, sizeof why)) {
                next++;
            } else if (ap_pool_in_flight(pool) == 0) {
                record_line(&st, s, unstarted_line(it, why), AP_BATCH_FAILED, AP_EXIT_SOFTWARE);
                next++;
            } else {
                break;
            }
        }
        while (next < n_sel && st.lines[next])
            next++;
        if (ap_pool_in_flight(pool) == 0 && (next >= n_sel || ap_batch_stop_signal()))
            break;
        if (ap_batch_stop_count() >= 2) {
            ap_pool_abort(pool, on_done, &st);
            break;
        }
        ap_pool_wait(pool, st.progress ? 1000 : -1, -1, on_done, &st);
        show_progress(&st);
    }
    ap_pool_free(pool);
    if (st.progress)
        fputs("\r\033[K", stderr);

    /* the report: finished cases in input order, replaced in one rename */
    char **lines = ap_xcalloc(n_sel ? n_sel : 1, sizeof *lines);
    size_t n_lines = 0;
    for (size_t s = 0; s < n_sel; s++)
        if (st.lines[s])
            lines[n_lines++] = st.lines[s];
    int wrc = ap_batch_write_lines(report, lines, n_lines, why, sizeof why);
    if (wrc != AP_EXIT_OK) {
        fprintf(stderr, "appeal-packet batch: %s\n", why);
        st.tally.io = true;
    }
    free(lines);

    int sig = ap_batch_stop_signal();
    fputs("appeal-packet batch: ", stderr);
    if (sig)
        fprintf(stderr, "stopped by %s, %zu not built: ", sig == SIGINT ? "SIGINT" : "SIGTERM", n_sel - st.done);
    ap_batch_tally_print(&st.tally, now_seconds() - start, stderr);
    fprintf(stderr, "; report %s\n", wrc == AP_EXIT_OK ? report : "not written");
    rc = sig ? 128 + sig : ap_batch_tally_exit(&st.tally);

    for (size_t s = 0; s < n_sel; s++) {
        free(st.lines[s]);
        free(outputs[s]);
    }
    for (size_t i = 0; i < ours.n; i++)
        free(ours.targets[i]);
    for (size_t i = 0; i < in.n; i++)
        free(dups[i]);
    free(ours.targets);
    free(st.lines);
    free(outputs);
    free(sel);
    free(dups);
    free(report);
    ap_batch_inputs_free(&in);
    return rc;
}
