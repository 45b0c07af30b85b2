/* Provider table lookups. */
#include <latch/provider.h>

#include <stddef.h>

const latch_hash_alg *latch_provider_hash(const latch_provider *p, uint8_t id)
{
    for (size_t i = 0; p != NULL && p->hash[i] != NULL; i++) {
        if (p->hash[i]->id == id) {
            return p->hash[i];
        }
    }
    return NULL;
}

const latch_aead_alg *latch_provider_aead(const latch_provider *p, uint8_t id)
{
    for (size_t i = 0; p != NULL && p->aead[i] != NULL; i++) {
        if (p->aead[i]->id == id) {
            return p->aead[i];
        }
    }
    return NULL;
}

const latch_kx_alg *latch_provider_kx(const latch_provider *p, uint16_t group)
{
    for (size_t i = 0; p != NULL && p->kx[i] != NULL; i++) {
        if (p->kx[i]->group == group) {
            return p->kx[i];
        }
    }
    return NULL;
}

const latch_sig_alg *latch_provider_sig(const latch_provider *p, uint16_t scheme)
{
    for (size_t i = 0; p != NULL && p->sig[i] != NULL; i++) {
        if (p->sig[i]->scheme == scheme) {
            return p->sig[i];
        }
    }
    return NULL;
}
