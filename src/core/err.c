/* Error table (generated from errors.def) and thread-local failure record. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct err_row {
    const char *name;
    const char *text;
    latch_err_class_t cls;
    latch_alert alert;
} err_row;

static const err_row err_table[LATCH_ERR__COUNT] = {
    [LATCH_OK] = {"OK", "success", LATCH_CLASS_NONE, LATCH_ALERT_NONE},
#define E(name, cls, alert, text) \
    [LATCH_ERR_##name] = {#name, text, LATCH_CLASS_##cls, LATCH_ALERT_##alert},
#include <latch/errors.def>
#undef E
};

static const err_row *row(latch_err e)
{
    if ((unsigned)e >= (unsigned)LATCH_ERR__COUNT) {
        return &err_table[LATCH_ERR_INTERNAL];
    }
    return &err_table[e];
}

const char *latch_err_str(latch_err e)
{
    return row(e)->text;
}

const char *latch_err_name(latch_err e)
{
    return row(e)->name;
}

latch_err_class_t latch_err_class(latch_err e)
{
    return row(e)->cls;
}

latch_alert latch_err_alert(latch_err e)
{
    return row(e)->alert;
}

const char *latch_alert_str(uint8_t alert)
{
    switch (alert) {
    case LATCH_ALERT_CLOSE_NOTIFY: return "close_notify";
    case LATCH_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case LATCH_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case LATCH_ALERT_DECRYPTION_FAILED: return "decryption_failed";
    case LATCH_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case LATCH_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case LATCH_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case LATCH_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case LATCH_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case LATCH_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case LATCH_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case LATCH_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case LATCH_ALERT_UNKNOWN_CA: return "unknown_ca";
    case LATCH_ALERT_ACCESS_DENIED: return "access_denied";
    case LATCH_ALERT_DECODE_ERROR: return "decode_error";
    case LATCH_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case LATCH_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case LATCH_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case LATCH_ALERT_INTERNAL_ERROR: return "internal_error";
    case LATCH_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case LATCH_ALERT_USER_CANCELED: return "user_canceled";
    case LATCH_ALERT_NO_RENEGOTIATION: return "no_renegotiation";
    case LATCH_ALERT_MISSING_EXTENSION: return "missing_extension";
    case LATCH_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case LATCH_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case LATCH_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: return "bad_certificate_status_response";
    case LATCH_ALERT_UNKNOWN_PSK_IDENTITY: return "unknown_psk_identity";
    case LATCH_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case LATCH_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return "unknown";
    }
}

static _Thread_local latch_errloc last;

void latch__err_clear(void)
{
    last.code = LATCH_OK;
    last.file = NULL;
    last.line = 0;
    last.detail[0] = '\0';
}

static void record(latch_err code, const char *file, int line)
{
    last.code = code;
    last.file = file;
    last.line = line;
    last.detail[0] = '\0';
}

latch_err latch__fail(latch_err code, const char *file, int line, const char *detail)
{
    if (latch_err_class(code) == LATCH_CLASS_WANT) {
        return code;
    }
    record(code, file, line);
    if (detail != NULL) {
        snprintf(last.detail, sizeof last.detail, "%s", detail);
    }
    return code;
}

latch_err latch__failf(latch_err code, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (latch_err_class(code) == LATCH_CLASS_WANT) {
        return code;
    }
    record(code, file, line);
    va_start(ap, fmt);
    vsnprintf(last.detail, sizeof last.detail, fmt, ap);
    va_end(ap);
    return code;
}

latch_err latch__pass(latch_err code, const char *file, int line)
{
    if (latch_err_class(code) != LATCH_CLASS_WANT && last.code != code) {
        record(code, file, line);
    }
    return code;
}

const latch_errloc *latch__err_last(void)
{
    return &last;
}
