"""Split a shell-like command line into words, honouring quotes and escapes."""


class TokenizeError(Exception):
    pass


def split(line):
    words, current = [], []
    quote = None
    escaped = False
    has_word = False
    for ch in line:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            if ch == quote:
                quote = None
            else:
                current.append(ch)
        elif ch in "'\"":
            quote = ch
            has_word = True
        elif ch.isspace():
            if current or has_word:
                words.append("".join(current))
                current, has_word = [], False
        else:
            current.append(ch)
    if escaped:
        raise TokenizeError("line ends with a backslash")
    if quote:
        raise TokenizeError(f"unclosed {quote} quote")
    if current or has_word:
        words.append("".join(current))
    return words


def join(words):
    def quote_word(word):
        if word and all(ch.isalnum() or ch in "-_./=" for ch in word):
            return word
        return "'" + word.replace("'", "'\\''") + "'"

    return " ".join(quote_word(word) for word in words)
