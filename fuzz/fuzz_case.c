/* Fuzz target: the case reader and validator. Each input is written as
 * case.xml into a scratch folder that also holds a few scans (valid and
 * broken ones, named as in fixtures/invalid/scans) and loaded with
 * ap_case_load, scans included (paths, links, signatures, headers), and
 * its id is peeked as `check --json` and batch do for a refused case.
 * Checked too: a refused case always carries an error, a loaded one never
 * does, and a peeked id is a safe one. */
#include <sys/stat.h>

#include "fuzz_common.h"

#include "case/case.h"
#include "util/diag.h"

#ifndef AP_DATA_DIR
#define AP_DATA_DIR "."
#endif

static char case_path[256];

static void copy_scan(const char *name)
{
    char src[512];
    snprintf(src, sizeof src, "%s/fixtures/invalid/scans/%s", AP_DATA_DIR, name);
    FILE *f = fopen(src, "rb");
    if (!f)
        return; /* a missing scan only makes its <page> an error */
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char dst[300];
    snprintf(dst, sizeof dst, "%s/scans/%s", fuzz_dir(), name);
    fuzz_write(dst, buf, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char scans[256];
    snprintf(scans, sizeof scans, "%s/scans", fuzz_dir());
    mkdir(scans, 0700);
    static const char *const names[] = {"ok.png", "ok.jpg", "empty.png", "fake.jpg", "forged.png",
                                        "huge.png", "text.png", "truncated.jpg", "truncated.png"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        copy_scan(names[i]);
    /* a link out of the folder, and a folder where a scan should be */
    char link[300];
    snprintf(link, sizeof link, "%s/outside.png", scans);
    if (symlink("/etc/hostname", link) != 0) { /* exists already or not allowed: harmless */ }
    snprintf(link, sizeof link, "%s/dir.png", scans);
    mkdir(link, 0700);
    snprintf(case_path, sizeof case_path, "%s/case.xml", fuzz_dir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!case_path[0])
        LLVMFuzzerInitialize(NULL, NULL);
    fuzz_write(case_path, data, size);
    ap_diags diags;
    ap_diags_init(&diags);
    ap_load_options opt = {NULL, false};
    ap_case *c = ap_case_load(case_path, &opt, &diags);
    if (c) {
        if (diags.errors)
            abort(); /* a loaded case has no errors */
        ap_case_free(c);
    } else if (diags.errors == 0) {
        abort(); /* a refused case says why */
    }
    char id[128];
    if (ap_case_peek_id(case_path, id, sizeof id)) {
        for (const char *p = id; *p; p++)
            if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", *p))
                abort();
    }
    /* printing exercises every message's formatting */
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        ap_diags_print(&diags, devnull);
        fclose(devnull);
    }
    ap_diags_free(&diags);
    return 0;
}
