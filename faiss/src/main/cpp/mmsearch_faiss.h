// Everything the JavaCPP binding io.mmsearch.faiss.FaissBinding compiles against.
// FAISS 1.7.x C++ headers come from the system (Debian's libfaiss-dev); OpenBLAS's thread control
// is declared here because its cblas.h lives in a variant-specific folder (openblas-pthread,
// openblas-openmp) that differs between machines.
#ifndef MMSEARCH_FAISS_H
#define MMSEARCH_FAISS_H

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/utils/distances.h>
#include <omp.h>

extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
}

// Small helpers around faiss::IndexHNSWFlat so the Java side needs no binding of the nested
// faiss::HNSW struct: construction parameters, per-call efSearch (SearchParametersHNSW, so that
// concurrent searches never share mutable state) and the bytes the graph occupies.
namespace mmsearch {

inline faiss::IndexHNSWFlat* hnsw_flat_ip_new(int d, int m, int ef_construction) {
    faiss::IndexHNSWFlat* index =
            new faiss::IndexHNSWFlat(d, m, faiss::METRIC_INNER_PRODUCT);
    index->hnsw.efConstruction = ef_construction;
    return index;
}

inline void hnsw_flat_delete(faiss::IndexHNSWFlat* index) {
    delete index;
}

inline void hnsw_flat_add(faiss::IndexHNSWFlat* index, long n, const float* x) {
    index->add(n, x);
}

inline void hnsw_flat_search(
        const faiss::IndexHNSWFlat* index,
        long n,
        const float* x,
        long k,
        int ef_search,
        float* distances,
        int64_t* labels) {
    faiss::SearchParametersHNSW params;
    params.efSearch = ef_search;
    index->search(n, x, k, distances, labels, &params);
}

// FAISS 1.7.3 sizes the level-0 candidate heap from the index's own hnsw.efSearch and takes only
// the stopping rule from SearchParametersHNSW: a per-call efSearch above the index's has no effect.
// So the index's value is set too (not safe while other threads search).
inline void hnsw_flat_set_ef_search(faiss::IndexHNSWFlat* index, int ef_search) {
    index->hnsw.efSearch = ef_search;
}

inline long hnsw_flat_ntotal(const faiss::IndexHNSWFlat* index) {
    return index->ntotal;
}

// Neighbour lists (fixed-size slots: 2M on level 0, M above), their offsets and the levels.
inline long hnsw_graph_bytes(const faiss::IndexHNSWFlat* index) {
    const faiss::HNSW& h = index->hnsw;
    return h.neighbors.size() * sizeof(faiss::HNSW::storage_idx_t) +
            h.offsets.size() * sizeof(size_t) + h.levels.size() * sizeof(int);
}

} // namespace mmsearch

#endif
