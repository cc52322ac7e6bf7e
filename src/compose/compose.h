/* Compose: Case -> Packet. Decides what the packet says and in which order
 * (fax cover sheet, appeal letter, criteria table, treatment history,
 * exhibit index, exhibits), never how it is laid out. */
#ifndef AP_COMPOSE_H
#define AP_COMPOSE_H

#include <stdbool.h>

#include "case/case.h"
#include "packet/packet.h"
#include "rules/rules.h"
#include "util/diag.h"

typedef struct {
    ap_date date;                 /* the letter date */
    const ap_plan_rules *rules;   /* the plan type's row of the rules file */
    ap_deadlines deadlines;       /* computed from the case and those rules */
    const char *templates_dir;    /* where letter.txt and kinds/ live */
} ap_compose_options;

/* Anchors compose hands out, shared by its section builders. */
typedef struct {
    int cover, letter, criteria, history, index;
    int *exhibit_first;   /* per exhibit: anchor of its first page */
    int *exhibit_last;    /* per exhibit: anchor of its last page */
    int end;              /* the last page of the packet */
} ap_anchors;

/* Builds the packet for a loaded, checked case; NULL (errors in diags) when
 * a template cannot be read or has an error. */
ap_packet *ap_compose(const ap_case *c, const ap_compose_options *o, ap_diags *diags);

/* Section builders (compose.c calls them in packet order). */
void ap_compose_cover(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a);
bool ap_compose_letter(ap_packet *p, const ap_case *c, const ap_compose_options *o, const ap_anchors *a,
                       ap_diags *diags);
void ap_compose_tables(ap_packet *p, const ap_case *c, const ap_anchors *a);

/* Shared text helpers. */
/* "October 9, 2026". */
const char *ap_long_date(ap_packet *p, ap_date d);
/* "10/09/2026". */
const char *ap_short_date(ap_packet *p, ap_date d);
/* The patient's full name: given, middle, family, suffix. */
const char *ap_patient_name(ap_packet *p, const ap_case *c);
/* Appends the case's rich paragraph (with exhibit and guideline references) to text. */
void ap_add_case_paragraph(ap_packet *p, ap_text *t, const ap_paragraph *para,
                           const ap_anchors *a);
/* What the appeal requests at this level ("first-level internal appeal"). */
const char *ap_appeal_request(ap_level level);
/* Appends "Exhibit N" linked to the exhibit, for exhibit index i. */
void ap_add_exhibit_ref(ap_packet *p, ap_text *t, unsigned style, int exhibit, const ap_anchors *a);
/* Appends "packet page N" or "packet pages N–M" for exhibit index i. */
void ap_add_exhibit_pages(ap_packet *p, ap_text *t, unsigned style, const ap_case *c, int exhibit,
                          const ap_anchors *a);
/* Paragraph styles used across the packet. */
ap_para_style ap_style_body(void);
ap_para_style ap_style_heading(void);
ap_para_style ap_style_table(void);

#endif
