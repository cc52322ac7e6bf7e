/* Case reader: reads a case file safely with libxml2 (no network, no entity
 * substitution, entity declarations refused), validates it against the
 * bundled RELAX NG schema, and builds the Case model. Semantic rules live in
 * check.c. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "case/case.h"
#include "case/check.h"
#include "case/limits.h"
#include "case/names.h"
#include "case/schema.h"
#include "util/arena.h"
#include "util/exitcodes.h"
#include "util/xalloc.h"

#define AP_NS "urn:appeal-packet:case:1"
#define AP_CASE_MAX_BYTES (64u * 1024u * 1024u)

typedef struct {
    const char *file;
    ap_diags *diags;
    ap_arena *arena;
    /* parents that lack a required child: schema "did not expect" errors
       inside them are consequences, not separate findings */
    const xmlNode **incomplete;
    size_t n_incomplete, cap_incomplete;
    bool stopped;
} reader;

/* ---- reading the file -------------------------------------------------- */

static char *slurp(const char *path, size_t *len, ap_diags *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int code = errno == ENOENT || errno == EACCES || errno == ENOTDIR ? AP_EXIT_NOINPUT : AP_EXIT_IOERR;
        ap_error_code(d, code, path, 0, "cannot open the case file: %s — check the path and its permissions",
                      strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ap_error_code(d, AP_EXIT_NOINPUT, path, 0,
                      "the case file is not a regular file — pass the path of a case .xml file");
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > AP_CASE_MAX_BYTES) {
        ap_error(d, path, 0, "the case file is %lld bytes, over the %u MiB limit — scans belong in separate files referenced by <page src>",
                 (long long)st.st_size, AP_CASE_MAX_BYTES / (1024u * 1024u));
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *buf = ap_xmalloc(size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ap_error_code(d, AP_EXIT_IOERR, path, 0, "cannot read the case file: %s — check the disk",
                          n < 0 ? strerror(errno) : "file shrank while reading");
            free(buf);
            close(fd);
            return NULL;
        }
        got += (size_t)n;
    }
    close(fd);
    buf[size] = '\0';
    *len = size;
    return buf;
}

/* ---- libxml2 error plumbing --------------------------------------------- */

static void trim_message(char *m)
{
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ' || m[n - 1] == '.'))
        m[--n] = '\0';
}

static void on_parse_error(void *user, xmlErrorPtr e)
{
    reader *r = user;
    if (!e || e->level < XML_ERR_ERROR || r->stopped)
        return;
    char *msg = ap_xstrdup(e->message ? e->message : "malformed XML");
    /* libxml2 appends the offending bytes on a second line ("Bytes: 0x..."):
       they are case content, and a diagnostic is one line */
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = '\0';
    char *bytes = strstr(msg, ", bytes 0x"); /* the same, in encoding errors */
    if (bytes)
        *bytes = '\0';
    trim_message(msg);
    ap_error(r->diags, r->file, e->line, "the case file is not well-formed XML (%s) — fix the markup: every element closed, '&' written as &amp; and '<' as &lt;", msg);
    free(msg);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)name; (void)type; (void)public_id; (void)system_id; (void)content;
    xmlParserCtxtPtr ctxt = ctx;
    reader *r = ctxt->_private;
    if (!r->stopped) {
        ap_error(r->diags, r->file, xmlSAX2GetLineNumber(ctxt),
                 "the DOCTYPE declares an entity, which case files may not do — remove the DOCTYPE; a case file needs none");
        r->stopped = true;
    }
    xmlStopParser(ctxt);
}

/* libxml2 prints some errors (encoding conversion, I/O) to stderr on its
 * own as well; every one of them also reaches the structured handler. */
static void silent_generic(void *ctx, const char *msg, ...)
{
    (void)ctx; (void)msg;
}

/* The parse in progress (the program parses one case at a time). */
static xmlParserCtxtPtr active_ctxt;

static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url; (void)id;
    if (ctxt && ctxt == active_ctxt) {
        reader *r = ctxt->_private;
        if (!r->stopped)
            ap_error(r->diags, r->file, xmlSAX2GetLineNumber(ctxt),
                     "the case file refers to an external resource, which is never loaded — remove the reference (DOCTYPE SYSTEM id or XInclude)");
        r->stopped = true;
        xmlStopParser(ctxt);
    }
    return NULL;
}

static xmlDocPtr parse(reader *r, const char *buf, size_t len)
{
    xmlSetExternalEntityLoader(refuse_external);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        ap_error_code(r->diags, AP_EXIT_SOFTWARE, r->file, 0, "cannot create an XML parser — out of memory?");
        return NULL;
    }
    ctxt->_private = r;
    ctxt->sax->entityDecl = on_entity_decl;
    xmlSetStructuredErrorFunc(r, on_parse_error);
    xmlSetGenericErrorFunc(NULL, silent_generic);
    active_ctxt = ctxt;
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, r->file, NULL, opts);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    active_ctxt = NULL;
    bool wellformed = ctxt->wellFormed && !r->stopped;
    xmlFreeParserCtxt(ctxt);
    if (!wellformed || !doc) {
        if (r->diags->errors == 0)
            ap_error(r->diags, r->file, 0, "the case file could not be parsed as XML — check that it is a complete UTF-8 XML file");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ---- schema validation ------------------------------------------------ */

static bool in_incomplete(const reader *r, const xmlNode *n)
{
    for (size_t i = 0; i < r->n_incomplete; i++)
        if (r->incomplete[i] == n)
            return true;
    return false;
}

/* Every element name of the case vocabulary. */
static bool known_element(const char *name)
{
    static const char *const names[] = {
        "appeal", "patient", "name", "given", "middle", "family", "suffix", "birth-date", "address",
        "line", "city", "state", "postal-code", "phone", "coverage", "insurer", "plan-type",
        "member-id", "group-number", "plan-name", "appeals-address", "appeals-fax", "denial", "kind",
        "date", "received", "reference", "stage", "level", "reason", "policy", "service",
        "description", "code", "diagnosis", "prescriber", "credentials", "specialty", "npi",
        "practice", "fax", "signature", "requests", "expedited", "peer-to-peer", "claim-file",
        "step-therapy-exception", "external-review", "letter", "summary", "argument", "p", "b", "i",
        "ref", "guidelines", "guideline", "treatment-history", "treatment", "criteria", "criterion",
        "requirement", "evidence", "status", "exhibits", "exhibit", "title", "page"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static void on_schema_error(void *user, xmlErrorPtr e)
{
    reader *r = user;
    if (!e || !e->message)
        return;
    const xmlNode *node = e->node;
    char *msg = ap_xstrdup(e->message);
    trim_message(msg);
    const char *name = node && node->name ? (const char *)node->name : "?";
    long line = node ? xmlGetLineNo(node) : e->line;
    char elem[128], attr[128];

    if (strstr(msg, "failed to validate content") || strstr(msg, "has extra content") ||
        strstr(msg, "Invalid sequence in interleave") || strstr(msg, "Extra element") ||
        strstr(msg, "Expecting a namespace for element")) {
        /* summaries of a child's error, already reported on the child */
    } else if (sscanf(msg, "Did not expect element %127s there", elem) == 1) {
        /* a known element out of place inside a parent that lacks a required
           child is a consequence of that absence, already reported */
        if (!node || !known_element(elem) || !in_incomplete(r, node->parent))
            ap_error(r->diags, r->file, line,
                     "<%s> is not allowed here inside <%s> — check its spelling and the element order in case-format.md",
                     elem, node && node->parent ? (const char *)node->parent->name : "?");
    } else if (sscanf(msg, "Expecting an element %127s got nothing", elem) == 1 ||
               sscanf(msg, "Expecting an element %127[^,], got nothing", elem) == 1) {
        if (!node || !in_incomplete(r, node))
            ap_error(r->diags, r->file, line, "<%s> is missing its <%s> element — add it (see case-format.md)", name, elem);
    } else if (sscanf(msg, "Invalid attribute %127s for element %127s", attr, elem) == 2) {
        ap_error(r->diags, r->file, line, "<%s> has an attribute '%s' the format does not define — remove it or fix its spelling", elem, attr);
    } else if (strstr(msg, "failed to validate attributes")) {
        ap_error(r->diags, r->file, line, "<%s> lacks a required attribute or has an empty one — see case-format.md for its attributes", name);
    } else if (strstr(msg, "Element ") && strstr(msg, "has no content")) {
        ap_error(r->diags, r->file, line, "<%s> is empty — give it its text", name);
    } else if (strstr(msg, "Error validating value") || strstr(msg, "Datatype element")) {
        ap_error(r->diags, r->file, line, "<%s> has an empty or invalid value — give it a value as case-format.md describes", name);
    } else {
        ap_error(r->diags, r->file, line, "<%s> does not match the case format (%s) — see case-format.md", name, msg);
    }
    free(msg);
}

static bool validate(reader *r, xmlDocPtr doc)
{
    static xmlRelaxNGPtr schema;
    if (!schema) {
        xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt((const char *)ap_case_schema_rng, (int)ap_case_schema_rng_len);
        schema = pc ? xmlRelaxNGParse(pc) : NULL;
        xmlRelaxNGFreeParserCtxt(pc);
        if (!schema) {
            ap_error_code(r->diags, AP_EXIT_SOFTWARE, r->file, 0, "the bundled case schema failed to load — reinstall appeal-packet");
            return false;
        }
    }
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidStructuredErrors(vc, on_schema_error, r);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    return rc == 0;
}

/* ---- building the model ------------------------------------------------ */

static bool is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, AP_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (is_el(n, name))
            return n;
    return NULL;
}

static size_t count_children(const xmlNode *parent, const char *name)
{
    size_t k = 0;
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        k += is_el(n, name);
    return k;
}

static void mark_incomplete(reader *r, const xmlNode *n)
{
    if (r->n_incomplete == r->cap_incomplete) {
        r->cap_incomplete = r->cap_incomplete ? 2 * r->cap_incomplete : 16;
        r->incomplete = ap_xrealloc(r->incomplete, r->cap_incomplete * sizeof *r->incomplete);
    }
    r->incomplete[r->n_incomplete++] = n;
}

/* A required child: reports its absence precisely and returns NULL. */
static xmlNode *need(reader *r, const xmlNode *parent, const char *name)
{
    if (!parent)
        return NULL;
    xmlNode *n = child(parent, name);
    if (!n) {
        ap_error(r->diags, r->file, xmlGetLineNo(parent), "<%s> has no <%s> — add <%s> (it is required; see case-format.md)",
                 (const char *)parent->name, name, name);
        mark_incomplete(r, parent);
    }
    return n;
}

/* Collapses runs of XML white space to one space; trims both ends when asked. */
static char *squeeze(reader *r, const char *s, bool trim)
{
    size_t n = strlen(s);
    char *out = ap_arena_alloc(r->arena, n + 1);
    size_t k = 0;
    bool space = trim;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            if (!space)
                out[k++] = ' ';
            space = true;
        } else {
            out[k++] = ch;
            space = false;
        }
    }
    if (trim && k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return out;
}

static char *text_of(reader *r, const xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    char *s = squeeze(r, t ? (const char *)t : "", true);
    xmlFree(t);
    return s;
}

static char *attr_of(reader *r, const xmlNode *n, const char *name)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = squeeze(r, (const char *)v, true);
    xmlFree(v);
    return s;
}

/* Text of a required field child; reports it if missing or blank. */
static char *field(reader *r, const xmlNode *parent, const char *name)
{
    xmlNode *n = need(r, parent, name);
    if (!n)
        return NULL;
    char *s = text_of(r, n);
    if (!*s)
        ap_error(r->diags, r->file, xmlGetLineNo(n), "<%s> is empty — fill it in", name);
    return s;
}

static char *opt_field(reader *r, const xmlNode *parent, const char *name)
{
    xmlNode *n = child(parent, name);
    return n ? text_of(r, n) : NULL;
}

/* Parses a date field; the value itself is never echoed (dates can identify a patient). */
static bool date_value(reader *r, const char *s, long line, const char *what, ap_date *out)
{
    if (!s)
        return false;
    if (ap_date_parse(s, out))
        return true;
    ap_error(r->diags, r->file, line, "%s is not a real calendar date in the form YYYY-MM-DD — correct it (e.g. 2026-02-28)", what);
    return false;
}

static int enum_value(reader *r, const xmlNode *n, const char *value, const ap_name_table *t, const char *what)
{
    if (!value)
        return 0;
    int v = ap_name_lookup(t, value);
    if (v < 0) {
        char list[400];
        ap_name_list(t, list, sizeof list);
        /* enumerated values carry no patient data, so the value is shown */
        ap_error(r->diags, r->file, xmlGetLineNo(n), "%s '%.60s' is not one of the allowed values — use %s", what, value, list);
        return 0;
    }
    return v;
}

static ap_address *address(reader *r, const xmlNode *n)
{
    if (!n)
        return NULL;
    ap_address *a = ap_arena_alloc(r->arena, sizeof *a);
    a->n_lines = count_children(n, "line");
    a->lines = ap_arena_alloc(r->arena, (a->n_lines ? a->n_lines : 1) * sizeof *a->lines);
    size_t k = 0;
    for (xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, "line"))
            a->lines[k++] = text_of(r, c);
    if (a->n_lines == 0) {
        ap_error(r->diags, r->file, xmlGetLineNo(n), "<%s> has no <line> — add the street line(s)", (const char *)n->name);
        mark_incomplete(r, n);
    }
    a->city = field(r, n, "city");
    a->state = field(r, n, "state");
    a->postal_code = field(r, n, "postal-code");
    return a;
}

/* ---- paragraphs with inline markup ---- */

typedef struct { ap_run *runs; size_t n, cap; bool space; } run_list;

static void push_run(reader *r, run_list *l, ap_run run)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        ap_run *grown = ap_arena_alloc(r->arena, cap * sizeof *grown);
        if (l->n)
            memcpy(grown, l->runs, l->n * sizeof *grown);
        l->runs = grown;
        l->cap = cap;
    }
    l->runs[l->n++] = run;
}

static void inline_runs(reader *r, const xmlNode *n, unsigned style, run_list *l)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const char *s = (const char *)c->content;
            /* collapse white space across run boundaries */
            size_t len = strlen(s);
            char *out = ap_arena_alloc(r->arena, len + 1);
            size_t k = 0;
            for (size_t i = 0; i < len; i++) {
                char ch = s[i];
                bool ws = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
                if (ws) {
                    if (!l->space)
                        out[k++] = ' ';
                    l->space = true;
                } else {
                    out[k++] = ch;
                    l->space = false;
                }
            }
            out[k] = '\0';
            if (k)
                push_run(r, l, (ap_run){AP_RUN_TEXT, style, out, -1, 0});
        } else if (is_el(c, "b")) {
            inline_runs(r, c, style | AP_STYLE_BOLD, l);
        } else if (is_el(c, "i")) {
            inline_runs(r, c, style | AP_STYLE_ITALIC, l);
        } else if (is_el(c, "ref")) {
            char *ex = attr_of(r, c, "exhibit"), *gl = attr_of(r, c, "guideline");
            ap_run run = {ex ? AP_RUN_REF_EXHIBIT : AP_RUN_REF_GUIDELINE, style, ex ? ex : gl, -1, xmlGetLineNo(c)};
            if (ex && gl)
                ap_error(r->diags, r->file, xmlGetLineNo(c), "<ref> names both an exhibit and a guideline — keep one of the two attributes");
            if (run.text)
                push_run(r, l, run);
            l->space = false;
        }
    }
}

static ap_paragraph *paragraphs(reader *r, const xmlNode *n, size_t *count)
{
    *count = n ? count_children(n, "p") : 0;
    if (!*count)
        return NULL;
    ap_paragraph *ps = ap_arena_alloc(r->arena, *count * sizeof *ps);
    size_t k = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (!is_el(c, "p"))
            continue;
        run_list l = {NULL, 0, 0, true};
        inline_runs(r, c, 0, &l);
        /* trim a trailing space */
        while (l.n > 0 && l.runs[l.n - 1].kind == AP_RUN_TEXT) {
            char *t = l.runs[l.n - 1].text;
            size_t len = strlen(t);
            if (len && t[len - 1] == ' ')
                t[--len] = '\0';
            if (len)
                break;
            l.n--;
        }
        ps[k].runs = l.runs;
        ps[k].n_runs = l.n;
        ps[k].line = xmlGetLineNo(c);
        if (l.n == 0)
            ap_error(r->diags, r->file, ps[k].line, "<p> is empty — write the paragraph or remove it");
        k++;
    }
    return ps;
}

static ap_page *page_of(reader *r, const xmlNode *n)
{
    ap_page *p = ap_arena_alloc(r->arena, sizeof *p);
    p->line = xmlGetLineNo(n);
    p->src = attr_of(r, n, "src");
    char *rot = attr_of(r, n, "rotate");
    if (rot) {
        if (!strcmp(rot, "0") || !strcmp(rot, "90") || !strcmp(rot, "180") || !strcmp(rot, "270"))
            p->rotate = atoi(rot);
        else
            ap_error(r->diags, r->file, p->line, "rotate='%.20s' is not 0, 90, 180 or 270 — use one of those (degrees clockwise)", rot);
    }
    return p;
}

static void read_patient(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *p = need(r, root, "patient");
    if (!p)
        return;
    xmlNode *name = need(r, p, "name");
    if (name) {
        c->patient.given = field(r, name, "given");
        c->patient.middle = opt_field(r, name, "middle");
        c->patient.family = field(r, name, "family");
        c->patient.suffix = opt_field(r, name, "suffix");
    }
    xmlNode *bd = need(r, p, "birth-date");
    if (bd)
        date_value(r, text_of(r, bd), xmlGetLineNo(bd), "<birth-date>", &c->patient.birth_date);
    c->patient.address = address(r, child(p, "address"));
    c->patient.phone = opt_field(r, p, "phone");
}

static void read_coverage(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "coverage");
    if (!n)
        return;
    c->coverage.insurer = field(r, n, "insurer");
    xmlNode *pt = need(r, n, "plan-type");
    if (pt)
        c->coverage.plan_type = enum_value(r, pt, text_of(r, pt), &ap_plan_table, "<plan-type>");
    c->coverage.member_id = field(r, n, "member-id");
    c->coverage.group_number = opt_field(r, n, "group-number");
    c->coverage.plan_name = opt_field(r, n, "plan-name");
    c->coverage.appeals_address = address(r, child(n, "appeals-address"));
    c->coverage.appeals_fax = opt_field(r, n, "appeals-fax");
}

static void read_denial(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "denial");
    if (!n)
        return;
    c->denial.line = xmlGetLineNo(n);
    xmlNode *k = need(r, n, "kind");
    if (k)
        c->denial.kind = enum_value(r, k, text_of(r, k), &ap_kind_table, "<kind>");
    xmlNode *d = need(r, n, "date");
    if (d)
        date_value(r, text_of(r, d), xmlGetLineNo(d), "<date> in <denial>", &c->denial.date);
    xmlNode *rc = child(n, "received");
    if (rc)
        c->denial.has_received = date_value(r, text_of(r, rc), xmlGetLineNo(rc), "<received>", &c->denial.received);
    c->denial.reference = field(r, n, "reference");
    xmlNode *st = need(r, n, "stage");
    if (st)
        c->denial.stage = enum_value(r, st, text_of(r, st), &ap_stage_table, "<stage>");
    xmlNode *lv = child(n, "level");
    if (lv)
        c->denial.level = enum_value(r, lv, text_of(r, lv), &ap_level_table, "<level>");
    c->denial.reason = opt_field(r, n, "reason");
    xmlNode *pol = child(n, "policy");
    if (pol) {
        c->denial.has_policy = true;
        c->denial.policy_id = attr_of(r, pol, "id");
        c->denial.policy_title = attr_of(r, pol, "title");
        char *rev = attr_of(r, pol, "revised");
        if (rev)
            c->denial.has_policy_revised = date_value(r, rev, xmlGetLineNo(pol), "revised= on <policy>", &c->denial.policy_revised);
    }
}

static void read_service(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "service");
    if (!n)
        return;
    c->service.description = field(r, n, "description");
    c->service.n_codes = count_children(n, "code");
    c->service.n_diagnoses = count_children(n, "diagnosis");
    if (!c->service.n_codes) {
        ap_error(r->diags, r->file, xmlGetLineNo(n), "<service> has no <code> — add the CPT/HCPCS code, e.g. <code system=\"CPT\">0037U</code>");
        mark_incomplete(r, n);
    }
    if (!c->service.n_diagnoses) {
        ap_error(r->diags, r->file, xmlGetLineNo(n), "<service> has no <diagnosis> — add the ICD-10-CM diagnosis, e.g. <diagnosis code=\"C34.90\">…</diagnosis>");
        mark_incomplete(r, n);
    }
    c->service.codes = ap_arena_alloc(r->arena, (c->service.n_codes + 1) * sizeof *c->service.codes);
    c->service.diagnoses = ap_arena_alloc(r->arena, (c->service.n_diagnoses + 1) * sizeof *c->service.diagnoses);
    size_t ic = 0, id = 0;
    for (xmlNode *x = n->children; x; x = x->next) {
        if (is_el(x, "code")) {
            c->service.codes[ic].system = attr_of(r, x, "system");
            c->service.codes[ic++].code = text_of(r, x);
        } else if (is_el(x, "diagnosis")) {
            c->service.diagnoses[id].code = attr_of(r, x, "code");
            c->service.diagnoses[id++].description = text_of(r, x);
        }
    }
    xmlNode *d = child(n, "date");
    if (d)
        c->service.has_date = date_value(r, text_of(r, d), xmlGetLineNo(d), "<date> in <service>", &c->service.date);
}

static void read_prescriber(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "prescriber");
    if (!n)
        return;
    c->prescriber.name = field(r, n, "name");
    c->prescriber.credentials = field(r, n, "credentials");
    c->prescriber.specialty = field(r, n, "specialty");
    c->prescriber.npi = field(r, n, "npi");
    c->prescriber.practice = field(r, n, "practice");
    ap_address *a = address(r, need(r, n, "address"));
    if (a)
        c->prescriber.address = *a;
    c->prescriber.phone = field(r, n, "phone");
    c->prescriber.fax = field(r, n, "fax");
    xmlNode *sig = child(n, "signature");
    if (sig)
        c->prescriber.signature = page_of(r, sig);
}

static void read_requests(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = child(root, "requests");
    if (!n)
        return;
    c->requests.line = xmlGetLineNo(n);
    xmlNode *e = child(n, "expedited");
    if (e) {
        c->requests.expedited = true;
        c->requests.expedited_reason = attr_of(r, e, "reason");
    }
    c->requests.peer_to_peer = child(n, "peer-to-peer") != NULL;
    c->requests.claim_file = child(n, "claim-file") != NULL;
    c->requests.step_therapy_exception = child(n, "step-therapy-exception") != NULL;
    c->requests.external_review = child(n, "external-review") != NULL;
}

static void read_letter(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = child(root, "letter");
    if (!n)
        return;
    c->summary = paragraphs(r, need(r, n, "summary"), &c->n_summary);
    c->argument = paragraphs(r, child(n, "argument"), &c->n_argument);
}

static void read_guidelines(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = child(root, "guidelines");
    c->n_guidelines = n ? count_children(n, "guideline") : 0;
    if (!c->n_guidelines)
        return;
    c->guidelines = ap_arena_alloc(r->arena, c->n_guidelines * sizeof *c->guidelines);
    size_t k = 0;
    for (xmlNode *g = n->children; g; g = g->next) {
        if (!is_el(g, "guideline"))
            continue;
        ap_guideline *x = &c->guidelines[k++];
        x->line = xmlGetLineNo(g);
        x->id = attr_of(r, g, "id");
        x->organization = attr_of(r, g, "organization");
        x->title = attr_of(r, g, "title");
        x->version = attr_of(r, g, "version");
        x->section = attr_of(r, g, "section");
        x->category = attr_of(r, g, "category");
        x->text = text_of(r, g);
    }
}

static void read_treatments(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = child(root, "treatment-history");
    c->n_treatments = n ? count_children(n, "treatment") : 0;
    if (!c->n_treatments)
        return;
    c->treatments = ap_arena_alloc(r->arena, c->n_treatments * sizeof *c->treatments);
    size_t k = 0;
    for (xmlNode *t = n->children; t; t = t->next) {
        if (!is_el(t, "treatment"))
            continue;
        ap_treatment *x = &c->treatments[k++];
        x->line = xmlGetLineNo(t);
        date_value(r, attr_of(r, t, "start"), x->line, "start= on <treatment>", &x->start);
        char *end = attr_of(r, t, "end");
        if (end)
            x->has_end = date_value(r, end, x->line, "end= on <treatment>", &x->end);
        x->outcome = enum_value(r, t, attr_of(r, t, "outcome"), &ap_outcome_table, "outcome= on <treatment>");
        x->exhibit_id = attr_of(r, t, "exhibit");
        x->exhibit = -1;
        x->regimen = text_of(r, t);
    }
}

static void read_criteria(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "criteria");
    if (!n)
        return;
    c->criteria_source = attr_of(r, n, "source");
    c->n_criteria = count_children(n, "criterion");
    c->criteria = ap_arena_alloc(r->arena, (c->n_criteria + 1) * sizeof *c->criteria);
    size_t k = 0;
    for (xmlNode *cr = n->children; cr; cr = cr->next) {
        if (!is_el(cr, "criterion"))
            continue;
        ap_criterion *x = &c->criteria[k++];
        x->line = xmlGetLineNo(cr);
        x->id = attr_of(r, cr, "id");
        x->requirement = field(r, cr, "requirement");
        x->n_evidence = count_children(cr, "evidence");
        x->evidence = ap_arena_alloc(r->arena, (x->n_evidence + 1) * sizeof *x->evidence);
        size_t e = 0;
        for (xmlNode *ev = cr->children; ev; ev = ev->next) {
            if (!is_el(ev, "evidence"))
                continue;
            ap_evidence *y = &x->evidence[e++];
            y->line = xmlGetLineNo(ev);
            y->exhibit_id = attr_of(r, ev, "exhibit");
            y->exhibit = -1;
            char *date = attr_of(r, ev, "date");
            if (date)
                y->has_date = date_value(r, date, y->line, "date= on <evidence>", &y->date);
            y->document = attr_of(r, ev, "document");
            y->finding = text_of(r, ev);
        }
        xmlNode *st = child(cr, "status");
        if (st)
            x->status = enum_value(r, st, text_of(r, st), &ap_status_table, "<status>");
    }
}

static void read_exhibits(reader *r, ap_case *c, const xmlNode *root)
{
    xmlNode *n = need(r, root, "exhibits");
    if (!n)
        return;
    c->n_exhibits = count_children(n, "exhibit");
    c->exhibits = ap_arena_alloc(r->arena, (c->n_exhibits + 1) * sizeof *c->exhibits);
    size_t k = 0;
    for (xmlNode *ex = n->children; ex; ex = ex->next) {
        if (!is_el(ex, "exhibit"))
            continue;
        ap_exhibit *x = &c->exhibits[k++];
        x->line = xmlGetLineNo(ex);
        x->id = attr_of(r, ex, "id");
        char *date = attr_of(r, ex, "date");
        if (date)
            x->has_date = date_value(r, date, x->line, "date= on <exhibit>", &x->date);
        x->title = field(r, ex, "title");
        x->n_pages = count_children(ex, "page");
        x->pages = ap_arena_alloc(r->arena, (x->n_pages + 1) * sizeof *x->pages);
        size_t p = 0;
        for (xmlNode *pg = ex->children; pg; pg = pg->next)
            if (is_el(pg, "page"))
                x->pages[p++] = *page_of(r, pg);
        if (!x->n_pages) {
            ap_error(r->diags, r->file, x->line, "exhibit has no <page> — add at least one <page src=\"scans/….png\"/>");
            mark_incomplete(r, ex);
        }
    }
}

/* The documented limit on one text (README "Limits"), which libxml2 does
 * not enforce on every path: a longer text is refused, not laid out. */
static bool texts_within_limit(reader *r, const xmlNode *n)
{
    for (; n; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            size_t len = strlen((const char *)n->content);
            if (len > AP_MAX_TEXT_BYTES) {
                const xmlNode *at = n->parent ? n->parent : n;
                ap_error(r->diags, r->file, xmlGetLineNo(at),
                         "<%s> holds a text of %zu bytes, over the limit of %u bytes for one text — shorten it, or scan the document as an exhibit",
                         at->name ? (const char *)at->name : "?", len, AP_MAX_TEXT_BYTES);
                return false;
            }
        }
        /* libxml2 caps nesting at 256 levels, so recursion stays shallow */
        if (n->type == XML_ELEMENT_NODE && !texts_within_limit(r, n->children))
            return false;
    }
    return true;
}

static bool check_root(reader *r, xmlDocPtr doc, ap_case *c)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "appeal") != 0) {
        ap_error(r->diags, r->file, root ? xmlGetLineNo(root) : 1,
                 "the root element is <%s>, not <appeal> — a case file starts with <appeal xmlns=\"%s\" version=\"1\" id=\"…\">",
                 root ? (const char *)root->name : "(none)", AP_NS);
        return false;
    }
    if (!root->ns || strcmp((const char *)root->ns->href, AP_NS) != 0) {
        ap_error(r->diags, r->file, xmlGetLineNo(root),
                 "<appeal> is not in the case namespace — set xmlns=\"%s\" on <appeal>", AP_NS);
        return false;
    }
    char *version = attr_of(r, root, "version");
    if (!version || strcmp(version, "1") != 0) {
        ap_error(r->diags, r->file, xmlGetLineNo(root),
                 "<appeal> has version=\"%.20s\"; this appeal-packet reads version 1 — set version=\"1\" or upgrade appeal-packet",
                 version ? version : "");
        return false;
    }
    if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8") != 0 &&
        strcasecmp((const char *)doc->encoding, "UTF8") != 0) {
        ap_error(r->diags, r->file, 1, "the case file is encoded as %.40s — export it as UTF-8",
                 (const char *)doc->encoding);
        return false;
    }
    c->line = xmlGetLineNo(root);
    c->case_id = attr_of(r, root, "id");
    return true;
}

ap_case *ap_case_load(const char *path, const ap_load_options *opt, ap_diags *diags)
{
    static const ap_load_options defaults = {NULL, false};
    if (!opt)
        opt = &defaults;
    size_t len = 0;
    char *buf = slurp(path, &len, diags);
    if (!buf)
        return NULL;
    /* libxml2 would decode UTF-16 silently when it carries a byte-order
       mark, so refuse it by its first bytes as check_root refuses it by
       its declaration */
    const unsigned char *head = (const unsigned char *)buf;
    if (len >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) ||
                     (head[0] == 0 && head[1] == '<') || (head[0] == '<' && head[1] == 0))) {
        ap_error(diags, path, 1, "the case file is encoded as UTF-16 — export it as UTF-8");
        free(buf);
        return NULL;
    }

    ap_arena *arena = ap_arena_new();
    ap_case *c = ap_arena_alloc(arena, sizeof *c);
    c->arena = arena;
    c->file = ap_arena_strdup(arena, path);
    reader r = {c->file, diags, arena, NULL, 0, 0, false};
    size_t errors_before = diags->errors;

    xmlDocPtr doc = parse(&r, buf, len);
    free(buf);
    if (!doc || !texts_within_limit(&r, xmlDocGetRootElement(doc)) || !check_root(&r, doc, c)) {
        xmlFreeDoc(doc);
        ap_case_free(c);
        return NULL;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    read_patient(&r, c, root);
    read_coverage(&r, c, root);
    read_denial(&r, c, root);
    read_service(&r, c, root);
    read_prescriber(&r, c, root);
    read_requests(&r, c, root);
    read_letter(&r, c, root);
    read_guidelines(&r, c, root);
    read_treatments(&r, c, root);
    read_criteria(&r, c, root);
    read_exhibits(&r, c, root);
    validate(&r, doc);
    xmlFreeDoc(doc);
    free(r.incomplete);

    ap_case_check(c, opt, diags);
    ap_diags_sort(diags);
    if (diags->errors > errors_before) {
        ap_case_free(c);
        return NULL;
    }
    return c;
}

void ap_case_free(ap_case *c)
{
    if (c)
        ap_arena_free(c->arena);
}
