#ifndef CFFTW_SHIM_H
#define CFFTW_SHIM_H
#include <fftw3.h>
/* FFTW_ESTIMATE and friends are macros of unsigned shifts; Swift imports them, but keep one spelling here. */
static inline unsigned CFFTW_flags_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned CFFTW_flags_measure(void) { return FFTW_MEASURE; }
#endif
