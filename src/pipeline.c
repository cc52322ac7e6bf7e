/* The whole job for one case: read and check, compose, lay out, render. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pipeline.h"
#include "compose/compose.h"
#include "compose/glyphs.h"
#include "image/check_queue.h"
#include "layout/layout.h"
#include "packet/packet.h"
#include "render/render.h"
#include "rules/preflight.h"
#include "rules/rules.h"
#include "util/exitcodes.h"

void ap_build_options_init(ap_build_options *o)
{
    memset(o, 0, sizeof *o);
    o->date = ap_date_from_days((long)(time(NULL) / 86400));
    o->paper = AP_PAPER_LETTER;
}

/* Reads the rules file of the templates folder. */
static ap_rules *load_rules(const ap_build_options *o, ap_diags *diags)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/rules.ini", o->templates_dir ? o->templates_dir : AP_DATA_DIR "/templates");
    return ap_rules_load(path, diags);
}

int ap_check_case(const char *case_path, const ap_build_options *o, ap_diags *diags, ap_checked_case *out)
{
    ap_load_options lo = {o->base_dir, false};
    if (out)
        memset(out, 0, sizeof *out);
    ap_case *c = ap_case_load(case_path, &lo, diags);
    if (!c)
        return ap_diags_exit_code(diags);
    ap_rules *rules = load_rules(o, diags);
    if (!rules) {
        ap_case_free(c);
        return ap_diags_exit_code(diags);
    }
    const ap_plan_rules *plan = ap_rules_for(rules, c->coverage.plan_type);
    ap_deadlines d = ap_deadlines_for(c, plan);
    ap_preflight(c, &d, o->date, diags);
    if (!out) {
        ap_rules_free(rules);
        ap_case_free(c);
        return AP_EXIT_OK;
    }
    *out = (ap_checked_case){c, rules, plan, d};
    return AP_EXIT_OK;
}

void ap_checked_case_free(ap_checked_case *k)
{
    if (!k)
        return;
    ap_case_free(k->c);
    ap_rules_free(k->rules);
    memset(k, 0, sizeof *k);
}

/* True when both the letter face and the table face have the code point. */
static bool printable(void *ctx, uint32_t cp)
{
    ap_renderer *r = ctx;
    if (cp == '\n' || cp == '\t')
        return true;
    return ap_renderer_has_glyph(r, AP_FONT_INDEX(AP_FAMILY_SERIF, 0), cp)
           && ap_renderer_has_glyph(r, AP_FONT_INDEX(AP_FAMILY_SANS, 0), cp);
}

/* Reports a scan or signature image that cannot be used, against the
 * line of its <page> or <signature>. */
static void image_error(ap_diags *diags, const ap_case *c, const ap_block *b, const char *why)
{
    if (b->kind == AP_BLOCK_IMAGE_PAGE)
        ap_error(diags, c->file, b->image.source_line, "scan %s cannot be used: %s", b->image.path, why);
    else
        ap_error(diags, c->file, b->signature.source_line, "signature image %s cannot be used: %s",
                 b->signature.image_path, why);
}

/* Embeds every scan and the signature image, fixing each image block's
 * size and orientation from what the embedder found; false on the first
 * image that cannot be embedded. With a queue, the check of passed-through
 * PNG data is queued (tagged with the block) instead of run here. */
static bool embed_images(ap_renderer *r, ap_packet *p, const ap_case *c, const ap_build_options *o,
                         ap_check_queue *checks, ap_diags *diags)
{
    ap_embed_options eo = {.verify = !o->fast_images, .defer = checks != NULL};
    char why[512];
    for (size_t i = 0; i < p->n_blocks; i++) {
        ap_block *b = &p->blocks[i];
        ap_embedded_image img;
        if (b->kind == AP_BLOCK_IMAGE_PAGE) {
            ap_image_page *im = &b->image;
            im->image_slot = ap_renderer_embed(r, im->path, &eo, &img, why, sizeof why);
            if (im->image_slot < 0) {
                image_error(diags, c, b, why);
                return false;
            }
            im->width = img.width;
            im->height = img.height;
            im->rotate = (im->rotate + img.orientation_rotate) % 360;
            im->mirror = img.orientation_mirror;
        } else if (b->kind == AP_BLOCK_SIGNATURE && b->signature.image_path) {
            ap_signature *sg = &b->signature;
            sg->image_slot = ap_renderer_embed(r, sg->image_path, &eo, &img, why, sizeof why);
            if (sg->image_slot < 0) {
                image_error(diags, c, b, why);
                return false;
            }
            sg->width = img.width;
            sg->height = img.height;
        } else {
            continue;
        }
        if (img.check)
            ap_check_queue_add(checks, img.check, i);
    }
    return true;
}

typedef struct {
    ap_check_queue *checks;
    const ap_case *c;
    const ap_packet *p;
    ap_diags *diags;
} checks_gate;

/* The save's gate: the packet goes in place only when every queued scan
 * check has passed; the first that failed is reported like an embedding
 * error. */
static int checks_passed(void *ctx, char *why, size_t why_size)
{
    checks_gate *g = ctx;
    size_t tag;
    char reason[512];
    (void)why;
    (void)why_size;
    if (ap_check_queue_wait(g->checks, &tag, reason, sizeof reason))
        return AP_EXIT_OK;
    image_error(g->diags, g->c, &g->p->blocks[tag], reason);
    return ap_diags_exit_code(g->diags);
}

int ap_build_loaded_case(const ap_checked_case *k, const char *out_path, const ap_build_options *o,
                         ap_diags *diags, ap_build_result *result)
{
    const ap_case *c = k->c;
    char why[512];
    const char *fonts = o->fonts_dir ? o->fonts_dir : AP_DATA_DIR "/fonts";
    ap_renderer *r = ap_renderer_new(fonts, why, sizeof why);
    if (!r) {
        ap_error_code(diags, AP_EXIT_SOFTWARE, fonts, 0, "%s", why);
        return AP_EXIT_SOFTWARE;
    }
    ap_check_glyphs(c, printable, r, diags);
    int rc = AP_EXIT_OK;
    ap_compose_options co = {.date = o->date, .rules = k->plan, .deadlines = k->deadlines};
    co.templates_dir = o->templates_dir ? o->templates_dir : AP_DATA_DIR "/templates";
    ap_layout *l = NULL;
    ap_check_queue *checks = o->fast_images ? NULL : ap_check_queue_new();
    ap_packet *p = ap_compose(c, &co, diags);
    if (!p) {
        rc = ap_diags_exit_code(diags);
        goto out;
    }
    if (!embed_images(r, p, c, o, checks, diags)) {
        rc = ap_diags_exit_code(diags);
        goto out;
    }
    ap_geometry g = ap_geometry_for(o->paper == AP_PAPER_A4);
    l = ap_layout_packet(p, &g, ap_renderer_metrics(r));
    if (!l) {
        ap_error_code(diags, AP_EXIT_SOFTWARE, c->file, 0,
                      "page references did not settle during layout — report this case as a bug");
        rc = AP_EXIT_SOFTWARE;
        goto out;
    }
    if (!ap_renderer_draw(r, p, l, o->date, why, sizeof why)) {
        ap_error_code(diags, AP_EXIT_SOFTWARE, c->file, 0, "%s", why);
        rc = AP_EXIT_SOFTWARE;
        goto out;
    }
    uint64_t bytes = 0;
    checks_gate gate = {checks, c, p, diags};
    rc = ap_renderer_save(r, out_path, &bytes, checks ? checks_passed : NULL, &gate, why, sizeof why);
    if (rc != AP_EXIT_OK) {
        if (why[0])
            ap_error_code(diags, rc, out_path, 0, "%s", why);
        goto out;
    }
    if (result) {
        result->pages = (int)l->n_pages;
        result->bytes = bytes;
        result->has_file_by = co.deadlines.has_file_by;
        result->file_appeal_by = co.deadlines.file_appeal_by;
    }
out:
    ap_check_queue_free(checks);
    ap_layout_free(l);
    ap_packet_free(p);
    ap_renderer_free(r);
    return rc;
}

int ap_build_case(const char *case_path, const char *out_path, const ap_build_options *o,
                  ap_diags *diags, ap_build_result *result)
{
    if (result)
        memset(result, 0, sizeof *result);
    ap_checked_case k;
    int rc = ap_check_case(case_path, o, diags, &k);
    if (rc != AP_EXIT_OK)
        return rc;
    if (result && k.c->case_id)
        snprintf(result->case_id, sizeof result->case_id, "%s", k.c->case_id);
    rc = ap_build_loaded_case(&k, out_path, o, diags, result);
    ap_checked_case_free(&k);
    return rc;
}
