#!/usr/bin/env python3
"""Python reference for normalize/ tests.

Written from the rules of the Python builder's core/normalize.py and
translation helpers (docs/merge-rules.md, "Normalisation" and "Translations"), so the Go tests
can compare against the real Python semantics: str.lower, str.strip,
str.isalnum, str.isspace and the re module's IGNORECASE behaviour.

Usage:
  reference.py < inputs.jsonl > records.jsonl
    Each input line is a JSON string. Each output line is a JSON object with
    the Python results; "tag" and "split" include the decisions the Go package
    documents (one backslash for U+FF3C, collapsed spaces, repeated strip of
    whitespace and quotes), and "python_tag"/"python_split" hold the plain
    Python result where it differs. "script" lists the languages among ja, zh,
    ko whose required-script check the input passes.
  reference.py corpus > corpus.jsonl
    Prints the hand-written and seeded random test inputs.
"""

import json
import random
import re
import sys

FACE = r"0-9oOxXtTuUvV\.\-\+;:\^<>=_"
RULE2 = re.compile(r"^[a-z0-9][a-z0-9_./:-]*_\([a-z0-9][a-z0-9_./:-]*\)$", re.IGNORECASE)
RULE3 = re.compile(r"^/[a-z0-9][a-z0-9_./:-]*/$", re.IGNORECASE)
RULE4 = re.compile(r"^\s*[:;=8xX]-?[)D(P/\\|]\s*$", re.IGNORECASE)
RULE5 = re.compile(r"^\s*[:;][<>]=?\s*$")
RULE6 = re.compile(r"^\([" + FACE + r"]{1,5}(?:_[" + FACE + r"]{1,5})*\)$")
RULE7 = re.compile(r"^\([a-z0-9_]{2,}\)$", re.IGNORECASE)
RULE8 = re.compile(r"^[" + FACE + r"]{1,3}(?:_[" + FACE + r"]{1,3})+$")
SIGNAL = "^;:<>="


def is_kaomoji(text):
    s = text.strip()
    if not s or len(s) > 24:
        return False
    if RULE2.match(s) or RULE3.match(s):
        return False
    if RULE4.match(s) or RULE5.match(s) or RULE6.match(s):
        return True
    if RULE7.match(s):
        return False
    if RULE8.match(s):
        low = s.lower()
        if any(c in s for c in SIGNAL) or any(c.isdigit() for c in s) or "o" in low or "x" in low:
            return True
    alnum = punct = 0
    space = False
    for c in s:
        if c.isalnum():
            alnum += 1
        elif c.isspace():
            space = True
        else:
            punct += 1
    return any(c in s for c in SIGNAL) and punct >= 2 and alnum <= 3 and not space


UNESCAPED_RPAREN = re.compile(r"(?<!\\)\)")
UNESCAPED_LPAREN = re.compile(r"(?<!\\)\(")


def escape_parens(s):
    return UNESCAPED_LPAREN.sub(r"\\(", UNESCAPED_RPAREN.sub(r"\\)", s))


FULL_WIDTH = {
    "：": ":", "，": ",", "．": ".", "；": ";", "！": "!", "？": "?",
    "（": "(", "）": ")", "［": "[", "］": "]", "｛": "{", "｝": "}",
    "／": "/", "＋": "+", "＝": "=", "－": "-", "＊": "*", "＆": "&",
    "％": "%", "＃": "#", "＠": "@", "＾": "^", "～": "~", "｜": "|",
    "＜": "<", "＞": ">", "\u3000": " ",
}
PY_TABLE = str.maketrans({**FULL_WIDTH, "＼": "\\\\"})  # two backslashes, as Python does
GO_TABLE = str.maketrans({**FULL_WIDTH, "＼": "\\"})


def normalize_tag(raw, table=PY_TABLE, collapse=False):
    s = raw.strip()
    if not s:
        return ""
    if is_kaomoji(s):
        return escape_parens(s)
    s = s.translate(table).lower().replace("_", " ").strip()
    if collapse:
        s = re.sub(" +", " ", s)
    return escape_parens(s)


def source_tag(raw):
    s = raw.strip()
    if not s or is_kaomoji(s):
        return s
    return s.lower()


SPLIT = re.compile("[,，、､﹐]")
QUOTES = " \"'“”‘’「」"
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def split_python(text):
    parts = (p.strip().strip(QUOTES) for p in SPLIT.split(text))
    return [p for p in parts if p]


def split_fixed(text):
    parts = (p.strip(WHITESPACE + QUOTES) for p in SPLIT.split(text))
    return [p for p in parts if p]


SCRIPT = {
    "ja": re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "zh": re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "ko": re.compile("[\uac00-\ud7af]"),
}


def has_script(lang, text):
    return not text or SCRIPT[lang].search(text) is not None


def record(s):
    r = {
        "in": s,
        "kaomoji": is_kaomoji(s),
        "lower": s.lower(),
        "source_tag": source_tag(s),
        "tag": normalize_tag(s, GO_TABLE, collapse=True),
        "split": split_fixed(s),
        "script": "".join(lang for lang in ("ja", "zh", "ko") if has_script(lang, s)),
    }
    # The plain Python results are written only where the documented
    # decisions change them, to keep the file small.
    if (py := normalize_tag(s)) != r["tag"]:
        r["python_tag"] = py
    if (py := split_python(s)) != r["split"]:
        r["python_split"] = py
    return r


HAND = [
    "Witch", "HATSUNE_MIKU", "spiked_collar", "1_girl", "  tag  ", " multiple words ",
    ":D", ":d", "XD", "xd", "xp", ";)", "8)", ":-P", "=|", "x-\\", ":<", ":>=", ";>", ":<<",
    "(o_o)", "(O_O)", "(9)", "(^_^)", "(oooooo)", "(ooo_oooooo)", "(o__o)", "(mlp)", "(MLP)", "(ab_cd)",
    "^_^", "0_0", ">_<", "x_x", "3_3", "100_100", "1000_1", "t_t", "u_u", "v_v", "au_ra", "@_@", "o_o_o",
    "^__^", "_^_", "^_", "T_T", "O_o", "-_-", "-_-;", "^^;", "^^", ">:(", ":3", "<3", "=^.^=", "(=^.^=)",
    "bow_(weapon)", "bow_\\(weapon\\)", "Bow_(Weapon)", "ganyu_(genshin_impact)", "a:_(b)", "ſ:_(b)",
    "İ:_(a)", "K:_(a)", "ı:_(a)", "a:b_(c:d)", "/mlp/", "/MLP/", "/a:b/", "/A:B/", "/K:/", "/:a/",
    "Ｔｅｓｔ：ｘ", "ＴＥＳＴ＿ｘ", "_", "__", "a__b", "a___b", "_a_", "__a__", "a_ _b", "a\u3000\u3000b",
    "copyright:vtuber", "Copyright:VTuber", "\\(o_o\\)", "＼", "a＼b", "＼（", "＼(", "a＼(b)", "（ａ）",
    "ＩＳＴＡＮＢＵＬ", "İSTANBUL", "İ", "ΟΔΟΣ", "ΟΔΟΣ ΟΔΟΣ", "Σ", "ΑΣ", "ΑΣ.", "ΑΣ'Α", "Α.Σ", "ΑΣ_Β",
    "ΑΣ\u0301", "ΑΣ\u0301Β", "\u0345Σ", "ΑΣΑ", "Σ_Σ", "ǅΣ", "ᾼΣ", "ßΣ", "ΣΣ", "ΑΣΣ", "ΑΣ：", "ΑΣ：Α",
    "ΑΣ．", "ΑΣ．Α", "ΑΣ＾Α", "ΑΣ^Α", "ꓘ", "Ａ", "ẞ", "ǈ", "Ω", "K", "Å", "ͅ",
    "\x1c", "\x1ctag\x1f", "\u00a0tag\u00a0", "tag\u2003", "\u0085x", "a\tb", "a \t b", "\t_\t",
    "魔女", "魔女､まじょ", ",アークナイツ,アークナイツバトルイラコン", ",崩壊", "つくよみちゃん,",
    "「魔女」", "“魔女”, ‘まじょ’", "\"\t魔女\"", " ' ", "、、", "a，b、c﹐d､e", "猫耳", "！！", "abc",
    "Digimon Universe：Appli Monsters", "ねこみみ", "한국어", "ﾈｺ", "𠀀", "abc,魔女", "豈",
    "(", ")", "()", "((", "\\", "\\\\(", "a(b", "a\\(b", "a\\\\(b", "(a)(b)", ":(", ":)", ":-)",
    ":_(", "=_=", "=_=;", "^o^", "(^o^)", "(≧▽≦)", "(´・ω・`)", "orz", "OTL", "\\o/", "\\(^o^)/",
    "x_X", "X_X", "o_O", "0_o", "T.T", "T_T;", ";_;", "._.", ".__.", ":o", ":O", ";;",
    "aaaaaaaaaaaaaaaaaaaaaaaa", "^_^aaaaaaaaaaaaaaaaaaaaaaa", "^_^" + "_^" * 11, "^_^" + "_^" * 10 + "_",
    "Long_Hair", "long hair", "red_eyes", "1girl", "looking_at_viewer", "hatsune_miku_(append)",
]

ALPHABET = list(
    "aAbBoOxXtTuUvV019_ ()\\/:;=^<>.-+|dDpP@,'\""
) + ["İ", "ı", "ſ", "K", "Σ", "σ", "Α", "ß", "\u0301", "\u0345", "：", "（", "）", "＼", "＿", "\u3000",
     "\u00a0", "\x1c", "\t", "魔", "ね", "ネ", "한", "ﾈ", "，", "、", "､", "﹐", "「", "」", "“", "”", "‘", "’",
     "Ｔ", "ｔ", "．", "＾", "ǅ", "ꓘ", "ﬀ"]


def corpus():
    rng = random.Random(20240607)
    out = list(HAND)
    for _ in range(2500):
        n = rng.choice([1, 2, 3, 3, 4, 5, 5, 6, 7, 9, 12, 20, 24, 25, 30])
        out.append("".join(rng.choice(ALPHABET) for _ in range(n)))
    for s in out:
        print(json.dumps(s))


def main():
    if sys.argv[1:] == ["corpus"]:
        corpus()
        return
    out = [
        json.dumps(record(json.loads(line)), ensure_ascii=False, separators=(",", ":"))
        for line in sys.stdin
        if line.strip()
    ]
    out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
