/*
 * Certificate names: distinguished names and subjectAltName lists as text for
 * humans, and host name / IP address matching (RFC 6125 §6.4, RFC 9525).
 * For src/x509/ only (libcrypto types).
 */
#ifndef LATCH_X509_NAME_H
#define LATCH_X509_NAME_H

#include <latch/alloc.h>
#include <latch/error.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

/*
 * How host names are matched, everywhere in latch:
 * - only against subjectAltName dNSName entries, never the subject CN
 *   (RFC 9525 §6.3 retires the CN fallback; RFC 6125 §6.4.4 already forbade
 *   it when SANs are present);
 * - a wildcard only as the whole leftmost label ("*.example.com" matches
 *   "a.example.com", not "a.b.example.com" nor "example.com"), never a partial
 *   one like "f*o.example.com" (RFC 6125 §6.4.3 allows refusing them; RFC 9525
 *   §6.3 requires it).
 */
#define LATCH_X509_HOST_FLAGS (X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)

/**
 * A distinguished name in RFC 2253 form ("CN=leaf,O=Example"), into
 * buf[0..cap), always NUL-terminated when cap > 0. Bytes outside printable
 * ASCII are escaped, so peer-chosen names cannot smuggle control characters.
 * \return LATCH_OK; LATCH_ERR_BUFFER_TOO_SMALL (buf holds a truncated
 *         prefix); LATCH_ERR_INVALID_ARGUMENT (cap == 0); LATCH_ERR_NO_MEMORY.
 */
LATCH_MUST_CHECK latch_err latch__name_dn(const X509_NAME *name, char *buf, size_t cap);

/**
 * The subjectAltName entries of x as "DNS:a.example, IP:192.0.2.1,
 * IP:2001:db8::1, email:x@y, URI:https://..." ("" when there are none).
 * Same buffer rules and returns as latch__name_dn.
 */
LATCH_MUST_CHECK latch_err latch__name_sans(const X509 *x, char *buf, size_t cap);

/**
 * The name a human would call the certificate by, for error details: its first
 * dNSName, else its first iPAddress, else its subject CN, else its whole
 * subject. Truncated to fit; never fails.
 */
void latch__name_primary(const X509 *x, char *buf, size_t cap);

/** True if host is an IPv4 or IPv6 address literal (no brackets). */
bool latch__name_is_ip(const char *host);

/* Longest DNS name (RFC 1035 §2.3.4: 255 octets on the wire). */
#define LATCH_HOST_MAX 253

/**
 * Check a host to match certificates against (a "reference identifier") and
 * put it in the form used for matching, out[0..LATCH_HOST_MAX]: an IP literal
 * as is (*is_ip true); a DNS name without its trailing dot
 * ("example.com." is "example.com"). DNS names must be ASCII (IDNs in
 * A-label form), of labels of 1 to 63 letters, digits, '-' or '_'; no
 * wildcards.
 * 
eturn LATCH_OK; LATCH_ERR_INVALID_ARGUMENT (with the reason).
 */
LATCH_MUST_CHECK latch_err latch__name_host(const char *host, char out[LATCH_HOST_MAX + 1], bool *is_ip);

/** True if x's SANs match host (a DNS name or an IP literal) under the rules above. */
bool latch__name_matches(X509 *x, const char *host);

/*
 * A certificate's subjectAltName dNSName and iPAddress entries, decoded once
 * (latch__name_matches decodes the extension on every call), for matching
 * many hosts against one certificate: a configured chain's leaf, matched
 * against each ClientHello's server_name. Immutable once loaded.
 */
typedef struct latch_name_entry {
    bool ip;    /* iPAddress (4 or 16 bytes), else dNSName (IA5String bytes) */
    size_t off; /* into latch_name_set.bytes */
    size_t len;
} latch_name_entry;

typedef struct latch_name_set {
    latch_name_entry *e;
    size_t n;
    uint8_t *bytes;
    size_t n_bytes;
} latch_name_set;

/**
 * Decode x's dNSName and iPAddress SANs into s (others are left out: they
 * never match a host). A missing or undecodable extension gives an empty set,
 * as it gives no match in latch__name_matches.
 * \return LATCH_OK; LATCH_ERR_NO_MEMORY (s is then empty).
 */
LATCH_MUST_CHECK latch_err latch__name_set_load(const latch_allocator *a, const X509 *x, latch_name_set *s);

/** Free what latch__name_set_load allocated (s is left empty). */
void latch__name_set_free(const latch_allocator *a, latch_name_set *s);

/**
 * latch__name_matches against the decoded names: the same answer for every
 * host (tests/unit/x509/name_test.c compares the two, and so libcrypto's
 * X509_check_host, over a catalogue of patterns and hosts).
 */
bool latch__name_set_matches(const latch_name_set *s, const char *host);

#endif
