/* The appeal letter: letterhead, addressee, RE block, the request, the
 * denial quoted, the clinical summary, the criterion-by-criterion argument,
 * the kind-specific argument, guidelines, requests, enclosures, signature. */
#include <stdio.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/template.h"
#include "util/arena.h"

static ap_block *para(ap_packet *p)
{
    ap_block *b = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    b->style = ap_style_body();
    return b;
}

static const char *address_line(ap_packet *p, const ap_address *a)
{
    return ap_packet_printf(p, "%s, %s %s", a->city, a->state, a->postal_code);
}

static void letterhead(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    ap_block *name = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    name->style = (ap_para_style){.family = AP_FAMILY_SANS, .size = 14.0f};
    name->anchor = a->letter;
    name->outline_level = 1;
    name->outline_title = "Appeal letter";
    ap_text_add(p, &name->text, AP_FONT_BOLD, c->prescriber.practice);
    ap_block *lines = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    lines->style = (ap_para_style){.family = AP_FAMILY_SANS, .size = 8.5f, .leading = 11.0f};
    const ap_address *ad = &c->prescriber.address;
    for (size_t i = 0; i < ad->n_lines; i++)
        ap_text_addf(p, &lines->text, 0, "%s, ", ad->lines[i]);
    ap_text_addf(p, &lines->text, 0, "%s\nPhone %s", address_line(p, ad), c->prescriber.phone);
    if (c->prescriber.fax)
        ap_text_addf(p, &lines->text, 0, "  ·  Fax %s", c->prescriber.fax);
    ap_text_addf(p, &lines->text, 0, "  ·  NPI %s", c->prescriber.npi);
    ap_packet_add(p, AP_BLOCK_RULE)->style.space_after = 10.0f;
}

static void addressee(ap_packet *p, const ap_case *c, const ap_compose_options *o)
{
    ap_block *date = para(p);
    ap_text_add(p, &date->text, 0, ap_long_date(p, o->date));
    ap_block *to = para(p);
    to->style.leading = 13.5f;
    ap_text_addf(p, &to->text, 0, "%s", c->coverage.insurer);
    const ap_address *ad = c->coverage.appeals_address;
    if (ad) {
        for (size_t i = 0; i < ad->n_lines; i++)
            ap_text_addf(p, &to->text, 0, "\n%s", ad->lines[i]);
        ap_text_addf(p, &to->text, 0, "\n%s", address_line(p, ad));
    } else {
        ap_text_add(p, &to->text, 0, "\nAppeals Department");
    }
    if (c->coverage.appeals_fax)
        ap_text_addf(p, &to->text, 0, "\nBy fax to %s", c->coverage.appeals_fax);
}

/* One labelled line of the RE block. */
static void re_line(ap_packet *p, ap_text *t, const char *label, const char *value)
{
    if (t->n)
        ap_text_add(p, t, 0, "\n");
    ap_text_add(p, t, AP_FONT_BOLD, label);
    ap_text_add(p, t, 0, " ");
    ap_text_add(p, t, 0, value);
}

static void re_block(ap_packet *p, const ap_case *c)
{
    ap_block *re = para(p);
    re->style.indent = 0;
    re->style.leading = 13.5f;
    ap_text *t = &re->text;
    re_line(p, t, "RE:", ap_packet_printf(p, "%s, request for %s", ap_patient_name(p, c),
                                          ap_appeal_request(c->denial.level)));
    re_line(p, t, "Date of birth:", ap_short_date(p, c->patient.birth_date));
    re_line(p, t, "Member ID:", c->coverage.member_id);
    if (c->coverage.group_number)
        re_line(p, t, "Group number:", c->coverage.group_number);
    if (c->coverage.plan_name)
        re_line(p, t, "Plan:", c->coverage.plan_name);
    re_line(p, t, "Claim/reference number:", c->denial.reference);
    re_line(p, t, "Date of denial:", ap_short_date(p, c->denial.date));
    const char *codes = "";
    for (size_t i = 0; i < c->service.n_codes; i++)
        codes = ap_packet_printf(p, "%s%s%s %s", codes, i ? ", " : "", c->service.codes[i].system,
                                 c->service.codes[i].code);
    re_line(p, t, "Service:", c->service.n_codes ? ap_packet_printf(p, "%s (%s)", c->service.description, codes)
                                                 : c->service.description);
    for (size_t i = 0; i < c->service.n_diagnoses; i++)
        re_line(p, t, i ? "" : "Diagnoses (ICD-10-CM):",
                ap_packet_printf(p, "%s %s", c->service.diagnoses[i].code, c->service.diagnoses[i].description));
    if (c->denial.has_policy) {
        const char *policy = ap_packet_printf(p, "%s %s", c->denial.policy_id,
                                              c->denial.policy_title ? c->denial.policy_title : "");
        if (c->denial.has_policy_revised)
            policy = ap_packet_printf(p, "%s (revised %s)", policy, ap_short_date(p, c->denial.policy_revised));
        re_line(p, t, "Coverage policy applied:", policy);
    }
}

static void criteria_list(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    for (size_t i = 0; i < c->n_criteria; i++) {
        const ap_criterion *cr = &c->criteria[i];
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        b->style.space_after = 5.0f;
        ap_text_addf(p, &b->text, AP_FONT_BOLD, "Criterion %zu", i + 1);
        ap_text_addf(p, &b->text, 0, " (%s) — ",
                     cr->status == AP_STATUS_MET ? "met" :
                     cr->status == AP_STATUS_CONTRAINDICATED ? "contraindicated" : "not applicable");
        const char *finding = cr->evidence[0].finding;
        size_t n = strlen(finding);
        while (n && (finding[n - 1] == '.' || finding[n - 1] == ' '))
            n--;   /* the sentence ends after the exhibit list */
        ap_text_add(p, &b->text, 0, ap_packet_printf(p, "%.*s", (int)n, finding));
        ap_text_add(p, &b->text, 0, " (");
        for (size_t k = 0; k < cr->n_evidence; k++) {
            bool seen = false;
            for (size_t j = 0; j < k; j++)
                seen |= cr->evidence[j].exhibit == cr->evidence[k].exhibit;
            if (seen)
                continue;
            if (k)
                ap_text_add(p, &b->text, 0, ", ");
            ap_add_exhibit_ref(p, &b->text, 0, cr->evidence[k].exhibit, a);
        }
        ap_text_add(p, &b->text, 0, ").");
    }
}

static void guidelines(ap_packet *p, const ap_case *c)
{
    for (size_t i = 0; i < c->n_guidelines; i++) {
        const ap_guideline *g = &c->guidelines[i];
        ap_block *b = para(p);
        b->style.space_after = 5.0f;
        ap_text_addf(p, &b->text, AP_FONT_BOLD, "Guideline %zu. ", i + 1);
        ap_text_addf(p, &b->text, 0, "%s. ", g->organization);
        ap_text_add(p, &b->text, AP_FONT_ITALIC, g->title);
        if (g->version)
            ap_text_addf(p, &b->text, 0, ", %s", g->version);
        if (g->section)
            ap_text_addf(p, &b->text, 0, ", section %s", g->section);
        if (g->category)
            ap_text_addf(p, &b->text, 0, " (category or strength: %s)", g->category);
        ap_text_addf(p, &b->text, 0, ": “%s”", g->text);
    }
}

static void signature(ap_packet *p, const ap_case *c, const ap_compose_options *o)
{
    ap_block *s = para(p);
    s->style.keep_with_next = true;
    ap_text_add(p, &s->text, 0, "Sincerely,");
    ap_block *sig = ap_packet_add(p, AP_BLOCK_SIGNATURE);
    sig->style.space_after = 12.0f;
    ap_signature *g = &sig->signature;
    g->n_lines = 4;
    g->lines = ap_arena_alloc(p->arena, g->n_lines * sizeof *g->lines);
    ap_text_addf(p, &g->lines[0], AP_FONT_BOLD, "%s, %s", c->prescriber.name, c->prescriber.credentials);
    ap_text_addf(p, &g->lines[1], 0, "%s  ·  NPI %s", c->prescriber.specialty, c->prescriber.npi);
    ap_text_addf(p, &g->lines[2], 0, "Phone %s%s%s", c->prescriber.phone, c->prescriber.fax ? "  ·  Fax " : "",
                 c->prescriber.fax ? c->prescriber.fax : "");
    if (c->prescriber.signature) {
        g->image_path = c->prescriber.signature->path;
        g->width = c->prescriber.signature->info.width;
        g->height = c->prescriber.signature->info.height;
        g->source_line = c->prescriber.signature->line;
        ap_text_addf(p, &g->lines[3], AP_FONT_ITALIC, "Signed electronically by %s on %s", c->prescriber.name,
                     ap_long_date(p, o->date));
    } else {
        ap_text_add(p, &g->lines[3], 0, "Date: ____________________");
    }
}

static void enclosures(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    ap_block *enc = para(p);
    enc->style.keep_with_next = true;
    enc->style.space_after = 2.0f;
    ap_text_add(p, &enc->text, AP_FONT_BOLD, "Enclosures");
    ap_block *list = para(p);
    list->style.indent = 14.0f;
    list->style.leading = 13.5f;
    list->style.keep_together = true;
    ap_text_add(p, &list->text, 0, "Coverage criteria and evidence table (page ");
    ap_text_add_pageref(p, &list->text, 0, a->criteria);
    ap_text_add(p, &list->text, 0, ")");
    if (c->n_treatments) {
        ap_text_add(p, &list->text, 0, "\nTreatment history (page ");
        ap_text_add_pageref(p, &list->text, 0, a->history);
        ap_text_add(p, &list->text, 0, ")");
    }
    ap_text_add(p, &list->text, 0, "\nExhibit index (page ");
    ap_text_add_pageref(p, &list->text, 0, a->index);
    ap_text_add(p, &list->text, 0, ")");
    for (size_t e = 0; e < c->n_exhibits; e++) {
        ap_text_add(p, &list->text, 0, "\n");
        ap_add_exhibit_ref(p, &list->text, 0, (int)e, a);
        ap_text_addf(p, &list->text, 0, ": %s (", c->exhibits[e].title);
        ap_add_exhibit_pages(p, &list->text, 0, c, (int)e, a);
        ap_text_add(p, &list->text, 0, ")");
    }
}

static const char *outcome_ground(ap_outcome o)
{
    switch (o) {
    case AP_OUTCOME_FAILED: return "tried and stopped for lack of effect";
    case AP_OUTCOME_INTOLERANT: return "tried and stopped for an adverse effect";
    case AP_OUTCOME_CONTRAINDICATED: return "contraindicated for this patient";
    default: return "still in use";
    }
}

/* The step-therapy list: each prior treatment, its dates, outcome and the
 * exception ground it proves, with its exhibit. */
static void treatments(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    for (size_t i = 0; i < c->n_treatments; i++) {
        const ap_treatment *tr = &c->treatments[i];
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        b->style.space_after = 5.0f;
        ap_text_add(p, &b->text, 0, tr->regimen);
        ap_text_addf(p, &b->text, 0, " (%s to %s): ", ap_short_date(p, tr->start),
                     tr->has_end ? ap_short_date(p, tr->end) : "present");
        ap_text_add(p, &b->text, AP_FONT_BOLD, outcome_ground(tr->outcome));
        if (tr->exhibit >= 0) {
            ap_text_add(p, &b->text, 0, " (");
            ap_add_exhibit_ref(p, &b->text, 0, tr->exhibit, a);
            ap_text_add(p, &b->text, 0, ")");
        }
        ap_text_add(p, &b->text, 0, ".");
    }
}

static void denial_quote(ap_packet *p, const ap_case *c)
{
    if (!c->denial.reason)
        return;
    ap_block *q = para(p);
    q->style.indent = 24.0f;
    ap_text_addf(p, &q->text, AP_FONT_ITALIC, "“%s”", c->denial.reason);
}

static void case_paragraphs(ap_packet *p, const ap_paragraph *paras, size_t n, const ap_anchors *a)
{
    for (size_t i = 0; i < n; i++)
        ap_add_case_paragraph(p, &para(p)->text, &paras[i], a);
}

/* The parts a template can @insert. */
static bool insert_part(ap_template_ctx *t, const char *name)
{
    ap_packet *p = t->p;
    const ap_case *c = t->c;
    if (!strcmp(name, "letterhead")) letterhead(p, c, t->a);
    else if (!strcmp(name, "addressee")) addressee(p, c, t->o);
    else if (!strcmp(name, "re-block")) re_block(p, c);
    else if (!strcmp(name, "denial-quote")) denial_quote(p, c);
    else if (!strcmp(name, "summary")) case_paragraphs(p, c->summary, c->n_summary, t->a);
    else if (!strcmp(name, "argument")) case_paragraphs(p, c->argument, c->n_argument, t->a);
    else if (!strcmp(name, "criteria")) criteria_list(p, c, t->a);
    else if (!strcmp(name, "guidelines")) guidelines(p, c);
    else if (!strcmp(name, "treatments")) treatments(p, c, t->a);
    else if (!strcmp(name, "signature")) signature(p, c, t->o);
    else if (!strcmp(name, "enclosures")) enclosures(p, c, t->a);
    else if (!strcmp(name, "kind")) {
        char file[96];
        snprintf(file, sizeof file, "kinds/%s.txt", ap_denial_kind_name(c->denial.kind));
        return ap_template_run(t, file) || true;   /* errors are already in diags */
    } else
        return false;
    return true;
}

bool ap_compose_letter(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a,
                       ap_diags *diags)
{
    ap_template_ctx t = {p, c, o, a, diags, o->templates_dir, insert_part};
    size_t before = diags->errors;
    ap_template_run(&t, "letter.txt");
    return diags->errors == before;
}
