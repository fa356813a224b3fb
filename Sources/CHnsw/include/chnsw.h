/* A C interface to hnswlib (header-only C++, Debian's libhnswlib-dev): an inner-product HNSW index
   of float vectors, for UpliftSimilarity. Every function catches hnswlib's exceptions. */
#ifndef CHNSW_H
#define CHNSW_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct chnsw_index chnsw_index;

/* NULL when the index cannot be made (no memory). `seed` fixes the level generator: same input, same graph. */
chnsw_index *chnsw_new(int dimension, size_t max_elements, size_t m, size_t ef_construction, size_t seed);
void chnsw_free(chnsw_index *index);
/* 0 on success, -1 when full or on error. Add from one thread. */
int chnsw_add(chnsw_index *index, const float *vector, size_t label);
void chnsw_set_ef(chnsw_index *index, size_t ef);
/* Up to k nearest by inner-product distance (1 − dot), nearest first; returns how many, -1 on error. */
int chnsw_search(chnsw_index *index, const float *query, size_t k, size_t *labels, float *distances);

#ifdef __cplusplus
}
#endif
#endif
