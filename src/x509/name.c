/* Certificate names as text, and host matching. See name.h. */
#include "x509/name.h"
#include "x509/cert.h"

#include "core/alloc.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

/* A bounded text builder: keeps a NUL-terminated prefix when it overflows. */
typedef struct text {
    char *buf;
    size_t cap;
    size_t len;
    bool overflow;
} text;

static void text_init(text *t, char *buf, size_t cap)
{
    t->buf = buf;
    t->cap = cap;
    t->len = 0;
    t->overflow = false;
    buf[0] = '\0';
}

static void text_byte(text *t, char c)
{
    if (t->len + 1 >= t->cap) {
        t->overflow = true;
        return;
    }
    t->buf[t->len++] = c;
    t->buf[t->len] = '\0';
}

static void text_str(text *t, const char *s)
{
    for (; *s != '\0'; s++) {
        text_byte(t, *s);
    }
}

/* Peer-chosen bytes: printable ASCII as is, except the separator ',' and
 * the escape '\', which are hex-escaped like everything else. */
static void text_escaped(text *t, const unsigned char *p, int n)
{
    static const char hex[] = "0123456789ABCDEF";

    for (int i = 0; i < n; i++) {
        unsigned char c = p[i];

        if (c >= 0x20 && c < 0x7F && c != ',' && c != '\\') {
            text_byte(t, (char)c);
        } else {
            text_byte(t, '\\');
            text_byte(t, 'x');
            text_byte(t, hex[c >> 4]);
            text_byte(t, hex[c & 15]);
        }
    }
}

static latch_err text_done(const text *t, const char *what)
{
    if (t->overflow) {
        return LATCH_FAIL(LATCH_ERR_BUFFER_TOO_SMALL, "the %s does not fit in %zu bytes", what, t->cap);
    }
    return LATCH_OK;
}

/* Append a DN in RFC 2253 form; false if libcrypto could not format it.
 * ASN1_STRFLGS_ESC_MSB (part of XN_FLAG_RFC2253) escapes non-ASCII bytes as
 * \XX, and anything still not printable is replaced rather than passed on. */
static bool text_dn(text *t, const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL;
    long n;

    if (bio == NULL || X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0) {
        BIO_free(bio);
        ERR_clear_error();
        return false;
    }
    n = BIO_get_mem_data(bio, &data);
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];

        text_byte(t, (c >= 0x20 && c < 0x7F) ? (char)c : '?');
    }
    BIO_free(bio);
    return true;
}

latch_err latch__name_dn(const X509_NAME *name, char *buf, size_t cap)
{
    text t;

    LATCH_ENSURE(buf != NULL && cap > 0, LATCH_ERR_INVALID_ARGUMENT, "the name buffer is NULL or empty");
    text_init(&t, buf, cap);
    if (name != NULL && !text_dn(&t, name)) {
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "cannot format a distinguished name");
    }
    return text_done(&t, "distinguished name");
}

static void text_ip(text *t, const ASN1_OCTET_STRING *ip)
{
    char s[INET6_ADDRSTRLEN];
    const unsigned char *p = ASN1_STRING_get0_data(ip);
    int n = ASN1_STRING_length(ip);

    if (n == 4 && inet_ntop(AF_INET, p, s, sizeof s) != NULL) {
        text_str(t, s);
    } else if (n == 16 && inet_ntop(AF_INET6, p, s, sizeof s) != NULL) {
        text_str(t, s);
    } else {
        text_str(t, "<invalid>");
    }
}

static void text_general_name(text *t, const GENERAL_NAME *g)
{
    int type;
    const void *v = GENERAL_NAME_get0_value(g, &type);

    switch (type) {
    case GEN_DNS:
        text_str(t, "DNS:");
        text_escaped(t, ASN1_STRING_get0_data(v), ASN1_STRING_length(v));
        break;
    case GEN_IPADD:
        text_str(t, "IP:");
        text_ip(t, v);
        break;
    case GEN_EMAIL:
        text_str(t, "email:");
        text_escaped(t, ASN1_STRING_get0_data(v), ASN1_STRING_length(v));
        break;
    case GEN_URI:
        text_str(t, "URI:");
        text_escaped(t, ASN1_STRING_get0_data(v), ASN1_STRING_length(v));
        break;
    case GEN_DIRNAME: {
        /* The DN's own commas would read as separators: bracket it. */
        text_str(t, "DirName:<");
        (void)text_dn(t, v);
        text_byte(t, '>');
        break;
    }
    default: text_str(t, "othername:<unsupported>"); break;
    }
}

latch_err latch__name_sans(const X509 *x, char *buf, size_t cap)
{
    GENERAL_NAMES *gens;
    text t;

    LATCH_ENSURE(buf != NULL && cap > 0, LATCH_ERR_INVALID_ARGUMENT, "the SAN buffer is NULL or empty");
    text_init(&t, buf, cap);
    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    ERR_clear_error();
    if (gens == NULL) {
        return LATCH_OK;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        if (i > 0) {
            text_str(&t, ", ");
        }
        text_general_name(&t, sk_GENERAL_NAME_value(gens, i));
    }
    GENERAL_NAMES_free(gens);
    return text_done(&t, "subjectAltName list");
}

/* The first SAN of the given type, as text; false if none. */
static bool first_san(const X509 *x, int want, text *t)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    bool found = false;

    ERR_clear_error();
    for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens) && !found; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        int type;
        const void *v = GENERAL_NAME_get0_value(g, &type);

        if (type != want) {
            continue;
        }
        if (type == GEN_IPADD) {
            text_ip(t, v);
        } else {
            text_escaped(t, ASN1_STRING_get0_data(v), ASN1_STRING_length(v));
        }
        found = true;
    }
    GENERAL_NAMES_free(gens);
    return found;
}

void latch__name_primary(const X509 *x, char *buf, size_t cap)
{
    const X509_NAME *subject = X509_get_subject_name(x);
    int idx;
    text t;

    if (buf == NULL || cap == 0) {
        return;
    }
    text_init(&t, buf, cap);
    if (first_san(x, GEN_DNS, &t) || first_san(x, GEN_IPADD, &t)) {
        return;
    }
    idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (idx >= 0) {
        const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));

        text_escaped(&t, ASN1_STRING_get0_data(cn), ASN1_STRING_length(cn));
        return;
    }
    (void)text_dn(&t, subject);
}

bool latch__name_is_ip(const char *host)
{
    unsigned char addr[16];

    return host != NULL && (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1);
}

latch_err latch__name_host(const char *host, char out[LATCH_HOST_MAX + 1], bool *is_ip)
{
    size_t n, label = 0;

    out[0] = '\0';
    *is_ip = false;
    LATCH_ENSURE(host != NULL && host[0] != '\0', LATCH_ERR_INVALID_ARGUMENT, "the host name is NULL or empty");
    n = strlen(host);
    if (n <= LATCH_HOST_MAX + 1 && latch__name_is_ip(host)) {
        memcpy(out, host, n + 1);
        *is_ip = true;
        return LATCH_OK;
    }
    if (n > 1 && host[n - 1] == '.') {
        n--; /* an absolute name: the root label is implied anyway */
    }
    if (n > LATCH_HOST_MAX) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "the host name '%.40s...' is longer than %d characters", host,
                          LATCH_HOST_MAX);
    }
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? host[i] : '.';

        if (c == '.') {
            if (label == 0 || label > 63) {
                return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                                  "the host name '%.80s' has an empty label or one longer than 63 characters", host);
            }
            label = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                              "the host name '%.80s' has a character that is not allowed in DNS names (use the "
                              "A-label form of internationalized names; no wildcards)",
                              host);
        }
        label++;
    }
    memcpy(out, host, n);
    out[n] = '\0';
    return LATCH_OK;
}

bool latch__name_matches(X509 *x, const char *host)
{
    char canon[LATCH_HOST_MAX + 1];
    bool is_ip;
    int r;

    if (x == NULL || latch__name_host(host, canon, &is_ip) != LATCH_OK) {
        return false;
    }
    if (is_ip) {
        r = X509_check_ip_asc(x, canon, 0);
    } else {
        r = X509_check_host(x, canon, strlen(canon), LATCH_X509_HOST_FLAGS, NULL);
    }
    ERR_clear_error();
    return r == 1;
}

/* ---- Decoded names ------------------------------------------------------------ */

void latch__name_set_free(const latch_allocator *a, latch_name_set *s)
{
    latch__free(a, s->e, s->n * sizeof *s->e);
    latch__free(a, s->bytes, s->n_bytes);
    memset(s, 0, sizeof *s);
}

latch_err latch__name_set_load(const latch_allocator *a, const X509 *x, latch_name_set *s)
{
    GENERAL_NAMES *gens;
    size_t n = 0, total = 0, off = 0;
    int count;

    memset(s, 0, sizeof *s);
    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    ERR_clear_error();
    count = gens != NULL ? sk_GENERAL_NAME_num(gens) : 0;
    for (int i = 0; i < count; i++) {
        int type;
        const ASN1_STRING *v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i), &type);

        /* Empty strings never match (libcrypto skips them too). */
        if ((type == GEN_DNS || type == GEN_IPADD) && ASN1_STRING_length(v) > 0) {
            n++;
            total += (size_t)ASN1_STRING_length(v);
        }
    }
    if (n == 0) {
        GENERAL_NAMES_free(gens);
        return LATCH_OK;
    }
    s->e = latch__alloc(a, n * sizeof *s->e);
    s->bytes = latch__alloc(a, total);
    if (s->e == NULL || s->bytes == NULL) {
        latch__free(a, s->e, n * sizeof *s->e);
        latch__free(a, s->bytes, total);
        memset(s, 0, sizeof *s);
        GENERAL_NAMES_free(gens);
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a certificate's names");
    }
    s->n_bytes = total;
    for (int i = 0; i < count; i++) {
        int type;
        const ASN1_STRING *v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i), &type);
        size_t len = (size_t)ASN1_STRING_length(v);

        if ((type != GEN_DNS && type != GEN_IPADD) || len == 0) {
            continue;
        }
        memcpy(s->bytes + off, ASN1_STRING_get0_data(v), len);
        s->e[s->n].ip = type == GEN_IPADD;
        s->e[s->n].off = off;
        s->e[s->n].len = len;
        s->n++;
        off += len;
    }
    GENERAL_NAMES_free(gens);
    return LATCH_OK;
}

static bool is_alnum(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality; a pattern byte 0 never matches. */
static bool same_nocase(const uint8_t *pattern, const uint8_t *host, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pattern[i] == 0 || lower(pattern[i]) != lower(host[i])) {
            return false;
        }
    }
    return true;
}

/*
 * A wildcard pattern under latch's rules (the whole leftmost label, never
 * partial; see the top of name.h), recognised as libcrypto's X509_check_host
 * recognises one: "*." then at least two labels ("*.example.com", not
 * "*.com"), each of letters, digits and '-', neither starting nor ending with
 * '-', and no other '*'. Anything else is compared literally.
 */
static bool wildcard_pattern(const uint8_t *p, size_t len)
{
    size_t dots = 0;
    bool label_start = true;

    if (len < 2 || p[0] != '*' || p[1] != '.') {
        return false;
    }
    for (size_t i = 1; i < len; i++) {
        if (p[i] == '.') {
            if (i > 1 && (label_start || p[i - 1] == '-')) {
                return false; /* an empty label, or one ending with '-' */
            }
            dots++;
            label_start = true;
        } else if (is_alnum(p[i]) || (p[i] == '-' && !label_start)) {
            label_start = false;
        } else {
            return false; /* '*', '_', '-' at a label's start, other bytes */
        }
    }
    return !label_start && p[len - 1] != '-' && dots >= 2;
}

/* One dNSName against a host in latch__name_host form (no trailing dot, no '*'). */
static bool dns_matches(const uint8_t *p, size_t plen, const uint8_t *h, size_t hlen)
{
    if (wildcard_pattern(p, plen)) {
        size_t slen = plen - 1; /* ".example.com" */
        size_t llen;

        if (hlen <= slen || !same_nocase(p + 1, h + hlen - slen, slen)) {
            return false;
        }
        /* The '*' stands for exactly one non-empty label of letters, digits and '-'. */
        llen = hlen - slen;
        for (size_t i = 0; i < llen; i++) {
            if (!is_alnum(h[i]) && h[i] != '-') {
                return false;
            }
        }
        return true;
    }
    return plen == hlen && same_nocase(p, h, plen);
}

bool latch__name_set_matches(const latch_name_set *s, const char *host)
{
    char canon[LATCH_HOST_MAX + 1];
    bool is_ip;
    size_t hlen;

    if (s == NULL || latch__name_host(host, canon, &is_ip) != LATCH_OK) {
        return false;
    }
    if (is_ip) {
        /* Parsed as X509_check_ip_asc parses it. */
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(canon);
        bool hit = false;

        ERR_clear_error();
        for (size_t i = 0; ip != NULL && i < s->n && !hit; i++) {
            hit = s->e[i].ip && s->e[i].len == (size_t)ASN1_STRING_length(ip) &&
                  memcmp(s->bytes + s->e[i].off, ASN1_STRING_get0_data(ip), s->e[i].len) == 0;
        }
        ASN1_OCTET_STRING_free(ip);
        return hit;
    }
    hlen = strlen(canon);
    for (size_t i = 0; i < s->n; i++) {
        if (!s->e[i].ip && dns_matches(s->bytes + s->e[i].off, s->e[i].len, (const uint8_t *)canon, hlen)) {
            return true;
        }
    }
    return false;
}

latch_err latch_x509_dn_string(latch_rd der, char *buf, size_t cap)
{
    const unsigned char *p = der.p;
    X509_NAME *name;
    latch_err e;

    LATCH_ENSURE(cap > 0, LATCH_ERR_INVALID_ARGUMENT, "empty buffer");
    buf[0] = '\0';
    LATCH_ENSURE(der.len > 0 && der.len < 65536, LATCH_ERR_DECODE, "distinguished name of impossible length");
    name = d2i_X509_NAME(NULL, &p, (long)der.len);
    if (name == NULL || p != der.p + der.len) {
        X509_NAME_free(name);
        ERR_clear_error();
        return LATCH_FAIL(LATCH_ERR_DECODE, "distinguished name is not valid DER");
    }
    e = latch__name_dn(name, buf, cap);
    X509_NAME_free(name);
    return e;
}
