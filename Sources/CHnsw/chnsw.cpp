#include "chnsw.h"
#include <hnswlib/hnswlib.h>
#include <new>
#include <vector>

struct chnsw_index {
    hnswlib::InnerProductSpace space;
    hnswlib::HierarchicalNSW<float> graph;
    chnsw_index(int dimension, size_t max_elements, size_t m, size_t ef_construction, size_t seed)
        : space(dimension), graph(&space, max_elements, m, ef_construction, seed) {}
};

extern "C" chnsw_index *chnsw_new(int dimension, size_t max_elements, size_t m, size_t ef_construction, size_t seed) {
    try {
        return new chnsw_index(dimension, max_elements, m, ef_construction, seed);
    } catch (...) {
        return nullptr;
    }
}

extern "C" void chnsw_free(chnsw_index *index) { delete index; }

extern "C" int chnsw_add(chnsw_index *index, const float *vector, size_t label) {
    try {
        index->graph.addPoint(vector, label);
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" void chnsw_set_ef(chnsw_index *index, size_t ef) { index->graph.setEf(ef); }

extern "C" int chnsw_search(chnsw_index *index, const float *query, size_t k, size_t *labels, float *distances) {
    try {
        auto result = index->graph.searchKnn(query, k);
        int n = static_cast<int>(result.size());
        // The queue pops the farthest first: fill from the back.
        for (int i = n - 1; i >= 0; --i) {
            distances[i] = result.top().first;
            labels[i] = result.top().second;
            result.pop();
        }
        return n;
    } catch (...) {
        return -1;
    }
}
