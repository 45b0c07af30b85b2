/*
 * Extensions: one table declaring every extension latch recognises (code
 * point, name, the messages that may carry it), a block parser that applies
 * the table, and one parse/build pair per extension (one file each).
 *
 * Parsers read the extension_data view and fill typed outputs; list-shaped
 * values stay views into the message (latch_u16s) so nothing is copied.
 * Builders write the whole extension (type, length, data) to a latch_wr.
 */
#ifndef LATCH_MSG_EXT_H
#define LATCH_MSG_EXT_H

#include "core/rd.h"
#include "core/wr.h"

#include <stdbool.h>

/* IANA extension code points (RFC 8446 §4.2 and the RFCs named). */
#define LATCH_EXT_SERVER_NAME 0              /* RFC 6066 */
#define LATCH_EXT_MAX_FRAGMENT_LENGTH 1      /* RFC 6066 */
#define LATCH_EXT_STATUS_REQUEST 5           /* RFC 6066 */
#define LATCH_EXT_SUPPORTED_GROUPS 10        /* RFC 8422, 7919 */
#define LATCH_EXT_EC_POINT_FORMATS 11        /* RFC 8422 (TLS 1.2) */
#define LATCH_EXT_SIGNATURE_ALGORITHMS 13    /* RFC 8446 */
#define LATCH_EXT_USE_SRTP 14                /* RFC 5764 */
#define LATCH_EXT_HEARTBEAT 15               /* RFC 6520 */
#define LATCH_EXT_ALPN 16                    /* RFC 7301 */
#define LATCH_EXT_SCT 18                     /* RFC 6962 */
#define LATCH_EXT_CLIENT_CERT_TYPE 19        /* RFC 7250 */
#define LATCH_EXT_SERVER_CERT_TYPE 20        /* RFC 7250 */
#define LATCH_EXT_PADDING 21                 /* RFC 7685 */
#define LATCH_EXT_ENCRYPT_THEN_MAC 22        /* RFC 7366 (TLS 1.2) */
#define LATCH_EXT_EXTENDED_MASTER_SECRET 23  /* RFC 7627 (TLS 1.2) */
#define LATCH_EXT_RECORD_SIZE_LIMIT 28       /* RFC 8449 */
#define LATCH_EXT_SESSION_TICKET 35          /* RFC 5077 (TLS 1.2) */
#define LATCH_EXT_PRE_SHARED_KEY 41
#define LATCH_EXT_EARLY_DATA 42
#define LATCH_EXT_SUPPORTED_VERSIONS 43
#define LATCH_EXT_COOKIE 44
#define LATCH_EXT_PSK_KEY_EXCHANGE_MODES 45
#define LATCH_EXT_CERTIFICATE_AUTHORITIES 47
#define LATCH_EXT_OID_FILTERS 48
#define LATCH_EXT_POST_HANDSHAKE_AUTH 49
#define LATCH_EXT_SIGNATURE_ALGORITHMS_CERT 50
#define LATCH_EXT_KEY_SHARE 51
#define LATCH_EXT_RENEGOTIATION_INFO 0xFF01 /* RFC 5746 (TLS 1.2) */

/* Dense index of the recognised extensions, for bitmaps and the data array. */
typedef enum latch_ext_id {
    LATCH_X_SERVER_NAME,
    LATCH_X_MAX_FRAGMENT_LENGTH,
    LATCH_X_STATUS_REQUEST,
    LATCH_X_SUPPORTED_GROUPS,
    LATCH_X_EC_POINT_FORMATS,
    LATCH_X_SIGNATURE_ALGORITHMS,
    LATCH_X_USE_SRTP,
    LATCH_X_HEARTBEAT,
    LATCH_X_ALPN,
    LATCH_X_SCT,
    LATCH_X_CLIENT_CERT_TYPE,
    LATCH_X_SERVER_CERT_TYPE,
    LATCH_X_PADDING,
    LATCH_X_ENCRYPT_THEN_MAC,
    LATCH_X_EXTENDED_MASTER_SECRET,
    LATCH_X_RECORD_SIZE_LIMIT,
    LATCH_X_SESSION_TICKET,
    LATCH_X_PRE_SHARED_KEY,
    LATCH_X_EARLY_DATA,
    LATCH_X_SUPPORTED_VERSIONS,
    LATCH_X_COOKIE,
    LATCH_X_PSK_KEY_EXCHANGE_MODES,
    LATCH_X_CERTIFICATE_AUTHORITIES,
    LATCH_X_OID_FILTERS,
    LATCH_X_POST_HANDSHAKE_AUTH,
    LATCH_X_SIGNATURE_ALGORITHMS_CERT,
    LATCH_X_KEY_SHARE,
    LATCH_X_RENEGOTIATION_INFO,
    LATCH_X__COUNT
} latch_ext_id;

#define LATCH_XBIT(id) (UINT32_C(1) << (id))

/* The messages an extension block can belong to (RFC 8446 §4.2 table, plus
 * the TLS 1.2 ServerHello). */
#define LATCH_CTX_CH 0x01u   /* ClientHello (both versions) */
#define LATCH_CTX_SH 0x02u   /* TLS 1.3 ServerHello */
#define LATCH_CTX_HRR 0x04u  /* HelloRetryRequest */
#define LATCH_CTX_EE 0x08u   /* EncryptedExtensions */
#define LATCH_CTX_CT 0x10u   /* Certificate (per CertificateEntry) */
#define LATCH_CTX_CR 0x20u   /* TLS 1.3 CertificateRequest */
#define LATCH_CTX_NST 0x40u  /* TLS 1.3 NewSessionTicket */
#define LATCH_CTX_SH12 0x80u /* TLS 1.2 ServerHello */

/* Largest number of extensions accepted in one block (a named limit). */
#define LATCH_MAX_EXTENSIONS 64

typedef struct latch_ext_info {
    uint16_t code;
    latch_ext_id id;
    const char *name;  /* RFC name, e.g. "supported_versions" */
    unsigned contexts; /* LATCH_CTX_* where it may appear */
} latch_ext_info;

/** The table row for code point \p code, or NULL if latch does not recognise it. */
const latch_ext_info *latch_ext_lookup(uint16_t code);
/** The row for an index (never NULL for id < LATCH_X__COUNT). */
const latch_ext_info *latch_ext_by_id(latch_ext_id id);
/** The RFC name of a code point, or "unknown". */
const char *latch_ext_name(uint16_t code);

/** Whether v is one of the RFC 8701 GREASE values 0x0A0A, 0x1A1A, ..., 0xFAFA. */
bool latch_ext_is_grease(uint16_t v);

/** A parsed extension block. */
typedef struct latch_exts {
    uint32_t present;            /* LATCH_XBIT(id) for each recognised one present */
    latch_rd data[LATCH_X__COUNT]; /* extension_data of each present one */
    uint16_t count;              /* all extensions, recognised or not */
    uint16_t last_code;          /* code point of the last extension in the block */
} latch_exts;

static inline bool latch_exts_has(const latch_exts *e, latch_ext_id id)
{
    return (e->present & LATCH_XBIT(id)) != 0;
}

/**
 * Parse `Extension extensions<0..2^16-1>` (the vector body, without its
 * length) for a message of context ctx (one LATCH_CTX_* bit):
 * - more than LATCH_MAX_EXTENSIONS: DECODE;
 * - an extension type twice, recognised or not: DUPLICATE_EXTENSION
 *   (RFC 8446 §4.2: illegal_parameter);
 * - a recognised extension not allowed in ctx: ILLEGAL_PARAMETER (§4.2);
 * - in SH, HRR, EE and SH12 (responses) an unrecognised extension:
 *   UNSUPPORTED_EXTENSION, since latch never offers what it does not know;
 *   elsewhere unrecognised extensions are ignored;
 * - in CH, pre_shared_key not last: ILLEGAL_PARAMETER (§4.2.11);
 * - a truncated extension_type or an extension_data overrunning the block:
 *   DECODE.
 * Checks apply in the order the extensions appear, so the first offence
 * decides the code. Extension contents are not parsed here. On failure *out
 * is zeroed. The table: RFC 8446 §4.2 for TLS 1.3, plus record_size_limit
 * (CH, EE, SH12: RFC 8449 §4), the TLS 1.2-only extensions in CH and SH12,
 * and the RFC 6066/7301/6962/6520/5764/7250 extensions in SH12.
 */
LATCH_MUST_CHECK latch_err latch_exts_parse(latch_rd block, unsigned ctx, latch_exts *out);

/* A view of a list of uint16 values (groups, schemes, versions, suites),
 * validated for even length by its parser. */
typedef struct latch_u16s {
    latch_rd r;
} latch_u16s;

static inline size_t latch_u16s_count(latch_u16s l)
{
    return l.r.len / 2;
}

static inline uint16_t latch_u16s_at(latch_u16s l, size_t i)
{
    return (uint16_t)((uint16_t)l.r.p[2 * i] << 8 | l.r.p[2 * i + 1]);
}

bool latch_u16s_contains(latch_u16s l, uint16_t v);

/** Parse a u16 list with a len_bytes length prefix and <min..max> byte bounds; must consume r. */
LATCH_MUST_CHECK latch_err latch_u16s_parse(latch_rd r, unsigned len_bytes, size_t min, size_t max,
                                            latch_u16s *out);

/** Read a u16 list field from a cursor (DECODE on a bad length or an odd
 *  one, with a detail naming `what`, e.g. "ClientHello.cipher_suites"). */
LATCH_MUST_CHECK latch_err latch_u16s_read(latch_rd *r, const char *what, unsigned len_bytes, size_t min,
                                           size_t max, latch_u16s *out);

/** Write extension `code` holding a u16 list with a len_bytes length closed
 *  with <min..max>: `grease` first when non-zero (RFC 8701), then v[0..n). */
void latch_ext_u16_list_build(latch_wr *w, uint16_t code, unsigned len_bytes, size_t min, size_t max,
                              uint16_t grease, const uint16_t *v, size_t n);

/* ---- Per-extension parse/build (src/msg/ext/<name>.c) -------------------- */

/* Each builder writes: extension_type(2) || opaque extension_data<0..2^16-1>.
 * Builders are void: the writer's error is sticky, and every vector is
 * closed with its RFC bounds, so a value out of range fails the writer
 * (LATCH_ERR_INTERNAL from latch_wr_finish) instead of being encoded; the
 * message builders check their inputs first and return INVALID_ARGUMENT.
 *
 * Parsers: the RFC's syntax (lengths, bounds, trailing bytes, odd u16 lists)
 * is DECODE; other codes are listed per extension. On failure the outputs
 * are zeroed (counts set to 0). */

/* server_name (RFC 6066 §3). ClientHello: ServerNameList with one host_name;
 * names are 1..255 bytes of LDH ASCII (letters, digits, '-', '.'), with no
 * trailing dot and not an IP literal (RFC 6066: "Literal IPv4 and IPv6
 * addresses are not permitted"). EE/SH: empty data.
 * Parse: the syntax is DECODE; a second host_name, or a host_name that
 * latch_ext_host_name_check rejects, is ILLEGAL_PARAMETER. Entries of other
 * (future) name types are skipped (RFC 6066 §3 makes them start with a
 * 16-bit length); a list without a host_name yields an empty *host. */
LATCH_MUST_CHECK latch_err latch_ext_server_name_parse(latch_rd data, latch_rd *host);
/** Check a host name: 1..255 bytes, labels of 1..63 letters, digits and
 *  '-', separated by single dots, no trailing dot, and not an IPv4 literal
 *  (a last label all digits or 0x<hex>; IPv6 literals fail on ':').
 *  ILLEGAL_PARAMETER otherwise. */
LATCH_MUST_CHECK latch_err latch_ext_host_name_check(latch_rd name);
void latch_ext_server_name_build(latch_wr *w, const char *host);
void latch_ext_empty_build(latch_wr *w, uint16_t code); /* any empty extension */
LATCH_MUST_CHECK latch_err latch_ext_empty_parse(latch_rd data);
/* Any extension whose extension_data is the given bytes (session_ticket,
 * a GREASE extension). */
void latch_ext_opaque_build(latch_wr *w, uint16_t code, const uint8_t *data, size_t len);

/* supported_groups: NamedGroup named_group_list<2..2^16-1>. */
LATCH_MUST_CHECK latch_err latch_ext_groups_parse(latch_rd data, latch_u16s *groups);
void latch_ext_groups_build(latch_wr *w, const uint16_t *groups, size_t n);

/* signature_algorithms and signature_algorithms_cert:
 * SignatureScheme supported_signature_algorithms<2..2^16-2>. */
LATCH_MUST_CHECK latch_err latch_ext_sigalgs_parse(latch_rd data, latch_u16s *schemes);
void latch_ext_sigalgs_build(latch_wr *w, uint16_t code, const uint16_t *schemes, size_t n);

/* supported_versions. ClientHello: ProtocolVersion versions<2..254>;
 * ServerHello/HRR: ProtocolVersion selected_version. */
LATCH_MUST_CHECK latch_err latch_ext_versions_ch_parse(latch_rd data, latch_u16s *versions);
LATCH_MUST_CHECK latch_err latch_ext_versions_sh_parse(latch_rd data, uint16_t *selected);
void latch_ext_versions_ch_build(latch_wr *w, const uint16_t *versions, size_t n);
void latch_ext_versions_sh_build(latch_wr *w, uint16_t selected);

/* key_share (RFC 8446 §4.2.8). */
#define LATCH_MAX_KEY_SHARES 16 /* named limit on client_shares entries */
typedef struct latch_key_share {
    uint16_t group;
    latch_rd key_exchange; /* opaque key_exchange<1..2^16-1> */
} latch_key_share;
typedef struct latch_key_shares {
    latch_key_share e[LATCH_MAX_KEY_SHARES];
    size_t n;
} latch_key_shares;
/* ClientHello: KeyShareEntry client_shares<0..2^16-1>. More than
 * LATCH_MAX_KEY_SHARES: ILLEGAL_PARAMETER; one group twice: ILLEGAL_PARAMETER
 * (§4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
 * group"). */
LATCH_MUST_CHECK latch_err latch_ext_key_share_ch_parse(latch_rd data, latch_key_shares *out);
/* ServerHello: KeyShareEntry server_share. */
LATCH_MUST_CHECK latch_err latch_ext_key_share_sh_parse(latch_rd data, latch_key_share *out);
/* HelloRetryRequest: NamedGroup selected_group. */
LATCH_MUST_CHECK latch_err latch_ext_key_share_hrr_parse(latch_rd data, uint16_t *group);
void latch_ext_key_share_ch_build(latch_wr *w, const latch_key_share *shares, size_t n);
void latch_ext_key_share_sh_build(latch_wr *w, uint16_t group, const uint8_t *pub, size_t pub_len);
void latch_ext_key_share_hrr_build(latch_wr *w, uint16_t group);
/* ClientHello with a GREASE entry first (group `grease`, key_exchange one 0x00
 * byte; RFC 8701 §3.1) when grease != 0. */
void latch_ext_key_share_ch_build_grease(latch_wr *w, uint16_t grease, const latch_key_share *shares, size_t n);

/* application_layer_protocol_negotiation (RFC 7301 §3.1):
 * ProtocolName protocol_name_list<2..2^16-1>, ProtocolName opaque<1..2^8-1>.
 * In EE/SH exactly one name. An empty name, or more than one name where one
 * is required: DECODE. */
LATCH_MUST_CHECK latch_err latch_ext_alpn_parse(latch_rd data, latch_rd *list);
LATCH_MUST_CHECK latch_err latch_ext_alpn_parse_one(latch_rd data, latch_rd *proto);
/* Iterate a validated list: *it starts as the list; returns false at the end. */
bool latch_ext_alpn_next(latch_rd *it, latch_rd *proto);
/** The number of names in a protocol_name_list body (the bytes after its
 *  2-byte length), or 0 if it is not a valid one (empty name, overrun,
 *  outside <2..2^16-1>). For builders checking their input. */
size_t latch_ext_alpn_count(const uint8_t *wire_list, size_t len);
/* protos: names in order, wire-encoded already (len-prefixed each) */
void latch_ext_alpn_build(latch_wr *w, const uint8_t *wire_list, size_t len);

/* psk_key_exchange_modes: PskKeyExchangeMode ke_modes<1..255>. */
#define LATCH_PSK_KE 0
#define LATCH_PSK_DHE_KE 1
LATCH_MUST_CHECK latch_err latch_ext_psk_modes_parse(latch_rd data, latch_rd *modes);
void latch_ext_psk_modes_build(latch_wr *w, const uint8_t *modes, size_t n);

/* pre_shared_key (§4.2.11). ClientHello: OfferedPsks { PskIdentity
 * identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>; }, and the
 * number of identities must equal the number of binders (ILLEGAL_PARAMETER).
 * More than LATCH_MAX_PSK_IDENTITIES identities: ILLEGAL_PARAMETER.
 * ServerHello: uint16 selected_identity. */
#define LATCH_MAX_PSK_IDENTITIES 8
typedef struct latch_psk_identity {
    latch_rd identity; /* <1..2^16-1> */
    uint32_t obfuscated_ticket_age;
    latch_rd binder; /* <32..255> */
} latch_psk_identity;
typedef struct latch_offered_psks {
    latch_psk_identity e[LATCH_MAX_PSK_IDENTITIES];
    size_t n;
    size_t binders_len; /* bytes of the binders vector including its 2-byte length */
} latch_offered_psks;
LATCH_MUST_CHECK latch_err latch_ext_psk_ch_parse(latch_rd data, latch_offered_psks *out);
LATCH_MUST_CHECK latch_err latch_ext_psk_sh_parse(latch_rd data, uint16_t *selected);
void latch_ext_psk_sh_build(latch_wr *w, uint16_t selected);
/* ClientHello: the identities (identity, obfuscated_ticket_age), then the
 * binders as zeros of each psks[i].binder.len (32..255; binder.p is not
 * read). The binders vector is the last field of the extension, so once the
 * extension ends the message, it occupies the message's last
 * latch_ext_psk_binders_len() bytes: a 2-byte length, then for each
 * identity a 1-byte length and the binder. */
void latch_ext_psk_ch_build(latch_wr *w, const latch_psk_identity *psks, size_t n);
/** Bytes of the binders vector, its 2-byte length included (= the
 *  binders_len latch_ext_psk_ch_parse reports for the same extension). */
size_t latch_ext_psk_binders_len(const latch_psk_identity *psks, size_t n);

/* early_data: empty in CH and EE; NST: uint32 max_early_data_size. */
LATCH_MUST_CHECK latch_err latch_ext_early_data_nst_parse(latch_rd data, uint32_t *max_size);
void latch_ext_early_data_nst_build(latch_wr *w, uint32_t max_size);

/* cookie: opaque cookie<1..2^16-1>. */
LATCH_MUST_CHECK latch_err latch_ext_cookie_parse(latch_rd data, latch_rd *cookie);
void latch_ext_cookie_build(latch_wr *w, const uint8_t *cookie, size_t len);

/* certificate_authorities: DistinguishedName authorities<3..2^16-1>, each
 * DistinguishedName opaque<1..2^16-1> (a DER Name, not checked here). */
LATCH_MUST_CHECK latch_err latch_ext_cas_parse(latch_rd data, latch_rd *list);
bool latch_ext_cas_next(latch_rd *it, latch_rd *dn);
/* dns: n DER names */
void latch_ext_cas_build(latch_wr *w, const latch_rd *dns, size_t n);

/* record_size_limit (RFC 8449): uint16 RecordSizeLimit, at least 64
 * (ILLEGAL_PARAMETER below, RFC 8449 §4). */
LATCH_MUST_CHECK latch_err latch_ext_record_size_limit_parse(latch_rd data, uint16_t *limit);
void latch_ext_record_size_limit_build(latch_wr *w, uint16_t limit);

/* ec_point_formats (RFC 8422 §5.1.2): ECPointFormat ec_point_format_list<1..2^8-1>;
 * must include uncompressed (0), else ILLEGAL_PARAMETER. */
LATCH_MUST_CHECK latch_err latch_ext_point_formats_parse(latch_rd data);
void latch_ext_point_formats_build(latch_wr *w);

/* renegotiation_info (RFC 5746 §3.2): opaque renegotiated_connection<0..255>. */
LATCH_MUST_CHECK latch_err latch_ext_reneg_parse(latch_rd data, latch_rd *verify_data);
void latch_ext_reneg_build(latch_wr *w, const uint8_t *verify_data, size_t len);

/* padding (RFC 7685): zero bytes. */
void latch_ext_padding_build(latch_wr *w, size_t len);

#endif
