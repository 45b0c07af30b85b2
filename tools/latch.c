/* latch: the command-line tool. */
#include <latch/latch.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("latch %s\n", latch_version());
    return 0;
}
