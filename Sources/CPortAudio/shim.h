#ifndef CPORTAUDIO_SHIM_H
#define CPORTAUDIO_SHIM_H
#include <portaudio.h>
static inline unsigned long CPortAudio_paFloat32(void) { return paFloat32; }
static inline unsigned long CPortAudio_paNoFlag(void) { return paNoFlag; }
static inline unsigned long CPortAudio_paClipOff(void) { return paClipOff; }
static inline unsigned long CPortAudio_paInputOverflow(void) { return paInputOverflow; }
static inline unsigned long CPortAudio_paOutputUnderflow(void) { return paOutputUnderflow; }
#endif
