/* The appeal letter: letterhead, addressee, RE block, the request, the
 * denial quoted, the clinical summary, the criterion-by-criterion argument,
 * the kind-specific argument, guidelines, requests, enclosures, signature. */
#include <stdio.h>
#include <string.h>

#include "compose/compose.h"
#include "util/arena.h"

static ap_block *para(ap_packet *p)
{
    ap_block *b = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    b->style = ap_style_body();
    return b;
}

static ap_block *heading(ap_packet *p, const char *text)
{
    ap_block *b = ap_packet_add(p, AP_BLOCK_HEADING);
    b->style = ap_style_heading();
    b->style.size = 11.0f;
    b->style.leading = 14.0f;
    ap_text_add(p, &b->text, AP_FONT_BOLD, text);
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

static const char *level_text(ap_level l)
{
    switch (l) {
    case AP_LEVEL_SECOND_INTERNAL: return "second-level internal appeal";
    case AP_LEVEL_EXTERNAL: return "external review";
    default: return "first-level internal appeal";
    }
}

static const char *stage_text(ap_stage s)
{
    switch (s) {
    case AP_STAGE_POST_SERVICE: return "post-service";
    case AP_STAGE_URGENT: return "urgent pre-service";
    default: return "pre-service";
    }
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
                                          level_text(c->denial.level)));
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

static void request(ap_packet *p, const ap_case *c)
{
    ap_block *hello = para(p);
    ap_text_add(p, &hello->text, 0, "Dear Appeals Reviewer:");
    ap_block *b = para(p);
    ap_text_addf(p, &b->text, 0,
                 "I am the treating physician of %s, and I am writing to request a %s of your %s decision "
                 "dated %s (reference %s), which denied coverage of ",
                 ap_patient_name(p, c), level_text(c->denial.level), stage_text(c->denial.stage),
                 ap_long_date(p, c->denial.date), c->denial.reference);
    ap_text_add(p, &b->text, AP_FONT_ITALIC, c->service.description);
    ap_text_add(p, &b->text, 0, ".");
    if (c->requests.expedited) {
        ap_block *e = para(p);
        ap_text_add(p, &e->text, AP_FONT_BOLD, "Please process this as an expedited appeal. ");
        if (c->requests.expedited_reason)
            ap_text_addf(p, &e->text, 0, "%s ", c->requests.expedited_reason);
        ap_text_add(p, &e->text, 0,
                    "As the treating physician, I attest that applying the standard time frame for deciding this "
                    "appeal could seriously jeopardize my patient's life, health or ability to regain maximum "
                    "function.");
    }
    if (c->denial.reason) {
        ap_block *lead = para(p);
        lead->style.keep_with_next = true;
        lead->style.space_after = 3.0f;
        ap_text_add(p, &lead->text, 0, "The denial gives this reason:");
        ap_block *q = para(p);
        q->style.indent = 24.0f;
        ap_text_addf(p, &q->text, AP_FONT_ITALIC, "“%s”", c->denial.reason);
    }
}

/* The paragraph that answers the kind of denial. */
static void kind_argument(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    ap_block *b = para(p);
    const char *service = c->service.description;
    switch (c->denial.kind) {
    case AP_DENIAL_STEP_THERAPY:
        ap_text_add(p, &b->text, 0,
                     "The denial requires my patient to try other treatments first. My patient already has: "
                     "the treatment history on page ");
        ap_text_add_pageref(p, &b->text, 0, a->history);
        ap_text_add(p, &b->text, 0,
                    " lists each prior treatment with its dates, its outcome and the record that documents it. "
                    "Each one either failed, was not tolerated or is contraindicated, which are the recognised "
                    "grounds for an exception to a step-therapy requirement. Repeating a treatment that has "
                    "already failed would delay effective care and expose my patient to known harm, so I ask "
                    "that you grant a step-therapy exception.");
        break;
    case AP_DENIAL_EXPERIMENTAL:
        ap_text_addf(p, &b->text, 0,
                     "The denial calls %s experimental or investigational. For this patient's condition it is "
                     "supported by the clinical practice guidelines cited below and by the peer-reviewed evidence "
                     "they summarise; it is not offered as part of a research protocol. I ask that you identify "
                     "the evidence your reviewer relied on if you maintain this position.",
                     service);
        break;
    case AP_DENIAL_OUT_OF_NETWORK:
        ap_text_add(p, &b->text, 0,
                    "The denial is based on network status. No in-network provider can deliver this service with "
                    "the expertise and timeliness my patient's condition requires, as the enclosed records show; "
                    "I ask that you cover it at the in-network level of benefits.");
        break;
    case AP_DENIAL_NOT_COVERED:
        ap_text_add(p, &b->text, 0,
                    "The denial states that this service is not a covered benefit. The service treats a covered "
                    "condition, and the plan documents do not exclude it for this indication; I ask that you cite "
                    "the specific plan provision relied on if you maintain the denial.");
        break;
    case AP_DENIAL_PRIOR_AUTH:
        ap_text_add(p, &b->text, 0,
                    "The denial is based on prior authorization. The enclosed records show that the service was "
                    "medically necessary when it was ordered and that it meets the plan's own criteria, which is "
                    "what prior authorization exists to confirm.");
        break;
    case AP_DENIAL_CODING:
        ap_text_add(p, &b->text, 0,
                    "The denial concerns coding or billing. The codes listed above describe the service as it "
                    "was ordered and documented in the enclosed records; please reprocess the claim with them.");
        break;
    case AP_DENIAL_MEDICAL_NECESSITY:
        ap_text_addf(p, &b->text, 0,
                     "%s is medically necessary for my patient: it is the appropriate next step for the "
                     "diagnoses above, consistent with generally accepted standards of medical practice and with "
                     "the guidelines cited below, and it meets each criterion of the coverage policy you applied.",
                     service);
        break;
    default:
        ap_text_add(p, &b->text, 0,
                    "The enclosed records answer each point of the denial, as set out criterion by criterion "
                    "below.");
        break;
    }
}

static void criteria_argument(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    heading(p, "Each coverage criterion is met");
    ap_block *intro = para(p);
    ap_text_addf(p, &intro->text, 0, "%s sets out %zu criteri%s. The table on page ",
                 c->criteria_source ? c->criteria_source : "The coverage policy", c->n_criteria,
                 c->n_criteria == 1 ? "on" : "a");
    ap_text_add_pageref(p, &intro->text, 0, a->criteria);
    ap_text_add(p, &intro->text, 0,
                " quotes each one beside the chart evidence that meets it. In brief:");
    for (size_t i = 0; i < c->n_criteria; i++) {
        const ap_criterion *cr = &c->criteria[i];
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        b->style.space_after = 5.0f;
        ap_text_addf(p, &b->text, AP_FONT_BOLD, "Criterion %zu", i + 1);
        ap_text_addf(p, &b->text, 0, " (%s) — ",
                     cr->status == AP_STATUS_MET ? "met" :
                     cr->status == AP_STATUS_CONTRAINDICATED ? "contraindicated" : "not applicable");
        ap_text_add(p, &b->text, 0, cr->evidence[0].finding);
        ap_text_add(p, &b->text, 0, " (");
        for (size_t k = 0; k < cr->n_evidence; k++) {
            bool seen = false;
            for (size_t j = 0; j < k; j++)
                seen |= cr->evidence[j].exhibit == cr->evidence[k].exhibit;
            if (seen)
                continue;
            if (k)
                ap_text_add(p, &b->text, 0, ", ");
            ap_add_exhibit_ref(p, &b->text, 0, c, cr->evidence[k].exhibit, a);
        }
        ap_text_add(p, &b->text, 0, ").");
    }
}

static void guidelines(ap_packet *p, const ap_case *c)
{
    if (!c->n_guidelines)
        return;
    heading(p, "Clinical guidelines");
    for (size_t i = 0; i < c->n_guidelines; i++) {
        const ap_guideline *g = &c->guidelines[i];
        ap_block *b = para(p);
        b->style.space_after = 5.0f;
        ap_text_addf(p, &b->text, AP_FONT_BOLD, "[%zu] ", i + 1);
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

static void requests(ap_packet *p, const ap_case *c)
{
    const bool any = c->requests.peer_to_peer || c->requests.claim_file || c->requests.step_therapy_exception
                     || c->requests.external_review;
    if (!any)
        return;
    heading(p, "Requests");
    if (c->requests.peer_to_peer) {
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        ap_text_addf(p, &b->text, 0,
                     "Before any decision to uphold the denial, I request a peer-to-peer discussion with the "
                     "physician reviewer, ideally one in %s. I can be reached at %s.",
                     c->prescriber.specialty, c->prescriber.phone);
    }
    if (c->requests.claim_file) {
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        ap_text_add(p, &b->text, 0,
                    "Please send me, free of charge, copies of all documents, records and other information "
                    "relevant to this claim, including the clinical criteria applied and the names and "
                    "qualifications of the medical experts whose advice was obtained.");
    }
    if (c->requests.step_therapy_exception) {
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        ap_text_add(p, &b->text, 0,
                    "I request an exception to the step-therapy requirement on the grounds documented in the "
                    "treatment history.");
    }
    if (c->requests.external_review) {
        ap_block *b = para(p);
        b->style.indent = 14.0f;
        ap_text_add(p, &b->text, 0,
                    "If the denial is upheld, my patient requests an independent external review, and I ask that "
                    "you forward the complete file to the reviewing organization.");
    }
}

static void closing(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a)
{
    ap_block *b = para(p);
    ap_text_addf(p, &b->text, 0,
                 "For these reasons I ask that you reverse the denial and approve %s for %s. Every statement "
                 "above is documented in the enclosed exhibits.",
                 c->service.description, ap_patient_name(p, c));
    ap_block *s = para(p);
    s->style.keep_with_next = true;
    ap_text_add(p, &s->text, 0, "Sincerely,");
    ap_block *sig = ap_packet_add(p, AP_BLOCK_SIGNATURE);
    sig->style.space_after = 12.0f;
    ap_signature *g = &sig->signature;
    size_t n = 5;
    g->lines = ap_arena_alloc(p->arena, n * sizeof *g->lines);
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
        g->n_lines = 4;
    } else {
        ap_text_add(p, &g->lines[3], 0, "Date: ____________________");
        g->n_lines = 4;
    }

    ap_block *enc = para(p);
    enc->style.keep_with_next = true;
    enc->style.space_after = 2.0f;
    ap_text_add(p, &enc->text, AP_FONT_BOLD, "Enclosures");
    ap_block *list = para(p);
    list->style.indent = 14.0f;
    list->style.leading = 13.5f;
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
        ap_add_exhibit_ref(p, &list->text, 0, c, (int)e, a);
        ap_text_addf(p, &list->text, 0, ": %s (", c->exhibits[e].title);
        ap_add_exhibit_pages(p, &list->text, 0, c, (int)e, a);
        ap_text_add(p, &list->text, 0, ")");
    }
}

void ap_compose_letter(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a)
{
    letterhead(p, c, a);
    addressee(p, c, o);
    re_block(p, c);
    request(p, c);
    if (c->n_summary) {
        heading(p, "Clinical summary");
        for (size_t i = 0; i < c->n_summary; i++)
            ap_add_case_paragraph(p, &para(p)->text, c, &c->summary[i], a);
    }
    heading(p, "Why the denial should be reversed");
    kind_argument(p, c, a);
    for (size_t i = 0; i < c->n_argument; i++)
        ap_add_case_paragraph(p, &para(p)->text, c, &c->argument[i], a);
    criteria_argument(p, c, a);
    guidelines(p, c);
    requests(p, c);
    closing(p, c, o, a);
}
