/* Whole reads and writes on file descriptors, retried across EINTR and
 * short transfers. */
#ifndef AP_FDIO_H
#define AP_FDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes all n bytes; 0, or the errno of the failure (EIO for a write that
 * wrote nothing). */
int ap_write_all(int fd, const void *buf, size_t n);
/* Reads exactly n bytes; false on end of file or error. */
bool ap_read_full(int fd, void *buf, size_t n);
/* Reads exactly n bytes at offset off; false on a short read or error. */
bool ap_pread_full(int fd, void *buf, size_t n, uint64_t off);

#endif
