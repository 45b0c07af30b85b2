/*
 * Handshake message framing shared by the messages, their names, and the
 * alert parser. See msg.h.
 */
#include "msg/msg.h"

#include "core/err.h"
#include "msg/field.h"

const char *latch_hs_name(uint8_t type)
{
    switch (type) {
    case LATCH_HS_HELLO_REQUEST: return "HelloRequest";
    case LATCH_HS_CLIENT_HELLO: return "ClientHello";
    case LATCH_HS_SERVER_HELLO: return "ServerHello";
    case LATCH_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
    case LATCH_HS_END_OF_EARLY_DATA: return "EndOfEarlyData";
    case LATCH_HS_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
    case LATCH_HS_CERTIFICATE: return "Certificate";
    case LATCH_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
    case LATCH_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
    case LATCH_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
    case LATCH_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
    case LATCH_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
    case LATCH_HS_FINISHED: return "Finished";
    case LATCH_HS_CERTIFICATE_STATUS: return "CertificateStatus";
    case LATCH_HS_KEY_UPDATE: return "KeyUpdate";
    case LATCH_HS_MESSAGE_HASH: return "message_hash";
    default: return "unknown";
    }
}

/*
 * RFC 8446 §4:
 *   struct {
 *       HandshakeType msg_type;    -- handshake type
 *       uint24 length;             -- remaining bytes in message
 *       select (Handshake.msg_type) { ... };
 *   } Handshake;
 */
void latch_msg_open(latch_wr *w, uint8_t type)
{
    latch_wr_u8(w, type);
    latch_wr_open(w, 3);
}

void latch_msg_close(latch_wr *w)
{
    latch_wr_close(w, 0, 0xFFFFFF);
}

latch_err latch_msg_finish(latch_wr *w, const char *what)
{
    latch_msg_close(w);
    if (w->err == LATCH_OK) {
        return LATCH_OK;
    }
    if (w->err == LATCH_ERR_BUFFER_TOO_SMALL) {
        return LATCH_FAIL(LATCH_ERR_BUFFER_TOO_SMALL, "%s: the output buffer is too small", what);
    }
    return LATCH_FAIL(w->err, "%s: a field left its RFC bounds while writing", what);
}

/*
 * RFC 8446 §6:
 *   enum { warning(1), fatal(2), (255) } AlertLevel;
 *
 *   struct {
 *       AlertLevel level;
 *       AlertDescription description;
 *   } Alert;
 */
latch_err latch_alert_parse(latch_rd body, uint8_t *level, uint8_t *description)
{
    uint8_t l, d;

    *level = 0;
    *description = 0;
    LATCH_TRY(latch_field_u8(&body, "Alert.level", &l));
    LATCH_TRY(latch_field_u8(&body, "Alert.description", &d));
    LATCH_TRY(latch_field_end(&body, "Alert"));
    if (l != LATCH_ALERT_LEVEL_WARNING && l != LATCH_ALERT_LEVEL_FATAL) {
        return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "Alert.level: %u is neither warning(1) nor fatal(2)", l);
    }
    *level = l;
    *description = d;
    return LATCH_OK;
}
