/* The template interpreter (see template.h and templates/README.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/template.h"
#include "util/exitcodes.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MAX_TEMPLATE_BYTES (256u * 1024u)
#define MAX_DEPTH 16
#define MAX_INCLUDE 4

typedef struct {
    ap_template_ctx *t;
    const char *path;
    long line;         /* line of the text being processed */
    bool failed;
    int depth;         /* @include nesting */
} run_state;

static void fail(run_state *s, const char *fmt, const char *arg)
{
    ap_error_code(s->t->diags, AP_EXIT_CONFIG, s->path, s->line, fmt, arg);
    s->failed = true;
}

static const char *stage_name(const ap_case *c)
{
    switch (c->denial.stage) {
    case AP_STAGE_POST_SERVICE: return "post-service";
    case AP_STAGE_URGENT: return "urgent pre-service";
    default: return "pre-service";
    }
}

/* The value of a text variable, or NULL when the name is unknown. */
static const char *variable(ap_template_ctx *t, const char *name)
{
    const ap_case *c = t->c;
    const ap_plan_rules *r = t->o->rules;
    ap_packet *p = t->p;
    if (!strcmp(name, "patient")) return ap_patient_name(p, c);
    if (!strcmp(name, "service")) return c->service.description;
    if (!strcmp(name, "insurer")) return c->coverage.insurer;
    if (!strcmp(name, "reference")) return c->denial.reference;
    if (!strcmp(name, "denial_date")) return ap_long_date(p, c->denial.date);
    if (!strcmp(name, "letter_date")) return ap_long_date(p, t->o->date);
    if (!strcmp(name, "level")) return ap_appeal_request(c->denial.level);
    if (!strcmp(name, "stage")) return stage_name(c);
    if (!strcmp(name, "reason")) return c->denial.reason ? c->denial.reason : "";
    if (!strcmp(name, "expedited_reason")) return c->requests.expedited_reason ? c->requests.expedited_reason : "";
    if (!strcmp(name, "specialty")) return c->prescriber.specialty;
    if (!strcmp(name, "prescriber")) return c->prescriber.name;
    if (!strcmp(name, "phone")) return c->prescriber.phone;
    if (!strcmp(name, "criteria_source")) return c->criteria_source ? c->criteria_source : "the coverage policy";
    if (!strcmp(name, "criteria_count"))
        return ap_packet_printf(p, "%zu %s", c->n_criteria, c->n_criteria == 1 ? "criterion" : "criteria");
    if (!strcmp(name, "urgent_within")) return r->decide[AP_STAGE_URGENT];
    if (!strcmp(name, "plan_label")) return r->label;
    if (!strcmp(name, "appeal_basis")) return r->appeal_basis;
    if (!strcmp(name, "expedite_basis")) return r->expedite_basis;
    if (!strcmp(name, "claim_file_basis")) return r->claim_file_basis;
    if (!strcmp(name, "decide_basis")) return r->decide_basis;
    if (!strcmp(name, "decision_within")) return t->o->deadlines.decision_within;
    if (!strcmp(name, "next_level")) return r->next_level;
    if (!strcmp(name, "next_basis")) return r->next_basis;
    if (!strcmp(name, "file_basis")) return t->o->deadlines.basis;
    if (!strcmp(name, "file_by"))
        return t->o->deadlines.has_file_by ? ap_long_date(p, t->o->deadlines.file_appeal_by) : "";
    if (!strcmp(name, "counted_from")) return t->o->deadlines.counted_what ? t->o->deadlines.counted_what : "";
    return NULL;
}

/* The value of a condition: 1 true, 0 false, -1 unknown name. */
static int condition(ap_template_ctx *t, const char *name)
{
    const ap_case *c = t->c;
    const ap_plan_rules *r = t->o->rules;
    if (!strcmp(name, "expedited")) return c->requests.expedited;
    if (!strcmp(name, "expedited_reason")) return c->requests.expedited_reason != NULL;
    if (!strcmp(name, "peer_to_peer")) return c->requests.peer_to_peer;
    if (!strcmp(name, "claim_file")) return c->requests.claim_file;
    if (!strcmp(name, "step_therapy_exception")) return c->requests.step_therapy_exception;
    if (!strcmp(name, "external_review")) return c->requests.external_review;
    if (!strcmp(name, "requests"))
        return c->requests.peer_to_peer || c->requests.claim_file || c->requests.step_therapy_exception
               || c->requests.external_review;
    if (!strcmp(name, "reason")) return c->denial.reason != NULL;
    if (!strcmp(name, "summary")) return c->n_summary > 0;
    if (!strcmp(name, "argument")) return c->n_argument > 0;
    if (!strcmp(name, "guidelines")) return c->n_guidelines > 0;
    if (!strcmp(name, "treatments")) return c->n_treatments > 0;
    if (!strcmp(name, "state_law")) return r->state_law;
    if (!strcmp(name, "appeal_basis")) return r->appeal_basis[0] != '\0';
    if (!strcmp(name, "expedite_basis")) return r->expedite_basis[0] != '\0';
    if (!strcmp(name, "claim_file_basis")) return r->claim_file_basis[0] != '\0';
    if (!strcmp(name, "next_basis")) return r->next_basis[0] != '\0';
    if (!strcmp(name, "file_by")) return t->o->deadlines.has_file_by;
    if (!strcmp(name, "decision_within"))
        return t->o->deadlines.decision_within && t->o->deadlines.decision_within[0];
    if (!strcmp(name, "external_level")) return c->denial.level == AP_LEVEL_EXTERNAL;
    if (!strcmp(name, "signature_image")) return c->prescriber.signature != NULL;
    return -1;
}

/* A {{page:NAME}} target. */
static int page_anchor(ap_template_ctx *t, const char *name)
{
    if (!strcmp(name, "letter")) return t->a->letter;
    if (!strcmp(name, "criteria")) return t->a->criteria;
    if (!strcmp(name, "history")) return t->a->history;
    if (!strcmp(name, "index")) return t->a->index;
    return -1;
}

/* Turns one paragraph's source into rich text: markup and variables. */
static void inline_text(run_state *s, ap_text *out, const char *src)
{
    ap_template_ctx *t = s->t;
    unsigned style = 0;
    size_t n = strlen(src);
    char *buf = ap_xmalloc(n + 1);
    size_t len = 0;
#define FLUSH() do { buf[len] = '\0'; ap_text_add(t->p, out, style, buf); len = 0; } while (0)
    for (size_t i = 0; i < n;) {
        if (src[i] == '*' && src[i + 1] == '*') {
            FLUSH();
            style ^= AP_FONT_BOLD;
            i += 2;
        } else if (src[i] == '*') {
            FLUSH();
            style ^= AP_FONT_ITALIC;
            i += 1;
        } else if (src[i] == '{' && src[i + 1] == '{') {
            const char *end = strstr(src + i + 2, "}}");
            if (!end) {
                fail(s, "\"{{\" without \"}}\" — close the variable%s", "");
                break;
            }
            FLUSH();
            char *name = ap_xmalloc((size_t)(end - (src + i + 2)) + 1);
            memcpy(name, src + i + 2, (size_t)(end - (src + i + 2)));
            name[end - (src + i + 2)] = '\0';
            if (!strncmp(name, "page:", 5)) {
                int anchor = page_anchor(t, name + 5);
                if (anchor < 0)
                    fail(s, "unknown page reference {{%s}} — use page:letter, page:criteria, page:history or page:index", name);
                else
                    ap_text_add_pageref(t->p, out, style, anchor);
            } else {
                const char *v = variable(t, name);
                if (!v)
                    fail(s, "unknown variable {{%s}} — see templates/README.md for the list", name);
                else
                    ap_text_add(t->p, out, style, v);
            }
            free(name);
            i = (size_t)(end - src) + 2;
        } else {
            buf[len++] = src[i++];
        }
    }
    FLUSH();
#undef FLUSH
    free(buf);
}

/* Emits an accumulated paragraph (kind '#' heading, '-' item, ' ' body). */
static void emit_paragraph(run_state *s, char kind, const char *text)
{
    ap_template_ctx *t = s->t;
    ap_block *b = ap_packet_add(t->p, kind == '#' ? AP_BLOCK_HEADING : AP_BLOCK_PARAGRAPH);
    if (kind == '#') {
        b->style = ap_style_heading();
        b->style.size = 11.0f;
        b->style.leading = 14.0f;
        ap_text_add(t->p, &b->text, AP_FONT_BOLD, "");
    } else {
        b->style = ap_style_body();
        if (kind == '-') {
            b->style.indent = 14.0f;
            b->style.space_after = 5.0f;
        }
    }
    inline_text(s, &b->text, text);
    if (kind == '#')
        for (size_t i = 0; i < b->text.n; i++)
            b->text.items[i].style |= AP_FONT_BOLD;
}

static bool run_file(run_state *s, const char *name);

/* Processes the template text line by line. */
static void run_text(run_state *s, char *text)
{
    bool active[MAX_DEPTH + 1] = {true};
    int depth = 0;
    char *para = NULL;
    size_t para_len = 0;
    char kind = ' ';
    long para_line = 0;
#define END_PARAGRAPH() do { if (para) { long saved_line = s->line; s->line = para_line; \
        emit_paragraph(s, kind, para); s->line = saved_line; free(para); para = NULL; para_len = 0; } } while (0)
    long line = 0;
    for (char *cur = text, *next; cur && !s->failed; cur = next) {
        next = strchr(cur, '\n');
        if (next)
            *next++ = '\0';
        line++;
        s->line = line;
        char *l = cur;
        size_t ln = strlen(l);
        while (ln && (l[ln - 1] == ' ' || l[ln - 1] == '\r'))
            l[--ln] = '\0';
        if (!ap_utf8_valid(l)) {
            fail(s, "the line is not UTF-8 text%s — save the template as UTF-8", "");
            break;
        }
        if (l[0] == '@') {
            END_PARAGRAPH();
            if (!strncmp(l, "@if ", 4)) {
                const char *nm = l + 4;
                bool negate = *nm == '!';
                int v = condition(s->t, nm + negate);
                if (v < 0)
                    fail(s, "unknown condition @if %s — see templates/README.md for the list", nm);
                if (depth == MAX_DEPTH)
                    fail(s, "conditions nested too deeply%s — simplify the template", "");
                if (s->failed)
                    break;
                depth++;
                active[depth] = active[depth - 1] && ((v == 1) != negate);
            } else if (!strcmp(l, "@else")) {
                if (!depth) { fail(s, "@else without @if%s — remove it or add the @if", ""); break; }
                active[depth] = active[depth - 1] && !active[depth];
            } else if (!strcmp(l, "@endif")) {
                if (!depth) { fail(s, "@endif without @if%s — remove it or add the @if", ""); break; }
                depth--;
            } else if (!strncmp(l, "@insert ", 8)) {
                if (active[depth] && !s->t->insert(s->t, l + 8))
                    fail(s, "unknown part @insert %s — see templates/README.md for the list", l + 8);
            } else if (!strncmp(l, "@include ", 9)) {
                if (active[depth]) {
                    if (s->depth >= MAX_INCLUDE) { fail(s, "@include nested too deeply at %s", l + 9); break; }
                    run_state inner = {s->t, NULL, 0, false, s->depth + 1};
                    if (!run_file(&inner, l + 9))
                        s->failed = true;
                }
            } else if (l[1] != '#') {   /* "@#" starts a comment line */
                fail(s, "unknown directive %s — use @if, @else, @endif, @insert, @include or @# for a comment", l);
            }
            continue;
        }
        if (!active[depth])
            continue;
        if (!l[0]) {
            END_PARAGRAPH();
            continue;
        }
        char k = ' ';
        const char *body = l;
        if (l[0] == '#' && l[1] == ' ') { k = '#'; body = l + 2; }
        else if (l[0] == '-' && l[1] == ' ') { k = '-'; body = l + 2; }
        if (k != ' ' || !para) {
            END_PARAGRAPH();
            kind = k;
            para_line = line;
        }
        size_t bl = strlen(body);
        para = ap_xrealloc(para, para_len + bl + 2);
        if (para_len)
            para[para_len++] = ' ';
        memcpy(para + para_len, body, bl + 1);
        para_len += bl;
        if (k == '#')
            END_PARAGRAPH();
    }
    if (!s->failed && depth)
        fail(s, "@if without @endif%s — close every condition", "");
    END_PARAGRAPH();
    free(para);
#undef END_PARAGRAPH
}

static bool run_file(run_state *s, const char *name)
{
    char *path = ap_xasprintf("%s/%s", s->t->dir, name);
    s->path = path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ap_error_code(s->t->diags, AP_EXIT_CONFIG, path, 0,
                      "the template cannot be opened (%s) — restore it from templates/ or pass --templates DIR",
                      strerror(errno));
        free(path);
        return false;
    }
    char *text = ap_xmalloc(MAX_TEMPLATE_BYTES + 1);
    size_t n = fread(text, 1, MAX_TEMPLATE_BYTES + 1, f);
    bool read_failed = ferror(f);
    fclose(f);
    if (read_failed) {
        fail(s, "the template cannot be read%s — restore it from templates/ or pass --templates DIR", "");
    } else if (n > MAX_TEMPLATE_BYTES) {
        fail(s, "the template is larger than 256 KB%s — split it", "");
    } else {
        text[n] = '\0';
        run_text(s, text);
    }
    free(text);
    free(path);   /* diagnostics keep their own copy */
    s->path = NULL;
    return !s->failed;
}

bool ap_template_run(ap_template_ctx *t, const char *name)
{
    run_state s = {t, NULL, 0, false, 0};
    return run_file(&s, name);
}
