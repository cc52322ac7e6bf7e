/* SHA-256 (FIPS 180-4) for the batch report's packet digests; none of the
 * linked libraries (libxml2, zlib, libpng, libharu) provides one. */
#ifndef AP_SHA256_H
#define AP_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t length;      /* bytes hashed so far */
    unsigned char block[64];
    size_t used;          /* bytes waiting in block */
} ap_sha256;

/* Starts a new digest. */
void ap_sha256_init(ap_sha256 *s);
/* Adds n bytes to the digest. */
void ap_sha256_update(ap_sha256 *s, const void *data, size_t n);
/* Finishes the digest into out (32 bytes); s must be re-initialised before reuse. */
void ap_sha256_final(ap_sha256 *s, unsigned char out[32]);
/* Writes the 32-byte digest as 64 lowercase hex digits plus NUL into hex. */
void ap_sha256_hex(const unsigned char digest[32], char hex[65]);
/* Hashes a whole file into hex (65 bytes); false (errno set) when it cannot be read. */
bool ap_sha256_file(const char *path, char hex[65]);

#endif
