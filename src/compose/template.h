/* Letter templates: plain-text files in templates/ that a clinic edits
 * without recompiling (syntax in templates/README.md). A template is
 * paragraphs separated by blank lines, "# " headings, "- " indented items,
 * **bold** and *italic*, {{variables}} and {{page:section}} references,
 * "@if NAME" / "@if !NAME" ... "@endif" conditions, and "@insert NAME"
 * for the generated parts (RE block, criteria list, signature ...). */
#ifndef AP_TEMPLATE_H
#define AP_TEMPLATE_H

#include <stdbool.h>

#include "compose/compose.h"
#include "util/diag.h"

typedef struct ap_template_ctx ap_template_ctx;

/* Generates an inserted part; returns false when the name is unknown. */
typedef bool (*ap_insert_fn)(ap_template_ctx *t, const char *name);

struct ap_template_ctx {
    ap_packet *p;
    const ap_case *c;
    const ap_compose_options *o;
    const ap_anchors *a;
    ap_diags *diags;
    const char *dir;        /* the templates folder */
    ap_insert_fn insert;
};

/* Runs the template file dir/name, appending blocks to the packet; false
 * (with file:line errors in diags) on a missing file or a template error. */
bool ap_template_run(ap_template_ctx *t, const char *name);

#endif
