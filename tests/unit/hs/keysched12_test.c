/*
 * Tests for the TLS 1.2 key schedule (src/hs/keysched12.c).
 *
 * Master secret and key block: NIST CAVP SP 800-135 TLS KDF vectors
 * (https://csrc.nist.gov/CSRC/media/Projects/Cryptographic-Algorithm-Validation-Program/
 *  documents/components/800-135testvectors/tls.zip, tls.rsp, [TLS 1.2, SHA-256] and
 * [TLS 1.2, SHA-384], COUNT = 0; as used by
 * Bouncy Castle's TLS PRF tests). CAVP derives the master secret from the
 * hello randoms and the key block from a second pair of randoms.
 *
 * Extended master secret and Finished: no published vectors exist, so the
 * expected values were computed with an independent implementation,
 * OpenSSL 3.0's TLS1-PRF KDF, for example
 *   openssl kdf -keylen 48 -kdfopt digest:SHA2-256 -kdfopt hexsecret:<pms>
 *     -kdfopt hexseed:<hex("extended master secret")><session_hash> TLS1-PRF
 * with session_hash = SHA-256("abc") (or SHA-384("abc")), and the CAVP
 * secrets above.
 */
#include "core/err.h"
#include "harness.h"
#include "hs/keysched12.h"

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

typedef struct cavp {
    uint8_t hash;
    const char *pms, *ch_random, *sh_random, *client_random, *server_random, *master, *key_block;
} cavp;

static const cavp vectors[] = {
    {LATCH_HASH_SHA256,
     "f8938ecc9edebc5030c0c6a441e213cd24e6f770a50dda07876f8d55da062bcadb386b411fd4fe4313a604fce6c17fbc",
     "36c129d01a3200894b9179faac589d9835d58775f9b5ea3587cb8fd0364cae8c",
     "f6c9575ed7ddd73e1f7d16eca115415812a43c2b747daaaae043abfb50053fce",
     "62e1fd91f23f558a605f28478c58cf72637b89784d959df7e946d3f07bd1b616",
     "ae6c806f8ad4d80784549dff28a4b58fd837681a51d928c3e30ee5ff14f39868",
     "202c88c00f84a17a20027079604787461176455539e705be730890602c289a5001e34eeb3a043e5d52a65e66125188bf",
     "d06139889fffac1e3a71865f504aa5d0d2a2e89506c6f2279b670c3e1b74f531016a2530c51a3a0f7e1d6590d0f0566b"
     "2f387f8d11fd4f731cdd572d2eae927f6f2f81410b25e6960be68985add6c38445ad9f8c64bf8068bf9a6679485d966f"
     "1ad6f68b43495b10a683755ea2b858d70ccac7ec8b053c6bd41ca299d4e51928"},
    {LATCH_HASH_SHA384,
     "a5e2642633f5b8c81ad3fe0c2fe3a8e5ef806b06121dd10df4bb0fe857bfdcf522558e05d2682c9a80c741a3aab1716f",
     "abe4bf5527429ac8eb13574d2709e8012bd1a113c6d3b1d3aa2c3840518778ac",
     "cb6e0b3eb02976b6466dfa9651c2919414f1648fd3a7838d02153e5bd39535b6",
     "954b5fe1849c2ede177438261f099a2fcd884d001b9fe1de754364b1f6a6dd8e",
     "1b1c8568344a65c30828e7483c0e353e2c68641c9551efae6927d9cd627a107c",
     "b4d49bfa87747fe815457bc3da15073d6ac73389e703079a3503c09e14bd559a5b3c7c601c7365f6ea8c68d3d9596827",
     "10fd89ef689c7ef033387b8a8f3e5e8e7c11f680f6bdd71fbac3246a73e98d45d03185dde686e6b2369e4503e9dc5a6d"
     "2cee3e2bf2fa3f41d3de57dff3e197c8a9d5f74cc2d277119d894f8584b07a0a5822f0bd68b3433ec6adaf5c9406c5f3"
     "ddbb71bbe17ce98f3d4d5893d3179ef369f57aad908e2bf710639100c3ce7e0c"},
};

static void test_cavp(void)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const cavp *v = &vectors[i];
        const latch_hash_alg *h = hash_alg(v->hash);
        size_t pl, ml, kl;
        const uint8_t *pms = latch_test_hexbuf(v->pms, &pl);
        uint8_t chr[32], shr[32], cr[32], sr[32], kb[128];
        const uint8_t *want_ms, *want_kb;
        latch_secret ms;

        REQUIRE(latch_test_unhex(v->ch_random, chr, 32) == 32 && latch_test_unhex(v->sh_random, shr, 32) == 32 &&
                latch_test_unhex(v->client_random, cr, 32) == 32 &&
                latch_test_unhex(v->server_random, sr, 32) == 32);
        want_ms = latch_test_hexbuf(v->master, &ml);
        want_kb = latch_test_hexbuf(v->key_block, &kl);
        REQUIRE(pl == 48 && ml == 48 && kl == 128);
        CHECK_OK(latch_ks12_master(h, pms, pl, chr, shr, &ms));
        CHECK_MEM(ms.b, ms.len, want_ms, ml);
        /* The key block seeds server_random first: the vector tells. */
        latch_secret_set(&ms, want_ms, ml);
        CHECK_OK(latch_ks12_key_block(h, &ms, cr, sr, kb, sizeof kb));
        CHECK_MEM(kb, sizeof kb, want_kb, kl);
        latch_secret_wipe(&ms);
    }
}

/* The AEAD split of the key block: keys each way, then IVs each way. */
static void test_keys_split(void)
{
    const cavp *v = &vectors[0];
    const latch_hash_alg *h = hash_alg(v->hash);
    uint8_t cr[32], sr[32];
    size_t ml, kl;
    const uint8_t *want_ms = latch_test_hexbuf(v->master, &ml), *kb = latch_test_hexbuf(v->key_block, &kl);
    latch_secret ms;
    latch_keys12 k;

    REQUIRE(latch_test_unhex(v->client_random, cr, 32) == 32 && latch_test_unhex(v->server_random, sr, 32) == 32);
    latch_secret_set(&ms, want_ms, ml);
    /* AES-128-GCM: 16-byte keys, 4-byte salts (RFC 5288 §3). */
    CHECK_OK(latch_ks12_keys(h, &ms, cr, sr, 16, 4, &k));
    CHECK_EQ(k.key_len, 16);
    CHECK_EQ(k.iv_len, 4);
    CHECK_MEM(k.client_key, 16, kb, 16);
    CHECK_MEM(k.server_key, 16, kb + 16, 16);
    CHECK_MEM(k.client_iv, 4, kb + 32, 4);
    CHECK_MEM(k.server_iv, 4, kb + 36, 4);
    /* ChaCha20-Poly1305: 32-byte keys, 12-byte IVs (RFC 7905 §2). */
    CHECK_OK(latch_ks12_keys(h, &ms, cr, sr, 32, 12, &k));
    CHECK_MEM(k.client_key, 32, kb, 32);
    CHECK_MEM(k.server_key, 32, kb + 32, 32);
    CHECK_MEM(k.client_iv, 12, kb + 64, 12);
    CHECK_MEM(k.server_iv, 12, kb + 76, 12);
    CHECK_ERR(latch_ks12_keys(h, &ms, cr, sr, 16, 8, &k), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks12_keys(h, &ms, cr, sr, 33, 4, &k), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks12_keys(h, &ms, cr, sr, 0, 4, &k), LATCH_ERR_INVALID_ARGUMENT);
    /* A master secret of the wrong size is a caller bug. */
    ms.len = 32;
    CHECK_ERR(latch_ks12_keys(h, &ms, cr, sr, 16, 4, &k), LATCH_ERR_INVALID_ARGUMENT);
    latch_secret_wipe(&ms);
}

static void test_ems(void)
{
    size_t pl, hl, wl;
    const uint8_t *pms, *sh, *want;
    latch_secret ms;

    /* SHA-256: session_hash = SHA-256("abc"). */
    pms = latch_test_hexbuf(vectors[0].pms, &pl);
    sh = latch_test_hexbuf("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &hl);
    want = latch_test_hexbuf("4c6315605fafe3a524d408fc69eed44db45fe2da71f9c68f286fe39c2d6ccb279bad40c5be244ddd"
                             "baaf68a772e06da9",
                             &wl);
    CHECK_OK(latch_ks12_ems(hash_alg(LATCH_HASH_SHA256), pms, pl, sh, hl, &ms));
    CHECK_MEM(ms.b, ms.len, want, wl);
    /* SHA-384: session_hash = SHA-384("abc"). */
    pms = latch_test_hexbuf(vectors[1].pms, &pl);
    sh = latch_test_hexbuf("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc23"
                           "58baeca134c825a7",
                           &hl);
    want = latch_test_hexbuf("974c35e93b650e91ba3d7f46913f415360ad6d1032712d45652ce97fee7be7b4983f478dff0ba6ca"
                             "2ea354542ce0bc46",
                             &wl);
    CHECK_OK(latch_ks12_ems(hash_alg(LATCH_HASH_SHA384), pms, pl, sh, hl, &ms));
    CHECK_MEM(ms.b, ms.len, want, wl);
    CHECK_ERR(latch_ks12_ems(hash_alg(LATCH_HASH_SHA384), NULL, pl, sh, hl, &ms), LATCH_ERR_INVALID_ARGUMENT);
    CHECK_ERR(latch_ks12_master(hash_alg(LATCH_HASH_SHA384), pms, pl, NULL, sh, &ms), LATCH_ERR_INVALID_ARGUMENT);
    latch_secret_wipe(&ms);
}

static void test_finished(void)
{
    size_t ml, hl;
    const uint8_t *m, *sh;
    uint8_t vd[LATCH_FINISHED12_LEN];
    latch_secret ms;

    m = latch_test_hexbuf(vectors[0].master, &ml);
    latch_secret_set(&ms, m, ml);
    sh = latch_test_hexbuf("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &hl);
    CHECK_OK(latch_ks12_finished(hash_alg(LATCH_HASH_SHA256), &ms, true, sh, vd));
    CHECK_MEM(vd, sizeof vd, latch_test_hexbuf("9affa7d4c29371f8597f8336", &hl), 12);
    CHECK_OK(latch_ks12_finished(hash_alg(LATCH_HASH_SHA256), &ms, false, sh, vd));
    CHECK_MEM(vd, sizeof vd, latch_test_hexbuf("ef47f3440e012f27b22f10b3", &hl), 12);
    m = latch_test_hexbuf(vectors[1].master, &ml);
    latch_secret_set(&ms, m, ml);
    sh = latch_test_hexbuf("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc23"
                           "58baeca134c825a7",
                           &hl);
    CHECK_OK(latch_ks12_finished(hash_alg(LATCH_HASH_SHA384), &ms, true, sh, vd));
    CHECK_MEM(vd, sizeof vd, latch_test_hexbuf("a90b246e58a826f69ae00c4d", &hl), 12);
    ms.len = 47;
    CHECK_ERR(latch_ks12_finished(hash_alg(LATCH_HASH_SHA384), &ms, true, sh, vd), LATCH_ERR_INVALID_ARGUMENT);
    latch_secret_wipe(&ms);
}

static const latch_test cases[] = {
    TEST(test_cavp),
    TEST(test_keys_split),
    TEST(test_ems),
    TEST(test_finished),
    {0},
};

LATCH_TEST_MAIN(cases)
