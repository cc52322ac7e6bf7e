/* The fax cover sheet and the packet's tables: criteria and evidence,
 * treatment history, exhibit index. */
#include <stdio.h>
#include <string.h>

#include "compose/compose.h"

static ap_block *heading(ap_packet *p, const char *text, int anchor, int outline_level)
{
    ap_block *b = ap_packet_add(p, AP_BLOCK_HEADING);
    b->style = ap_style_heading();
    b->anchor = anchor;
    b->outline_level = outline_level;
    b->outline_title = ap_packet_strdup(p, text);
    ap_text_add(p, &b->text, AP_FONT_BOLD, text);
    return b;
}

static ap_block *paragraph(ap_packet *p, ap_para_style style)
{
    ap_block *b = ap_packet_add(p, AP_BLOCK_PARAGRAPH);
    b->style = style;
    return b;
}

/* A label/value row of the cover sheet table. */
static void cover_row(ap_packet *p, ap_table *t, const char *label, const char *value)
{
    ap_text *cells = ap_table_add_row(p, t);
    ap_text_add(p, &cells[0], AP_FONT_BOLD, label);
    ap_text_add(p, &cells[1], 0, value);
}

static const char *address_text(ap_packet *p, const ap_address *a)
{
    if (!a)
        return "";
    const char *s = "";
    for (size_t i = 0; i < a->n_lines; i++)
        s = ap_packet_printf(p, "%s%s\n", s, a->lines[i]);
    return ap_packet_printf(p, "%s%s, %s %s", s, a->city, a->state, a->postal_code);
}

void ap_compose_cover(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a)
{
    ap_block *title = paragraph(p, (ap_para_style){.family = AP_FAMILY_SANS, .size = 18.0f, .space_after = 4.0f});
    title->anchor = a->cover;
    title->outline_level = 1;
    title->outline_title = "Fax cover sheet";
    ap_text_add(p, &title->text, AP_FONT_BOLD, "FAX — APPEAL OF A DENIAL OF COVERAGE");
    if (c->requests.expedited) {
        ap_block *urgent = paragraph(p, (ap_para_style){.family = AP_FAMILY_SANS, .size = 16.0f, .space_before = 6.0f,
                                                        .space_after = 10.0f});
        ap_text_add(p, &urgent->text, AP_FONT_BOLD, "EXPEDITED APPEAL — decision due within 72 hours");
    }
    ap_block *tb = ap_packet_add(p, AP_BLOCK_TABLE);
    tb->style.space_before = 10.0f;
    tb->style.space_after = 12.0f;
    ap_para_style cell = ap_style_table();
    cell.size = 10.5f;
    cell.leading = 13.5f;
    ap_table_init(p, &tb->table, 2, (const float[]){0.22f, 0.78f}, cell);
    tb->table.has_header = false;
    ap_table *t = &tb->table;
    const char *to = ap_packet_printf(p, "%s — Appeals\n%s", c->coverage.insurer,
                                      address_text(p, c->coverage.appeals_address));
    cover_row(p, t, "To", to);
    if (c->coverage.appeals_fax)
        cover_row(p, t, "Fax", c->coverage.appeals_fax);
    cover_row(p, t, "From", ap_packet_printf(p, "%s, %s\n%s\nPhone %s%s%s", c->prescriber.name,
                                             c->prescriber.credentials, c->prescriber.practice, c->prescriber.phone,
                                             c->prescriber.fax ? "  ·  Fax " : "",
                                             c->prescriber.fax ? c->prescriber.fax : ""));
    cover_row(p, t, "Date", ap_long_date(p, o->date));
    cover_row(p, t, "Re", ap_packet_printf(p, "Appeal of denial %s dated %s\n%s, date of birth %s, member ID %s",
                                           c->denial.reference, ap_short_date(p, c->denial.date),
                                           ap_patient_name(p, c), ap_short_date(p, c->patient.birth_date),
                                           c->coverage.member_id));
    if (o->deadlines.has_file_by)
        cover_row(p, t, "File by", ap_packet_printf(p, "%s (%s)", ap_long_date(p, o->deadlines.file_appeal_by),
                                                   o->deadlines.basis));
    if (o->deadlines.decision_within && o->deadlines.decision_within[0])
        cover_row(p, t, "Decision due",
                  ap_packet_printf(p, "within %s of receipt%s",
                                   c->requests.expedited ? o->rules->decide[AP_STAGE_URGENT] : o->deadlines.decision_within,
                                   c->requests.expedited ? " (expedited appeal)" : ""));
    ap_text *pages = ap_table_add_row(p, t);
    ap_text_add(p, &pages[0], AP_FONT_BOLD, "Pages");
    ap_text_add_pageref(p, &pages[1], AP_FONT_BOLD, a->end);
    ap_text_add(p, &pages[1], 0, " pages, including this cover sheet");
    ap_text *contents = ap_table_add_row(p, t);
    ap_text_add(p, &contents[0], AP_FONT_BOLD, "Contents");
    ap_text_add(p, &contents[1], 0, "Appeal letter, p. ");
    ap_text_add_pageref(p, &contents[1], 0, a->letter);
    ap_text_add(p, &contents[1], 0, "; criteria and evidence, p. ");
    ap_text_add_pageref(p, &contents[1], 0, a->criteria);
    if (c->n_treatments) {
        ap_text_add(p, &contents[1], 0, "; treatment history, p. ");
        ap_text_add_pageref(p, &contents[1], 0, a->history);
    }
    ap_text_add(p, &contents[1], 0, "; exhibit index, p. ");
    ap_text_add_pageref(p, &contents[1], 0, a->index);
    ap_text_addf(p, &contents[1], 0, "; %zu exhibit%s", c->n_exhibits, c->n_exhibits == 1 ? "" : "s");

    ap_block *notice = paragraph(p, (ap_para_style){.family = AP_FAMILY_SANS, .size = 9.0f, .space_before = 8.0f});
    ap_text_add(p, &notice->text, AP_FONT_BOLD, "CONFIDENTIAL: ");
    ap_text_add(p, &notice->text, 0,
                "This fax contains protected health information that is privileged and confidential. It is "
                "intended only for the appeals department named above, for the purpose of this appeal. If you "
                "received it in error, notify the sender at the phone number above and destroy every page. "
                "Any other review, use or disclosure is prohibited.");
    ap_packet_add(p, AP_BLOCK_PAGE_BREAK);
}

/* "Document, MM/DD/YYYY: finding" for one piece of evidence; the first of
 * document and date is bold. */
static void evidence_text(ap_packet *p, ap_text *t, const ap_evidence *ev)
{
    if (ev->document) {
        ap_text_add(p, t, AP_FONT_BOLD, ev->document);
        if (ev->has_date)
            ap_text_addf(p, t, 0, ", %s", ap_short_date(p, ev->date));
    } else if (ev->has_date) {
        ap_text_add(p, t, AP_FONT_BOLD, ap_short_date(p, ev->date));
    }
    if (ev->document || ev->has_date)
        ap_text_add(p, t, 0, ": ");
    ap_text_add(p, t, 0, ev->finding);
}

static const char *status_text(ap_criterion_status s)
{
    switch (s) {
    case AP_STATUS_CONTRAINDICATED: return "Contraindicated";
    case AP_STATUS_NOT_APPLICABLE: return "Not applicable";
    default: return "Met";
    }
}

static void criteria_table(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    ap_packet_add(p, AP_BLOCK_PAGE_BREAK);
    heading(p, "Coverage criteria and the evidence that meets them", a->criteria, 1);
    if (c->criteria_source) {
        ap_block *src = paragraph(p, ap_style_body());
        src->style.keep_with_next = true;
        ap_text_add(p, &src->text, 0, "Criteria as stated in ");
        ap_text_add(p, &src->text, AP_FONT_ITALIC, c->criteria_source);
        ap_text_add(p, &src->text, 0, ". Each row quotes the criterion and the chart evidence that meets it, "
                                      "with the exhibit and packet page where it can be found.");
    }
    ap_block *tb = ap_packet_add(p, AP_BLOCK_TABLE);
    tb->style.space_after = 10.0f;
    ap_table_init(p, &tb->table, 5, (const float[]){0.06f, 0.31f, 0.36f, 0.10f, 0.17f}, ap_style_table());
    const char *head[5] = {"#", "Criterion", "Evidence", "Status", "Where to find it"};
    for (int i = 0; i < 5; i++)
        ap_text_add(p, &tb->table.header[i], AP_FONT_BOLD, head[i]);
    for (size_t i = 0; i < c->n_criteria; i++) {
        const ap_criterion *cr = &c->criteria[i];
        ap_text *cells = ap_table_add_row(p, &tb->table);
        ap_text_addf(p, &cells[0], AP_FONT_BOLD, "%zu", i + 1);
        ap_text_add(p, &cells[1], 0, cr->requirement);
        for (size_t k = 0; k < cr->n_evidence; k++) {
            const ap_evidence *ev = &cr->evidence[k];
            if (k) {
                ap_text_add(p, &cells[2], 0, "\n");
                ap_text_add(p, &cells[4], 0, "\n");
            }
            evidence_text(p, &cells[2], ev);
            ap_add_exhibit_ref(p, &cells[4], 0, ev->exhibit, a);
            ap_text_add(p, &cells[4], 0, " (");
            ap_add_exhibit_pages(p, &cells[4], 0, c, ev->exhibit, a);
            ap_text_add(p, &cells[4], 0, ")");
        }
        ap_text_add(p, &cells[3], AP_FONT_BOLD, status_text(cr->status));
    }
}

static const char *outcome_text(ap_outcome o)
{
    switch (o) {
    case AP_OUTCOME_FAILED: return "Failed (inadequate response)";
    case AP_OUTCOME_INTOLERANT: return "Not tolerated";
    case AP_OUTCOME_CONTRAINDICATED: return "Contraindicated";
    default: return "Ongoing";
    }
}

static void history_table(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    if (!c->n_treatments)
        return;
    heading(p, "Treatment history", a->history, 1);
    ap_block *tb = ap_packet_add(p, AP_BLOCK_TABLE);
    tb->style.space_after = 10.0f;
    ap_table_init(p, &tb->table, 4, (const float[]){0.20f, 0.44f, 0.16f, 0.20f}, ap_style_table());
    const char *head[4] = {"Dates", "Treatment", "Outcome", "Documented in"};
    for (int i = 0; i < 4; i++)
        ap_text_add(p, &tb->table.header[i], AP_FONT_BOLD, head[i]);
    for (size_t i = 0; i < c->n_treatments; i++) {
        const ap_treatment *tr = &c->treatments[i];
        ap_text *cells = ap_table_add_row(p, &tb->table);
        ap_text_addf(p, &cells[0], 0, "%s – %s", ap_short_date(p, tr->start),
                     tr->has_end ? ap_short_date(p, tr->end) : "present");
        ap_text_add(p, &cells[1], 0, tr->regimen);
        ap_text_add(p, &cells[2], AP_FONT_BOLD, outcome_text(tr->outcome));
        if (tr->exhibit >= 0) {
            ap_add_exhibit_ref(p, &cells[3], 0, tr->exhibit, a);
            ap_text_add(p, &cells[3], 0, " (");
            ap_add_exhibit_pages(p, &cells[3], 0, c, tr->exhibit, a);
            ap_text_add(p, &cells[3], 0, ")");
        } else {
            ap_text_add(p, &cells[3], 0, "—");
        }
    }
}

static void exhibit_index(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    ap_block *h = heading(p, "Exhibit index", a->index, 1);
    h->outline_title = "Exhibits";
    ap_block *tb = ap_packet_add(p, AP_BLOCK_TABLE);
    ap_table_init(p, &tb->table, 5, (const float[]){0.12f, 0.48f, 0.13f, 0.09f, 0.18f}, ap_style_table());
    const char *head[5] = {"Exhibit", "Document", "Date", "Pages", "Packet pages"};
    for (int i = 0; i < 5; i++)
        ap_text_add(p, &tb->table.header[i], AP_FONT_BOLD, head[i]);
    for (size_t e = 0; e < c->n_exhibits; e++) {
        const ap_exhibit *ex = &c->exhibits[e];
        ap_text *cells = ap_table_add_row(p, &tb->table);
        ap_add_exhibit_ref(p, &cells[0], AP_FONT_BOLD, (int)e, a);
        ap_text_add_link(p, &cells[1], 0, ex->title, a->exhibit_first[e]);
        ap_text_add(p, &cells[2], 0, ex->has_date ? ap_short_date(p, ex->date) : "—");
        ap_text_addf(p, &cells[3], 0, "%zu", ex->n_pages);
        ap_text_add_pageref(p, &cells[4], 0, a->exhibit_first[e]);
        if (ex->n_pages > 1) {
            ap_text_add(p, &cells[4], 0, "–");
            ap_text_add_pageref(p, &cells[4], 0, a->exhibit_last[e]);
        }
    }
}

void ap_compose_tables(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    criteria_table(p, c, a);
    history_table(p, c, a);
    exhibit_index(p, c, a);
}
