"""The one error type arnn_torch raises for bad input (a file, a config, a setting): one line, no trace."""


class ArnnError(ValueError):
    """A problem with the user's input, with a one-line message that names it."""
