/* server_name (RFC 6066 §3). See ext.h. */
#include "msg/ext/ext.h"

#include "core/err.h"
#include "msg/field.h"

#include <string.h>

static bool is_ldh(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

static bool is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

latch_err latch_ext_host_name_check(latch_rd name)
{
    size_t len = latch_rd_left(&name), label = 0;
    bool digits = true; /* the current label is all digits */
    bool hex = false;   /* the current label reads 0x<hex digits> */
    uint8_t first = 0;

    /* RFC 6066 §3: "the fully qualified DNS hostname ... using ASCII
     * encoding"; a DNS name is at most 255 bytes (RFC 1035 §2.3.4). */
    if (len < 1 || len > 255) {
        return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER, "server_name.host_name: length %zu outside 1..255", len);
    }
    while (!latch_rd_empty(&name)) {
        uint8_t c;

        LATCH_TRY(latch_rd_u8(&name, &c));
        if (c == '.') {
            LATCH_ENSURE(label > 0, LATCH_ERR_ILLEGAL_PARAMETER, "server_name.host_name: empty label");
            label = 0;
            digits = true;
            hex = false;
            continue;
        }
        if (!is_ldh(c)) {
            return LATCH_FAIL(LATCH_ERR_ILLEGAL_PARAMETER,
                              "server_name.host_name: byte 0x%02x is not a letter, digit, '-' or '.'", c);
        }
        label++;
        LATCH_ENSURE(label <= 63, LATCH_ERR_ILLEGAL_PARAMETER, "server_name.host_name: label longer than 63 bytes");
        if (label == 1) {
            first = c;
        } else if (label == 2) {
            hex = first == '0' && (c == 'x' || c == 'X');
        } else if (hex && !is_hex(c)) {
            hex = false;
        }
        if (c < '0' || c > '9') {
            digits = false;
        }
    }
    /* RFC 6066 §3: "without a trailing dot". */
    LATCH_ENSURE(label > 0, LATCH_ERR_ILLEGAL_PARAMETER, "server_name.host_name: trailing dot");
    /* RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted".
     * IPv6 literals fail the LDH test (':'); an IPv4 literal in any of the
     * forms resolvers accept (1.2.3.4, 16909060, 0x7f.1) ends in a label
     * that is a number, which no DNS top-level domain is. */
    LATCH_ENSURE(!digits && !hex, LATCH_ERR_ILLEGAL_PARAMETER,
                 "server_name.host_name: an IP address literal (RFC 6066 §3 forbids them)");
    return LATCH_OK;
}

/*
 * RFC 6066 §3:
 *   struct {
 *       NameType name_type;
 *       select (name_type) {
 *           case host_name: HostName;
 *       } name;
 *   } ServerName;
 *
 *   enum {
 *       host_name(0), (255)
 *   } NameType;
 *
 *   opaque HostName<1..2^16-1>;
 *
 *   struct {
 *       ServerName server_name_list<1..2^16-1>
 *   } ServerNameList;
 */
latch_err latch_ext_server_name_parse(latch_rd data, latch_rd *host)
{
    latch_rd list, found = {0};
    bool have = false;

    *host = (latch_rd){0};
    LATCH_TRY(latch_field_vec(&data, "server_name.server_name_list", 2, 1, 0xFFFF, &list));
    LATCH_TRY(latch_field_end(&data, "server_name"));
    while (!latch_rd_empty(&list)) {
        uint8_t type;
        latch_rd name;

        LATCH_TRY(latch_field_u8(&list, "ServerName.name_type", &type));
        if (type != 0) {
            /* RFC 6066 §3: data of future name types "MUST begin with a
             * 16-bit length field", so they can be skipped. */
            LATCH_TRY(latch_field_vec(&list, "ServerName.name", 2, 0, 0xFFFF, &name));
            continue;
        }
        LATCH_TRY(latch_field_vec(&list, "ServerName.host_name", 2, 1, 0xFFFF, &name));
        /* RFC 6066 §3: "The ServerNameList MUST NOT contain more than one
         * name of the same name_type." */
        LATCH_ENSURE(!have, LATCH_ERR_ILLEGAL_PARAMETER, "server_name: more than one host_name");
        LATCH_TRY(latch_ext_host_name_check(name));
        found = name;
        have = true;
    }
    *host = found;
    return LATCH_OK;
}

void latch_ext_server_name_build(latch_wr *w, const char *host)
{
    latch_wr_u16(w, LATCH_EXT_SERVER_NAME);
    latch_wr_open(w, 2);
    latch_wr_open(w, 2);
    latch_wr_u8(w, 0); /* host_name */
    latch_wr_open(w, 2);
    latch_wr_bytes(w, (const uint8_t *)host, strlen(host));
    latch_wr_close(w, 1, 0xFFFF); /* HostName<1..2^16-1> */
    latch_wr_close(w, 1, 0xFFFF); /* server_name_list<1..2^16-1> */
    latch_wr_close(w, 0, 0xFFFF);
}
