/*
 * Tests for the transcript hash (src/hs/transcript.c): whole-message input,
 * parallel hashes and selection, non-destructive reads, and the
 * HelloRetryRequest rule against Hash(message_hash || ...) computed here with
 * the hash functions directly.
 */
#include "harness.h"
#include "hs/transcript.h"
#include "rfc8448.h"

#include <stdlib.h>
#include <string.h>

static const latch_hash_alg *hash_alg(uint8_t id)
{
    const latch_hash_alg *h = latch_provider_hash(latch_provider_openssl(), id);

    if (h == NULL) {
        fprintf(stderr, "provider lacks hash %u\n", id);
        abort();
    }
    return h;
}

/* Hash of the concatenation of up to four byte strings, computed directly. */
static void ref_hash(const latch_hash_alg *h, const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
                     const uint8_t *c, size_t nc, const uint8_t *d, size_t nd, uint8_t *out)
{
    latch_hash_ctx x;

    h->init(&x);
    h->update(&x, a, na);
    h->update(&x, b, nb);
    h->update(&x, c, nc);
    h->update(&x, d, nd);
    h->final(&x, out);
}

/* Two small well-formed handshake messages. */
static const uint8_t msg_ch[] = {0x01, 0x00, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'};
static const uint8_t msg_sh[] = {0x02, 0x00, 0x00, 0x03, 's', 'r', 'v'};
static const uint8_t msg_fin[] = {0x14, 0x00, 0x00, 0x00};

static void test_init_errors(void)
{
    const latch_hash_alg *s256 = hash_alg(LATCH_HASH_SHA256), *s384 = hash_alg(LATCH_HASH_SHA384);
    const latch_hash_alg *s512 = hash_alg(LATCH_HASH_SHA512);
    const latch_hash_alg *four[] = {s256, s384, s512, s256};
    const latch_hash_alg *dup[] = {s256, s384, s256};
    const latch_hash_alg *null[] = {s256, NULL};
    latch_transcript t;

    CHECK_ERR(latch_transcript_init(&t, four, 0), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_init(&t, four, 4), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_init(&t, NULL, 1), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_init(&t, dup, 3), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_init(&t, null, 2), LATCH_ERR_INTERNAL);
    /* A failed init leaves an unusable transcript, not a half-initialised one. */
    CHECK_ERR(latch_transcript_add(&t, msg_ch, sizeof msg_ch), LATCH_ERR_INTERNAL);
    CHECK_OK(latch_transcript_init(&t, four, 3));
    CHECK(latch_transcript_alg(&t) == NULL);
    CHECK_OK(latch_transcript_init(&t, four, 1));
    CHECK(latch_transcript_alg(&t) == s256); /* one hash: selected from the start */
}

/* Only exactly one whole message with its 4-byte header is accepted. */
static void test_add_whole_messages_only(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t two[sizeof msg_ch + sizeof msg_sh], longer[sizeof msg_ch + 1];
    uint8_t got[32], want[32];
    latch_transcript t;

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    for (size_t n = 0; n < sizeof msg_ch; n++) {
        CHECK_ERR(latch_transcript_add(&t, msg_ch, n), LATCH_ERR_INTERNAL);
    }
    memcpy(longer, msg_ch, sizeof msg_ch);
    longer[sizeof msg_ch] = 0;
    CHECK_ERR(latch_transcript_add(&t, longer, sizeof longer), LATCH_ERR_INTERNAL);
    memcpy(two, msg_ch, sizeof msg_ch);
    memcpy(two + sizeof msg_ch, msg_sh, sizeof msg_sh);
    CHECK_ERR(latch_transcript_add(&t, two, sizeof two), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_add(&t, msg_ch + 4, sizeof msg_ch - 4), LATCH_ERR_INTERNAL); /* body only */
    CHECK_ERR(latch_transcript_add(&t, NULL, 4), LATCH_ERR_INTERNAL);

    /* None of the rejected inputs reached the hash. */
    CHECK_EQ(t.messages, 0);
    REQUIRE_OK(latch_transcript_hash(&t, got));
    ref_hash(h, NULL, 0, NULL, 0, NULL, 0, NULL, 0, want);
    CHECK_MEM(got, 32, want, 32);

    CHECK_OK(latch_transcript_add(&t, msg_fin, sizeof msg_fin)); /* an empty body is fine */
    CHECK_EQ(t.messages, 1);
}

/* Reading a value does not disturb the running hash. */
static void test_hash_is_non_destructive(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t a[32], b[32], want[32];
    latch_transcript t;

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    REQUIRE_OK(latch_transcript_hash(&t, a));
    REQUIRE_OK(latch_transcript_hash(&t, b));
    CHECK_MEM(a, 32, b, 32);
    ref_hash(h, msg_ch, sizeof msg_ch, NULL, 0, NULL, 0, NULL, 0, want);
    CHECK_MEM(a, 32, want, 32);

    REQUIRE_OK(latch_transcript_add(&t, msg_sh, sizeof msg_sh));
    REQUIRE_OK(latch_transcript_hash(&t, a));
    ref_hash(h, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, NULL, 0, NULL, 0, want);
    CHECK_MEM(a, 32, want, 32);

    /* hash_as with a tail: the tail is hashed but not added. */
    REQUIRE_OK(latch_transcript_hash_as(&t, LATCH_HASH_SHA256, msg_fin, sizeof msg_fin, a));
    ref_hash(h, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, msg_fin, sizeof msg_fin, NULL, 0, want);
    CHECK_MEM(a, 32, want, 32);
    REQUIRE_OK(latch_transcript_hash(&t, a));
    ref_hash(h, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, NULL, 0, NULL, 0, want);
    CHECK_MEM(a, 32, want, 32);
    CHECK_ERR(latch_transcript_hash_as(&t, LATCH_HASH_SHA256, NULL, 3, a), LATCH_ERR_INTERNAL);
}

/* A client runs SHA-256 and SHA-384 side by side until the suite is known. */
static void test_fork_and_select(void)
{
    const latch_hash_alg *s256 = hash_alg(LATCH_HASH_SHA256), *s384 = hash_alg(LATCH_HASH_SHA384);
    const latch_hash_alg *both[] = {s256, s384};
    uint8_t got[48], forked[48], want256[32], want384[48];
    latch_transcript t, copy;

    for (int pick = 0; pick < 2; pick++) {
        REQUIRE_OK(latch_transcript_init(&t, both, 2));
        REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
        REQUIRE_OK(latch_transcript_add(&t, msg_sh, sizeof msg_sh));
        ref_hash(s256, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, NULL, 0, NULL, 0, want256);
        ref_hash(s384, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, NULL, 0, NULL, 0, want384);

        /* Before selection there is no single "the" hash. */
        CHECK(latch_transcript_alg(&t) == NULL);
        CHECK_ERR(latch_transcript_hash(&t, got), LATCH_ERR_INTERNAL);
        REQUIRE_OK(latch_transcript_hash_as(&t, LATCH_HASH_SHA256, NULL, 0, got));
        CHECK_MEM(got, 32, want256, 32);
        REQUIRE_OK(latch_transcript_hash_as(&t, LATCH_HASH_SHA384, NULL, 0, got));
        CHECK_MEM(got, 48, want384, 48);
        CHECK_ERR(latch_transcript_hash_as(&t, LATCH_HASH_SHA512, NULL, 0, got), LATCH_ERR_INTERNAL);
        CHECK_ERR(latch_transcript_select(&t, LATCH_HASH_SHA512), LATCH_ERR_INTERNAL);

        /* Copying the struct forks the transcript. */
        copy = t;
        REQUIRE_OK(latch_transcript_add(&copy, msg_fin, sizeof msg_fin));

        if (pick == 0) {
            REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA256));
            CHECK(latch_transcript_alg(&t) == s256);
            REQUIRE_OK(latch_transcript_hash(&t, got));
            CHECK_MEM(got, 32, want256, 32);
            CHECK_ERR(latch_transcript_hash_as(&t, LATCH_HASH_SHA384, NULL, 0, got), LATCH_ERR_INTERNAL);
            CHECK_ERR(latch_transcript_select(&t, LATCH_HASH_SHA384), LATCH_ERR_INTERNAL);
            CHECK_OK(latch_transcript_select(&t, LATCH_HASH_SHA256)); /* the same again is harmless */
        } else {
            REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA384));
            CHECK(latch_transcript_alg(&t) == s384);
            REQUIRE_OK(latch_transcript_hash(&t, got));
            CHECK_MEM(got, 48, want384, 48);
            CHECK_ERR(latch_transcript_select(&t, LATCH_HASH_SHA256), LATCH_ERR_INTERNAL);
        }
        /* Messages after selection go to the kept hash. */
        REQUIRE_OK(latch_transcript_add(&t, msg_fin, sizeof msg_fin));
        REQUIRE_OK(latch_transcript_hash(&t, got));
        if (pick == 0) {
            ref_hash(s256, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, msg_fin, sizeof msg_fin, NULL, 0, want256);
            CHECK_MEM(got, 32, want256, 32);
        } else {
            ref_hash(s384, msg_ch, sizeof msg_ch, msg_sh, sizeof msg_sh, msg_fin, sizeof msg_fin, NULL, 0, want384);
            CHECK_MEM(got, 48, want384, 48);
        }
        /* The fork saw the same messages and still runs both hashes. */
        REQUIRE_OK(latch_transcript_hash_as(&copy, pick == 0 ? LATCH_HASH_SHA256 : LATCH_HASH_SHA384, NULL, 0,
                                            forked));
        CHECK_MEM(forked, pick == 0 ? 32u : 48u, got, pick == 0 ? 32u : 48u);
    }
}

/*
 * RFC 8446 §4.4.1:
 *   Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
 *       Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) ||
 *            HelloRetryRequest || ... || Mn)
 * checked for SHA-256 and SHA-384 at once (Hash.length 0x20 and 0x30).
 */
static void test_hrr_rule(void)
{
    const latch_hash_alg *s256 = hash_alg(LATCH_HASH_SHA256), *s384 = hash_alg(LATCH_HASH_SHA384);
    const latch_hash_alg *both[] = {s256, s384};
    const uint8_t hrr[] = {0x02, 0x00, 0x00, 0x02, 0xCF, 0x21};
    const uint8_t ch2[] = {0x01, 0x00, 0x00, 0x03, 'c', 'h', '2'};
    uint8_t synth256[4 + 32] = {254, 0, 0, 32}, synth384[4 + 48] = {254, 0, 0, 48};
    uint8_t got[48], want[48];
    latch_transcript t;

    ref_hash(s256, msg_ch, sizeof msg_ch, NULL, 0, NULL, 0, NULL, 0, synth256 + 4);
    ref_hash(s384, msg_ch, sizeof msg_ch, NULL, 0, NULL, 0, NULL, 0, synth384 + 4);

    REQUIRE_OK(latch_transcript_init(&t, both, 2));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    REQUIRE_OK(latch_transcript_hrr(&t));
    /* Right after the rule, the transcript is just the synthetic message. */
    REQUIRE_OK(latch_transcript_hash_as(&t, LATCH_HASH_SHA256, NULL, 0, got));
    ref_hash(s256, synth256, sizeof synth256, NULL, 0, NULL, 0, NULL, 0, want);
    CHECK_MEM(got, 32, want, 32);
    REQUIRE_OK(latch_transcript_add(&t, hrr, sizeof hrr));
    REQUIRE_OK(latch_transcript_add(&t, ch2, sizeof ch2));
    REQUIRE_OK(latch_transcript_hash_as(&t, LATCH_HASH_SHA384, NULL, 0, got));
    ref_hash(s384, synth384, sizeof synth384, hrr, sizeof hrr, ch2, sizeof ch2, NULL, 0, want);
    CHECK_MEM(got, 48, want, 48);
    REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA256));
    REQUIRE_OK(latch_transcript_add(&t, msg_sh, sizeof msg_sh));
    REQUIRE_OK(latch_transcript_hash(&t, got));
    ref_hash(s256, synth256, sizeof synth256, hrr, sizeof hrr, ch2, sizeof ch2, msg_sh, sizeof msg_sh, want);
    CHECK_MEM(got, 32, want, 32);
    /* The rule is not the identity: without it the hash differs. */
    ref_hash(s256, msg_ch, sizeof msg_ch, hrr, sizeof hrr, ch2, sizeof ch2, msg_sh, sizeof msg_sh, want);
    CHECK(memcmp(got, want, 32) != 0);
}

/* The rule applies only to a transcript holding exactly ClientHello1. */
static void test_hrr_rule_preconditions(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    const uint8_t hrr[] = {0x02, 0x00, 0x00, 0x00};
    latch_transcript t;

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL); /* empty */
    REQUIRE_OK(latch_transcript_add(&t, msg_sh, sizeof msg_sh));
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL); /* not a ClientHello */

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    REQUIRE_OK(latch_transcript_hrr(&t));
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL); /* applied twice */
    REQUIRE_OK(latch_transcript_add(&t, hrr, sizeof hrr));
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL); /* a second HelloRetryRequest */

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL); /* two messages */
}

/* RFC 8448 §5: ClientHello1 and the HelloRetryRequest through the rule, then
 * ClientHello2 and ServerHello, give the hash the RFC prints for "c hs traffic". */
static void test_hrr_rule_rfc8448(void)
{
    const latch_hash_alg *s256 = hash_alg(LATCH_HASH_SHA256), *s384 = hash_alg(LATCH_HASH_SHA384);
    const latch_hash_alg *both[] = {s384, s256};
    const char *ch = "construct a ClientHello handshake message", *sh = "construct a ServerHello handshake message";
    size_t ch1_len, hrr_len, ch2_len, sh_len, want_len;
    const uint8_t *ch1 = rfc8448(5, "client", ch, "ClientHello", 0, &ch1_len);
    const uint8_t *hrr = rfc8448(5, "server", sh, "ServerHello", 0, &hrr_len);
    const uint8_t *ch2 = rfc8448(5, "client", ch, "ClientHello", 1, &ch2_len);
    const uint8_t *sh2 = rfc8448(5, "server", sh, "ServerHello", 1, &sh_len);
    const uint8_t *want = rfc8448(5, "server", "derive secret \"tls13 c hs traffic\"", "hash", 0, &want_len);
    uint8_t got[32];
    latch_transcript t;

    REQUIRE_OK(latch_transcript_init(&t, both, 2));
    REQUIRE_OK(latch_transcript_add(&t, ch1, ch1_len));
    REQUIRE_OK(latch_transcript_select(&t, LATCH_HASH_SHA256)); /* the HRR names TLS_AES_128_GCM_SHA256 */
    REQUIRE_OK(latch_transcript_hrr(&t));
    REQUIRE_OK(latch_transcript_add(&t, hrr, hrr_len));
    REQUIRE_OK(latch_transcript_add(&t, ch2, ch2_len));
    REQUIRE_OK(latch_transcript_add(&t, sh2, sh_len));
    REQUIRE_OK(latch_transcript_hash(&t, got));
    CHECK_MEM(got, 32, want, want_len);
    latch_transcript_wipe(&t);
}

static void test_wipe(void)
{
    const latch_hash_alg *h = hash_alg(LATCH_HASH_SHA256);
    uint8_t got[32];
    latch_transcript t;

    REQUIRE_OK(latch_transcript_init(&t, &h, 1));
    REQUIRE_OK(latch_transcript_add(&t, msg_ch, sizeof msg_ch));
    latch_transcript_wipe(&t);
    CHECK_ERR(latch_transcript_hash(&t, got), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_add(&t, msg_ch, sizeof msg_ch), LATCH_ERR_INTERNAL);
    CHECK_ERR(latch_transcript_hrr(&t), LATCH_ERR_INTERNAL);
    for (size_t i = 0; i < sizeof t.ctx; i++) {
        CHECK(((const uint8_t *)t.ctx)[i] == 0);
    }
}

static const latch_test cases[] = {
    TEST(test_init_errors),
    TEST(test_add_whole_messages_only),
    TEST(test_hash_is_non_destructive),
    TEST(test_fork_and_select),
    TEST(test_hrr_rule),
    TEST(test_hrr_rule_preconditions),
    TEST(test_hrr_rule_rfc8448),
    TEST(test_wipe),
    {0},
};

LATCH_TEST_MAIN(cases)
