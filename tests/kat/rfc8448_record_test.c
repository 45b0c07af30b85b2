/*
 * Record layer against RFC 8448: every record the traces list, in every
 * section (3 simple 1-RTT, 4 resumed 0-RTT, 5 HelloRetryRequest, 6 client
 * authentication, 7 compatibility mode).
 *
 * Protected records: open the listed "complete record" with the key and IV
 * the trace derives for that direction and phase, at the record's sequence
 * number, and expect the listed "payload" and content type; then seal the
 * payload with the same key, IV and sequence number and expect the complete
 * record byte for byte. Plaintext records (ClientHello, ServerHello,
 * HelloRetryRequest, change_cipher_spec): the same with no protection, which
 * checks the record versions (0x0301 for an initial ClientHello, 0x0303 for
 * the second one after HelloRetryRequest).
 *
 * Keys and records both come from the RFC text (tests/support/rfc8448.h); the
 * suite is TLS_AES_128_GCM_SHA256 throughout.
 */
#include "harness.h"
#include "record/record.h"
#include "rfc8448.h"

#include <latch/provider.h>
#include <string.h>

/* Where a direction's keys are printed in the trace. */
typedef struct keys {
    const char *role;
    const char *step;
} keys;

/* Macros, not const objects: C does not take a const object as a static initializer. */
#define CLIENT_EARLY {"client", "derive write traffic keys for early application data"}
#define SERVER_HS {"server", "derive write traffic keys for handshake data"}
#define SERVER_AP {"server", "derive write traffic keys for application data"}
#define CLIENT_AP {"client", "derive write traffic keys for application data"}
/* The client's handshake keys are printed by the server (as its read keys), except in section 4. */
#define CLIENT_HS_BY_SERVER {"server", "derive read traffic keys for handshake data"}
#define CLIENT_HS {"client", "derive write traffic keys for handshake data"}
#define CLEAR {NULL, NULL}

#define HS "send handshake record"
#define AD "send application_data record"
#define AL "send alert record"
#define CC "send change_cipher_spec record"

typedef struct kat_rec {
    int section;
    const char *role; /* the sender */
    const char *step; /* HS, AD, AL or CC */
    int nth;          /* which record of that step and role */
    uint8_t type;     /* content type (inner type when protected) */
    keys k;           /* CLEAR for a plaintext record */
    uint64_t seq;     /* sequence number under k */
    uint16_t version; /* plaintext records: the record version */
} kat_rec;

static const kat_rec recs[] = {
    /* 3. Simple 1-RTT Handshake */
    {3, "client", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0301}, /* ClientHello */
    {3, "server", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303}, /* ServerHello */
    {3, "server", HS, 1, LATCH_CT_HANDSHAKE, SERVER_HS, 0, 0},  /* EE, Certificate, CV, Finished */
    {3, "client", HS, 1, LATCH_CT_HANDSHAKE, CLIENT_HS_BY_SERVER, 0, 0}, /* Finished */
    {3, "server", HS, 2, LATCH_CT_HANDSHAKE, SERVER_AP, 0, 0},  /* NewSessionTicket */
    {3, "client", AD, 0, LATCH_CT_APPLICATION_DATA, CLIENT_AP, 0, 0},
    {3, "server", AD, 0, LATCH_CT_APPLICATION_DATA, SERVER_AP, 1, 0},
    {3, "client", AL, 0, LATCH_CT_ALERT, CLIENT_AP, 1, 0},
    {3, "server", AL, 0, LATCH_CT_ALERT, SERVER_AP, 2, 0},

    /* 4. Resumed 0-RTT Handshake */
    {4, "client", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0301},
    {4, "client", AD, 0, LATCH_CT_APPLICATION_DATA, CLIENT_EARLY, 0, 0}, /* 0-RTT data */
    {4, "server", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303},
    {4, "server", HS, 1, LATCH_CT_HANDSHAKE, SERVER_HS, 0, 0},
    {4, "client", HS, 1, LATCH_CT_HANDSHAKE, CLIENT_EARLY, 1, 0}, /* EndOfEarlyData, under the early key */
    {4, "client", HS, 2, LATCH_CT_HANDSHAKE, CLIENT_HS, 0, 0},    /* Finished */
    {4, "client", AD, 1, LATCH_CT_APPLICATION_DATA, CLIENT_AP, 0, 0},
    {4, "server", AD, 0, LATCH_CT_APPLICATION_DATA, SERVER_AP, 0, 0},
    {4, "client", AL, 0, LATCH_CT_ALERT, CLIENT_AP, 1, 0},
    {4, "server", AL, 0, LATCH_CT_ALERT, SERVER_AP, 1, 0},

    /* 5. HelloRetryRequest */
    {5, "client", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0301}, /* ClientHello */
    {5, "server", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303}, /* HelloRetryRequest */
    {5, "client", HS, 1, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303}, /* second ClientHello: 0x0303 (RFC 8446 §5.1) */
    {5, "server", HS, 1, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303}, /* ServerHello */
    {5, "server", HS, 2, LATCH_CT_HANDSHAKE, SERVER_HS, 0, 0},
    {5, "client", HS, 2, LATCH_CT_HANDSHAKE, CLIENT_HS_BY_SERVER, 0, 0},
    {5, "client", AL, 0, LATCH_CT_ALERT, CLIENT_AP, 0, 0},
    {5, "server", AL, 0, LATCH_CT_ALERT, SERVER_AP, 0, 0},

    /* 6. Client Authentication */
    {6, "client", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0301},
    {6, "server", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303},
    {6, "server", HS, 1, LATCH_CT_HANDSHAKE, SERVER_HS, 0, 0}, /* ... CertificateRequest ... */
    {6, "client", HS, 1, LATCH_CT_HANDSHAKE, CLIENT_HS_BY_SERVER, 0, 0}, /* Certificate, CV, Finished */
    {6, "client", AL, 0, LATCH_CT_ALERT, CLIENT_AP, 0, 0},
    {6, "server", AL, 0, LATCH_CT_ALERT, SERVER_AP, 0, 0},

    /* 7. Compatibility Mode */
    {7, "client", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0301},
    {7, "server", HS, 0, LATCH_CT_HANDSHAKE, CLEAR, 0, 0x0303},
    {7, "server", CC, 0, LATCH_CT_CHANGE_CIPHER_SPEC, CLEAR, 0, 0x0303},
    {7, "server", HS, 1, LATCH_CT_HANDSHAKE, SERVER_HS, 0, 0},
    {7, "client", CC, 0, LATCH_CT_CHANGE_CIPHER_SPEC, CLEAR, 0, 0x0303},
    {7, "client", HS, 1, LATCH_CT_HANDSHAKE, CLIENT_HS_BY_SERVER, 0, 0},
    {7, "client", AL, 0, LATCH_CT_ALERT, CLIENT_AP, 0, 0},
    {7, "server", AL, 0, LATCH_CT_ALERT, SERVER_AP, 0, 0},
};

static const latch_aead_alg *aes128gcm(void)
{
    return latch_provider_aead(latch_provider_openssl(), LATCH_AEAD_AES_128_GCM);
}

/* Install the trace's key and IV for k into d. */
static latch_err set_keys(latch_rec_dir *d, int section, keys k, bool encrypt)
{
    size_t key_len, iv_len;
    const uint8_t *key = rfc8448(section, k.role, k.step, "key expanded", 0, &key_len);
    const uint8_t *iv = rfc8448(section, k.role, k.step, "iv expanded", 0, &iv_len);

    if (key_len != 16 || iv_len != 12) {
        return LATCH_ERR_INTERNAL;
    }
    return latch_rec_dir_set13(d, aes128gcm(), key, iv, encrypt);
}

static void check_one(const kat_rec *t)
{
    size_t payload_len, complete_len, rec_len = 0;
    const uint8_t *payload = rfc8448(t->section, t->role, t->step, "payload", t->nth, &payload_len);
    const uint8_t *complete = rfc8448(t->section, t->role, t->step, "complete record", t->nth, &complete_len);
    uint8_t buf[LATCH_REC_BUF_MAX];
    latch_rec_dir d = {0};
    latch_rec_hdr h;
    latch_rd plain;
    uint8_t type = 0;
    bool prot = (t->k.role != NULL);

    fprintf(stderr, "  section %d, %s %s #%d (%zu-byte payload)\n", t->section, t->role, t->step, t->nth,
            payload_len);
    REQUIRE(complete_len <= sizeof buf);

    /* The header parses within the limit of its state. */
    CHECK_OK(latch_rec_header(complete, complete_len, prot ? LATCH_REC_MAX_CIPHER13 : LATCH_REC_MAX_PLAIN, &h));
    CHECK_EQ(h.len, complete_len - LATCH_REC_HDR_LEN);

    /* Open. */
    memcpy(buf, complete, complete_len);
    if (prot) {
        REQUIRE_OK(set_keys(&d, t->section, t->k, false));
        d.seq = t->seq;
    }
    CHECK_OK(latch_rec_open(&d, buf, complete_len, &type, &plain));
    CHECK_EQ(type, t->type);
    CHECK_MEM(plain.p, plain.len, payload, payload_len);
    CHECK_OK(latch_rec_check_content(type, plain));
    CHECK(d.seq == (prot ? t->seq + 1 : 0));
    latch_rec_dir_clear(&d);

    /* Seal the payload again: the same record, byte for byte. */
    memset(buf, 0xEE, sizeof buf);
    if (prot) {
        REQUIRE_OK(set_keys(&d, t->section, t->k, true));
        d.seq = t->seq;
    } else {
        d.version = t->version;
    }
    REQUIRE(latch_rec_prefix(&d) == LATCH_REC_HDR_LEN);
    memcpy(buf + LATCH_REC_HDR_LEN, payload, payload_len);
    CHECK_OK(latch_rec_seal(&d, t->type, buf, payload_len, 0, sizeof buf, &rec_len));
    CHECK_MEM(buf, rec_len, complete, complete_len);
    CHECK(rec_len == LATCH_REC_HDR_LEN + payload_len + latch_rec_suffix(&d, 0));
    CHECK(d.seq == (prot ? t->seq + 1 : 0));
    latch_rec_dir_clear(&d);
}

static void test_all_records(void)
{
    REQUIRE(aes128gcm() != NULL);
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        check_one(&recs[i]);
    }
}

/* The trace has no record this table forgets: count the complete records per section. */
static void test_table_is_complete(void)
{
    static const char *const roles[] = {"client", "server"};
    static const char *const steps[] = {HS, AD, AL, CC};

    for (int section = 3; section <= 7; section++) {
        size_t listed = 0, in_trace = 0;

        for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
            listed += (recs[i].section == section);
        }
        for (size_t r = 0; r < 2; r++) {
            for (size_t s = 0; s < 4; s++) {
                for (int n = 0; rfc8448_try(section, roles[r], steps[s], "complete record", n, NULL) != NULL; n++) {
                    in_trace++;
                }
            }
        }
        CHECK_EQ(listed, in_trace);
    }
}

/* One bit flipped anywhere in a traced record (header, ciphertext, tag) fails with bad_record_mac, and so does
 * the right record at the wrong sequence number. */
static void test_trace_tampering(void)
{
    size_t complete_len;
    const uint8_t *complete = rfc8448(3, "client", HS, "complete record", 1, &complete_len);
    uint8_t buf[128];
    latch_rec_dir d = {0};
    latch_rd plain;
    uint8_t type;

    REQUIRE(complete_len <= sizeof buf);
    REQUIRE_OK(set_keys(&d, 3, (keys)CLIENT_HS_BY_SERVER, false));
    for (size_t i = 0; i < complete_len; i++) {
        memcpy(buf, complete, complete_len);
        buf[i] ^= 0x01;
        if (i == 0) {
            /* 23 -> 22: a plaintext type where a protected record must come. */
            CHECK_ERR(latch_rec_open(&d, buf, complete_len, &type, &plain), LATCH_ERR_UNEXPECTED_RECORD);
        } else if (i == 1) {
            /* major version 3 -> 2 */
            CHECK_ERR(latch_rec_open(&d, buf, complete_len, &type, &plain), LATCH_ERR_RECORD_BAD_VERSION);
        } else if (i == 3 || i == 4) {
            /* The length no longer matches the buffer. */
            CHECK_ERR(latch_rec_open(&d, buf, complete_len, &type, &plain), LATCH_ERR_INVALID_ARGUMENT);
        } else {
            /* The minor version (AAD), the ciphertext and the tag are all authenticated. */
            CHECK_ERR(latch_rec_open(&d, buf, complete_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
        }
        CHECK(d.seq == 0);
    }
    memcpy(buf, complete, complete_len);
    d.seq = 1;
    CHECK_ERR(latch_rec_open(&d, buf, complete_len, &type, &plain), LATCH_ERR_BAD_RECORD_MAC);
    d.seq = 0;
    memcpy(buf, complete, complete_len);
    CHECK_OK(latch_rec_open(&d, buf, complete_len, &type, &plain));
    latch_rec_dir_clear(&d);
}

static const latch_test cases[] = {
    TEST(test_all_records),
    TEST(test_table_is_complete),
    TEST(test_trace_tampering),
    {0},
};

LATCH_TEST_MAIN(cases)
