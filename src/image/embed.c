/* Scan embedding: open and probe the scan, hand it to the PNG or JPEG path,
 * and build the image XObject those paths fill. The XObject keeps libharu's
 * own filter at NONE (so libharu neither deflates the data again nor drops
 * the key) and writes /Filter itself from the dictionary's write hook. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/embed_private.h"
#include "image/probe.h"

bool ap_embed_fail(char *why, size_t why_size, const char *fmt, ...)
{
    if (why && why_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_size, fmt, ap);
        va_end(ap);
    }
    return false;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream out)
{
    (void)d;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

static HPDF_STATUS write_dct_filter(HPDF_Dict d, HPDF_Stream out)
{
    (void)d;
    return HPDF_Stream_WriteStr(out, "/Filter /DCTDecode\012");
}

static const char *device_space(unsigned colors)
{
    return colors == 4 ? "DeviceCMYK" : colors == 3 ? "DeviceRGB" : "DeviceGray";
}

/* /ColorSpace: a device space, or [/Indexed /DeviceRGB hival <lookup>]. */
static HPDF_STATUS add_color_space(HPDF_Dict img, const ap_xobject_desc *d)
{
    if (!d->palette)
        return HPDF_Dict_AddName(img, "ColorSpace", device_space(d->colors));
    HPDF_Array cs = HPDF_Array_New(img->mmgr);
    if (!cs)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS ret = HPDF_Dict_Add(img, "ColorSpace", cs);
    if (ret == HPDF_OK)
        ret = HPDF_Array_AddName(cs, "Indexed");
    if (ret == HPDF_OK)
        ret = HPDF_Array_AddName(cs, "DeviceRGB");
    if (ret == HPDF_OK)
        ret = HPDF_Array_AddNumber(cs, (HPDF_INT32)d->palette_entries - 1);
    if (ret == HPDF_OK)
        ret = HPDF_Array_Add(cs, HPDF_Binary_New(img->mmgr, (HPDF_BYTE *)d->palette,
                                                 d->palette_entries * 3));
    return ret;
}

/* /Decode [1 0 1 0 1 0 1 0] for Adobe's inverted CMYK. */
static HPDF_STATUS add_cmyk_decode(HPDF_Dict img)
{
    HPDF_Array a = HPDF_Array_New(img->mmgr);
    if (!a)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS ret = HPDF_Dict_Add(img, "Decode", a);
    for (int i = 0; i < 4 && ret == HPDF_OK; i++) {
        ret = HPDF_Array_AddNumber(a, 1);
        if (ret == HPDF_OK)
            ret = HPDF_Array_AddNumber(a, 0);
    }
    return ret;
}

/* /DecodeParms for PNG-predicted Flate data. */
static HPDF_STATUS add_png_predictor(HPDF_Dict img, const ap_xobject_desc *d)
{
    HPDF_Dict p = HPDF_Dict_New(img->mmgr);
    if (!p)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS ret = HPDF_Dict_Add(img, "DecodeParms", p);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(p, "Predictor", 15);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(p, "Colors", (HPDF_INT32)d->colors);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(p, "BitsPerComponent", (HPDF_INT32)d->bits);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(p, "Columns", (HPDF_INT32)d->width);
    return ret;
}

HPDF_Image ap_embed_xobject(HPDF_Doc doc, const ap_xobject_desc *d, HPDF_Stream data)
{
    if (!data)
        return NULL;
    HPDF_Dict img = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!img) {
        HPDF_Stream_Free(data);
        return NULL;
    }
    /* The dictionary now belongs to the document; from here on only the
     * data stream needs looking after until it is attached. */
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    img->filter = HPDF_STREAM_FILTER_NONE;
    img->write_fn = d->dct ? write_dct_filter : write_flate_filter;
    HPDF_STATUS ret = HPDF_Dict_AddName(img, "Type", "XObject");
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddName(img, "Subtype", "Image");
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)d->width);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)d->height);
    if (ret == HPDF_OK)
        ret = HPDF_Dict_AddNumber(img, "BitsPerComponent", (HPDF_INT32)d->bits);
    if (ret == HPDF_OK)
        ret = add_color_space(img, d);
    if (ret == HPDF_OK && d->dct && d->cmyk_inverted)
        ret = add_cmyk_decode(img);
    if (ret == HPDF_OK && !d->dct)
        ret = add_png_predictor(img, d);
    if (ret != HPDF_OK) {
        HPDF_Stream_Free(data);
        return NULL;
    }
    HPDF_Stream_Free(img->stream);
    img->stream = data;
    return img;
}

/* Opens the scan read-only; false with a reason when it cannot be opened. */
static bool open_scan(const char *path, int *fd, char *why, size_t why_size)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd >= 0)
        return true;
    if (errno == ENOENT)
        return ap_embed_fail(why, why_size, "the scan file does not exist (moved or deleted since the case was checked) — restore it or fix its src");
    return ap_embed_fail(why, why_size, "the scan file cannot be opened (%s) — check its permissions", strerror(errno));
}

bool ap_image_embed(HPDF_Doc doc, const char *path, const ap_embed_options *opt,
                    ap_embedded_image *out, char *why, size_t why_size)
{
    char scratch[8];
    if (!why || why_size == 0) { /* the reason is not wanted */
        why = scratch;
        why_size = sizeof scratch;
    }
    why[0] = '\0';
    if (!out || !path)
        return ap_embed_fail(why, why_size, "no scan was given to embed — this is a bug, please report it");
    memset(out, 0, sizeof *out);
    if (!doc || !HPDF_HasDoc(doc))
        return ap_embed_fail(why, why_size, "the PDF document is not usable after an earlier error — fix the first reported error");
    static const ap_embed_options defaults = {.verify = true};
    if (!opt)
        opt = &defaults;
    int fd;
    if (!open_scan(path, &fd, why, why_size))
        return false;
    ap_image_info info;
    bool ok = ap_image_probe_fd(fd, &info, why, why_size);
    if (ok && info.format == AP_IMAGE_PNG)
        ok = ap_embed_png(doc, fd, path, info.file_size, opt, out, why, why_size);
    else if (ok && info.format == AP_IMAGE_JPEG)
        ok = ap_embed_jpeg(doc, fd, path, info.file_size, out, why, why_size);
    else if (ok)
        ok = ap_embed_fail(why, why_size, "the file is neither a PNG nor a JPEG — export the scan as PNG or JPEG");
    close(fd);
    if (!ok) {
        ap_image_check_free(out->check);
        memset(out, 0, sizeof *out);
    }
    return ok;
}

ap_image_check *ap_image_check_new(const char *path, const ap_png_data *d)
{
    ap_image_check *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->path = strdup(path);
    c->spans = malloc(d->n_spans * sizeof *c->spans);
    if (!c->path || !c->spans) {
        ap_image_check_free(c);
        return NULL;
    }
    memcpy(c->spans, d->spans, d->n_spans * sizeof *c->spans);
    c->data = *d;
    c->data.spans = c->spans;
    return c;
}

bool ap_image_check_run(ap_image_check *c, ap_png_scratch *scratch, char *why, size_t why_size)
{
    int fd;
    if (!open_scan(c->path, &fd, why, why_size))
        return false;
    bool ok = ap_png_check(fd, &c->data, scratch, why, why_size);
    close(fd);
    return ok;
}

void ap_image_check_free(ap_image_check *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->spans);
    free(c);
}
