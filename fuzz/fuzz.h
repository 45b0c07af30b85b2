/*
 * Shared support for the fuzz targets (fuzz/fuzz_*.c), the corpus recorder
 * (fuzz/record_corpus.c) and the corpus replay driver (fuzz/replay.c).
 *
 * Findings: a target reports a bug by crashing (a sanitizer report, or
 * fz_fail(), which aborts with a message). Everything a target checks
 * beyond "does not crash" is an invariant stated where it is asserted.
 *
 * The engine targets (fuzz_client, fuzz_server) play the peer of a real
 * latch_conn. Their input is a scenario byte (which config variant the
 * engine uses, FZ_V_* and the role's bits below), for a client whose
 * variant has FZ_C_SESSION a saved session to offer (length(2) bytes), and
 * then items, each one record the peer sends:
 *
 *   item := ctl(1) type(1) length(2, big-endian) payload[length]
 *
 * ctl bits 0-1 say how the harness turns the item into bytes on the wire:
 *   FZ_PROT_AUTO   the peer's current protection. TLS 1.3: in the clear
 *                  until the engine has derived the peer's handshake keys,
 *                  then under the peer's handshake traffic key, and after
 *                  the peer's Finished under its application traffic key
 *                  (KeyUpdate messages the peer sends advance it). TLS 1.2:
 *                  in the clear until the peer's ChangeCipherSpec (an AUTO
 *                  item of type 20 once the engine knows the master secret),
 *                  then under the peer's write key from the key block
 *                  (RFC 5246 §6.3), with the sequence number as the AES-GCM
 *                  explicit nonce (RFC 5288 §3, as latch sends) or the
 *                  ChaCha20 nonce of RFC 7905 §2. `type` is the content
 *                  type (the inner type once TLS 1.3 protects it), payload
 *                  the plaintext;
 *   FZ_PROT_CLEAR  a plaintext record of `type` (also after keys exist:
 *                  the middlebox ChangeCipherSpec, or an injected record);
 *   FZ_PROT_RAW    payload goes on the wire as is (record headers and all);
 *   FZ_PROT_PAD    TLS 1.3: as AUTO, but the first payload byte is a padding
 *                  length and `type` 0 leaves the inner content type out (an
 *                  all-padding TLSInnerPlaintext). TLS 1.2 with AES-GCM: as
 *                  AUTO, but the first 8 payload bytes are the explicit
 *                  nonce (any value is the sender's choice).
 * The other bits are what the local application does around the item:
 *   FZ_SPLIT  deliver the bytes in three pieces (1 byte, to the middle, rest);
 *   FZ_ZCOPY  deliver through latch_conn_input_buffer/input_done;
 *   FZ_WRITE  write application data after the item;
 *   FZ_KEYUPD request a KeyUpdate after the item;
 *   FZ_CLOSE  send close_notify after the item;
 *   FZ_HOLD   do not drain the engine's output after the item.
 *
 * The harness knows the peer's keys because the engine tells it: the
 * configs have a key log callback, and the peer's traffic secrets are the
 * engine's read secrets (TLS 1.2: the master secret of the CLIENT_RANDOM
 * line, from which the harness derives the key block). With the deterministic provider (reseeded before
 * every input) and the fixed Ed25519 PKI (fixtures.c), the engine's side of
 * a handshake is the same on every run, so a handshake recorded once from a
 * real latch peer (record_corpus.c) replays to the end, and the fuzzer
 * mutates plaintext handshake messages deep inside the encrypted states.
 */
#ifndef LATCH_FUZZ_H
#define LATCH_FUZZ_H

#include <latch/latch.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

/* The fuzz targets' clock: 2025-06-01, inside the fixtures' validity. */
#define FZ_NOW INT64_C(1748736000)

/* The fixed PKI (fixtures.c, made by mkfixtures.c): Ed25519 throughout. */
extern const char fz_ca_pem[];
extern const char fz_server_chain_pem[]; /* localhost / 127.0.0.1, then the CA */
extern const char fz_server_key_pem[];
extern const char fz_client_pem[]; /* "latch fuzz client", clientAuth */
extern const char fz_client_key_pem[];
/* A second PKI for the TLS 1.2 RSA suites: an Ed25519 CA and an RSA-2048 "localhost" leaf. */
extern const char fz_rsa_ca_pem[];
extern const char fz_rsa_chain_pem[]; /* localhost / 127.0.0.1 (rsaEncryption), then its CA */
extern const char fz_rsa_key_pem[];

/* ---- Findings ---------------------------------------------------------------- */

/** Report a finding and abort. */
_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define FZ_ASSERT(cond, ...)  \
    do {                      \
        if (!(cond)) {        \
            fz_fail(__VA_ARGS__); \
        }                     \
    } while (0)

/* ---- Allocation accounting ------------------------------------------------------ */

/**
 * An allocator that counts: the engine targets build their configs on it,
 * so every allocation latch makes for a connection goes through it. A
 * target checks that a connection gives back everything it took (no leak
 * that latch's own bookkeeping hides from LeakSanitizer) and that its peak
 * stays under a bound (no allocation the peer can grow without limit).
 */
extern const latch_allocator fz_allocator;
size_t fz_alloc_live(void); /* bytes currently allocated through fz_allocator */
size_t fz_alloc_peak(void); /* highest value of fz_alloc_live since fz_alloc_reset_peak */
void fz_alloc_reset_peak(void);

/* ---- Reading fuzz input ------------------------------------------------------------ */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in;

uint8_t fz_u8(fz_in *in);   /* 0 when empty */
uint16_t fz_u16(fz_in *in); /* big-endian; missing bytes read as 0 */
/** Up to n bytes (fewer when the input runs out). */
const uint8_t *fz_bytes(fz_in *in, size_t n, size_t *got);

/* ---- Engines --------------------------------------------------------------------------- */

#define FZ_PROT_AUTO 0u
#define FZ_PROT_CLEAR 1u
#define FZ_PROT_RAW 2u
#define FZ_PROT_PAD 3u
#define FZ_PROT_MASK 3u
#define FZ_SPLIT 0x04u
#define FZ_ZCOPY 0x08u
#define FZ_WRITE 0x10u
#define FZ_KEYUPD 0x20u
#define FZ_CLOSE 0x40u
#define FZ_HOLD 0x80u

/* Config variants: the scenario byte. Bits 0-2 are the role's own (the
 * TLS 1.3 scenarios use only those), bits 3-7 shared: */
#define FZ_VARIANTS 256u
/* Client: */
#define FZ_C_ALPN 0x1u    /* offer "h2,http/1.1" */
#define FZ_C_CERT 0x2u    /* have a client certificate */
#define FZ_C_ONESHARE 0x4u /* one key share (x25519) instead of two */
/* Server: bits 0-1 the client auth policy (0 none, 1 optional, 2 require, 3 none); */
#define FZ_S_ALPN 0x4u    /* accept "http/1.1,h2" */
/* Both: */
#define FZ_V_TLS12 0x08u  /* TLS 1.2 only (else the default, 1.2 and 1.3) */
#define FZ_V_RSA 0x10u    /* RSA key transport on; a server also has the RSA chain (and signs with
                             RSASSA-PKCS1-v1_5, deterministic), a client trusts the RSA CA */
#define FZ_V_SUITES 0x60u /* cipher suites: 0 default, 1 AES-128-GCM, 2 AES-256-GCM, 3 ChaCha20-Poly1305 */
#define FZ_V_SUITE_SHIFT 5
#define FZ_C_SESSION 0x80u /* client: the input carries a session to offer (length(2) bytes) */
#define FZ_S_NOSESS 0x80u  /* server: no resumption (LATCH_SESSIONS_OFF), else tickets */

typedef struct fz_engine {
    latch_conn *c;
    bool server;             /* the engine under test is the server */
    latch_secret hs, ap;     /* the peer's write secrets, from the key log */
    bool have_hs, have_ap;
    bool peer_finished;      /* the peer sent its Finished: it now writes with ap */
    int epoch;               /* what `ctx` holds: 0 nothing, 1 hs, 2 ap (TLS 1.3), 3 the TLS 1.2 key */
    const latch_aead_alg *aead;
    latch_aead_ctx *ctx;     /* seals the peer's records */
    uint8_t iv[LATCH_AEAD_NONCE_LEN];
    uint64_t seq;
    uint64_t key_updates;    /* KeyUpdates the peer sent */
    /* TLS 1.2 (epoch 3): */
    latch_secret master;     /* from the key log's CLIENT_RANDOM line */
    bool have_master;
    bool peer_ccs;           /* the peer sent its ChangeCipherSpec: it now writes under the key block */
    size_t iv_len;           /* fixed IV: 4 (AES-GCM, explicit nonce follows) or 12 (ChaCha20-Poly1305) */
} fz_engine;

/**
 * Reseed the deterministic provider and start an engine (client for
 * "localhost", or server) on config variant `variant`.
 */
void fz_engine_start(fz_engine *e, bool server, unsigned variant);

/** Client: offer a saved session (the FZ_C_SESSION bytes); bytes latch refuses are simply not offered. */
void fz_engine_offer(fz_engine *e, const uint8_t *session, size_t len);

/** Free the connection and the harness's keys; check that nothing leaked. */
void fz_engine_finish(fz_engine *e);

/** Send (here: drop) what the engine has to send, part in a first call then the rest. */
void fz_engine_drain(fz_engine *e);

/** When set, drained output goes here instead of nowhere (the recorder hands it to a real peer). */
extern void (*fz_output_hook)(const uint8_t *p, size_t n);

/** Run a whole input (scenario byte first) against a fresh engine. */
void fz_engine_run(bool server, const uint8_t *data, size_t size);

/**
 * The bytes the item (ctl, type, payload) becomes on the wire, in out
 * (cap >= payload_len + 512). Advances the peer's key state.
 */
size_t fz_engine_wire(fz_engine *e, uint8_t ctl, uint8_t type, const uint8_t *payload, size_t len, uint8_t *out,
                      size_t cap);

/**
 * Deliver wire bytes to the engine as the ctl bits say, then let the local
 * application act (read, write, key update, close, drain). Returns false
 * once the connection has failed or closed (later items are pointless).
 */
bool fz_engine_deliver(fz_engine *e, uint8_t ctl, const uint8_t *wire, size_t n);

/**
 * For the recorder: decrypt a protected record the real peer sent, with the
 * key the harness would use next; false if it does not open. The content
 * type and plaintext land in *type and plain[0..*len).
 */
bool fz_engine_open_peer(fz_engine *e, const uint8_t *rec, size_t rec_len, uint8_t *type, uint8_t *plain,
                         size_t *len);

/** The cached config of a role and variant (built on the first call). */
latch_config *fz_config(bool server, unsigned variant);

/* ---- Parser targets ------------------------------------------------------------------------ */

/**
 * Read every byte of a view, so that a view pointing outside the input is
 * caught by AddressSanitizer where it was made. Returns a checksum (to keep
 * the reads).
 */
unsigned fz_touch(latch_rd r);

/** Parse the content of every extension present in x as a peer's handler
 *  would for a message of context ctx (LATCH_CTX_*), touching the results. */
void fz_parse_exts(const latch_exts *x, unsigned ctx);

/** A parse failure must leave a recorded detail (errors say what was wrong). */
void fz_check_failure(latch_err e);

/* The libFuzzer entry points every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
