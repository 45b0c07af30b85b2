/* latch certs: mint a test PKI. */
#include "tool.h"

#include <string.h>

int cmd_certs(int argc, char **argv)
{
    latch_key_type type = LATCH_KEY_ECDSA_P256;
    const char *dir = NULL, *kind = "ECDSA P-256";
    latch_err e;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: latch certs DIR [--rsa | --ed25519 | --p384]\n\n"
                   "Writes a test PKI into DIR (created if missing):\n"
                   "  ca.pem, ca.key                 a CA\n"
                   "  server.pem, server.key         a server certificate for localhost, 127.0.0.1 and ::1\n"
                   "  server-chain.pem               the server certificate followed by the CA\n"
                   "  client.pem, client.key         a client certificate (CN \"latch test client\")\n"
                   "Keys are ECDSA P-256 unless --rsa (RSA 2048), --ed25519 or --p384 is given.\n"
                   "Valid from yesterday for a year. For testing only.\n");
            return 0;
        } else if (strcmp(argv[i], "--rsa") == 0) {
            type = LATCH_KEY_RSA2048;
            kind = "RSA 2048";
        } else if (strcmp(argv[i], "--ed25519") == 0) {
            type = LATCH_KEY_ED25519;
            kind = "Ed25519";
        } else if (strcmp(argv[i], "--p384") == 0) {
            type = LATCH_KEY_ECDSA_P384;
            kind = "ECDSA P-384";
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "latch certs: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        } else if (dir == NULL) {
            dir = argv[i];
        } else {
            fprintf(stderr, "latch certs: one directory only\n");
            return 2;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: latch certs DIR [--rsa | --ed25519 | --p384]\n");
        return 2;
    }
    e = latch_pki_generate(dir, type);
    if (e != LATCH_OK) {
        tool_err("certs", dir, e);
        return 1;
    }
    printf("latch certs: %s test PKI written to %s:\n"
           "  ca.pem ca.key server.pem server.key server-chain.pem client.pem client.key\n",
           kind, dir);
    return 0;
}
