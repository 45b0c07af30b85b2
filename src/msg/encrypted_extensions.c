/* EncryptedExtensions (RFC 8446 §4.3.1). See msg.h. */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

/*
 * RFC 8446 §4.3.1:
 *   struct {
 *       Extension extensions<0..2^16-1>;
 *   } EncryptedExtensions;
 */
latch_err latch_encrypted_extensions_parse(latch_rd body, latch_encrypted_extensions *ee)
{
    latch_rd exts;

    ee->exts = (latch_exts){0};
    LATCH_TRY(latch_field_vec(&body, "EncryptedExtensions.extensions", 2, 0, 0xFFFF, &exts));
    LATCH_TRY(latch_field_end(&body, "EncryptedExtensions"));
    LATCH_TRY(latch_exts_parse(exts, LATCH_CTX_EE, &ee->exts));
    return LATCH_OK;
}

latch_err latch_encrypted_extensions_build(latch_wr *w, const latch_encrypted_extensions_out *ee)
{
    if (ee->alpn_wire != NULL && latch_ext_alpn_count(ee->alpn_wire, ee->alpn_len) != 1) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT,
                          "application_layer_protocol_negotiation: the answer must hold exactly one name");
    }
    if (ee->record_size_limit != 0 && ee->record_size_limit < 64) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "record_size_limit: %u is below 64 (RFC 8449 §4)",
                          ee->record_size_limit);
    }
    /* With at most 65535 bytes of groups and ALPN each, the block could
     * overflow; cap the groups so that everything fits. */
    if (ee->n_groups > 0x3FFF) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "supported_groups: %zu groups (at most 16383)", ee->n_groups);
    }
    if (ee->alpn_wire != NULL && ee->alpn_len > 256) {
        return LATCH_FAIL(LATCH_ERR_INVALID_ARGUMENT, "application_layer_protocol_negotiation: %zu bytes",
                          ee->alpn_len);
    }
    latch_msg_open(w, LATCH_HS_ENCRYPTED_EXTENSIONS);
    latch_wr_open(w, 2);
    if (ee->n_groups > 0) {
        latch_ext_groups_build(w, ee->groups, ee->n_groups);
    }
    if (ee->record_size_limit != 0) {
        latch_ext_record_size_limit_build(w, ee->record_size_limit);
    }
    if (ee->server_name_ack) {
        /* RFC 6066 §3: "the "extension_data" field of this extension SHALL be empty". */
        latch_ext_empty_build(w, LATCH_EXT_SERVER_NAME);
    }
    if (ee->alpn_wire != NULL) {
        latch_ext_alpn_build(w, ee->alpn_wire, ee->alpn_len);
    }
    if (ee->early_data) {
        latch_ext_empty_build(w, LATCH_EXT_EARLY_DATA);
    }
    latch_wr_close(w, 0, 0xFFFF);
    return latch_msg_finish(w, "EncryptedExtensions");
}
