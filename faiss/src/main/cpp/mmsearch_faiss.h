// Everything the JavaCPP binding io.mmsearch.faiss.FaissBinding compiles against.
// FAISS 1.7.x C++ headers come from the system (Debian's libfaiss-dev); OpenBLAS's thread control
// is declared here because its cblas.h lives in a variant-specific folder (openblas-pthread,
// openblas-openmp) that differs between machines.
#ifndef MMSEARCH_FAISS_H
#define MMSEARCH_FAISS_H

#include <faiss/IndexFlat.h>
#include <faiss/utils/distances.h>
#include <omp.h>

extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
}

#endif
