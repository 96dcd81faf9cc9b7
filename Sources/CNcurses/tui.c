// ncursesw shim: the only file in arnn that includes <curses.h>. See include/cncurses.h for the contract.
#include "cncurses.h"

#include <curses.h>
#include <term.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

// State of the one terminal. It is global because signal handlers and atexit hooks take no arguments.
static SCREEN *tui_screen = NULL;
static FILE *tui_tty = NULL;
static int tui_tty_fd = -1;
static struct termios tui_saved_termios;
static int tui_have_termios = 0;
// 1 while the terminal is in curses mode; exchanged atomically so tui_end runs its body exactly once even
// when a signal arrives during a normal shutdown. atomic_int is lock-free on every platform we build for,
// which makes it usable from a signal handler.
static atomic_int tui_is_active = 0;
static int tui_atexit_registered = 0;

// Signals after which the terminal must be restored. The termination signals kill the process by default;
// the crash signals are how a Swift precondition failure or a fault ends it.
static const int tui_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
#define TUI_NSIGNALS ((int)(sizeof tui_signals / sizeof tui_signals[0]))
static struct sigaction tui_old_actions[TUI_NSIGNALS];
static int tui_installed[TUI_NSIGNALS];

static void tui_restore_signal_handlers(void) {
    for (int i = 0; i < TUI_NSIGNALS; i++) {
        if (tui_installed[i]) {
            sigaction(tui_signals[i], &tui_old_actions[i], NULL);
            tui_installed[i] = 0;
        }
    }
}

void tui_end(void) {
    if (atomic_exchange(&tui_is_active, 0) == 0) return;
    endwin();
    // endwin restores the modes curses saved; the termios we saved ourselves is a second line of defence
    // in case a signal interrupted curses half-way through an update.
    if (tui_have_termios && tui_tty_fd >= 0) tcsetattr(tui_tty_fd, TCSADRAIN, &tui_saved_termios);
    tui_restore_signal_handlers();
}

// Restores the terminal, puts back whatever handled the signal before us (the default action, or Swift's
// backtracer for crashes), and raises the signal again. The signal is blocked while we run, so the re-raised
// one is delivered to the previous action as soon as this handler returns.
static void tui_signal_handler(int sig) {
    tui_end();  // also restores the previous actions
    raise(sig);
}

static void tui_atexit_hook(void) { tui_end(); }

static void tui_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = tui_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    for (int i = 0; i < TUI_NSIGNALS; i++) {
        struct sigaction old;
        if (sigaction(tui_signals[i], NULL, &old) != 0) continue;
        // Respect signals someone chose to ignore (e.g. SIGHUP under nohup).
        if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) continue;
        tui_old_actions[i] = old;
        if (sigaction(tui_signals[i], &action, NULL) == 0) tui_installed[i] = 1;
    }
}

static int tui_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0;
}

int tui_init(int options) {
    if (atomic_load(&tui_is_active)) return TUI_ERR_ALREADY;
    // Before anything else, or wide characters come out as garbage.
    setlocale(LC_ALL, "");
    if (!tui_locale_is_utf8()) return TUI_ERR_NOT_UTF8;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return TUI_ERR_NOT_A_TTY;
    const char *term = getenv("TERM");
    if (term == NULL || term[0] == '\0') return TUI_ERR_NO_TERM;

    if (tui_tty == NULL) {
        tui_tty = fopen("/dev/tty", "r+");
        if (tui_tty == NULL) return TUI_ERR_NO_DEV_TTY;
        tui_tty_fd = fileno(tui_tty);
    }
    tui_have_termios = tcgetattr(tui_tty_fd, &tui_saved_termios) == 0;

    // Our handlers go in before newterm so that curses, seeing them, leaves SIGINT and SIGTERM to us.
    tui_install_signal_handlers();
    if (tui_screen != NULL) { delscreen(tui_screen); tui_screen = NULL; }
    // newterm rather than initscr: an unknown TERM returns NULL instead of exiting inside curses.
    tui_screen = newterm(term, tui_tty, tui_tty);
    if (tui_screen == NULL) {
        tui_restore_signal_handlers();
        return TUI_ERR_UNKNOWN_TERM;
    }
    set_term(tui_screen);
    atomic_store(&tui_is_active, 1);
    if (!tui_atexit_registered) { atexit(tui_atexit_hook); tui_atexit_registered = 1; }

    if (options & TUI_OPT_RAW) raw(); else cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    mouseinterval(0);  // report presses at once instead of waiting to see whether they become clicks
    mousemask(BUTTON1_PRESSED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    return TUI_OK;
}

int tui_active(void) { return atomic_load(&tui_is_active); }

int tui_colors(void) { return (tui_active() && has_colors()) ? COLORS : 0; }

int tui_color_pairs(void) { return (tui_active() && has_colors()) ? COLOR_PAIRS : 0; }

int tui_direct_color(void) {
    if (!tui_active()) return 0;
    return tigetflag("RGB") > 0 || COLORS >= 0x1000000;
}

int tui_init_pair(int pair, int fg, int bg) {
    if (pair <= 0 || pair >= COLOR_PAIRS) return -1;  // never a negative pair, never pair 0
    return init_extended_pair(pair, fg, bg) == OK ? 0 : -1;
}

void tui_reset_pairs(void) { reset_color_pairs(); }

void tui_size(int *width, int *height) {
    int h = 0, w = 0;
    if (tui_active()) getmaxyx(stdscr, h, w);
    *width = w;
    *height = h;
}

void tui_put_cell(int y, int x, uint32_t ch, int pair, uint32_t attrs) {
    if (y < 0 || x < 0 || y >= LINES || x >= COLS) return;
    attr_t a = A_NORMAL;
    if (attrs & TUI_ATTR_BOLD) a |= A_BOLD;
    if (attrs & TUI_ATTR_DIM) a |= A_DIM;
    if (attrs & TUI_ATTR_REVERSE) a |= A_REVERSE;
    if (attrs & TUI_ATTR_UNDERLINE) a |= A_UNDERLINE;
    if (pair < 0) pair = 0;
    wchar_t text[2] = { (wchar_t)ch, L'\0' };
    cchar_t cell;
    // The extended pair goes through the opts pointer; the short argument (and COLOR_PAIR) keep 8-16 bits.
    setcchar(&cell, text, a, 0, &pair);
    // Writing the bottom-right cell reports ERR (the cursor cannot advance) but the cell is written.
    mvwadd_wch(stdscr, y, x, &cell);
}

void tui_clear(void) { clearok(stdscr, TRUE); }

void tui_refresh(void) { wrefresh(stdscr); }

static int tui_map_key(int key) {
    switch (key) {
    case KEY_UP: return TUI_KEY_UP;
    case KEY_DOWN: return TUI_KEY_DOWN;
    case KEY_LEFT: return TUI_KEY_LEFT;
    case KEY_RIGHT: return TUI_KEY_RIGHT;
    case KEY_HOME: case KEY_FIND: case KEY_A1: return TUI_KEY_HOME;
    case KEY_END: case KEY_SELECT: case KEY_C1: case KEY_LL: return TUI_KEY_END;
    case KEY_PPAGE: case KEY_A3: return TUI_KEY_PAGE_UP;
    case KEY_NPAGE: case KEY_C3: return TUI_KEY_PAGE_DOWN;
    case KEY_BACKSPACE: return TUI_KEY_BACKSPACE;
    case KEY_DC: return TUI_KEY_DELETE;
    case KEY_IC: return TUI_KEY_INSERT;
    case KEY_ENTER: return TUI_KEY_ENTER;
    case KEY_BTAB: return TUI_KEY_BACK_TAB;
    default:
        if (key >= KEY_F0 && key <= KEY_F(63)) return TUI_KEY_F0 + (key - KEY_F0);
        return TUI_KEY_UNKNOWN;
    }
}

int tui_read_event(int timeout_ms, tui_event *event) {
    memset(event, 0, sizeof *event);
    if (!tui_active()) return TUI_EV_NONE;
    wtimeout(stdscr, timeout_ms < 0 ? -1 : timeout_ms);
    for (;;) {
        wint_t wch = 0;
        int rc = wget_wch(stdscr, &wch);
        if (rc == ERR) return TUI_EV_NONE;
        if (rc == OK) {
            event->kind = TUI_EV_CHAR;
            event->code = (uint32_t)wch;
            return event->kind;
        }
        // rc == KEY_CODE_YES: a function key
        if (wch == KEY_RESIZE) {
            event->kind = TUI_EV_RESIZE;
            getmaxyx(stdscr, event->y, event->x);
            return event->kind;
        }
        if (wch == KEY_MOUSE) {
            MEVENT me;
            if (getmouse(&me) != OK) continue;
            int button = TUI_MOUSE_OTHER;
            if (me.bstate & BUTTON1_PRESSED) button = TUI_MOUSE_LEFT;
            else if (me.bstate & BUTTON2_PRESSED) button = TUI_MOUSE_MIDDLE;
            else if (me.bstate & BUTTON3_PRESSED) button = TUI_MOUSE_RIGHT;
            else if (me.bstate & BUTTON4_PRESSED) button = TUI_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
            else if (me.bstate & BUTTON5_PRESSED) button = TUI_MOUSE_WHEEL_DOWN;
#endif
            else continue;  // releases and motion: keep waiting
            event->kind = TUI_EV_MOUSE;
            event->x = me.x;
            event->y = me.y;
            event->button = button;
            return event->kind;
        }
        event->kind = TUI_EV_KEY;
        event->code = (uint32_t)tui_map_key((int)wch);
        return event->kind;
    }
}
