/*
 * latch/latch.h - the umbrella header.
 */
#ifndef LATCH_LATCH_H
#define LATCH_LATCH_H

#include <latch/alloc.h>
#include <latch/error.h>
#include <latch/provider.h>
#include <latch/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

/** \brief The library version, "MAJOR.MINOR.PATCH". */
LATCH_API const char *latch_version(void);

#ifdef __cplusplus
}
#endif
#endif
