/* Semantic checks of a loaded case: ids, references, dates, completeness,
 * and every scan's path (inside the case folder) and header. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/check.h"
#include "case/limits.h"
#include "image/probe.h"
#include "util/arena.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

typedef enum { ID_GUIDELINE, ID_CRITERION, ID_EXHIBIT } id_kind;

static const char *id_kind_name(id_kind k)
{
    return k == ID_GUIDELINE ? "guideline" : k == ID_CRITERION ? "criterion" : "exhibit";
}

typedef struct { const char *id; id_kind kind; int index; long line; } id_entry;

/* Ids in insertion order, found through an open-addressing hash so that a
 * case with very many ids or references is checked in linear time; the
 * list of each kind's ids quoted in messages is built once. */
typedef struct {
    id_entry *items;
    size_t n;
    size_t *slots;   /* 1 + index into items, 0 for an empty slot */
    size_t mask;     /* slot count - 1 (a power of two) */
    char lists[3][300];
    bool listed[3];
} id_table;

static size_t hash_id(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static id_table id_table_new(size_t cap)
{
    id_table t = {0};
    size_t slots = 16;
    while (slots < 2 * cap)
        slots *= 2;
    t.items = ap_xcalloc(cap ? cap : 1, sizeof *t.items);
    t.slots = ap_xcalloc(slots, sizeof *t.slots);
    t.mask = slots - 1;
    return t;
}

static void id_table_free(id_table *t)
{
    free(t->items);
    free(t->slots);
}

static const id_entry *find_id(const id_table *t, const char *id)
{
    if (!id)
        return NULL;
    for (size_t h = hash_id(id) & t->mask; t->slots[h]; h = (h + 1) & t->mask)
        if (strcmp(t->items[t->slots[h] - 1].id, id) == 0)
            return &t->items[t->slots[h] - 1];
    return NULL;
}

static void add_id(const ap_case *c, id_table *t, const char *id, id_kind kind, int index, long line, ap_diags *d)
{
    if (!id || !*id)
        return;
    const id_entry *prev = find_id(t, id);
    if (prev) {
        ap_error(d, c->file, line, "id '%.60s' is already used by the %s at line %ld — give every exhibit, guideline and criterion its own id",
                 id, id_kind_name(prev->kind), prev->line);
        return;
    }
    size_t h = hash_id(id) & t->mask;
    while (t->slots[h])
        h = (h + 1) & t->mask;
    t->slots[h] = t->n + 1;
    t->items[t->n++] = (id_entry){id, kind, index, line};
}

static const char *list_ids(id_table *t, id_kind kind)
{
    char *buf = t->lists[kind];
    size_t size = sizeof t->lists[kind], used = 0;
    if (t->listed[kind])
        return buf;
    t->listed[kind] = true;
    buf[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        if (t->items[i].kind != kind)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", t->items[i].id);
        if (n < 0 || (size_t)n >= size - used) {
            strcpy(buf + size - 4, "...");
            return buf;
        }
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, size, "(none defined)");
    return buf;
}

/* Resolves a reference; reports a missing or wrong-kind target. */
static int resolve(const ap_case *c, id_table *t, const char *id, id_kind want, const char *what, long line, ap_diags *d)
{
    if (!id)
        return -1;
    const id_entry *e = find_id(t, id);
    if (e && e->kind == want)
        return e->index;
    const char *ids = list_ids(t, want);
    if (e)
        ap_error(d, c->file, line, "%s refers to '%.60s', which is a %s, not an %s — use one of the %s ids: %s",
                 what, id, id_kind_name(e->kind), id_kind_name(want), id_kind_name(want), ids);
    else
        ap_error(d, c->file, line, "%s refers to %s '%.60s', which does not exist — use one of: %s",
                 what, id_kind_name(want), id, ids);
    return -1;
}

static void resolve_paragraphs(const ap_case *c, id_table *t, ap_paragraph *ps, size_t n, ap_diags *d)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ps[i].n_runs; k++) {
            ap_run *run = &ps[i].runs[k];
            if (run->kind == AP_RUN_REF_EXHIBIT)
                run->target = resolve(c, t, run->text, ID_EXHIBIT, "<ref exhibit>", run->line, d);
            else if (run->kind == AP_RUN_REF_GUIDELINE)
                run->target = resolve(c, t, run->text, ID_GUIDELINE, "<ref guideline>", run->line, d);
        }
}

static bool safe_case_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > AP_CASE_ID_MAX || id[0] == '.' || id[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            return false;
    }
    return true;
}

static bool npi_valid(const char *npi)
{
    if (!npi || strlen(npi) != 10)
        return false;
    /* Luhn over "80840" + the first nine digits (CMS NPI check digit) */
    char full[16] = "80840";
    memcpy(full + 5, npi, 10);
    full[15] = '\0';
    int sum = 0;
    for (int i = 14, dbl = 0; i >= 0; i--, dbl = !dbl) {
        if (full[i] < '0' || full[i] > '9')
            return false;
        int v = full[i] - '0';
        if (dbl) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* ---- scans ---- */

static bool has_dotdot(const char *src)
{
    const char *p = src;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return true;
        if (!slash)
            break;
        p = slash + 1;
    }
    return false;
}

static void check_scan(ap_case *c, ap_page *pg, const char *base, const char *what, ap_diags *d)
{
    const char *src = pg->src;
    if (!src || !*src)
        return; /* the schema reports it */
    if (src[0] == '/') {
        ap_error(d, c->file, pg->line, "%s src '%.200s' is an absolute path — make it relative to the case file's folder", what, src);
        return;
    }
    if (has_dotdot(src)) {
        ap_error(d, c->file, pg->line, "%s src '%.200s' uses '..' to leave the case folder — keep scans inside the case folder", what, src);
        return;
    }
    char *joined = ap_xasprintf("%s/%s", c->dir, src);
    char real[PATH_MAX];
    if (!realpath(joined, real)) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            ap_error(d, c->file, pg->line, "%s src '%.200s' does not exist — check the file name (paths are relative to the case file's folder)", what, src);
        else
            ap_error(d, c->file, pg->line, "%s src '%.200s' cannot be resolved: %s — check the file and its permissions", what, src, strerror(err));
        free(joined);
        return;
    }
    free(joined);
    size_t blen = strlen(base);
    if (strncmp(real, base, blen) != 0 || (real[blen] != '/' && strcmp(base, "/") != 0)) {
        ap_error(d, c->file, pg->line, "%s src '%.200s' leads outside the case folder through a symbolic link — copy the scan into the case folder", what, src);
        return;
    }
    pg->path = ap_arena_strdup(c->arena, real);

    int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        ap_error(d, c->file, pg->line, "%s src '%.200s' cannot be opened: %s — check its permissions", what, src, strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ap_error(d, c->file, pg->line, "%s src '%.200s' is not a regular file — point it at a PNG or JPEG scan", what, src);
        close(fd);
        return;
    }
    char why[300];
    if (!ap_image_probe_fd(fd, &pg->info, why, sizeof why))
        ap_error(d, c->file, pg->line, "%s src '%.200s': %s", what, src, why);
    close(fd);
}

void ap_case_check(ap_case *c, const ap_load_options *opt, ap_diags *d)
{
    /* the case folder and the folder scans may not leave */
    char *copy = ap_xstrdup(c->file);
    char real_dir[PATH_MAX], real_base[PATH_MAX];
    if (!realpath(dirname(copy), real_dir)) {
        ap_error_code(d, AP_EXIT_NOINPUT, c->file, 0, "cannot resolve the case file's folder: %s", strerror(errno));
        free(copy);
        return;
    }
    free(copy);
    c->dir = ap_arena_strdup(c->arena, real_dir);
    if (opt->base_dir) {
        if (!realpath(opt->base_dir, real_base)) {
            ap_error_code(d, AP_EXIT_NOINPUT, opt->base_dir, 0, "the base folder given with --base-dir cannot be resolved: %s", strerror(errno));
            return;
        }
    } else {
        strcpy(real_base, real_dir);
    }

    if (c->case_id && !safe_case_id(c->case_id))
        ap_error(d, c->file, c->line,
                 "the case id (id= on <appeal>) must be 1 to %d letters, digits, '-', '_' or '.', not starting with '.' or '-' — it names the output file; use an id like CASE-2026-0417",
                 AP_CASE_ID_MAX);

    /* limits that keep a hostile case from running away */
    size_t pages = 0;
    for (size_t i = 0; i < c->n_exhibits; i++)
        pages += c->exhibits[i].n_pages;
    if (c->n_criteria > AP_MAX_CRITERIA)
        ap_error(d, c->file, c->line, "the case has %zu criteria, over the limit of %d — split the appeal or merge criteria", c->n_criteria, AP_MAX_CRITERIA);
    if (pages > AP_MAX_SCAN_PAGES)
        ap_error(d, c->file, c->line, "the case has %zu scanned pages, over the limit of %d — send the rest as a supplement", pages, AP_MAX_SCAN_PAGES);
    if (c->n_exhibits > AP_MAX_EXHIBITS)
        ap_error(d, c->file, c->line, "the case has %zu exhibits, over the limit of %d — merge related documents", c->n_exhibits, AP_MAX_EXHIBITS);
    if (c->n_criteria > AP_MAX_CRITERIA || pages > AP_MAX_SCAN_PAGES || c->n_exhibits > AP_MAX_EXHIBITS)
        return; /* a case over a limit is not checked further (nor its scans opened) */

    /* ids */
    id_table ids = id_table_new(c->n_guidelines + c->n_criteria + c->n_exhibits);
    for (size_t i = 0; i < c->n_guidelines; i++)
        add_id(c, &ids, c->guidelines[i].id, ID_GUIDELINE, (int)i, c->guidelines[i].line, d);
    for (size_t i = 0; i < c->n_criteria; i++)
        add_id(c, &ids, c->criteria[i].id, ID_CRITERION, (int)i, c->criteria[i].line, d);
    for (size_t i = 0; i < c->n_exhibits; i++)
        add_id(c, &ids, c->exhibits[i].id, ID_EXHIBIT, (int)i, c->exhibits[i].line, d);

    /* references */
    for (size_t i = 0; i < c->n_criteria; i++) {
        ap_criterion *cr = &c->criteria[i];
        if (cr->n_evidence == 0)
            ap_error(d, c->file, cr->line, "criterion '%.60s' has no <evidence> — add at least one <evidence exhibit=\"…\"> with the chart finding that meets it",
                     cr->id ? cr->id : "");
        for (size_t k = 0; k < cr->n_evidence; k++)
            cr->evidence[k].exhibit = resolve(c, &ids, cr->evidence[k].exhibit_id, ID_EXHIBIT, "<evidence exhibit>", cr->evidence[k].line, d);
    }
    for (size_t i = 0; i < c->n_treatments; i++) {
        ap_treatment *t = &c->treatments[i];
        if (t->exhibit_id)
            t->exhibit = resolve(c, &ids, t->exhibit_id, ID_EXHIBIT, "<treatment exhibit>", t->line, d);
        if (t->has_end && ap_date_cmp(t->end, t->start) < 0)
            ap_error(d, c->file, t->line, "the treatment ends before it starts — check start= and end=");
    }
    resolve_paragraphs(c, &ids, c->summary, c->n_summary, d);
    resolve_paragraphs(c, &ids, c->argument, c->n_argument, d);
    id_table_free(&ids);

    /* dates and completeness */
    if (c->denial.has_received && ap_date_cmp(c->denial.received, c->denial.date) < 0)
        ap_error(d, c->file, c->denial.line, "<received> is earlier than the denial's <date> — a notice cannot arrive before it is dated; check both dates");
    if (c->patient.birth_date.year && c->denial.date.year && ap_date_cmp(c->patient.birth_date, c->denial.date) > 0)
        ap_error(d, c->file, c->denial.line, "the denial is dated before the patient's <birth-date> — check both dates");
    if (c->denial.kind == AP_DENIAL_STEP_THERAPY && c->n_treatments == 0)
        ap_error(d, c->file, c->denial.line,
                 "a step-therapy denial needs the prior treatments — add <treatment-history> with each <treatment start=… outcome=…> before <criteria>");
    if (c->prescriber.npi && *c->prescriber.npi && !npi_valid(c->prescriber.npi))
        ap_warning(d, c->file, 0, "the prescriber's <npi> is not a valid 10-digit NPI (check digit) — check the number");

    if (opt->skip_image_checks)
        return;
    for (size_t i = 0; i < c->n_exhibits; i++)
        for (size_t k = 0; k < c->exhibits[i].n_pages; k++)
            check_scan(c, &c->exhibits[i].pages[k], real_base, "<page>", d);
    if (c->prescriber.signature)
        check_scan(c, c->prescriber.signature, real_base, "<signature>", d);
}
