/*
 * PEM blocks (RFC 7468). See pem.h.
 *
 * RFC 7468 §2:
 *   textualmsg = preeb *WSP eol *eolWSP base64text posteb *WSP [eol]
 *   preeb      = "-----BEGIN " label "-----"
 *   posteb     = "-----END " label "-----"
 * We are lax where §3 allows it (whitespace around lines and inside the
 * base64 text, CRLF or LF, text between blocks) and strict where it matters:
 * the END label must match the BEGIN label, the base64 text must be complete
 * (a multiple of four characters, padding only at the end).
 */
#include "x509/pem.h"

#include "core/alloc.h"
#include "core/ct.h"
#include "core/err.h"
#include "core/wipe.h"

#include <string.h>

static const char begin_mark[] = "-----BEGIN ";
static const char end_mark[] = "-----END ";
static const char dashes[] = "-----";

static bool is_wsp(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The next line, without its LF and without surrounding whitespace. */
static bool take_line(latch_pem_reader *r, latch_rd *line)
{
    latch_rd scan = r->in;
    size_t n = 0;
    bool lf = false;
    uint8_t c;

    if (latch_rd_empty(&r->in)) {
        return false;
    }
    while (latch_rd_u8(&scan, &c) == LATCH_OK) {
        if (c == '\n') {
            lf = true;
            break;
        }
        n++;
    }
    if (latch_rd_bytes(&r->in, n, line) != LATCH_OK || (lf && latch_rd_skip(&r->in, 1) != LATCH_OK)) {
        return false; /* cannot happen: n bytes (and the LF) were just seen */
    }
    r->line++;
    while (line->len > 0 && is_wsp(line->p[line->len - 1])) {
        line->len--;
    }
    while (line->len > 0 && is_wsp(line->p[0])) {
        if (latch_rd_skip(line, 1) != LATCH_OK) {
            return false;
        }
    }
    return true;
}

static bool starts_with(const latch_rd *l, const char *s)
{
    size_t n = strlen(s);

    return l->len >= n && memcmp(l->p, s, n) == 0;
}

static bool ends_with(const latch_rd *l, const char *s)
{
    size_t n = strlen(s);

    return l->len >= n && memcmp(l->p + (l->len - n), s, n) == 0;
}

static bool contains(const latch_rd *l, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; n <= l->len && i <= l->len - n; i++) {
        if (memcmp(l->p + i, s, n) == 0) {
            return true;
        }
    }
    return false;
}

/* The label of a "-----BEGIN label-----" or "-----END label-----" line. */
static latch_err marker_label(const latch_pem_reader *r, const latch_rd *line, const char *mark, char *label)
{
    size_t pre = strlen(mark), post = strlen(dashes);
    size_t n;

    if (!ends_with(line, dashes) || line->len < pre + post) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: malformed PEM %s line (it must end with '-----')",
                          r->name, r->line, mark[5] == 'B' ? "BEGIN" : "END");
    }
    n = line->len - pre - post;
    if (n > LATCH_PEM_LABEL_MAX) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: PEM label longer than %d characters", r->name, r->line,
                          LATCH_PEM_LABEL_MAX);
    }
    memcpy(label, line->p + pre, n);
    label[n] = '\0';
    return LATCH_OK;
}

/* Constant-time base64 character value (RFC 4648 §4): no branch or table
 * index depends on c. *bad gets all ones if c is not in the alphabet. */
static uint32_t in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    return ~latch_ct_lt32(c, lo) & latch_ct_lt32(c, hi + 1u);
}

static uint32_t b64_value(uint8_t ch, uint32_t *bad)
{
    uint32_t c = ch;
    uint32_t up = in_range(c, 'A', 'Z');
    uint32_t lo = in_range(c, 'a', 'z');
    uint32_t dg = in_range(c, '0', '9');
    uint32_t plus = latch_ct_eq32(c, '+');
    uint32_t slash = latch_ct_eq32(c, '/');

    *bad |= ~(up | lo | dg | plus | slash);
    return (up & (c - 'A')) | (lo & (c - 'a' + 26u)) | (dg & (c - '0' + 52u)) | (plus & 62u) | (slash & 63u);
}

typedef struct b64_state {
    uint32_t acc;    /* pending 6-bit values */
    unsigned n;      /* characters in the current group */
    unsigned pad;    /* '=' seen so far */
    size_t total;    /* characters seen (base64 + padding) */
    size_t expected; /* characters in the whole body */
    uint8_t *out;
    size_t out_len;
} b64_state;

/* Feed one line. Returns false (with *what set) on a character that is not
 * allowed at its position. */
static bool b64_line(b64_state *s, const latch_rd *line, const char **what)
{
    uint32_t bad = 0;

    for (size_t i = 0; i < line->len; i++) {
        uint8_t c = line->p[i];
        uint32_t v;

        if (is_wsp(c)) {
            continue;
        }
        s->total++;
        if (c == '=') {
            /* Padding may only fill the last one or two places of the last
             * group (RFC 4648 §4); its position depends on the length only. */
            if (s->expected - s->total > 1 || s->n < 2) {
                *what = "misplaced '=' padding";
                return false;
            }
            s->pad++;
            s->acc <<= 6;
            s->n++;
        } else {
            if (s->pad > 0) {
                *what = "data after '=' padding";
                return false;
            }
            v = b64_value(c, &bad);
            s->acc = (s->acc << 6) | (v & 0x3Fu);
            s->n++;
        }
        if (s->n == 4) {
            uint8_t b[3] = {(uint8_t)(s->acc >> 16), (uint8_t)(s->acc >> 8), (uint8_t)s->acc};
            size_t k = 3 - s->pad;

            memcpy(s->out + s->out_len, b, k);
            s->out_len += k;
            s->acc = 0;
            s->n = 0;
        }
    }
    if (bad != 0) {
        *what = "invalid base64 character";
        return false;
    }
    return true;
}

bool latch_pem_detect(const uint8_t *text, size_t len)
{
    latch_rd all = latch_rd_make(text, len);

    return contains(&all, begin_mark);
}

void latch_pem_reader_init(latch_pem_reader *r, const uint8_t *text, size_t len, const char *name)
{
    r->in = latch_rd_make(text, len);
    r->line = 0;
    r->name = name != NULL ? name : "PEM data";
}

void latch_pem_block_free(const latch_allocator *a, latch_pem_block *blk)
{
    if (blk == NULL) {
        return;
    }
    latch__free(a, blk->der, blk->der_cap);
    blk->der = NULL;
    blk->der_len = 0;
    blk->der_cap = 0;
}

/* A character the base64 text may not contain, for the error detail. */
static char first_bad_char(const latch_rd *line)
{
    for (size_t i = 0; i < line->len; i++) {
        uint32_t bad = 0;
        uint8_t c = line->p[i];

        (void)b64_value(c, &bad);
        if (bad != 0 && c != '=' && !is_wsp(c)) {
            return (c >= 0x20 && c < 0x7F) ? (char)c : '?';
        }
    }
    return '?';
}

latch_err latch_pem_next(latch_pem_reader *r, const latch_allocator *a, latch_pem_block *blk, bool *found)
{
    latch_pem_reader body;
    latch_rd line;
    char end_label[LATCH_PEM_LABEL_MAX + 1];
    size_t nchars = 0;
    unsigned end_line = 0;
    bool data_seen = false;
    b64_state s;

    memset(blk, 0, sizeof *blk);
    *found = false;

    /* Skip explanatory text up to the next BEGIN line. */
    for (;;) {
        if (!take_line(r, &line)) {
            return LATCH_OK;
        }
        if (starts_with(&line, begin_mark)) {
            break;
        }
        if (starts_with(&line, end_mark)) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: PEM END line without a BEGIN line", r->name,
                              r->line);
        }
    }
    LATCH_TRY(marker_label(r, &line, begin_mark, blk->label));
    blk->line = r->line;
    body = *r;

    /* Pass 1: find the END line, count the base64 characters, read headers. */
    while (end_line == 0) {
        if (!take_line(r, &line)) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                              "%s: the PEM block '%s' that begins on line %u has no END line (truncated?)", r->name,
                              blk->label, blk->line);
        }
        if (starts_with(&line, end_mark)) {
            LATCH_TRY(marker_label(r, &line, end_mark, end_label));
            if (strcmp(end_label, blk->label) != 0) {
                return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                                  "%s line %u: END label '%s' does not match BEGIN label '%s' (line %u)", r->name,
                                  r->line, end_label, blk->label, blk->line);
            }
            end_line = r->line;
        } else if (starts_with(&line, begin_mark)) {
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                              "%s line %u: BEGIN line inside the PEM block '%s' of line %u, which has no END line",
                              r->name, r->line, blk->label, blk->line);
        } else if (!data_seen && contains(&line, ":")) {
            /* RFC 1421 encapsulated headers (traditional encrypted keys). */
            if (starts_with(&line, "Proc-Type:") && contains(&line, "ENCRYPTED")) {
                blk->encrypted = true;
            }
        } else {
            for (size_t i = 0; i < line.len; i++) {
                nchars += is_wsp(line.p[i]) ? 0 : 1;
            }
            data_seen = data_seen || line.len > 0;
        }
    }
    if (blk->encrypted) {
        /* The body is ciphertext; the caller refuses it by its flag. */
        *found = true;
        return LATCH_OK;
    }
    if (nchars == 0) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s: the PEM block '%s' on line %u is empty", r->name, blk->label,
                          blk->line);
    }
    if (nchars % 4 != 0) {
        return LATCH_FAIL(LATCH_ERR_PEM_DECODE,
                          "%s: the base64 text of the PEM block '%s' on line %u has %zu characters, not a multiple "
                          "of 4 (truncated?)",
                          r->name, blk->label, blk->line, nchars);
    }

    /* Pass 2: decode. */
    blk->der_cap = nchars / 4 * 3;
    blk->der = latch__alloc(a, blk->der_cap);
    if (blk->der == NULL) {
        blk->der_cap = 0;
        return LATCH_FAIL(LATCH_ERR_NO_MEMORY, "no memory for a %zu-byte PEM body", nchars / 4 * 3);
    }
    memset(&s, 0, sizeof s);
    s.expected = nchars;
    s.out = blk->der;
    data_seen = false;
    while (take_line(&body, &line) && body.line < end_line) {
        const char *what = NULL;

        if (!data_seen && contains(&line, ":")) {
            continue;
        }
        data_seen = data_seen || line.len > 0;
        if (!b64_line(&s, &line, &what)) {
            unsigned at = body.line;
            char c = first_bad_char(&line);

            latch_wipe(&s, sizeof s);
            latch_pem_block_free(a, blk);
            if (strcmp(what, "invalid base64 character") == 0) {
                return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: invalid base64 character '%c' in the PEM block '%s'",
                                  r->name, at, c, blk->label);
            }
            return LATCH_FAIL(LATCH_ERR_PEM_DECODE, "%s line %u: %s in the PEM block '%s'", r->name, at, what,
                              blk->label);
        }
    }
    blk->der_len = s.out_len;
    latch_wipe(&s, sizeof s);
    *found = true;
    return LATCH_OK;
}
