"""Exit codes of the command line and the failures that carry them (see README, "When things go wrong")."""

from __future__ import annotations

import errno

# Exit codes (see README, "When things go wrong").
EXIT_OK = 0


EXIT_USAGE = 64


EXIT_DATA = 65


EXIT_NO_INPUT = 66


EXIT_KERNEL = 69


EXIT_BRIEF = 70


EXIT_CANT_CREATE = 73


EXIT_IO = 74


EXIT_TEMP = 75


#: 128 + the signal's number, as a shell reports a process stopped by it: SIGINT (Ctrl-C), SIGTERM.
EXIT_SIGINT = 130


EXIT_SIGTERM = 143


#: The reader of our output went away (`list | head`): 128 + SIGPIPE, as for any Unix tool.
EXIT_PIPE = 141


#: errno values that mean "cannot create or replace this file or folder" (73) rather than an I/O error (74).
CANT_CREATE_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR, errno.ENOTDIR, errno.ELOOP, errno.EEXIST, errno.ENAMETOOLONG, errno.ENOTEMPTY}
)


def write_error_code(exc: OSError) -> int:
    """73 for an output that cannot be created or replaced, 74 for any other I/O error (disk full, ...)."""
    return EXIT_CANT_CREATE if exc.errno in CANT_CREATE_ERRNOS else EXIT_IO


class BuildError(Exception):
    """A failure that ends the build with `code`."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class BriefFailure(Exception):
    """One brief failed; the build goes on with the others and exits 70 (or `code`)."""

    def __init__(self, message: str, code: int = EXIT_BRIEF):
        super().__init__(message)
        self.code = code
