/*
 * Handshake message reassembly (src/record/hsframe.c), checked against a
 * reference: the messages returned must be exactly the split of the
 * concatenated records into headers and bodies, whatever the record
 * boundaries. The input: a byte choosing the size limit, then records
 * (1-byte length each, 0 meaning a 300-byte record).
 */
#include "fuzz.h"

#include "record/hsframe.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t all[1 << 17];
    fz_in in = {data, size};
    uint8_t sel = fz_u8(&in);
    size_t max_msg = sel == 0 ? 0 : (size_t)sel * 16, limit = max_msg == 0 ? LATCH_HS_MAX_MSG_DEFAULT : max_msg;
    size_t fed = 0, done = 0; /* bytes fed; bytes of `all` returned as messages */
    size_t base = fz_alloc_live();
    latch_hsframe f;
    latch_err e = LATCH_OK;

    latch_hsframe_init(&f, &fz_allocator, max_msg);
    while (in.n > 0 && e == LATCH_OK) {
        size_t want = fz_u8(&in), got;
        const uint8_t *rec = fz_bytes(&in, want == 0 ? 300 : want, &got);

        if (fed + got > sizeof all) {
            break;
        }
        memcpy(all + fed, rec, got);
        latch__err_clear();
        e = latch_hsframe_feed(&f, latch_rd_make(rec, got));
        if (e != LATCH_OK) {
            FZ_ASSERT(e == LATCH_ERR_RECORD_EMPTY && got == 0, "feed refused a record: %s", latch_err_name(e));
            break;
        }
        fed += got;
        for (;;) {
            latch_hs_msg m;
            size_t len;

            e = latch_hsframe_next(&f, &m);
            if (e == LATCH_ERR_WANT_READ) {
                FZ_ASSERT(m.whole.len == 0 && m.type == 0, "WANT_READ left a message");
                e = LATCH_OK;
                break;
            }
            if (e != LATCH_OK) {
                /* Only an oversized announcement may stop the stream. */
                FZ_ASSERT(e == LATCH_ERR_HANDSHAKE_TOO_LARGE, "next failed: %s", latch_err_name(e));
                FZ_ASSERT(fed - done >= 4, "too large without a header");
                len = (size_t)all[done + 1] << 16 | (size_t)all[done + 2] << 8 | all[done + 3];
                FZ_ASSERT(len > limit, "a message of %zu bytes refused under a limit of %zu", len, limit);
                break;
            }
            /* The reference: the next message of the concatenation. */
            FZ_ASSERT(fed - done >= 4, "a message without a whole header");
            len = (size_t)all[done + 1] << 16 | (size_t)all[done + 2] << 8 | all[done + 3];
            FZ_ASSERT(len <= limit, "a message over the limit returned");
            FZ_ASSERT(m.type == all[done] && m.body.len == len && m.whole.len == 4 + len,
                      "message framing differs from the reference");
            FZ_ASSERT(memcmp(m.whole.p, all + done, 4 + len) == 0, "message bytes differ from the reference");
            FZ_ASSERT(m.body.len == 0 || m.body.p == m.whole.p + 4, "body not inside the message");
            FZ_ASSERT(m.end_of_record == (done + 4 + len == fed), "end_of_record wrong");
            done += 4 + len;
            /* Holding a message: at most the message itself is buffered. */
            FZ_ASSERT(fz_alloc_live() - base <= 4 + limit, "the framer holds %zu bytes", fz_alloc_live() - base);
        }
        if (e == LATCH_OK) {
            FZ_ASSERT(latch_hsframe_pending(&f) == (done < fed), "pending disagrees");
            FZ_ASSERT(fz_alloc_live() - base <= 4 + limit, "the framer holds %zu bytes", fz_alloc_live() - base);
        }
    }
    latch_hsframe_cleanup(&f);
    FZ_ASSERT(fz_alloc_live() == base, "the framer leaked %zu bytes", fz_alloc_live() - base);
    return 0;
}
