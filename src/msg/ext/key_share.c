/* key_share (RFC 8446 §4.2.8). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.8:
 *   struct {
 *       NamedGroup group;
 *       opaque key_exchange<1..2^16-1>;
 *   } KeyShareEntry;
 */
static latch_err read_entry(latch_rd *r, latch_key_share *e)
{
    uint16_t group;
    latch_rd kx;

    LATCH_TRY(latch_field_u16(r, "KeyShareEntry.group", &group));
    LATCH_TRY(latch_field_vec(r, "KeyShareEntry.key_exchange", 2, 1, 0xFFFF, &kx));
    e->group = group;
    e->key_exchange = kx;
    return LATCH_OK;
}

/*
 *   struct {
 *       KeyShareEntry client_shares<0..2^16-1>;
 *   } KeyShareClientHello;
 */
latch_err latch_ext_key_share_ch_parse(latch_rd data, latch_key_shares *out)
{
    latch_rd list;
    size_t n = 0;

    out->n = 0;
    LATCH_TRY(latch_field_vec(&data, "key_share.client_shares", 2, 0, 0xFFFF, &list));
    LATCH_TRY(latch_field_end(&data, "key_share"));
    while (!latch_rd_empty(&list)) {
        latch_key_share e;

        if (n == LATCH_MAX_KEY_SHARES) {
            return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "key_share.client_shares: more than %d entries",
                              LATCH_MAX_KEY_SHARES);
        }
        LATCH_TRY(read_entry(&list, &e));
        for (size_t i = 0; i < n; i++) {
            if (out->e[i].group == e.group) {
                /* RFC 8446 §4.2.8: "Clients MUST NOT offer multiple
                 * KeyShareEntry values for the same group. ... Servers MAY
                 * check for violations of these rules and abort the
                 * handshake with an "illegal_parameter" alert". */
                return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "key_share.client_shares: group 0x%04x twice",
                                  e.group);
            }
        }
        out->e[n++] = e;
    }
    out->n = n;
    return LATCH_OK;
}

/*
 *   struct {
 *       KeyShareEntry server_share;
 *   } KeyShareServerHello;
 */
latch_err latch_ext_key_share_sh_parse(latch_rd data, latch_key_share *out)
{
    latch_key_share e;

    *out = (latch_key_share){0};
    LATCH_TRY(read_entry(&data, &e));
    LATCH_TRY(latch_field_end(&data, "key_share.server_share"));
    *out = e;
    return LATCH_OK;
}

/*
 *   struct {
 *       NamedGroup selected_group;
 *   } KeyShareHelloRetryRequest;
 */
latch_err latch_ext_key_share_hrr_parse(latch_rd data, uint16_t *group)
{
    uint16_t g;

    *group = 0;
    LATCH_TRY(latch_field_u16(&data, "key_share.selected_group", &g));
    LATCH_TRY(latch_field_end(&data, "key_share.selected_group"));
    *group = g;
    return LATCH_OK;
}

static void write_entry(latch_wr *w, uint16_t group, const uint8_t *kx, size_t len)
{
    latch_wr_u16(w, group);
    latch_wr_open(w, 2);
    latch_wr_bytes(w, kx, len);
    latch_wr_close(w, 1, 0xFFFF); /* key_exchange<1..2^16-1> */
}

void latch_ext_key_share_ch_build_grease(latch_wr *w, uint16_t grease, const latch_key_share *shares, size_t n)
{
    static const uint8_t zero = 0;

    latch_wr_u16(w, LATCH_EXT_KEY_SHARE);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    if (grease != 0) {
        write_entry(w, grease, &zero, 1); /* RFC 8701 §3.1: a GREASE group with a 1-byte share */
    }
    for (size_t i = 0; i < n; i++) {
        write_entry(w, shares[i].group, shares[i].key_exchange.p, shares[i].key_exchange.len);
    }
    latch_wr_close(w, 0, 0xFFFF); /* client_shares<0..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}

void latch_ext_key_share_ch_build(latch_wr *w, const latch_key_share *shares, size_t n)
{
    latch_ext_key_share_ch_build_grease(w, 0, shares, n);
}

void latch_ext_key_share_sh_build(latch_wr *w, uint16_t group, const uint8_t *pub, size_t pub_len)
{
    latch_wr_u16(w, LATCH_EXT_KEY_SHARE);
    latch_wr_open(w, 2);
    write_entry(w, group, pub, pub_len);
    latch_wr_close(w, 0, 0xFFFF);
}

void latch_ext_key_share_hrr_build(latch_wr *w, uint16_t group)
{
    latch_wr_u16(w, LATCH_EXT_KEY_SHARE);
    latch_wr_open(w, 2);
    latch_wr_u16(w, group);
    latch_wr_close(w, 2, 2);
}
