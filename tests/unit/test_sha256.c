/* SHA-256 against the FIPS 180-2 / NIST example vectors, fed whole, byte by
 * byte and in odd-sized chunks, plus the file helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch/sha256.h"

static void hex_of(const void *data, size_t n, size_t chunk, char hex[65])
{
    ap_sha256 s;
    ap_sha256_init(&s);
    const unsigned char *p = data;
    if (chunk == 0)
        chunk = n ? n : 1;
    for (size_t off = 0; off < n; off += chunk)
        ap_sha256_update(&s, p + off, n - off < chunk ? n - off : chunk);
    unsigned char d[32];
    ap_sha256_final(&s, d);
    ap_sha256_hex(d, hex);
}

static void check(const char *msg, const char *want)
{
    size_t n = strlen(msg);
    static const size_t chunks[] = {0, 1, 3, 55, 56, 63, 64, 65};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char hex[65];
        hex_of(msg, n, chunks[i], hex);
        assert_string_equal(hex, want);
    }
}

static void test_fips_vectors(void **state)
{
    (void)state;
    check("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    char hex[65];
    hex_of(a, n, 0, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    hex_of(a, n, 4093, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_padding_boundaries(void **state)
{
    (void)state;
    /* lengths around the 55/56/64-byte padding edges hash the same whole or bytewise */
    unsigned char buf[130];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 7 + 1);
    for (size_t n = 50; n <= sizeof buf; n++) {
        char whole[65], bytewise[65];
        hex_of(buf, n, 0, whole);
        hex_of(buf, n, 1, bytewise);
        assert_string_equal(whole, bytewise);
    }
    /* 55 bytes fit one block with padding, 56 need two: known digests */
    char hex[65];
    char a55[56], a56[57];
    memset(a55, 'a', 55); a55[55] = '\0';
    memset(a56, 'a', 56); a56[56] = '\0';
    hex_of(a55, 55, 0, hex);
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    hex_of(a56, 56, 0, hex);
    assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/ap-sha256-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    close(fd);
    char hex[65];
    assert_true(ap_sha256_file(path, hex));
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unlink(path);
    assert_false(ap_sha256_file(path, hex));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
