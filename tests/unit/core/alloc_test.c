/* Tests for allocation through the hook (src/core/alloc.c). */
#include "core/alloc.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

typedef struct counter {
    size_t live;
    size_t calls;
    int fail;
    uint8_t last_freed_byte;
} counter;

static void *count_alloc(void *user, size_t n)
{
    counter *c = user;

    if (c->fail) {
        return NULL;
    }
    c->live += n;
    c->calls++;
    return malloc(n);
}

static void count_free(void *user, void *p, size_t n)
{
    counter *c = user;

    c->live -= n;
    c->last_freed_byte = ((uint8_t *)p)[0];
    free(p);
}

static void test_hook(void)
{
    counter c = {0};
    latch_allocator a = {count_alloc, count_free, &c};
    uint8_t *p = latch__alloc(&a, 100);

    REQUIRE(p != NULL);
    CHECK_EQ(c.live, 100);
    CHECK_EQ(p[99], 0); /* zeroed */
    memset(p, 0x77, 100);
    latch__free(&a, p, 100);
    CHECK_EQ(c.live, 0);
    CHECK_EQ(c.last_freed_byte, 0); /* wiped before it was given back */
    latch__free(&a, NULL, 10);
    c.fail = 1;
    CHECK(latch__alloc(&a, 10) == NULL);
}

static void test_default(void)
{
    void *p = latch__alloc(NULL, 16);

    REQUIRE(p != NULL);
    latch__free(NULL, p, 16);
    CHECK(latch__default_allocator() != NULL);
}

static const latch_test cases[] = {
    TEST(test_hook),
    TEST(test_default),
    {0},
};

LATCH_TEST_MAIN(cases)
