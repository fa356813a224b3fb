#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <curses.h>

/* Macros and globals that Swift cannot import or refuses under Swift 6 concurrency checking. */
static inline int CNcursesw_COLOR_PAIR(int n) { return COLOR_PAIR(n); }
static inline attr_t CNcursesw_A_BOLD(void) { return A_BOLD; }
static inline attr_t CNcursesw_A_DIM(void) { return A_DIM; }
static inline attr_t CNcursesw_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t CNcursesw_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t CNcursesw_A_NORMAL(void) { return A_NORMAL; }
static inline int CNcursesw_KEY_RESIZE(void) { return KEY_RESIZE; }
static inline int CNcursesw_KEY_F(int n) { return KEY_F(n); }
static inline int CNcursesw_ERR(void) { return ERR; }
static inline int CNcursesw_COLORS(void) { return COLORS; }
static inline int CNcursesw_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline void CNcursesw_setlocale_all(void) { setlocale(LC_ALL, ""); }
#endif
