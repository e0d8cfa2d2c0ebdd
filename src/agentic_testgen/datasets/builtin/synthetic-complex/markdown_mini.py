"""A tiny Markdown subset to HTML: headings, emphasis, code, lists and paragraphs."""

import html
import re

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"\*(.+?)\*")
CODE = re.compile(r"`(.+?)`")


def inline(text):
    text = html.escape(text, quote=False)
    text = CODE.sub(r"<code>\1</code>", text)
    text = BOLD.sub(r"<strong>\1</strong>", text)
    return ITALIC.sub(r"<em>\1</em>", text)


def render(markdown):
    out, paragraph, in_list = [], [], False

    def flush_paragraph():
        if paragraph:
            out.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            flush_paragraph()
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{inline(stripped[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if not stripped:
            flush_paragraph()
        elif stripped.startswith("#"):
            flush_paragraph()
            level = len(stripped) - len(stripped.lstrip("#"))
            if level > 6:
                raise ValueError("headings go to level 6")
            out.append(f"<h{level}>{inline(stripped[level:].strip())}</h{level}>")
        else:
            paragraph.append(stripped)
    flush_paragraph()
    if in_list:
        out.append("</ul>")
    return "\n".join(out)
