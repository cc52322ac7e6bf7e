/* The indexed cmap maps every BMP code point of every bundled face to the
 * same glyph as libharu's own segment search, and a document using it
 * still builds its CID fonts; a trimmed CIDToGIDMap keeps exactly the
 * entries up to the highest code point drawn, and the ToUnicode map lists
 * exactly the code points drawn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "render/cid_map.h"
#include "render/cmap_index.h"

static const char *const FACES[] = {
    "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    (void)user;
    fail_msg("libharu error 0x%04X detail %u", (unsigned)error_no, (unsigned)detail_no);
}

static HPDF_FontDef load_face(HPDF_Doc pdf, const char *file, const char **name)
{
    const char *src = getenv("AP_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fonts/%s", src ? src : ".", file);
    *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
    assert_non_null(*name);
    HPDF_FontDef def = HPDF_GetFontDef(pdf, *name);
    assert_non_null(def);
    return def;
}

static void same_glyph_for_every_code_point(void **state)
{
    (void)state;
    static HPDF_UINT16 before[65536];
    for (size_t f = 0; f < sizeof FACES / sizeof FACES[0]; f++) {
        HPDF_Doc pdf = HPDF_New(on_error, NULL);
        assert_non_null(pdf);
        const char *name;
        HPDF_FontDef def = load_face(pdf, FACES[f], &name);
        HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
        assert_true(attr->cmap.seg_count_x2 / 2 > 100);   /* the slow case this exists for */
        size_t mapped = 0;
        for (unsigned u = 0; u < 65536; u++) {
            before[u] = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u);
            mapped += before[u] != 0;
        }
        assert_true(mapped > 1000);
        assert_true(ap_cmap_index(def));
        assert_int_equal(attr->cmap.seg_count_x2, 2);
        for (unsigned u = 0; u < 65536; u++)
            if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u) != before[u])
                fail_msg("%s: U+%04X maps to glyph %u, libharu said %u", FACES[f], u,
                         (unsigned)HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u), (unsigned)before[u]);
        HPDF_Free(pdf);
    }
}

static void indexed_face_builds_and_saves(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    assert_non_null(pdf);
    HPDF_UseUTFEncodings(pdf);
    const char *name;
    HPDF_FontDef def = load_face(pdf, "DejaVuSans.ttf", &name);
    assert_true(ap_cmap_index(def));
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_non_null(font);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 12);
    HPDF_Page_TextOut(page, 72, 720, "Ødegård Nguyễn Łukasz");
    HPDF_Page_EndText(page);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    assert_true(HPDF_GetStreamSize(pdf) > 1000);
    HPDF_Free(pdf);
}

static void other_formats_are_left_alone(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    const char *name;
    HPDF_FontDef def = load_face(pdf, "DejaVuSerif.ttf", &name);
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
    HPDF_UINT16 format = attr->cmap.format;
    attr->cmap.format = 0;
    assert_false(ap_cmap_index(def));
    assert_true(attr->cmap.seg_count_x2 > 2);
    attr->cmap.format = format;
    HPDF_Free(pdf);
}

static void trimmed_map_ends_at_the_highest_code_point(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_UseUTFEncodings(pdf);
    const char *name;
    HPDF_FontDef def = load_face(pdf, "DejaVuSerif.ttf", &name);
    assert_true(ap_cmap_index(def));
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    HPDF_Stream map = ((HPDF_FontAttr)font->attr)->map_stream->stream;
    assert_int_equal(HPDF_Stream_Size(map), 65535u * 2);
    assert_true(ap_cid_map_trim(font, 0x1EC5));   /* ễ */
    assert_int_equal(HPDF_Stream_Size(map), (0x1EC5u + 1) * 2);
    static HPDF_BYTE bytes[(0x1EC5 + 1) * 2];
    HPDF_UINT len = sizeof bytes;
    assert_int_equal(HPDF_Stream_Seek(map, 0, HPDF_SEEK_SET), HPDF_OK);
    assert_int_equal(HPDF_Stream_Read(map, bytes, &len), HPDF_OK);
    assert_int_equal(len, sizeof bytes);
    for (unsigned cid = 0; cid <= 0x1EC5; cid++)
        assert_int_equal(bytes[cid * 2] << 8 | bytes[cid * 2 + 1], HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cid));
    assert_true(bytes['A' * 2 + 1] != 0);
    assert_false(ap_cid_map_trim(font, 0x10000));
    HPDF_Free(pdf);
}

/* The whole of a libharu memory stream as text. */
static const char *stream_text(HPDF_Stream s)
{
    static char text[4096];
    HPDF_UINT len = sizeof text - 1;
    assert_int_equal(HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_Stream_Read(s, (HPDF_BYTE *)text, &len);
    text[len] = '\0';
    return text;
}

static void drawn_set_and_tounicode(void **state)
{
    (void)state;
    static ap_cid_set set;
    memset(&set, 0, sizeof set);
    assert_int_equal(ap_cid_set_highest(&set), 0);
    ap_cid_set_add_text(&set, "\xf0\x9f\x98\x80");                      /* U+1F600: drawn as a space */
    assert_int_equal(ap_cid_set_highest(&set), ' ');
    ap_cid_set_add_text(&set, "Ab Nguy\xe1\xbb\x85n \xe2\x80\x94");   /* ễ U+1EC5, em dash U+2014 */
    assert_int_equal(ap_cid_set_highest(&set), 0x2014);
    ap_cid_set_add_text(&set, "\xef\xbf\xbd");                          /* U+FFFD, a character like any */
    assert_int_equal(ap_cid_set_highest(&set), 0xFFFD);

    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_UseUTFEncodings(pdf);
    const char *name;
    load_face(pdf, "DejaVuSans.ttf", &name);
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_true(ap_cid_tounicode(font, &set));
    HPDF_Stream s = ((HPDF_FontAttr)font->attr)->cmap_stream->stream;
    const char *text = stream_text(s);
    assert_non_null(strstr(text, "/CMapType 2 def"));
    assert_non_null(strstr(text, "11 beginbfchar\n<0020> <0020>\n<0041> <0041>\n<004E> <004E>\n"));
    assert_non_null(strstr(text, "<1EC5> <1EC5>\n<2014> <2014>\n<FFFD> <FFFD>\nendbfchar\n"));
    assert_null(strstr(text, "cidrange"));

    /* sections hold at most 100 entries */
    memset(&set, 0, sizeof set);
    char many[512];
    size_t k = 0;
    for (unsigned cp = 0x100; cp < 0x100 + 150; cp++) {
        many[k++] = (char)(0xC0 | (cp >> 6));
        many[k++] = (char)(0x80 | (cp & 0x3F));
    }
    many[k] = '\0';
    ap_cid_set_add_text(&set, many);
    assert_true(ap_cid_tounicode(font, &set));
    text = stream_text(s);
    assert_non_null(strstr(text, "100 beginbfchar\n<0100> <0100>\n"));
    assert_non_null(strstr(text, "<0163> <0163>\nendbfchar\n50 beginbfchar\n<0164> <0164>\n"));
    assert_non_null(strstr(text, "<0195> <0195>\nendbfchar\nendcmap"));
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_glyph_for_every_code_point),
        cmocka_unit_test(indexed_face_builds_and_saves),
        cmocka_unit_test(other_formats_are_left_alone),
        cmocka_unit_test(trimmed_map_ends_at_the_highest_code_point),
        cmocka_unit_test(drawn_set_and_tounicode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
