/* Packet order, running header, exhibit pages and the shared text helpers. */
#include <stdio.h>
#include <string.h>

#include "compose/compose.h"
#include "util/arena.h"

static const char *const MONTHS[12] = {"January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"};

const char *ap_long_date(ap_packet *p, ap_date d)
{
    return ap_packet_printf(p, "%s %d, %d", MONTHS[(d.month - 1) % 12], d.day, d.year);
}

const char *ap_short_date(ap_packet *p, ap_date d)
{
    return ap_packet_printf(p, "%02d/%02d/%04d", d.month, d.day, d.year);
}

const char *ap_patient_name(ap_packet *p, const ap_case *c)
{
    return ap_packet_printf(p, "%s%s%s %s%s%s", c->patient.given, c->patient.middle ? " " : "",
                            c->patient.middle ? c->patient.middle : "", c->patient.family,
                            c->patient.suffix ? ", " : "", c->patient.suffix ? c->patient.suffix : "");
}

ap_para_style ap_style_body(void)
{
    return (ap_para_style){.family = AP_FAMILY_SERIF, .size = 10.5f, .leading = 14.0f, .space_after = 7.0f};
}

ap_para_style ap_style_heading(void)
{
    return (ap_para_style){.family = AP_FAMILY_SANS, .size = 12.0f, .leading = 15.0f, .space_before = 10.0f,
                           .space_after = 6.0f, .keep_with_next = true};
}

ap_para_style ap_style_table(void)
{
    return (ap_para_style){.family = AP_FAMILY_SANS, .size = 8.5f, .leading = 10.5f};
}

const char *ap_appeal_request(ap_level level)
{
    switch (level) {
    case AP_LEVEL_SECOND_INTERNAL: return "second-level internal appeal";
    case AP_LEVEL_EXTERNAL: return "external review";
    default: return "first-level internal appeal";
    }
}

void ap_add_exhibit_ref(ap_packet *p, ap_text *t, unsigned style, int exhibit, const ap_anchors *a)
{
    ap_text_add_link(p, t, style, ap_packet_printf(p, "Exhibit %d", exhibit + 1), a->exhibit_first[exhibit]);
}

void ap_add_exhibit_pages(ap_packet *p, ap_text *t, unsigned style, const ap_case *c, int exhibit,
                          const ap_anchors *a)
{
    if (c->exhibits[exhibit].n_pages > 1) {
        ap_text_add(p, t, style, "packet pages ");
        ap_text_add_pageref(p, t, style, a->exhibit_first[exhibit]);
        ap_text_add(p, t, style, "–");
        ap_text_add_pageref(p, t, style, a->exhibit_last[exhibit]);
    } else {
        ap_text_add(p, t, style, "packet page ");
        ap_text_add_pageref(p, t, style, a->exhibit_first[exhibit]);
    }
}

void ap_add_case_paragraph(ap_packet *p, ap_text *t, const ap_paragraph *para,
                           const ap_anchors *a)
{
    for (size_t i = 0; i < para->n_runs; i++) {
        const ap_run *run = &para->runs[i];
        unsigned style = (run->style & AP_STYLE_BOLD ? AP_FONT_BOLD : 0u)
                         | (run->style & AP_STYLE_ITALIC ? AP_FONT_ITALIC : 0u);
        switch (run->kind) {
        case AP_RUN_TEXT:
            ap_text_add(p, t, style, run->text);
            break;
        case AP_RUN_REF_EXHIBIT:
            ap_add_exhibit_ref(p, t, style, run->target, a);
            break;
        case AP_RUN_REF_GUIDELINE:
            ap_text_add(p, t, style, ap_packet_printf(p, "Guideline %d", run->target + 1));
            break;
        }
    }
}

/* Running header: who the page belongs to, on every page. */
static void running_header(ap_packet *p, const ap_case *c)
{
    p->running.header_left[0] = ap_packet_printf(p, "%s  ·  DOB %s", ap_patient_name(p, c),
                                                 ap_short_date(p, c->patient.birth_date));
    p->running.header_right[0] = ap_packet_printf(p, "Member ID %s", c->coverage.member_id);
    p->running.header_left[1] = ap_packet_printf(p, "%s appeal  ·  denial of %s", c->coverage.insurer,
                                                 ap_short_date(p, c->denial.date));
    p->running.header_right[1] = ap_packet_printf(p, "Claim/Ref. %s", c->denial.reference);
    p->running.footer_left = ap_packet_printf(p, "Case %s", c->case_id);
}

/* One page per scan, each with its caption; each exhibit gets an outline
 * entry (under the exhibit index) and anchors on its first and last page. */
static void exhibit_pages(ap_packet *p, const ap_case *c, const ap_anchors *a)
{
    for (size_t e = 0; e < c->n_exhibits; e++) {
        const ap_exhibit *ex = &c->exhibits[e];
        for (size_t k = 0; k < ex->n_pages; k++) {
            const ap_page *pg = &ex->pages[k];
            ap_block *b = ap_packet_add(p, AP_BLOCK_IMAGE_PAGE);
            if (k == 0) {
                b->anchor = a->exhibit_first[e];
                b->outline_level = 2;
                b->outline_title = ap_packet_printf(p, "Exhibit %zu — %s", e + 1, ex->title);
            }
            b->image.path = pg->path;
            b->image.width = pg->info.width;
            b->image.height = pg->info.height;
            b->image.rotate = pg->rotate;
            b->image.source_line = pg->line;
            b->image.fit_portrait = true;
            ap_text_addf(p, &b->image.caption, AP_FONT_BOLD, "Exhibit %zu — %s", e + 1, ex->title);
            if (ex->has_date)
                ap_text_addf(p, &b->image.caption, 0, " (%s)", ap_short_date(p, ex->date));
            ap_text_addf(p, &b->image.caption, 0, "  ·  page %zu of %zu", k + 1, ex->n_pages);
            if (k + 1 == ex->n_pages)
                ap_packet_add(p, AP_BLOCK_ANCHOR)->anchor = a->exhibit_last[e];
        }
    }
}

ap_packet *ap_compose(const ap_case *c, const ap_compose_options *o, ap_diags *diags)
{
    ap_packet *p = ap_packet_new();
    ap_anchors a;
    a.cover = ap_packet_new_anchor(p);
    a.letter = ap_packet_new_anchor(p);
    a.criteria = ap_packet_new_anchor(p);
    a.history = ap_packet_new_anchor(p);
    a.index = ap_packet_new_anchor(p);
    a.end = ap_packet_new_anchor(p);
    a.exhibit_first = ap_arena_alloc(p->arena, (c->n_exhibits + 1) * sizeof(int));
    a.exhibit_last = ap_arena_alloc(p->arena, (c->n_exhibits + 1) * sizeof(int));
    for (size_t e = 0; e < c->n_exhibits; e++) {
        a.exhibit_first[e] = ap_packet_new_anchor(p);
        a.exhibit_last[e] = ap_packet_new_anchor(p);
    }
    running_header(p, c);
    p->title = ap_packet_printf(p, "Appeal packet %s — %s", c->case_id, c->service.description);
    p->subject = ap_packet_printf(p, "Appeal of %s denial %s", c->coverage.insurer, c->denial.reference);
    p->author = ap_packet_printf(p, "%s, %s", c->prescriber.name, c->prescriber.credentials);

    ap_compose_cover(p, c, o, &a);
    if (!ap_compose_letter(p, c, o, &a, diags)) {
        ap_packet_free(p);
        return NULL;
    }
    ap_compose_tables(p, c, &a);
    exhibit_pages(p, c, &a);
    ap_block *end = ap_packet_add(p, AP_BLOCK_ANCHOR);
    end->anchor = a.end;
    return p;
}
