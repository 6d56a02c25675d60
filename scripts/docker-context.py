#!/usr/bin/env python3
"""Checks that every Dockerfile under docker/ builds from what git tracks.

Each COPY or ADD source taken from the build context (not `--from=` a stage or an image, not a
URL, not a heredoc) must name files that `git ls-files` lists and that the Dockerfile's ignore
file lets through: a fresh clone is all a user has, and a file that only a working tree holds
(Package.resolved, a local PKI) breaks `docker build` there. The build context is the repository
root, as docker/README.md and docker/compose.yaml build it.

Sources are matched as BuildKit matches them: a directory stands for every file beneath it;
`*`, `?` and `[…]` match within one path segment; a wildcard may match nothing (that is how a
Dockerfile copies a file only when present) but the directory it searches must exist. The
ignore file is `<Dockerfile>.dockerignore` beside the Dockerfile, else `.dockerignore` at the
root, read with Docker's rules (`**`, `!` exceptions, the last matching line wins, a matching
directory excludes what is beneath it). A tracked symbolic link inside a directory that a stage
copies (COPY keeps such links as links) must point into the repository, at something the same
stage copies too.

  scripts/docker-context.py

Before the repository, the rules are checked on small made-up Dockerfiles, so that a broken
parser cannot pass by finding nothing. Exits 1 with one line per finding.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

WILDCARDS = re.compile(r"[*?\[]")


def segment_regex(pattern):
    """The regular expression of a path pattern as Docker reads COPY sources and .dockerignore
    lines (Go's filepath.Match): `*`, `?` and `[…]` stay within a segment; `**`, as in
    .dockerignore, matches any number of segments."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*" and pattern[i + 1:i + 2] == "*":
            i += 2
            if pattern[i:i + 1] == "/":
                i += 1
            out += "(.*/)?" if i < len(pattern) else ".*"
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                raise ValueError(f"unclosed '[' in {pattern!r}")
            out += pattern[i:end + 1]
            i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def prefixes(path):
    """The directories above `path`, outermost first, then `path`: a, a/b, a/b/c."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def clean(path):
    """A context path as Docker cleans it: no leading `/` or `./`, no empty or `.` segments."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    return "/".join(parts)


class IgnoreFile:
    """The lines of a .dockerignore, applied as Docker applies them."""

    def __init__(self, text, name):
        self.name = name
        self.rules = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            pattern = clean(line[1:].strip() if exception else line)
            if pattern:
                self.rules.append((exception, segment_regex(pattern)))

    def excludes(self, path):
        """Whether `path` stays out of the build context."""
        excluded = False
        for exception, regex in self.rules:
            if exception != excluded:
                continue
            if any(regex.match(candidate) for candidate in prefixes(path)):
                excluded = not exception
        return excluded


def logical_lines(text):
    """The Dockerfile's instructions with the number of the line each starts on: continuation
    lines joined, comments and heredoc bodies left out."""
    lines = text.splitlines()
    # Parser directives (`# syntax=…`, `# escape=…`) come first, before any other line.
    directives = [re.match(r"#\s*(\w+)\s*=\s*(\S+)", line) for line in lines]
    directives = dict(d.groups() for d in directives[:next((n for n, d in enumerate(directives) if not d), len(directives))])
    escape = directives.get("escape", "\\")
    instructions, current, heredocs, start = [], "", [], 0
    for number, line in enumerate(lines, 1):
        if heredocs:
            if (line.lstrip("\t") if heredocs[0][1] else line) == heredocs[0][0]:
                heredocs.pop(0)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        start = start if current else number
        if stripped.endswith(escape):
            current += stripped[:-1] + " "
            continue
        current += stripped
        instructions.append((start, current))
        for dash, word in re.findall(r"<<(-?)[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?", current):
            heredocs.append((word, dash == "-"))
        current = ""
    if current:
        instructions.append((start, current))
    return instructions


def context_sources(instruction):
    """The build-context sources of a COPY or ADD instruction, or [] for any other instruction
    and for one that copies from a stage or an image."""
    keyword, _, rest = instruction.partition(" ")
    if keyword.upper() not in ("COPY", "ADD"):
        return []
    rest = rest.strip()
    flags = []
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        flags.append(flag)
        rest = rest.strip()
    if any(flag.startswith("--from=") for flag in flags):
        return []
    arguments = json.loads(rest) if rest.startswith("[") else rest.split()
    sources = arguments[:-1]
    return [s for s in sources if not s.startswith("<<") and "://" not in s and not s.startswith("git@")]


class Context:
    """The files a build context holds, and the directories above them."""

    def __init__(self, files):
        self.files = set(files)
        self.directories = {directory for f in self.files for directory in prefixes(f)[:-1]}

    def problem(self, source):
        """Why `source` copies nothing from this context, or None (said of a clone's files)."""
        path = clean(source)
        segments = path.split("/")
        first_wildcard = next((n for n, s in enumerate(segments) if WILDCARDS.search(s)), None)
        if first_wildcard is None:
            present = not path or path in self.files or path in self.directories
            return None if present else "is not tracked by git"
        searched = "/".join(segments[:first_wildcard])
        if searched and searched not in self.directories:
            return f"searches {searched}/, which git does not track"
        return None


def brings(source, path, beneath=False):
    """Whether copying `source` brings `path` along: `source` names the path itself or a
    directory above it (with `beneath`, only a directory above it)."""
    pattern = clean(source)
    if not pattern:
        return True
    regex = segment_regex(pattern)
    return any(regex.match(candidate) for candidate in prefixes(path)[:-1 if beneath else None])


def check(dockerfile_text, tracked, ignore, label, links=None):
    """One finding per context source of the Dockerfile that a fresh clone lacks, and per link
    (`links`: tracked symbolic links and the repository path each points to, None outside it)
    that a stage copies without what it points to; and the number of context sources read."""
    clone = Context(tracked)
    context = Context(f for f in tracked if not (ignore and ignore.excludes(f))) if ignore else clone
    links = {link: target for link, target in (links or {}).items() if link in context.files}
    findings, count, stage = [], 0, []

    def dangling_links():
        for number, source in stage:
            for link, target in sorted(links.items()):
                if not brings(source, link, beneath=True):
                    continue
                if target is None:
                    findings.append(f"{label}:{number}: {source} holds the link {link}, which points outside the repository")
                elif not any(brings(other, target) for _, other in stage):
                    findings.append(f"{label}:{number}: {source} holds the link {link} to {target}, which this stage does not copy")

    for number, instruction in logical_lines(dockerfile_text):
        if instruction.split(" ", 1)[0].upper() == "FROM":
            dangling_links()
            stage = []
        for source in context_sources(instruction):
            count += 1
            stage.append((number, source))
            if "$" in source:
                problem = "holds a variable, which this check cannot expand"
            elif not context.problem(source):
                continue
            elif not clone.problem(source):
                problem = f"is excluded by {ignore.name}"
            else:
                problem = clone.problem(source)
            findings.append(f"{label}:{number}: {source} {problem}")
    dangling_links()
    return findings, count


def self_test():
    """The rules on made-up Dockerfiles; returns the examples that came out wrong."""
    tracked = ["Package.swift", "Sources/rabt/main.swift", "bench/run.swift", "docs/a.md", "docs/keep.md",
               "Sources/.build/x.o", "Sources/Resources/samples", "samples/a.yaml",
               "Other/out"]
    ignore = IgnoreFile("**/.build\nbench\ndocs\n!docs/keep.md\n", "test.dockerignore")
    links = {"Sources/Resources/samples": "samples", "Other/out": None}
    examples = {
        "COPY Package.swift Package.resolved ./": ["1: Package.resolved is not tracked by git"],
        "COPY Package.swift Package.resolve[d] ./": [],
        "COPY missing/*.swift ./": ["1: missing/*.swift searches missing/, which git does not track"],
        "COPY Sources/*/main.swift ./": [],
        "COPY Sources ./Sources\nCOPY Sour ./\nCOPY samples ./samples": ["2: Sour is not tracked by git"],
        "FROM a AS build\nCOPY Sources/Resources ./R\nFROM b\nCOPY samples /s": [
            "2: Sources/Resources holds the link Sources/Resources/samples to samples, which this stage does not copy"],
        "COPY Other ./": ["1: Other holds the link Other/out, which points outside the repository"],
        "COPY Sources/Resources/samples ./": [],
        "COPY bench ./bench": ["1: bench is excluded by test.dockerignore"],
        "COPY Sources/.build/x.o ./": ["1: Sources/.build/x.o is excluded by test.dockerignore"],
        "COPY docs/keep.md docs/a.md ./": ["1: docs/a.md is excluded by test.dockerignore"],
        "COPY --from=build /out/bin/ /usr/local/bin/\nADD https://example.org/x.tgz /x": [],
        'COPY --chmod=755 ["Package.swift", \\\n   "gone.sh", "/bin/"]': ["1: gone.sh is not tracked by git"],
        "COPY $FILE /x": ["1: $FILE holds a variable, which this check cannot expand"],
        "COPY <<EOF /etc/note\nCOPY inside-the-heredoc /\nEOF\nCOPY after-it /": ["4: after-it is not tracked by git"],
        "# a comment\nRUN true \\\n # inside\n && true\ncopy /Package.swift ./\nCOPY ./Package.swift \\\n  nowhere ./": ["6: nowhere is not tracked by git"],
    }
    wrong = []
    for text, expected in examples.items():
        found, _ = check(text, tracked, ignore, "x", links)
        found = [f.removeprefix("x:") for f in found]
        if found != expected:
            wrong.append(f"{text!r}: expected {expected}, found {found}")
    return wrong


def main():
    wrong = self_test()
    if wrong:
        print("docker-context: the check itself is wrong:", *wrong, sep="\n  ", file=sys.stderr)
        return 1
    root = pathlib.Path(__file__).resolve().parent.parent
    # `git ls-files -s`: "MODE OBJECT STAGE\tPATH"; mode 120000 is a symbolic link.
    listing = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=root, check=True, capture_output=True).stdout
    entries = [entry.split("\t", 1) for entry in listing.decode().split("\0") if entry]
    tracked = [path for _, path in entries]
    links = {}
    for info, path in entries:
        mode, blob = info.split()[:2]
        if mode == "120000":
            text = subprocess.run(["git", "cat-file", "blob", blob], cwd=root, check=True, capture_output=True).stdout
            target = os.path.normpath(os.path.join(os.path.dirname(path), text.decode()))
            links[path] = None if target == ".." or target.startswith("../") or os.path.isabs(target) else target
    dockerfiles = sorted(f for f in tracked if f.startswith("docker/") and re.search(r"(^|/)Dockerfile[^/]*$|\.Dockerfile$", f)
                         and not f.endswith(".dockerignore"))
    if not dockerfiles:
        print("docker-context: git tracks no Dockerfile under docker/", file=sys.stderr)
        return 1
    findings = []
    for dockerfile in dockerfiles:
        ignore = None
        for name in (dockerfile + ".dockerignore", ".dockerignore"):
            if (root / name).is_file():
                ignore = IgnoreFile((root / name).read_text(), name)
                break
        found, count = check((root / dockerfile).read_text(), tracked, ignore, dockerfile, links)
        if count == 0:
            found.append(f"{dockerfile}: no COPY or ADD from the build context found")
        findings += found
        print(f"docker-context: {dockerfile}: {count} source(s) from the build context"
              f" ({ignore.name if ignore else 'no ignore file'}), {len(found)} problem(s)")
    for finding in findings:
        print(f"docker-context: {finding}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
