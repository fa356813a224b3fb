#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <curses.h>
#include <term.h>

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

/* Added for the TUI backend. */
static inline FILE *CNcursesw_stdout(void) { return stdout; }
static inline FILE *CNcursesw_stdin(void) { return stdin; }
/* 1 when the locale's character set is UTF-8 (call after setlocale). */
static inline int CNcursesw_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
/* The screen's standard window (a global Swift 6 refuses); ncurses resizes it on SIGWINCH. */
static inline WINDOW *CNcursesw_stdscr(void) { return stdscr; }
static inline int CNcursesw_getmaxx(WINDOW *win) { return getmaxx(win); }
static inline int CNcursesw_getmaxy(WINDOW *win) { return getmaxy(win); }
/* 1 when the terminal description declares direct (24-bit) colour. */
static inline int CNcursesw_has_direct_color(void) { return tigetflag("RGB") > 0 || COLORS >= 0x1000000; }
static inline int CNcursesw_OK(void) { return OK; }
static inline int CNcursesw_KEY_CODE_YES(void) { return KEY_CODE_YES; }
static inline int CNcursesw_KEY_UP(void) { return KEY_UP; }
static inline int CNcursesw_KEY_DOWN(void) { return KEY_DOWN; }
static inline int CNcursesw_KEY_LEFT(void) { return KEY_LEFT; }
static inline int CNcursesw_KEY_RIGHT(void) { return KEY_RIGHT; }
static inline int CNcursesw_KEY_BTAB(void) { return KEY_BTAB; }
static inline int CNcursesw_KEY_ENTER(void) { return KEY_ENTER; }
static inline int CNcursesw_KEY_BACKSPACE(void) { return KEY_BACKSPACE; }
static inline int CNcursesw_KEY_PPAGE(void) { return KEY_PPAGE; }
static inline int CNcursesw_KEY_NPAGE(void) { return KEY_NPAGE; }
static inline int CNcursesw_KEY_HOME(void) { return KEY_HOME; }
static inline int CNcursesw_KEY_END(void) { return KEY_END; }

/* Writes one wide character with attributes and an extended colour pair (the `opts` pointer of setcchar
   carries pairs above 255, which the short argument cannot). */
static inline int CNcursesw_put_cell(WINDOW *win, int y, int x, wchar_t symbol, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[2] = { symbol, 0 };
    int extendedPair = pair;
    if (setcchar(&cell, text, attrs, 0, &extendedPair) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}
#endif
