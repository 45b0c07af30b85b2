/* server_name (src/msg/ext/server_name.c): the ClientHello list and the host name check. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t buf[600];
    latch_rd host;
    latch_wr w;
    latch_err e;

    latch__err_clear();
    e = latch_ext_server_name_parse(latch_rd_make(data, size), &host);
    fz_check_failure(e);
    if (e == LATCH_OK && host.len > 0) {
        char name[256];

        FZ_ASSERT(host.len <= 255 && latch_ext_host_name_check(host) == LATCH_OK, "accepted a bad host name");
        memcpy(name, host.p, host.len);
        name[host.len] = '\0';
        FZ_ASSERT(strlen(name) == host.len, "a host name with a NUL byte accepted");
        /* Round trip: the builder writes the one name back. */
        latch_wr_init(&w, buf, sizeof buf);
        latch_ext_server_name_build(&w, name);
        FZ_ASSERT(latch_wr_finish(&w) == LATCH_OK, "cannot rebuild an accepted server_name");
        e = latch_ext_server_name_parse(latch_rd_make(buf + 4, latch_wr_len(&w) - 4), &host);
        FZ_ASSERT(e == LATCH_OK && host.len == strlen(name) && memcmp(host.p, name, host.len) == 0,
                  "server_name round trip");
    }
    latch__err_clear();
    fz_check_failure(latch_ext_host_name_check(latch_rd_make(data, size)));
    return 0;
}
