/* Walks every piece of case text that reaches the packet (see glyphs.h). */
#include <stdio.h>

#include "compose/glyphs.h"
#include "util/utf8.h"

typedef struct {
    const ap_case *c;
    ap_glyph_test printable;
    void *ctx;
    ap_diags *diags;
} walk;

static void check(walk *w, const char *text, const char *element, long line)
{
    if (!text)
        return;
    uint32_t reported[8];
    int n_reported = 0;
    for (const char *s = text; *s;) {
        uint32_t cp = ap_utf8_next(&s);
        if (w->printable(w->ctx, cp))
            continue;
        bool seen = false;
        for (int i = 0; i < n_reported; i++)
            seen |= reported[i] == cp;
        if (seen)
            continue;
        if (n_reported < 8)
            reported[n_reported++] = cp;
        else
            return;   /* enough said about one element */
        ap_warning(w->diags, w->c->file, line,
                   "<%s> contains U+%04X, which the bundled fonts cannot print (it would come out blank) — "
                   "replace it with a character they have",
                   element, (unsigned)cp);
    }
}

static void check_paragraphs(walk *w, const ap_paragraph *p, size_t n, const char *element)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p[i].n_runs; k++)
            if (p[i].runs[k].kind == AP_RUN_TEXT)
                check(w, p[i].runs[k].text, element, p[i].line);
}

void ap_check_glyphs(const ap_case *c, ap_glyph_test printable, void *ctx, ap_diags *diags)
{
    walk w = {c, printable, ctx, diags};
    check(&w, c->patient.given, "given", c->line);
    check(&w, c->patient.middle, "middle", c->line);
    check(&w, c->patient.family, "family", c->line);
    check(&w, c->patient.suffix, "suffix", c->line);
    check(&w, c->coverage.insurer, "insurer", c->line);
    check(&w, c->coverage.plan_name, "plan-name", c->line);
    check(&w, c->denial.reason, "reason", c->denial.line);
    check(&w, c->denial.policy_title, "policy", c->denial.line);
    check(&w, c->service.description, "description", c->line);
    for (size_t i = 0; i < c->service.n_diagnoses; i++)
        check(&w, c->service.diagnoses[i].description, "diagnosis", c->line);
    check(&w, c->prescriber.name, "prescriber/name", c->line);
    check(&w, c->prescriber.practice, "practice", c->line);
    check(&w, c->prescriber.specialty, "specialty", c->line);
    check(&w, c->requests.expedited_reason, "expedited", c->requests.line);
    check_paragraphs(&w, c->summary, c->n_summary, "summary");
    check_paragraphs(&w, c->argument, c->n_argument, "argument");
    for (size_t i = 0; i < c->n_guidelines; i++) {
        const ap_guideline *g = &c->guidelines[i];
        check(&w, g->title, "guideline", g->line);
        check(&w, g->text, "guideline", g->line);
        check(&w, g->organization, "guideline", g->line);
    }
    for (size_t i = 0; i < c->n_treatments; i++)
        check(&w, c->treatments[i].regimen, "treatment", c->treatments[i].line);
    check(&w, c->criteria_source, "criteria", c->line);
    for (size_t i = 0; i < c->n_criteria; i++) {
        const ap_criterion *cr = &c->criteria[i];
        check(&w, cr->requirement, "requirement", cr->line);
        for (size_t k = 0; k < cr->n_evidence; k++) {
            check(&w, cr->evidence[k].finding, "evidence", cr->evidence[k].line);
            check(&w, cr->evidence[k].document, "evidence", cr->evidence[k].line);
        }
    }
    for (size_t e = 0; e < c->n_exhibits; e++)
        check(&w, c->exhibits[e].title, "title", c->exhibits[e].line);
}
