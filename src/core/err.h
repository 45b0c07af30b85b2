/*
 * Internal error recording.
 *
 * The innermost failure site records {code, file, line, detail} in a
 * thread-local slot; LATCH_TRY passes the code up without overwriting it. A
 * connection copies the slot into its own sticky record when a public entry
 * point fails (see conn.c), so latch_conn_error() can say exactly where and
 * why. Public entry points call latch__err_clear() first.
 */
#ifndef LATCH_CORE_ERR_H
#define LATCH_CORE_ERR_H

#include <latch/error.h>
#include <stddef.h>

#define LATCH_ERR_DETAIL_MAX 240

typedef struct latch_errloc {
    latch_err code;
    const char *file;
    int line;
    char detail[LATCH_ERR_DETAIL_MAX];
} latch_errloc;

/** Forget the thread's last recorded failure. */
void latch__err_clear(void);

/** Record a failure at file:line with a static or NULL detail; returns code. */
LATCH_MUST_CHECK latch_err latch__fail(latch_err code, const char *file, int line, const char *detail);

/** Record a failure with a printf-formatted detail; returns code. */
LATCH_MUST_CHECK latch_err latch__failf(latch_err code, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Record file:line for a code passing through, unless a deeper site already did. */
LATCH_MUST_CHECK latch_err latch__pass(latch_err code, const char *file, int line);

/** The thread's last recorded failure (code LATCH_OK when none). */
const latch_errloc *latch__err_last(void);

/* The two control-flow macros (STYLE.md §6). ENSURE takes a detail sentence
 * that names what was wrong, so that no error says only "failed". */
#define LATCH_ENSURE(cond, code, detail)                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            return latch__fail((code), __FILE__, __LINE__, (detail));       \
        }                                                                   \
    } while (0)

#define LATCH_TRY(expr)                                                     \
    do {                                                                    \
        latch_err latch_try_e_ = (expr);                                    \
        if (latch_try_e_ != LATCH_OK) {                                     \
            return latch__pass(latch_try_e_, __FILE__, __LINE__);           \
        }                                                                   \
    } while (0)

/* An expression, not control flow: `return LATCH_FAIL(code, "fmt", ...);` */
#define LATCH_FAIL(code, ...) latch__failf((code), __FILE__, __LINE__, __VA_ARGS__)

#endif
