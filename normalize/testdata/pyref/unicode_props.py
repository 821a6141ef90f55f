#!/usr/bin/env python3
"""Prints, for every code point assigned in Python's Unicode database, the
properties normalize/ reimplements, so a Go test can compare them all:

  <hex code point> <hex code points of c.lower(), joined by "+"> <flags>

flags is a bit set: 1 isalnum, 2 isspace, 4 (c+"Σ").lower() ends in ς,
8 ("A"+c+"Σ").lower() ends in ς, 16 ("AΣ"+c).lower()[1] is ς. The last
three observe Cased and Case_Ignorable through the Final_Sigma rule.
The first line is the Unicode version.
"""

import sys
import unicodedata

out = [unicodedata.unidata_version]
for cp in range(0x110000):
    c = chr(cp)
    if unicodedata.category(c) in ("Cn", "Cs"):
        continue
    flags = (
        c.isalnum()
        | c.isspace() << 1
        | ((c + "Σ").lower()[-1] == "ς") << 2
        | (("A" + c + "Σ").lower()[-1] == "ς") << 3
        | (("AΣ" + c).lower()[1] == "ς") << 4
    )
    out.append("%x %s %d" % (cp, "+".join("%x" % ord(x) for x in c.lower()), flags))
out.append("")
sys.stdout.write("\n".join(out))
