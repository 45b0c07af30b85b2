/* pre_shared_key (RFC 8446 §4.2.11). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.2.11:
 *   struct {
 *       opaque identity<1..2^16-1>;
 *       uint32 obfuscated_ticket_age;
 *   } PskIdentity;
 *
 *   opaque PskBinderEntry<32..255>;
 *
 *   struct {
 *       PskIdentity identities<7..2^16-1>;
 *       PskBinderEntry binders<33..2^16-1>;
 *   } OfferedPsks;
 *
 *   struct {
 *       select (Handshake.msg_type) {
 *           case client_hello: OfferedPsks;
 *           case server_hello: uint16 selected_identity;
 *       };
 *   } PreSharedKeyExtension;
 */
latch_err latch_ext_psk_ch_parse(latch_rd data, latch_offered_psks *out)
{
    latch_rd ids, binders;
    size_t n = 0, nb = 0, binders_total;

    out->n = 0;
    out->binders_len = 0;
    LATCH_TRY(latch_field_vec(&data, "pre_shared_key.identities", 2, 7, 0xFFFF, &ids));
    LATCH_TRY(latch_field_vec(&data, "pre_shared_key.binders", 2, 33, 0xFFFF, &binders));
    LATCH_TRY(latch_field_end(&data, "pre_shared_key"));
    binders_total = binders.len;
    while (!latch_rd_empty(&ids)) {
        latch_rd id;
        uint32_t age;

        if (n == LATCH_MAX_PSK_IDENTITIES) {
            return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "pre_shared_key.identities: more than %d entries",
                              LATCH_MAX_PSK_IDENTITIES);
        }
        LATCH_TRY(latch_field_vec(&ids, "PskIdentity.identity", 2, 1, 0xFFFF, &id));
        LATCH_TRY(latch_field_u32(&ids, "PskIdentity.obfuscated_ticket_age", &age));
        out->e[n].identity = id;
        out->e[n].obfuscated_ticket_age = age;
        out->e[n].binder = (latch_rd){0};
        n++;
    }
    while (!latch_rd_empty(&binders)) {
        latch_rd b;

        LATCH_TRY(latch_field_vec(&binders, "pre_shared_key.PskBinderEntry", 1, 32, 255, &b));
        /* RFC 8446 §4.2.11: one binder per identity, in the same order. */
        LATCH_ENSURE(nb < n, LATCH_ERR_ILLEGAL_PARAMETER, "pre_shared_key: more binders than identities");
        out->e[nb++].binder = b;
    }
    LATCH_ENSURE(nb == n, LATCH_ERR_ILLEGAL_PARAMETER, "pre_shared_key: fewer binders than identities");
    out->n = n;
    out->binders_len = 2 + binders_total;
    return LATCH_OK;
}

latch_err latch_ext_psk_sh_parse(latch_rd data, uint16_t *selected)
{
    uint16_t v;

    *selected = 0;
    LATCH_TRY(latch_field_u16(&data, "pre_shared_key.selected_identity", &v));
    LATCH_TRY(latch_field_end(&data, "pre_shared_key"));
    *selected = v;
    return LATCH_OK;
}

size_t latch_ext_psk_binders_len(const latch_psk_identity *psks, size_t n)
{
    size_t len = 2;

    for (size_t i = 0; i < n; i++) {
        len += 1 + psks[i].binder.len;
    }
    return len;
}

void latch_ext_psk_ch_build(latch_wr *w, const latch_psk_identity *psks, size_t n)
{
    latch_wr_u16(w, LATCH_EXT_PRE_SHARED_KEY);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    for (size_t i = 0; i < n; i++) {
        latch_wr_open(w, 2);
        latch_wr_bytes(w, psks[i].identity.p, psks[i].identity.len);
        latch_wr_close(w, 1, 0xFFFF); /* identity<1..2^16-1> */
        latch_wr_u32(w, psks[i].obfuscated_ticket_age);
    }
    latch_wr_close(w, 7, 0xFFFF); /* identities<7..2^16-1> */
    latch_wr_open(w, 2);
    for (size_t i = 0; i < n; i++) {
        /* Zeros for now: the binder covers the message up to here (§4.2.11.2). */
        latch_wr_open(w, 1);
        latch_wr_zeros(w, psks[i].binder.len);
        latch_wr_close(w, 32, 255); /* PskBinderEntry<32..255> */
    }
    latch_wr_close(w, 33, 0xFFFF); /* binders<33..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}

void latch_ext_psk_sh_build(latch_wr *w, uint16_t selected)
{
    latch_wr_u16(w, LATCH_EXT_PRE_SHARED_KEY);
    latch_wr_open(w, 2);
    latch_wr_u16(w, selected);
    latch_wr_close(w, 2, 2);
}
