/*
 * Reading whole files (certificates, keys, trust bundles) into memory from a
 * latch_allocator, with errors that name the file and the reason.
 */
#ifndef LATCH_X509_FILE_H
#define LATCH_X509_FILE_H

#include <latch/alloc.h>
#include <latch/error.h>
#include <stddef.h>
#include <stdint.h>

/* Bigger than any sane certificate bundle (Debian's is about 200 KiB). */
#define LATCH_FILE_MAX (16u * 1024u * 1024u)

/**
 * Read the regular file at path into *buf (*len bytes; an empty file gives
 * *len == 0). The caller frees with latch__free(a, *buf, *cap), which wipes:
 * key files pass through here.
 *
 * \return LATCH_OK; LATCH_ERR_FILE_READ (cannot open or read, not a regular
 *         file, larger than LATCH_FILE_MAX), with the path and the reason in
 *         the detail; LATCH_ERR_NO_MEMORY; LATCH_ERR_INVALID_ARGUMENT (NULL).
 */
LATCH_MUST_CHECK latch_err latch__file_read(const latch_allocator *a, const char *path, uint8_t **buf, size_t *len,
                                            size_t *cap);

/**
 * Write data[0..len) to path, created or truncated, with permissions mode
 * (applied even if the file existed, so a key file never stays readable).
 *
 * \return LATCH_OK; LATCH_ERR_FILE_WRITE with the path and the reason.
 */
LATCH_MUST_CHECK latch_err latch__file_write(const char *path, const void *data, size_t len, unsigned mode);

/** Create dir and its missing parents (like mkdir -p), mode 0755. */
LATCH_MUST_CHECK latch_err latch__file_mkdirs(const char *dir);

#endif
