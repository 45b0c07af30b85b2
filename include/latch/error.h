/*
 * latch/error.h - error codes, error classes and TLS alerts.
 *
 * Every fallible latch function returns a latch_err. LATCH_OK (0) is success;
 * the codes of class LATCH_CLASS_WANT are not failures but requests to do I/O
 * and call again. Every other code is a failure with a fixed human text
 * (latch_err_str) and, when it ends a connection, a TLS alert derived from the
 * code (latch_err_alert). The codes are listed in <latch/errors.def> and in
 * docs/ERRORS.md.
 */
#ifndef LATCH_ERROR_H
#define LATCH_ERROR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LATCH_API __attribute__((visibility("default")))
#define LATCH_MUST_CHECK __attribute__((warn_unused_result))
#else
#define LATCH_API
#define LATCH_MUST_CHECK
#endif

/** Deliberately discard a latch_err (for best-effort calls such as a final flush). */
#define LATCH_IGNORE(expr)                                                  \
    do {                                                                    \
        latch_err latch_ignored_ = (expr);                                  \
        (void)latch_ignored_;                                               \
    } while (0)

/** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2), IANA values. */
typedef enum latch_alert {
    LATCH_ALERT_CLOSE_NOTIFY = 0,
    LATCH_ALERT_UNEXPECTED_MESSAGE = 10,
    LATCH_ALERT_BAD_RECORD_MAC = 20,
    LATCH_ALERT_DECRYPTION_FAILED = 21,
    LATCH_ALERT_RECORD_OVERFLOW = 22,
    LATCH_ALERT_HANDSHAKE_FAILURE = 40,
    LATCH_ALERT_BAD_CERTIFICATE = 42,
    LATCH_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    LATCH_ALERT_CERTIFICATE_REVOKED = 44,
    LATCH_ALERT_CERTIFICATE_EXPIRED = 45,
    LATCH_ALERT_CERTIFICATE_UNKNOWN = 46,
    LATCH_ALERT_ILLEGAL_PARAMETER = 47,
    LATCH_ALERT_UNKNOWN_CA = 48,
    LATCH_ALERT_ACCESS_DENIED = 49,
    LATCH_ALERT_DECODE_ERROR = 50,
    LATCH_ALERT_DECRYPT_ERROR = 51,
    LATCH_ALERT_PROTOCOL_VERSION = 70,
    LATCH_ALERT_INSUFFICIENT_SECURITY = 71,
    LATCH_ALERT_INTERNAL_ERROR = 80,
    LATCH_ALERT_INAPPROPRIATE_FALLBACK = 86,
    LATCH_ALERT_USER_CANCELED = 90,
    LATCH_ALERT_NO_RENEGOTIATION = 100,
    LATCH_ALERT_MISSING_EXTENSION = 109,
    LATCH_ALERT_UNSUPPORTED_EXTENSION = 110,
    LATCH_ALERT_UNRECOGNIZED_NAME = 112,
    LATCH_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    LATCH_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    LATCH_ALERT_CERTIFICATE_REQUIRED = 116,
    LATCH_ALERT_NO_APPLICATION_PROTOCOL = 120,
    /** Not a wire value: no alert is sent for this error. */
    LATCH_ALERT_NONE = 255
} latch_alert;

/** Error classes: who or what failed. */
typedef enum latch_err_class_t {
    LATCH_CLASS_NONE = 0,   /**< LATCH_OK */
    LATCH_CLASS_WANT,       /**< not a failure: do I/O and call again */
    LATCH_CLASS_USAGE,      /**< the application misused the API */
    LATCH_CLASS_DECODE,     /**< the peer sent bytes that do not parse */
    LATCH_CLASS_PROTOCOL,   /**< the peer broke the protocol */
    LATCH_CLASS_PEER_ALERT, /**< the peer sent a fatal alert */
    LATCH_CLASS_CERT,       /**< certificate verification failed */
    LATCH_CLASS_CRYPTO,     /**< the crypto provider failed */
    LATCH_CLASS_INTERNAL,   /**< latch itself failed (bug or out of memory) */
    LATCH_CLASS_CLOSED      /**< the connection is closed */
} latch_err_class_t;

/** Error codes. See <latch/errors.def> for the full list with texts. */
typedef enum latch_err {
    LATCH_OK = 0,
#define E(name, cls, alert, text) LATCH_ERR_##name,
#include <latch/errors.def>
#undef E
    LATCH_ERR__COUNT
} latch_err;

/** \brief A fixed English sentence describing \p e (never NULL). */
LATCH_API const char *latch_err_str(latch_err e);

/** \brief The code's name without prefix, e.g. "CERT_EXPIRED" (never NULL). */
LATCH_API const char *latch_err_name(latch_err e);

/** \brief The class of \p e; LATCH_CLASS_NONE for LATCH_OK. */
LATCH_API latch_err_class_t latch_err_class(latch_err e);

/** \brief The alert latch sends when \p e ends a connection, or LATCH_ALERT_NONE. */
LATCH_API latch_alert latch_err_alert(latch_err e);

/** Where and why an operation failed. */
typedef struct latch_error_info {
    latch_err code;       /**< LATCH_OK when nothing failed */
    uint8_t alert;        /**< alert sent (or received, for LATCH_ERR_PEER_ALERT); LATCH_ALERT_NONE if none */
    const char *file;     /**< source file that detected the failure (NULL if unknown) */
    int line;             /**< and its line */
    const char *detail;   /**< a specific sentence, e.g. which name did not match (never NULL) */
} latch_error_info;

/**
 * \brief The calling thread's most recent failure in any latch call (config
 * setters, loaders, connection calls). Valid until the thread's next latch
 * call. For connections prefer latch_conn_error(), which is sticky.
 */
LATCH_API const latch_error_info *latch_last_error(void);

/** \brief The RFC name of an alert, e.g. "bad_certificate"; "unknown" if not known. */
LATCH_API const char *latch_alert_str(uint8_t alert);

#ifdef __cplusplus
}
#endif
#endif
