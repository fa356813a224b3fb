#ifndef CPORTAUDIO_SHIM_H
#define CPORTAUDIO_SHIM_H
#include <portaudio.h>
static inline unsigned long CPortAudio_paFloat32(void) { return paFloat32; }
static inline unsigned long CPortAudio_paNoFlag(void) { return paNoFlag; }
#endif
