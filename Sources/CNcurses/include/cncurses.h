// ncursesw shim: see tui.c
