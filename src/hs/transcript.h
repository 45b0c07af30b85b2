/*
 * The handshake transcript hash (RFC 8446 §4.4.1; RFC 5246 §7.4.9).
 *
 * A running hash over whole handshake messages, each with its 4-byte header
 * (HandshakeType, uint24 length), in the order sent and received. Records,
 * ChangeCipherSpec and alerts are not part of it.
 *
 * Before the cipher suite is known (a client sending its first ClientHello),
 * the transcript runs several hashes side by side: the candidates are given
 * to latch_transcript_init(), every message feeds all of them, and
 * latch_transcript_select() keeps the suite's hash once the ServerHello (or
 * HelloRetryRequest) names it. Hash states are plain bytes
 * (latch_hash_ctx), so reading a value forks the state by copying and leaves
 * the running hash undisturbed.
 *
 * TLS 1.2: the transcript hash is the suite's PRF hash (Finished, and the
 * extended master secret's session_hash). A TLS 1.2 CertificateVerify signs
 * the handshake messages themselves with its own hash (RFC 5246 §7.4.8);
 * since the provider signs messages rather than digests (and Ed25519 has no
 * pre-hash), the handshake keeps the messages while one may be needed
 * (hs.h: latch_hs.msgs) instead of a second running hash here. The
 * HelloRetryRequest rule below is TLS 1.3 only.
 */
#ifndef LATCH_HS_TRANSCRIPT_H
#define LATCH_HS_TRANSCRIPT_H

#include <latch/provider.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** SHA-256, SHA-384 and SHA-512: every hash a suite or a signature may need. */
#define LATCH_TRANSCRIPT_MAX_HASHES 3

/** HandshakeType message_hash (RFC 8446 §4): the synthetic ClientHello1 stand-in. */
#define LATCH_HS_MESSAGE_HASH 254

typedef struct latch_transcript {
    const latch_hash_alg *alg[LATCH_TRANSCRIPT_MAX_HASHES]; /* running hashes, [0..n) */
    latch_hash_ctx ctx[LATCH_TRANSCRIPT_MAX_HASHES];
    uint8_t n;          /* running hashes; 1 once selected */
    bool selected;      /* latch_transcript_select() was called */
    uint32_t messages;  /* whole messages added so far */
    uint8_t first_type; /* HandshakeType of the first message */
} latch_transcript;

/**
 * Start an empty transcript running the n hashes algs[0..n) (1 <= n <=
 * LATCH_TRANSCRIPT_MAX_HASHES, distinct ids). With n == 1 the transcript is
 * selected from the start.
 * \return LATCH_ERR_INTERNAL for a bad count, a NULL or a repeated hash.
 */
LATCH_MUST_CHECK latch_err latch_transcript_init(latch_transcript *t, const latch_hash_alg *const *algs, size_t n);

/**
 * Add one whole handshake message msg[0..len), header included, to every
 * running hash. The header's length must equal len - 4 (a body without its
 * header, or two messages at once, is a caller bug).
 * \return LATCH_ERR_INTERNAL if msg is not exactly one handshake message.
 */
LATCH_MUST_CHECK latch_err latch_transcript_add(latch_transcript *t, const uint8_t *msg, size_t len);

/**
 * Keep only the hash with id hash_id (a LATCH_HASH_*), dropping the others:
 * the negotiated cipher suite's hash.
 * Selecting the same hash again is harmless.
 * \return LATCH_ERR_INTERNAL if that hash is not running (in particular when
 *         another one was selected).
 */
LATCH_MUST_CHECK latch_err latch_transcript_select(latch_transcript *t, uint8_t hash_id);

/** The selected hash, or NULL before latch_transcript_select(). */
const latch_hash_alg *latch_transcript_alg(const latch_transcript *t);

/**
 * Transcript-Hash of the messages so far under the selected hash, written to
 * out[0..digest_len). The running state is not disturbed.
 * \return LATCH_ERR_INTERNAL before a hash is selected.
 */
LATCH_MUST_CHECK latch_err latch_transcript_hash(const latch_transcript *t, uint8_t *out);

/**
 * Hash of the messages so far followed by tail[0..tail_len), under any
 * running hash hash_id, without adding tail. For PSK binders, whose
 * transcript ends with a ClientHello truncated before its binders
 * (RFC 8446 §4.2.11.2), and for values needed before the suite is selected.
 * \return LATCH_ERR_INTERNAL if hash_id is not running.
 */
LATCH_MUST_CHECK latch_err latch_transcript_hash_as(const latch_transcript *t, uint8_t hash_id, const uint8_t *tail,
                                                    size_t tail_len, uint8_t *out);

/**
 * The HelloRetryRequest rule (RFC 8446 §4.4.1): replace ClientHello1, which
 * must be the only message so far, by the synthetic message
 *
 *   Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *       Hash(message_hash ||        // Handshake type
 *            00 00 Hash.length  ||  // Handshake message length (bytes)
 *            Hash(ClientHello1) ||  // Hash of ClientHello1
 *            HelloRetryRequest  || ... || Mn)
 *
 * in every running hash (each with its own Hash and Hash.length). Call it
 * before adding the HelloRetryRequest.
 * \return LATCH_ERR_INTERNAL unless the transcript holds exactly one
 *         ClientHello.
 */
LATCH_MUST_CHECK latch_err latch_transcript_hrr(latch_transcript *t);

/** Wipe the hash states (they summarise encrypted handshake messages). */
void latch_transcript_wipe(latch_transcript *t);

#endif
