// cncurses: a tiny shim over ncursesw for TerminalUI.
//
// Only tui.c includes <curses.h>; Swift sees these prefixed functions and plain C types, never curses'
// macros, variadic functions or mutable globals. All functions act on the one terminal opened by tui_init.
#ifndef CNCURSES_H
#define CNCURSES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Results of tui_init.
enum {
    TUI_OK = 0,
    TUI_ERR_NOT_A_TTY = 1,     ///< stdin or stdout is not a terminal
    TUI_ERR_NO_TERM = 2,       ///< TERM is unset or empty
    TUI_ERR_UNKNOWN_TERM = 3,  ///< TERM has no terminfo entry (newterm failed)
    TUI_ERR_NOT_UTF8 = 4,      ///< the locale's character set is not UTF-8
    TUI_ERR_NO_DEV_TTY = 5,    ///< /dev/tty could not be opened
    TUI_ERR_ALREADY = 6,       ///< tui_init was already called and tui_end was not
};

/// Options for tui_init.
enum {
    TUI_OPT_RAW = 1,  ///< raw mode: Ctrl-C and Ctrl-Z arrive as keys instead of signals
};

/// Attribute bits for tui_put_cell (the same bits as Visualiser's Cell.Attributes).
enum {
    TUI_ATTR_BOLD = 1,
    TUI_ATTR_DIM = 2,
    TUI_ATTR_REVERSE = 4,
    TUI_ATTR_UNDERLINE = 8,
};

/// Kinds of tui_event.
enum {
    TUI_EV_NONE = 0,    ///< timeout, nothing happened
    TUI_EV_CHAR = 1,    ///< code is a Unicode scalar (control characters included, e.g. 3 for Ctrl-C in raw mode)
    TUI_EV_KEY = 2,     ///< code is one of TUI_KEY_*
    TUI_EV_MOUSE = 3,   ///< x, y is the cell, button is one of TUI_MOUSE_*
    TUI_EV_RESIZE = 4,  ///< x, y is the new width, height
};

/// Special keys (code of a TUI_EV_KEY event). Function keys are TUI_KEY_F0 + n.
enum {
    TUI_KEY_UNKNOWN = 0,
    TUI_KEY_UP, TUI_KEY_DOWN, TUI_KEY_LEFT, TUI_KEY_RIGHT,
    TUI_KEY_HOME, TUI_KEY_END, TUI_KEY_PAGE_UP, TUI_KEY_PAGE_DOWN,
    TUI_KEY_BACKSPACE, TUI_KEY_DELETE, TUI_KEY_INSERT, TUI_KEY_ENTER, TUI_KEY_BACK_TAB,
    TUI_KEY_F0 = 100,
};

/// Mouse buttons (button of a TUI_EV_MOUSE event).
enum {
    TUI_MOUSE_LEFT = 1, TUI_MOUSE_MIDDLE = 2, TUI_MOUSE_RIGHT = 3,
    TUI_MOUSE_WHEEL_UP = 4, TUI_MOUSE_WHEEL_DOWN = 5, TUI_MOUSE_OTHER = 6,
};

typedef struct {
    int32_t kind;
    uint32_t code;
    int32_t x;
    int32_t y;
    int32_t button;
} tui_event;

/// Opens the terminal: setlocale(LC_ALL, ""), checks UTF-8 and TTYs, newterm on /dev/tty, cbreak (or raw with
/// TUI_OPT_RAW), noecho, keypad, hidden cursor, default colours, mouse reporting. Installs the restoring
/// handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and crash signals, and an atexit hook, so every way out
/// restores the terminal. Returns TUI_OK or a TUI_ERR_* code; on error the terminal is untouched.
int tui_init(int options);

/// Restores the terminal (endwin and the saved termios). Idempotent, async-signal-tolerant, and safe to call
/// when tui_init failed or was never called.
void tui_end(void);

/// 1 between a successful tui_init and tui_end, else 0.
int tui_active(void);

/// Number of colours (COLORS), 0 when colour is unavailable.
int tui_colors(void);
/// Number of colour pairs (COLOR_PAIRS).
int tui_color_pairs(void);
/// 1 when the terminal numbers colours as 0xRRGGBB (terminfo RGB flag, e.g. xterm-direct).
int tui_direct_color(void);

/// Defines extended pair `pair` (1 ..< tui_color_pairs()) as fg on bg; -1 means the terminal's default.
/// Returns 0 on success.
int tui_init_pair(int pair, int fg, int bg);
/// Forgets all pairs defined with tui_init_pair (reset_color_pairs).
void tui_reset_pairs(void);

/// Current size in cells.
void tui_size(int *width, int *height);

/// Writes one cell into the virtual screen (not yet to the terminal): the Unicode scalar `ch` with the
/// extended colour pair `pair` (0 = default colours) and TUI_ATTR_* `attrs`. Out-of-range positions are ignored.
void tui_put_cell(int y, int x, uint32_t ch, int pair, uint32_t attrs);

/// Marks the whole screen for repainting on the next tui_refresh (after a resize or a pair reset).
void tui_clear(void);
/// Sends what changed to the terminal.
void tui_refresh(void);

/// Waits up to timeout_ms (negative: forever, 0: poll) for one input event and fills *event.
/// Returns event->kind.
int tui_read_event(int timeout_ms, tui_event *event);

#ifdef __cplusplus
}
#endif

#endif
