/*
 * Handshake messages as data: one plain struct per message, a parse function
 * (body bytes -> struct, rejecting trailing bytes and illegal lengths) and a
 * build function (struct -> latch_wr, writing the 4-byte handshake header
 * too). Parsers never touch a connection; handlers in src/hs/ act on the
 * structs. Views (latch_rd) in parsed structs point into the message and die
 * with it.
 *
 * One file per message in src/msg/ (client_hello.c, server_hello.c, ...).
 *
 * Parsers take the message body (without the 4-byte header). The RFC's
 * syntax (truncation, lengths out of their <min..max>, trailing bytes) is
 * LATCH_ERR_DECODE; other codes are listed per function. Failures record a
 * detail naming the field (latch__err_last()). On failure the output struct
 * is unspecified and must not be used.
 *
 * Builders write the whole message, header included, at the writer's
 * position. They check their inputs first (LATCH_ERR_INVALID_ARGUMENT, with
 * nothing written) and then return the writer's error: BUFFER_TOO_SMALL when
 * the buffer is short (the writer's contents are then unspecified). A
 * builder never emits a message its own parser would reject.
 */
#ifndef LATCH_MSG_H
#define LATCH_MSG_H

#include "msg/ext/ext.h"

#include <latch/provider.h>

/* HandshakeType (RFC 8446 §4, RFC 5246 §7.4). */
#define LATCH_HS_HELLO_REQUEST 0
#define LATCH_HS_CLIENT_HELLO 1
#define LATCH_HS_SERVER_HELLO 2
#define LATCH_HS_NEW_SESSION_TICKET 4
#define LATCH_HS_END_OF_EARLY_DATA 5
#define LATCH_HS_ENCRYPTED_EXTENSIONS 8
#define LATCH_HS_CERTIFICATE 11
#define LATCH_HS_SERVER_KEY_EXCHANGE 12
#define LATCH_HS_CERTIFICATE_REQUEST 13
#define LATCH_HS_SERVER_HELLO_DONE 14
#define LATCH_HS_CERTIFICATE_VERIFY 15
#define LATCH_HS_CLIENT_KEY_EXCHANGE 16
#define LATCH_HS_FINISHED 20
#define LATCH_HS_CERTIFICATE_STATUS 22
#define LATCH_HS_KEY_UPDATE 24
#define LATCH_HS_MESSAGE_HASH 254

#define LATCH_HS_HDR_LEN 4

/** The name of a handshake type ("ClientHello"), or "unknown". */
const char *latch_hs_name(uint8_t type);

/** Open a handshake message: msg_type, then a 3-byte length closed by latch_msg_close. */
void latch_msg_open(latch_wr *w, uint8_t type);
void latch_msg_close(latch_wr *w);

/** Close the message opened by latch_msg_open and return the writer's state:
 *  LATCH_OK, or its sticky error recorded with a detail naming `what`. */
LATCH_MUST_CHECK latch_err latch_msg_finish(latch_wr *w, const char *what);

/* ---- ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2) ------------------- */

typedef struct latch_client_hello {
    uint16_t legacy_version;
    uint8_t random[32];
    latch_rd session_id;          /* legacy_session_id<0..32> */
    latch_u16s cipher_suites;     /* cipher_suites<2..2^16-2> */
    latch_rd compression_methods; /* legacy_compression_methods<1..2^8-1> */
    latch_exts exts;              /* extensions<0..2^16-1>; absent = none (TLS 1.2 allows it) */
} latch_client_hello;

/**
 * Parse a ClientHello body; extension contents are left to the handler.
 * The extension block is read with RFC 5246's <0..2^16-1>, not RFC 8446's
 * <8..2^16-1>, because this parser also serves TLS 1.2 clients, whose
 * blocks may be shorter (a lone extended_master_secret is 4 bytes); a TLS
 * 1.3 ClientHello is longer anyway, as it must carry supported_versions.
 * Extension block errors: see latch_exts_parse (context CH).
 */
LATCH_MUST_CHECK latch_err latch_client_hello_parse(latch_rd body, latch_client_hello *ch);

/* What a client puts in its ClientHello. Lists are in preference order. */
typedef struct latch_client_hello_out {
    uint16_t legacy_version; /* 0x0303 */
    uint8_t random[32];
    const uint8_t *session_id; /* 0 or 32 bytes (middlebox compatibility) */
    size_t session_id_len;
    const uint16_t *suites;
    size_t n_suites;
    const uint16_t *versions; /* supported_versions; omitted when n_versions == 0 */
    size_t n_versions;
    const uint16_t *groups; /* supported_groups */
    size_t n_groups;
    const latch_key_share *shares; /* key_share (key_exchange views of our public keys) */
    size_t n_shares;
    bool key_share_ext; /* send key_share even when n_shares == 0 (TLS 1.3 offered) */
    const uint16_t *sigalgs; /* signature_algorithms */
    size_t n_sigalgs;
    const uint16_t *sigalgs_cert; /* signature_algorithms_cert; omitted when 0 */
    size_t n_sigalgs_cert;
    const char *server_name;  /* SNI host name; NULL = omit */
    const uint8_t *alpn_wire; /* ALPN protocol_name_list body; NULL = omit */
    size_t alpn_len;
    const uint8_t *psk_modes; /* psk_key_exchange_modes; omitted when 0 */
    size_t n_psk_modes;
    const uint8_t *cookie; /* echo of an HRR cookie; NULL = omit */
    size_t cookie_len;
    bool post_handshake_auth;
    bool early_data;
    /* TLS 1.2 extensions, sent when 1.2 is offered. */
    bool tls12;                      /* adds ec_point_formats, extended_master_secret,
                                        renegotiation_info (empty), session_ticket */
    const uint8_t *session_ticket; /* TLS 1.2 ticket to offer (may be empty) */
    size_t session_ticket_len;
    bool reneg_info;         /* renegotiation_info (empty) even without tls12 (as in RFC 8448) */
    bool session_ticket_ext; /* session_ticket (the bytes above) even without tls12 */
    uint16_t record_size_limit; /* RFC 8449 record_size_limit; 0 = omit (else >= 64) */
    /* GREASE (RFC 8701): 0 = none, else a GREASE value (0x?A?A) used for a
     * cipher suite, a group + 1-byte key share, a version, a signature
     * scheme and two extensions (one empty, one with a single zero byte). */
    uint16_t grease;
    uint16_t grease2; /* a second, different GREASE value for the extension list's end */
    /* Leave the GREASE key share out (a ClientHello answering a
     * HelloRetryRequest carries exactly one share, RFC 8446 §4.1.2). */
    bool no_grease_share;
    /* Pad the ClientHello to at least this many bytes (RFC 7685); 0 = no padding. */
    size_t pad_to;
    /* PSK identities with binders (TLS 1.3 resumption); pre_shared_key is
     * written last with zeroed binders of the given lengths, to be filled by
     * the caller after hashing the truncated message. */
    const latch_psk_identity *psks;
    size_t n_psks;
} latch_client_hello_out;

/**
 * Build a ClientHello. Extensions are written in this order (the order of
 * the RFC 8448 traces, which this builder reproduces): GREASE (empty),
 * server_name, extended_master_secret, renegotiation_info, supported_groups,
 * ec_point_formats, session_ticket, ALPN, key_share, early_data,
 * supported_versions, signature_algorithms, signature_algorithms_cert,
 * cookie, psk_key_exchange_modes, post_handshake_auth, record_size_limit,
 * padding, GREASE 2 (one 0x00 byte), pre_shared_key. With no extension at
 * all, the block is omitted.
 *
 * PSK binders: pre_shared_key is last and its binders vector is its last
 * field, so the binders are the message's last
 * latch_client_hello_binders_len(ch) bytes:
 *     uint16 length || for each identity i: uint8 len_i || binder_i (zeros).
 * The caller hashes the message up to (message length - binders_len) (the
 * "truncated ClientHello" of RFC 8446 §4.2.11.2), computes each binder and
 * writes it over the zeros; the lengths are already in place.
 *
 * INVALID_ARGUMENT: an empty suite list; a list, name, share, cookie,
 * ticket, identity or binder outside its RFC bounds (binders 32..255, at
 * most LATCH_MAX_PSK_IDENTITIES identities); a server_name that
 * latch_ext_host_name_check rejects; an alpn_wire that is not a valid
 * protocol_name_list; a grease/grease2 value that is not GREASE or two equal
 * ones; record_size_limit in 1..63; padding that would overflow the block.
 */
LATCH_MUST_CHECK latch_err latch_client_hello_build(latch_wr *w, const latch_client_hello_out *ch);

/** The size of the binders vector the builder writes at the end of the
 *  message (0 when n_psks == 0). See latch_client_hello_build. */
size_t latch_client_hello_binders_len(const latch_client_hello_out *ch);

/* ---- ServerHello and HelloRetryRequest (§4.1.3, §4.1.4) ----------------- */

/* The special random of a HelloRetryRequest: SHA-256("HelloRetryRequest"). */
extern const uint8_t latch_hrr_random[32];

typedef struct latch_server_hello {
    uint16_t legacy_version;
    uint8_t random[32];
    latch_rd session_id; /* legacy_session_id_echo<0..32> */
    uint16_t cipher_suite;
    uint8_t compression_method;
    bool is_hrr; /* random == latch_hrr_random */
    latch_exts exts;
} latch_server_hello;

/**
 * Parse a ServerHello body. The extension block is parsed with context HRR
 * when the random marks a HelloRetryRequest, SH when it contains
 * supported_versions, and SH12 otherwise (a TLS 1.2 ServerHello).
 * A TLS 1.2 ServerHello may omit the block (RFC 5246 §7.4.1.3); a
 * HelloRetryRequest may not (it must carry supported_versions): DECODE.
 * Extension block errors: see latch_exts_parse.
 */
LATCH_MUST_CHECK latch_err latch_server_hello_parse(latch_rd body, latch_server_hello *sh);

typedef struct latch_server_hello_out {
    uint16_t legacy_version; /* 0x0303 */
    uint8_t random[32];      /* ignored when hrr (latch_hrr_random is used) */
    const uint8_t *session_id; /* echo */
    size_t session_id_len;
    uint16_t cipher_suite;
    bool hrr;
    uint16_t selected_version; /* supported_versions; 0 = omit (TLS 1.2) */
    uint16_t group;            /* key_share: SH server_share group / HRR selected_group; 0 = omit */
    const uint8_t *pub;        /* SH server_share key_exchange */
    size_t pub_len;
    const uint8_t *cookie; /* HRR cookie; NULL = omit */
    size_t cookie_len;
    int psk_identity; /* pre_shared_key selected_identity; -1 = omit */
    /* TLS 1.2 */
    bool ems;                       /* extended_master_secret */
    bool reneg_info;                /* renegotiation_info (empty, initial handshake) */
    bool point_formats;             /* ec_point_formats */
    bool session_ticket;            /* empty session_ticket: a ticket will follow */
    const uint8_t *alpn_wire;       /* TLS 1.2 ALPN answer (one name); NULL = omit */
    size_t alpn_len;
    bool server_name_ack;           /* TLS 1.2: empty server_name */
} latch_server_hello_out;

/**
 * Build a ServerHello or HelloRetryRequest. Extensions are written in the
 * order of the RFC 8448 traces: pre_shared_key, key_share, cookie,
 * supported_versions; then the TLS 1.2 ones (renegotiation_info,
 * extended_master_secret, ec_point_formats, session_ticket, server_name,
 * ALPN). With no extension the block is omitted.
 * INVALID_ARGUMENT: session_id over 32 bytes; an empty or oversized pub
 * (SH with a group) or cookie; cookie without hrr, or pre_shared_key with
 * hrr (RFC 8446 §4.2 table); TLS 1.2 extensions together with
 * selected_version (they are not allowed in a TLS 1.3 ServerHello), or
 * key_share / pre_shared_key without it (they do not exist in TLS 1.2); an
 * HRR without selected_version; an alpn_wire that is not exactly one name;
 * psk_identity over 65535; a block over 65535 bytes (a huge pub).
 */
LATCH_MUST_CHECK latch_err latch_server_hello_build(latch_wr *w, const latch_server_hello_out *sh);

/* ---- EncryptedExtensions (§4.3.1) ---------------------------------------- */

typedef struct latch_encrypted_extensions {
    latch_exts exts;
} latch_encrypted_extensions;

LATCH_MUST_CHECK latch_err latch_encrypted_extensions_parse(latch_rd body, latch_encrypted_extensions *ee);

typedef struct latch_encrypted_extensions_out {
    bool server_name_ack;     /* empty server_name: the server used the SNI */
    const uint8_t *alpn_wire; /* one name, wire-encoded list body; NULL = omit */
    size_t alpn_len;
    const uint16_t *groups; /* the server's supported_groups (a hint); omitted when 0 */
    size_t n_groups;
    bool early_data; /* early data accepted */
    uint16_t record_size_limit; /* 0 = omit */
} latch_encrypted_extensions_out;

/**
 * Written in the order of the RFC 8448 traces: supported_groups,
 * record_size_limit, server_name, ALPN, early_data. INVALID_ARGUMENT: an
 * alpn_wire that is not exactly one name, record_size_limit in 1..63, too
 * many groups.
 */
LATCH_MUST_CHECK latch_err latch_encrypted_extensions_build(latch_wr *w, const latch_encrypted_extensions_out *ee);

/* ---- Certificate (§4.4.2; RFC 5246 §7.4.2) -------------------------------- */

#define LATCH_MAX_CHAIN_CERTS 16     /* named limit: certificates in one message */
#define LATCH_MAX_CERT_SIZE 65536    /* named limit: one DER certificate */

typedef struct latch_certificate {
    latch_rd request_context; /* TLS 1.3 certificate_request_context<0..2^8-1> */
    latch_rd certs[LATCH_MAX_CHAIN_CERTS]; /* cert_data (DER), leaf first */
    size_t n;
} latch_certificate;

/**
 * Parse a Certificate body. tls13 selects the 1.3 form (context, and
 * CertificateEntry with extensions<0..2^16-1> each, parsed with context CT)
 * or the 1.2 form (certificate_list of ASN.1Cert<1..2^24-1>). More than
 * LATCH_MAX_CHAIN_CERTS: CERT_CHAIN_TOO_LONG; one larger than
 * LATCH_MAX_CERT_SIZE: CERT_TOO_LARGE; an empty cert_data: DECODE.
 */
LATCH_MUST_CHECK latch_err latch_certificate_parse(latch_rd body, bool tls13, latch_certificate *ct);

/** Build a Certificate from n DER certificates (n may be 0: an empty
 *  Certificate), each with an empty extension list in TLS 1.3.
 *  INVALID_ARGUMENT: n > LATCH_MAX_CHAIN_CERTS, a certificate empty or over
 *  LATCH_MAX_CERT_SIZE, a context over 255 bytes, or a context in TLS 1.2. */
LATCH_MUST_CHECK latch_err latch_certificate_build(latch_wr *w, bool tls13, const uint8_t *context,
                                                   size_t context_len, const latch_rd *certs, size_t n);

/* ---- CertificateRequest (§4.3.2) ------------------------------------------ */

typedef struct latch_certificate_request {
    latch_rd request_context; /* <0..2^8-1> */
    latch_exts exts;          /* signature_algorithms is mandatory (MISSING_EXTENSION) */
    latch_u16s sigalgs;
} latch_certificate_request;

/** TLS 1.3 CertificateRequest. Extension block errors: see latch_exts_parse
 *  (context CR); no signature_algorithms: MISSING_EXTENSION; a malformed
 *  one: DECODE. */
LATCH_MUST_CHECK latch_err latch_certificate_request_parse(latch_rd body, latch_certificate_request *cr);

typedef struct latch_certificate_request_out {
    const uint8_t *context;
    size_t context_len;
    const uint16_t *sigalgs;
    size_t n_sigalgs;
    const latch_rd *cas; /* certificate_authorities DNs; omitted when 0 */
    size_t n_cas;
} latch_certificate_request_out;

/** Written in the order signature_algorithms, certificate_authorities.
 *  INVALID_ARGUMENT: no sigalgs (the extension is mandatory), a context
 *  over 255 bytes, an empty DN, lists over their bounds. */
LATCH_MUST_CHECK latch_err latch_certificate_request_build(latch_wr *w, const latch_certificate_request_out *cr);

/* ---- CertificateVerify (§4.4.3) -------------------------------------------- */

typedef struct latch_certificate_verify {
    uint16_t scheme;
    latch_rd signature; /* <0..2^16-1> */
} latch_certificate_verify;

LATCH_MUST_CHECK latch_err latch_certificate_verify_parse(latch_rd body, latch_certificate_verify *cv);
LATCH_MUST_CHECK latch_err latch_certificate_verify_build(latch_wr *w, uint16_t scheme, const uint8_t *sig,
                                                          size_t sig_len);

/* The content covered by a TLS 1.3 CertificateVerify signature: 64 spaces,
 * the context string, a zero byte, then the transcript hash. */
#define LATCH_CV_CONTENT_MAX (64 + 34 + 1 + LATCH_HASH_MAX_LEN)
/** Writes the content to out (cap >= LATCH_CV_CONTENT_MAX) and returns its
 *  length; returns 0 (writing nothing) if th_len > LATCH_HASH_MAX_LEN. */
size_t latch_cv_content(bool server, const uint8_t *th, size_t th_len, uint8_t *out);

/* ---- Finished (§4.4.4) ----------------------------------------------------- */

/** The body must be exactly verify_len bytes (DECODE otherwise). */
LATCH_MUST_CHECK latch_err latch_finished_parse(latch_rd body, size_t verify_len, latch_rd *verify_data);
LATCH_MUST_CHECK latch_err latch_finished_build(latch_wr *w, const uint8_t *verify_data, size_t len);

/* ---- NewSessionTicket (§4.6.1) ---------------------------------------------- */

typedef struct latch_new_session_ticket {
    uint32_t lifetime; /* seconds; at most 604800 (7 days, ILLEGAL_PARAMETER beyond) */
    uint32_t age_add;
    latch_rd nonce;  /* <0..255> */
    latch_rd ticket; /* <1..2^16-1> */
    latch_exts exts;
    uint32_t max_early_data; /* from early_data, 0 if absent */
} latch_new_session_ticket;

/** Extension block errors: see latch_exts_parse (context NST); a malformed
 *  early_data: DECODE. The lifetime is checked after the structure. */
LATCH_MUST_CHECK latch_err latch_new_session_ticket_parse(latch_rd body, latch_new_session_ticket *nst);
/** early_data is written only when max_early_data > 0. INVALID_ARGUMENT:
 *  lifetime over 604800, nonce over 255 bytes, ticket empty or over 65535. */
LATCH_MUST_CHECK latch_err latch_new_session_ticket_build(latch_wr *w, uint32_t lifetime, uint32_t age_add,
                                                          const uint8_t *nonce, size_t nonce_len,
                                                          const uint8_t *ticket, size_t ticket_len,
                                                          uint32_t max_early_data);

/* ---- KeyUpdate (§4.6.3) ----------------------------------------------------- */

#define LATCH_KEY_UPDATE_NOT_REQUESTED 0
#define LATCH_KEY_UPDATE_REQUESTED 1

/** request_update must be 0 or 1 (ILLEGAL_PARAMETER otherwise). */
LATCH_MUST_CHECK latch_err latch_key_update_parse(latch_rd body, uint8_t *request_update);
/** INVALID_ARGUMENT unless request_update is 0 or 1. */
LATCH_MUST_CHECK latch_err latch_key_update_build(latch_wr *w, uint8_t request_update);

/* ---- TLS 1.2 messages ----------------------------------------------------------
 *
 * ServerHelloDone is an empty message (below); Certificate takes tls13 =
 * false; CertificateVerify has the same syntax in both versions (a
 * SignatureScheme, then signature<0..2^16-1>: RFC 5246 §7.4.8's
 * digitally-signed struct), only what is signed differs; Finished takes a
 * verify_len of 12. */

/* ServerKeyExchange for ECDHE (RFC 8422 §5.4). */
#define LATCH_EC_CURVE_TYPE_NAMED 3 /* ECCurveType named_curve */
/* Largest ServerECDHParams: curve_type, namedcurve, point<1..255>. */
#define LATCH_SKE_PARAMS_MAX (1 + 2 + 1 + 255)
/* Largest signed content: the two randoms and the params. */
#define LATCH_SKE_CONTENT_MAX (64 + LATCH_SKE_PARAMS_MAX)

typedef struct latch_server_key_exchange {
    uint16_t group;      /* ECParameters.namedcurve */
    latch_rd point;      /* ECPoint.point<1..2^8-1>: the server's public key */
    latch_rd params;     /* the whole ServerECDHParams as received (what is signed) */
    uint16_t scheme;     /* signed_params.algorithm */
    latch_rd signature;  /* signed_params.signature<0..2^16-1> */
} latch_server_key_exchange;

/** A curve_type other than named_curve: ILLEGAL_PARAMETER (RFC 8422 §5.4
 *  deprecates explicit curves). Whether the group and the scheme are
 *  acceptable is the handler's call. */
LATCH_MUST_CHECK latch_err latch_server_key_exchange_parse(latch_rd body, latch_server_key_exchange *ske);
/** Write ServerECDHParams (no message header): what goes into the message
 *  and, after the randoms, under the signature. */
void latch_ske_params_build(latch_wr *w, uint16_t group, const uint8_t *point, size_t point_len);
/** INVALID_ARGUMENT: a point outside 1..255 bytes, a signature over 65535. */
LATCH_MUST_CHECK latch_err latch_server_key_exchange_build(latch_wr *w, uint16_t group, const uint8_t *point,
                                                           size_t point_len, uint16_t scheme, const uint8_t *sig,
                                                           size_t sig_len);
/** The signed content client_random + server_random + params into
 *  out[0..cap) (cap >= 64 + params.len); returns its length, 0 if it does
 *  not fit. */
size_t latch_ske_content(const uint8_t client_random[32], const uint8_t server_random[32], latch_rd params,
                         uint8_t *out, size_t cap);

/* ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7): rsa selects the RSA
 * form (EncryptedPreMasterSecret, opaque<0..2^16-1>), else ECDHE (ECPoint,
 * opaque point<1..2^8-1>). *exchange is the encrypted premaster or the
 * point. Syntax errors are DECODE; the length of an encrypted premaster is
 * not checked here (RFC 5246 §7.4.7.1: the decryption treats every wrong
 * value alike). */
LATCH_MUST_CHECK latch_err latch_client_key_exchange_parse(latch_rd body, bool rsa, latch_rd *exchange);
/** INVALID_ARGUMENT: a point outside 1..255 bytes, a ciphertext over 65535. */
LATCH_MUST_CHECK latch_err latch_client_key_exchange_build(latch_wr *w, bool rsa, const uint8_t *p, size_t len);

/* CertificateRequest, TLS 1.2 form (RFC 5246 §7.4.4). */
#define LATCH_CERT_TYPE_RSA_SIGN 1    /* ClientCertificateType rsa_sign */
#define LATCH_CERT_TYPE_ECDSA_SIGN 64 /* ecdsa_sign (RFC 8422 §5.5; also EdDSA keys) */

typedef struct latch_certificate_request12 {
    latch_rd cert_types; /* certificate_types<1..2^8-1>, one byte each */
    latch_u16s sigalgs;  /* supported_signature_algorithms */
    latch_rd cas;        /* certificate_authorities body: iterate with latch_ext_cas_next */
} latch_certificate_request12;

/** Every DistinguishedName is checked for its <1..2^16-1> bound. */
LATCH_MUST_CHECK latch_err latch_certificate_request12_parse(latch_rd body, latch_certificate_request12 *cr);
/** Whether certificate_types lists type. */
bool latch_cert_types_has(latch_rd types, uint8_t type);

typedef struct latch_certificate_request12_out {
    const uint8_t *types;
    size_t n_types;
    const uint16_t *sigalgs;
    size_t n_sigalgs;
    const latch_rd *cas; /* DER names; none: any CA */
    size_t n_cas;
} latch_certificate_request12_out;

/** INVALID_ARGUMENT: no type or no scheme (both vectors have a minimum of
 *  one element), an empty DN, lists over their bounds. */
LATCH_MUST_CHECK latch_err latch_certificate_request12_build(latch_wr *w, const latch_certificate_request12_out *cr);

/* NewSessionTicket, TLS 1.2 form (RFC 5077 §3.3): ticket_lifetime_hint and
 * ticket<0..2^16-1> (empty: the server changed its mind about a ticket). */
LATCH_MUST_CHECK latch_err latch_new_session_ticket12_parse(latch_rd body, uint32_t *lifetime_hint,
                                                            latch_rd *ticket);
/** INVALID_ARGUMENT: a ticket over 65535 bytes. */
LATCH_MUST_CHECK latch_err latch_new_session_ticket12_build(latch_wr *w, uint32_t lifetime_hint,
                                                            const uint8_t *ticket, size_t len);

/* ---- Empty messages (EndOfEarlyData, ServerHelloDone) ----------------------- */

/** DECODE unless the body is empty. */
LATCH_MUST_CHECK latch_err latch_empty_msg_parse(latch_rd body);
/** type: HELLO_REQUEST, END_OF_EARLY_DATA or SERVER_HELLO_DONE (else INVALID_ARGUMENT). */
LATCH_MUST_CHECK latch_err latch_empty_msg_build(latch_wr *w, uint8_t type);

/* ---- Alerts (§6) -------------------------------------------------------------- */

#define LATCH_ALERT_LEVEL_WARNING 1
#define LATCH_ALERT_LEVEL_FATAL 2

/** An alert record body: exactly 2 bytes (DECODE otherwise), level 1 or 2
 *  (ILLEGAL_PARAMETER otherwise). The description is not checked: RFC 8446
 *  §6 treats unknown descriptions as errors, which is the caller's call. */
LATCH_MUST_CHECK latch_err latch_alert_parse(latch_rd body, uint8_t *level, uint8_t *description);

#endif
