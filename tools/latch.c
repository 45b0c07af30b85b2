/* latch: the command-line tool. One program, several subcommands. */
#include "tool.h"

#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: latch <command> [options]\n"
            "\n"
            "commands:\n"
            "  demo       a mutual-TLS handshake between a latch client and server in this process,\n"
            "             drawn step by step (mints a throwaway PKI)\n"
            "  client     connect to a TLS server, then copy stdin to it and its data to stdout\n"
            "  server     serve TLS connections (echo, or a status page with --www)\n"
            "  certs      mint a test PKI: a CA, a server and a client certificate\n"
            "  selftest   run the RFC 8448 key-schedule self-test\n"
            "  version    print the version\n"
            "\n"
            "'latch <command> --help' describes each command's options.\n");
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(cmd == NULL ? stderr : stdout);
        return cmd == NULL ? 2 : 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("latch %s\n", latch_version());
        return 0;
    }
    if (strcmp(cmd, "demo") == 0) {
        return cmd_demo(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "client") == 0) {
        return cmd_client(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "server") == 0) {
        return cmd_server(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "certs") == 0) {
        return cmd_certs(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "selftest") == 0) {
        return cmd_selftest(argc - 1, argv + 1);
    }
    fprintf(stderr, "latch: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
