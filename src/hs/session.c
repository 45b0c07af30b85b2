/*
 * Session encoding. The format, all integers big-endian:
 *
 *   "LTS" 0x01                      magic and format version
 *   uint16 version; uint16 suite
 *   opaque secret<1..64>
 *   uint64 issued; uint32 lifetime; uint32 age_add; uint32 max_early_data
 *   uint8 flags                     bit 0: ems, bit 1: external PSK, bit 2: peer verified
 *   opaque alpn<0..255>; opaque sni<0..255>; opaque sid<0..32>
 *   opaque ticket<0..LATCH_TICKET_MAX>
 *
 * It is read back through latch_rd with every length checked, because
 * exported sessions come back from files the application stores.
 */
#include "hs/session.h"

#include "core/err.h"

#include <latch/provider.h>
#include <string.h>

static const uint8_t magic[4] = {'L', 'T', 'S', 1};

latch_err latch_session_encode(const latch_session *s, bool include_ticket, latch_wr *w)
{
    LATCH_ENSURE(s->secret.len > 0, LATCH_ERR_INVALID_ARGUMENT, "a session without a secret");
    latch_wr_bytes(w, magic, sizeof magic);
    latch_wr_u16(w, s->version);
    latch_wr_u16(w, s->suite);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, s->secret.b, s->secret.len);
    latch_wr_close(w, 1, LATCH_SECRET_MAX);
    latch_wr_u64(w, (uint64_t)s->issued);
    latch_wr_u32(w, s->lifetime);
    latch_wr_u32(w, s->age_add);
    latch_wr_u32(w, s->max_early_data);
    latch_wr_u8(w, (uint8_t)((s->ems ? 1 : 0) | (s->external ? 2 : 0) | (s->verified ? 4 : 0)));
    latch_wr_open(w, 1);
    latch_wr_bytes(w, (const uint8_t *)s->alpn, s->alpn_len);
    latch_wr_close(w, 0, 255);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, (const uint8_t *)s->sni, s->sni_len);
    latch_wr_close(w, 0, 255);
    latch_wr_open(w, 1);
    latch_wr_bytes(w, s->sid, s->sid_len);
    latch_wr_close(w, 0, LATCH_SESSION_ID_MAX);
    latch_wr_open(w, 2);
    if (include_ticket) {
        latch_wr_bytes(w, s->ticket, s->ticket_len);
    }
    latch_wr_close(w, 0, LATCH_TICKET_MAX);
    return latch_wr_finish(w);
}

static latch_err decode(latch_rd r, latch_session *s)
{
    uint8_t m[4], flags;
    uint64_t issued;
    latch_rd v;

    memset(s, 0, sizeof *s);
    LATCH_ENSURE(latch_rd_copy(&r, m, sizeof m) == LATCH_OK && memcmp(m, magic, sizeof m) == 0, LATCH_ERR_DECODE,
                 "not a latch session (bad magic or format version)");
    LATCH_TRY(latch_rd_u16(&r, &s->version));
    LATCH_TRY(latch_rd_u16(&r, &s->suite));
    LATCH_ENSURE(s->version == LATCH_TLS12 || s->version == LATCH_TLS13, LATCH_ERR_DECODE,
                 "session of an unknown protocol version");
    LATCH_TRY(latch_rd_vec(&r, 1, 1, LATCH_SECRET_MAX, &v));
    latch_secret_set(&s->secret, v.p, v.len);
    LATCH_TRY(latch_rd_u64(&r, &issued));
    LATCH_ENSURE(issued <= (uint64_t)LATCH_TIME_MAX, LATCH_ERR_DECODE, "session issued at an impossible time");
    s->issued = (int64_t)issued;
    LATCH_TRY(latch_rd_u32(&r, &s->lifetime));
    LATCH_TRY(latch_rd_u32(&r, &s->age_add));
    LATCH_TRY(latch_rd_u32(&r, &s->max_early_data));
    LATCH_TRY(latch_rd_u8(&r, &flags));
    LATCH_ENSURE((flags & ~7u) == 0, LATCH_ERR_DECODE, "session with unknown flags");
    s->ems = (flags & 1) != 0;
    s->external = (flags & 2) != 0;
    s->verified = (flags & 4) != 0;
    LATCH_TRY(latch_rd_vec(&r, 1, 0, 255, &v));
    if (v.len > 0) {
        memcpy(s->alpn, v.p, v.len);
    }
    s->alpn_len = (uint8_t)v.len;
    LATCH_TRY(latch_rd_vec(&r, 1, 0, 255, &v));
    if (v.len > 0) {
        memcpy(s->sni, v.p, v.len);
    }
    s->sni_len = (uint8_t)v.len;
    LATCH_TRY(latch_rd_vec(&r, 1, 0, LATCH_SESSION_ID_MAX, &v));
    if (v.len > 0) {
        memcpy(s->sid, v.p, v.len);
    }
    s->sid_len = (uint8_t)v.len;
    LATCH_TRY(latch_rd_vec(&r, 2, 0, LATCH_TICKET_MAX, &v));
    if (v.len > 0) {
        memcpy(s->ticket, v.p, v.len);
    }
    s->ticket_len = (uint16_t)v.len;
    LATCH_ENSURE(latch_rd_end(&r) == LATCH_OK, LATCH_ERR_DECODE, "trailing bytes after the session");
    return LATCH_OK;
}

latch_err latch_session_decode(latch_rd r, latch_session *s)
{
    latch_err e = decode(r, s);

    if (e != LATCH_OK) {
        latch_session_wipe(s);
    }
    return e;
}

bool latch_session_fresh(const latch_session *s, int64_t now)
{
    if (s->external) {
        return s->secret.len > 0;
    }
    /* Times outside LATCH_TIME_MAX (decode and latch__config_now keep them in) are never fresh. */
    if (s->secret.len == 0 || now < 0 || now > LATCH_TIME_MAX || s->issued < 0 || s->issued > LATCH_TIME_MAX) {
        return false;
    }
    /* A clock that went backwards by more than a minute invalidates the session too. */
    return now + 60 >= s->issued && now - s->issued < (int64_t)s->lifetime;
}

void latch_session_wipe(latch_session *s)
{
    latch_wipe(s, sizeof *s);
}
