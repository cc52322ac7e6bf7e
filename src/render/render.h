/* Render: a laid-out packet -> PDF with libharu. Owns the libharu document:
 * loads and embeds the bundled TrueType faces (UTF-8, subset), embeds the
 * scans through image/embed, draws every page with the running header and
 * "Page X of Y" footer, builds the outline and internal links, sets the
 * document info with caller-given dates, and saves atomically. libharu's
 * errors are caught by a handler that keeps the first one with context. */
#ifndef AP_RENDER_H
#define AP_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "image/embed.h"
#include "layout/layout.h"
#include "packet/packet.h"
#include "render/save.h"

typedef struct ap_renderer ap_renderer;

/* Creates a document and loads the eight bundled faces from fonts_dir; on
 * failure returns NULL with a "what — fix" reason in why. */
ap_renderer *ap_renderer_new(const char *fonts_dir, char *why, size_t why_size);
/* Frees the renderer and its document (NULL is fine). */
void ap_renderer_free(ap_renderer *r);
/* Font metrics of the loaded faces, for layout. */
const ap_metrics *ap_renderer_metrics(ap_renderer *r);
/* True when the font index has a glyph for the code point. */
bool ap_renderer_has_glyph(ap_renderer *r, int font, uint32_t cp);
/* Embeds a scan; returns its image slot (>= 0) or -1 with a reason. */
int ap_renderer_embed(ap_renderer *r, const char *path, const ap_embed_options *opt,
                      ap_embedded_image *out, char *why, size_t why_size);
/* Draws every page of the layout, with the packet's running header and
 * footer, outline, links and document info dated `date`. */
bool ap_renderer_draw(ap_renderer *r, const ap_packet *p, const ap_layout *l, ap_date date,
                      char *why, size_t why_size);
/* Saves to out_path atomically (temporary file beside it, checked writes,
 * fsync, the gate's consent when gate is not NULL, rename). Returns 0, 73
 * (cannot create) or 74 (I/O error) with a reason, or the gate's code; on
 * failure nothing is left at out_path or the temporary path. */
int ap_renderer_save(ap_renderer *r, const char *out_path, uint64_t *bytes, ap_save_gate gate, void *gate_ctx,
                     char *why, size_t why_size);

#endif
