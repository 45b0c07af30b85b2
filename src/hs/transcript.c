/* The handshake transcript hash. See transcript.h. */
#include "hs/transcript.h"

#include "core/err.h"
#include "core/rd.h"
#include "core/wipe.h"

#include <string.h>

#define HS_CLIENT_HELLO 1

latch_err latch_transcript_init(latch_transcript *t, const latch_hash_alg *const *algs, size_t n)
{
    memset(t, 0, sizeof *t);
    LATCH_ENSURE(algs != NULL && n >= 1 && n <= LATCH_TRANSCRIPT_MAX_HASHES, LATCH_ERR_INTERNAL,
                 "transcript: 1 to 3 hashes are needed");
    for (size_t i = 0; i < n; i++) {
        LATCH_ENSURE(algs[i] != NULL && algs[i]->digest_len <= LATCH_HASH_MAX_LEN, LATCH_ERR_INTERNAL,
                     "transcript: missing hash algorithm");
        for (size_t j = 0; j < i; j++) {
            LATCH_ENSURE(algs[j]->id != algs[i]->id, LATCH_ERR_INTERNAL, "transcript: the same hash given twice");
        }
        t->alg[i] = algs[i];
        algs[i]->init(&t->ctx[i]);
    }
    t->n = (uint8_t)n;
    t->selected = (n == 1);
    return LATCH_OK;
}

latch_err latch_transcript_add(latch_transcript *t, const uint8_t *msg, size_t len)
{
    latch_rd r = latch_rd_make(msg, len);
    uint8_t type;
    uint32_t body_len;

    LATCH_ENSURE(t->n > 0, LATCH_ERR_INTERNAL, "transcript: not initialised");
    /* RFC 8446 §4: struct { HandshakeType msg_type; uint24 length; ... } Handshake;
     * the transcript takes whole messages, header included (§4.4.1). */
    LATCH_ENSURE(latch_rd_u8(&r, &type) == LATCH_OK && latch_rd_u24(&r, &body_len) == LATCH_OK &&
                     body_len == latch_rd_left(&r),
                 LATCH_ERR_INTERNAL, "transcript: input is not exactly one handshake message with its header");
    for (uint8_t i = 0; i < t->n; i++) {
        t->alg[i]->update(&t->ctx[i], msg, len);
    }
    if (t->messages == 0) {
        t->first_type = type;
    }
    if (t->messages < UINT32_MAX) {
        t->messages++;
    }
    return LATCH_OK;
}

static int find(const latch_transcript *t, uint8_t hash_id)
{
    for (uint8_t i = 0; i < t->n; i++) {
        if (t->alg[i]->id == hash_id) {
            return i;
        }
    }
    return -1;
}

latch_err latch_transcript_select(latch_transcript *t, uint8_t hash_id)
{
    int i = find(t, hash_id);

    if (i < 0) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "transcript: hash %u is not running", (unsigned)hash_id);
    }
    if (i != 0) {
        t->alg[0] = t->alg[i];
        memcpy(&t->ctx[0], &t->ctx[i], sizeof t->ctx[0]);
    }
    for (uint8_t k = 1; k < t->n; k++) {
        latch_wipe(&t->ctx[k], sizeof t->ctx[k]);
        t->alg[k] = NULL;
    }
    t->n = 1;
    t->selected = true;
    return LATCH_OK;
}

const latch_hash_alg *latch_transcript_alg(const latch_transcript *t)
{
    return t->selected ? t->alg[0] : NULL;
}

/* Finish a copy of running hash i, with tail appended. */
static void digest(const latch_transcript *t, int i, const uint8_t *tail, size_t tail_len, uint8_t *out)
{
    latch_hash_ctx fork = t->ctx[i];

    if (tail_len > 0) {
        t->alg[i]->update(&fork, tail, tail_len);
    }
    t->alg[i]->final(&fork, out);
    latch_wipe(&fork, sizeof fork);
}

latch_err latch_transcript_hash(const latch_transcript *t, uint8_t *out)
{
    LATCH_ENSURE(t->selected && t->n == 1, LATCH_ERR_INTERNAL,
                 "transcript: hash requested before the cipher suite's hash was selected");
    digest(t, 0, NULL, 0, out);
    return LATCH_OK;
}

latch_err latch_transcript_hash_as(const latch_transcript *t, uint8_t hash_id, const uint8_t *tail, size_t tail_len,
                                   uint8_t *out)
{
    int i = find(t, hash_id);

    if (i < 0) {
        return LATCH_FAIL(LATCH_ERR_INTERNAL, "transcript: hash %u is not running", (unsigned)hash_id);
    }
    LATCH_ENSURE(tail != NULL || tail_len == 0, LATCH_ERR_INTERNAL, "transcript: NULL tail with a length");
    digest(t, i, tail, tail_len, out);
    return LATCH_OK;
}

latch_err latch_transcript_hrr(latch_transcript *t)
{
    /* RFC 8446 §4.4.1: "When the server responds to a ClientHello with a
     * HelloRetryRequest, the value of ClientHello1 is replaced with a special
     * synthetic handshake message of handshake type "message_hash"
     * containing Hash(ClientHello1)." */
    LATCH_ENSURE(t->messages == 1 && t->first_type == HS_CLIENT_HELLO, LATCH_ERR_INTERNAL,
                 "transcript: the HelloRetryRequest rule needs exactly one ClientHello so far");
    for (uint8_t i = 0; i < t->n; i++) {
        const latch_hash_alg *h = t->alg[i];
        uint8_t synth[4 + LATCH_HASH_MAX_LEN];

        synth[0] = LATCH_HS_MESSAGE_HASH;
        synth[1] = 0;
        synth[2] = 0;
        synth[3] = h->digest_len;
        h->final(&t->ctx[i], synth + 4);
        h->init(&t->ctx[i]);
        h->update(&t->ctx[i], synth, 4u + h->digest_len);
        latch_wipe(synth, sizeof synth);
    }
    t->first_type = LATCH_HS_MESSAGE_HASH;
    return LATCH_OK;
}

void latch_transcript_wipe(latch_transcript *t)
{
    latch_wipe(t, sizeof *t);
}
