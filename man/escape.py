#!/usr/bin/python3
"""Writes a roff page with every non-ASCII character as \\[uXXXX], so that
groff reads it without preconv (groff -man -Tutf8 fzcheck.1) and man-db
alike.

    man/escape.py man/fzcheck.1.in > man/fzcheck.1      (make man)
"""
import sys


def escape(text):
    return "".join(c if ord(c) < 0x80 else "\\[u%04X]" % ord(c) for c in text)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        src = f.read()
    sys.stdout.write(".\\\" Generated from %s by man/escape.py (make man): edit that file.\n" % sys.argv[1].split("/")[-1])
    sys.stdout.write(escape(src))
