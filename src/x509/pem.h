/*
 * PEM (RFC 7468): find the "-----BEGIN label-----" ... "-----END label-----"
 * blocks in a text and decode their base64 bodies.
 *
 * Private keys pass through here, so the base64 decoding computes character
 * values without branches or table lookups (RFC 7468 text is not secret in its
 * layout, only in its content: the line structure is scanned normally).
 * Decoded bytes live in memory from the given allocator and are wiped when the
 * block is freed.
 */
#ifndef LATCH_X509_PEM_H
#define LATCH_X509_PEM_H

#include "core/rd.h"

#include <latch/alloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LATCH_PEM_LABEL_MAX 64 /* longest label we accept, without the NUL */

typedef struct latch_pem_block {
    char label[LATCH_PEM_LABEL_MAX + 1]; /* "CERTIFICATE", "PRIVATE KEY", ... */
    uint8_t *der;                        /* the decoded body (owned) */
    size_t der_len;
    size_t der_cap;     /* size of the allocation */
    unsigned line;      /* 1-based line of the BEGIN line */
    bool encrypted;     /* RFC 1421 headers said "Proc-Type: 4,ENCRYPTED" */
} latch_pem_block;

typedef struct latch_pem_reader {
    latch_rd in;      /* text not yet scanned */
    unsigned line;    /* lines consumed so far */
    const char *name; /* the input's name for error details ("'ca.pem'") */
} latch_pem_reader;

/** Read PEM blocks from text[0..len); name is used in error details. */
void latch_pem_reader_init(latch_pem_reader *r, const uint8_t *text, size_t len, const char *name);

/**
 * The next block. Text outside blocks is skipped (RFC 7468 §2 allows
 * explanatory text). At the end of the input *found is false and LATCH_OK is
 * returned. On LATCH_OK with *found, the caller frees blk with
 * latch_pem_block_free.
 *
 * \return LATCH_OK; LATCH_ERR_PEM_DECODE (no END line, mismatched END label,
 *         bad base64, empty body, label too long); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch_pem_next(latch_pem_reader *r, const latch_allocator *a, latch_pem_block *blk,
                                          bool *found);

/** Wipe and free a block's body; NULL-safe, idempotent. */
void latch_pem_block_free(const latch_allocator *a, latch_pem_block *blk);

/** True when text contains a PEM BEGIN line (the data is PEM, not DER). */
bool latch_pem_detect(const uint8_t *text, size_t len);

#endif
