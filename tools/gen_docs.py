#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/gen_docs.py - ward's API reference, from the public headers' comments.

    python3 tools/gen_docs.py > docs/api.md

Reads parser/ward_parse.h, server/ward_server.h and tls/ward_tls.h (when
present). Each declaration is shown with the prose comment above it; a
function with an ACSL contract gets its prose and its contract side by
side (an HTML table, which Markdown viewers render). docs/api.md is checked
in; tests/examples/run.sh regenerates it and fails on a difference, when
python3 is there (it is not among tools/deps.sh's packages).
"""
import html
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADERS = [
    ("parser/ward_parse.h", "The parser: `ward_parse.h` (pkg-config `ward-parse`)"),
    ("server/ward_server.h", "The server: `ward_server.h` (pkg-config `ward-server`)"),
    ("tls/ward_tls.h", "TLS: `ward_tls.h` (pkg-config `ward-tls`)"),
]


def strip_comment(text):
    """The text of a /* */ comment, without the markers and leading stars."""
    body = text[2:-2]
    lines = body.split("\n")
    out = []
    for ln in lines:
        s = ln.strip()
        if s.startswith("* ") or s == "*":
            s = s[2:] if s.startswith("* ") else ""
        elif s.startswith("*"):
            s = s[1:]
        out.append(s.rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def dedent_acsl(text):
    """An ACSL block (/*@ ... */) as written, indentation normalised."""
    lines = text.split("\n")
    first = lines[0]
    rest = lines[1:]
    ind = min([len(l) - len(l.lstrip()) for l in rest if l.strip()] or [0])
    return "\n".join([first] + [l[ind:] if len(l) >= ind else l.strip() for l in rest])


def tokens(src):
    """Yield ('comment', text), ('acsl', text), ('pp', line), ('code', text) items."""
    i, n = 0, len(src)
    while i < n:
        if src.startswith("/*", i):
            j = src.index("*/", i + 2) + 2
            kind = "acsl" if src.startswith("/*@", i) else "comment"
            yield kind, src[i:j]
            i = j
        elif src[i] == "#" and (i == 0 or src[i - 1] == "\n"):
            j = i
            while True:
                e = src.find("\n", j)
                if e < 0:
                    e = n
                if src[j:e].rstrip().endswith("\\"):
                    j = e + 1
                    continue
                break
            yield "pp", src[i:e]
            i = e
        elif src[i].isspace():
            j = i
            while j < n and src[j].isspace():
                j += 1
            if src[i:j].count("\n") >= 2:
                yield "blank", ""
            i = j
        else:
            if src.startswith('extern "C"', i):
                i = src.index("{", i) + 1
                continue
            if src[i] == "}":  # the end of extern "C"
                i += 1
                continue
            # a declaration: up to ';' at depth 0 (comments inside kept)
            depth, j = 0, i
            while j < n:
                if src.startswith("/*", j):
                    j = src.index("*/", j + 2) + 2
                    continue
                c = src[j]
                if c in "{(":
                    depth += 1
                elif c in "})":
                    depth -= 1
                    if depth < 0:  # the } of extern "C"
                        break
                elif c == ";" and depth == 0:
                    j += 1
                    break
                j += 1
            if depth < 0:
                i = j + 1
                continue
            yield "code", src[i:j]
            i = j


def decl_name(code):
    c = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    m = re.search(r"\}\s*(\w+)\s*;\s*$", c)
    if m:
        return m.group(1), "type"
    m = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", c)
    if m and "{" not in c:
        return m.group(1), "type"
    m = re.match(r"\s*enum\s*\{\s*(\w+)", c)
    if m:
        return "enum { " + m.group(1) + ", ... }", "type"
    m = re.match(r"\s*typedef\s+struct\s+\w+\s+(\w+)\s*;", c)
    if m:
        return m.group(1), "type"
    m = re.match(r"\s*enum\s+(\w+)\s*\{", c)
    if m:
        return "enum " + m.group(1), "type"
    m = re.search(r"(\w+)\s*\([^()]*(\([^()]*\)[^()]*)*\)\s*;\s*$", c, flags=re.S)
    if m:
        return m.group(1), "function"
    return c.strip().split("\n")[0], "other"


def prose_html(text):
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    out = []
    for p in paras:
        if all(l.startswith("    ") or not l.strip() for l in p.split("\n")) or "\n    " in "\n" + p and p.startswith("    "):
            out.append("<pre>" + html.escape(p) + "</pre>")
            continue
        t = html.escape(" ".join(l.strip() for l in p.split("\n")))
        t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
        out.append("<p>" + t + "</p>")
    return "\n".join(out)


def render(path, title):
    src = open(os.path.join(ROOT, path), encoding="utf-8").read()
    out = ["", "## " + title, ""]
    prose, acsl, macros = None, [], []
    first = True

    def flush_logic():
        nonlocal acsl
        if acsl:
            out.append("ACSL logic used by the contracts below:")
            out.append("")
            out.append("```")
            out.extend(dedent_acsl(a) for a in acsl)
            out.append("```")
            out.append("")
            acsl = []

    def flush_macros():
        nonlocal macros, prose
        if macros:
            if prose:
                out.append(prose.replace("\n", " ").strip())
                out.append("")
                prose = None
            out.append("```c")
            out.extend(macros)
            out.append("```")
            out.append("")
            macros = []

    for kind, text in tokens(src):
        if kind == "comment":
            t = strip_comment(text)
            if t.startswith("SPDX-License-Identifier:"):
                continue  # the licence tag, not documentation
            if first:
                first = False
                out.append(t.replace("\n\n", "\n\n").strip())
                out.append("")
                continue
            m = re.match(r"^-+\s*(.*?)\s*-+$", t)
            if m and "\n" not in t:
                flush_macros()
                flush_logic()
                out.append("### " + m.group(1))
                out.append("")
                prose = None
                continue
            flush_macros()
            if acsl and prose is None:
                flush_logic()
            prose = t
        elif kind == "acsl":
            flush_macros()
            acsl.append(text)
        elif kind == "pp":
            if text.startswith("#define") and not re.match(r"#define\s+WARD_\w+_H\s*$", text) \
                    and "WARD_NODISCARD" not in text:
                macros.append(text)
            continue
        elif kind == "blank":
            flush_macros()
            continue
        elif kind == "code":
            flush_macros()
            code = text.strip()
            if code.startswith('extern "C"'):
                continue
            name, what = decl_name(code)
            out.append("#### `" + name + "`")
            out.append("")
            out.append("```c")
            out.append(code)
            out.append("```")
            out.append("")
            if what == "function" and acsl:
                out.append("<table><tr><th>What it does</th><th>Its contract (ACSL, proved by Frama-C WP)</th></tr>")
                out.append("<tr><td valign=\"top\">")
                out.append(prose_html(prose or ""))
                out.append("</td><td valign=\"top\"><pre>")
                out.append(html.escape("\n".join(dedent_acsl(a) for a in acsl)))
                out.append("</pre></td></tr></table>")
                out.append("")
                acsl = []
            else:
                flush_logic()
                if prose:
                    out.append(prose)
                    out.append("")
            prose = None
    flush_macros()
    flush_logic()
    return out


def main():
    out = [
        "# ward API reference",
        "",
        "Generated by `tools/gen_docs.py` from the comments of the public headers; do not",
        "edit (change the header, then `python3 tools/gen_docs.py > docs/api.md`). Each",
        "parser function is shown with its prose and, beside it, the ACSL contract that",
        "`ninja proofs` proves. The stability rule: README.md, \"API and ABI stability\".",
    ]
    for path, title in HEADERS:
        if os.path.exists(os.path.join(ROOT, path)):
            out.extend(render(path, title))
    sys.stdout.write("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
