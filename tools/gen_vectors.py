#!/usr/bin/env python3
"""Generate independently labelled test vectors for the four form-field checks.

Output: tests/vectors/fields.tsv (columns: kind, country, input, expected, group).

Labels come from two independent sources that must agree for every row:

1. The *intent* of the generator that built the row (e.g. "a valid number with one
   digit changed" is intended to fail).
2. A reference classifier written in this file from the spec. It delegates the
   hard parts to third-party implementations: python-stdnum (`stdnum.cn.ric`) for
   the MOD 11-2 check character and birth-date parsing of resident ID numbers, and
   phonenumbers (Python port of libphonenumber) for which mobile ranges are
   allocated. Our own MOD 11-2 weight-table implementation is cross-checked
   against stdnum on every 18-character row.

The script aborts if the two disagree on any row.

Requirements: Python 3.11, python-stdnum==2.2, phonenumbers==9.0.43
    pip install python-stdnum==2.2 phonenumbers==9.0.43
    python3 tools/gen_vectors.py                      # today = now in Asia/Shanghai
    python3 tools/gen_vectors.py --today 2026-11-28   # reproduce an earlier run

Deterministic: fixed random seed. Only the date-relative groups
(id-born-today, id-future-tomorrow, id-future-next-year) depend on --today.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import phonenumbers
import stdnum
from phonenumbers import PhoneNumberType
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent

SEED = 11643  # GB 11643-1999
REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "tests" / "vectors"

PASS, WARN, FAIL = "pass", "warn", "fail"

# Upper bound for randomly drawn *past* birth dates, fixed so that most rows do not
# change from one day to the next.
RANDOM_DATE_MAX = dt.date(2025, 12, 31)
DATE_MIN = dt.date(1900, 1, 1)

PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
    "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65", "71", "81", "82", "83",
]
UNKNOWN_PROVINCES = [
    f"{i:02d}" for i in range(0, 90) if f"{i:02d}" not in PROVINCES
]  # first digit 9 is the permanent-residence prefix, so 90..99 are excluded

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def today_shanghai() -> dt.date:
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database: China has had no DST since 1991
        tz = dt.timezone(dt.timedelta(hours=8))
    return dt.datetime.now(tz).date()


# ---------------------------------------------------------------------------
# Reference classifiers (the spec, with stdnum / phonenumbers as oracles)
# ---------------------------------------------------------------------------

def mod11_2(body17: str) -> str:
    """Our own GB 11643 check character from the weight table."""
    s = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS))
    return "10X98765432"[s % 11]


def stdnum_check(body17: str) -> str:
    """Check character according to python-stdnum (takes number incl. check)."""
    c = ric.calc_check_digit(body17 + "0")
    assert c == mod11_2(body17), body17  # cross-check the two implementations
    return c


def normalise_id(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw)
    s = "".join(c for c in s if not c.isspace() and c not in "-.")
    return s.upper()


def classify_id(raw: str, today: dt.date) -> str:
    s = normalise_id(raw)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", s):
        return FAIL
    if not (s[0] == "9" or s[:2] in PROVINCES):
        return FAIL
    if stdnum_check(s[:17]) != s[17]:
        return FAIL
    try:
        born = ric.get_birth_date(s)  # stdnum: must be a real Gregorian date
    except InvalidComponent:
        return FAIL
    if not (DATE_MIN <= born <= today):
        return FAIL
    return PASS


PHONE_SEPARATORS = set(" -.()/")
IP_DIAL = re.compile(r"(?:17951|17911|125\d\d)(1\d{10})")


def normalise_phone(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw)
    s = "".join(c for c in s if not c.isspace() and c not in PHONE_SEPARATORS)
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif re.fullmatch(r"86\d{11}", s):
        s = s[2:]
    # trunk 0 (also after +86, as libphonenumber does) or an IP-dial prefix
    if re.fullmatch(r"0(1\d{10})", s):
        s = s[1:]
    elif m := IP_DIAL.fullmatch(s):
        s = m.group(1)
    return s


def libphonenumber_mobile(national: str) -> bool:
    n = phonenumbers.parse("+86" + national)
    return phonenumbers.is_valid_number(n) and phonenumbers.number_type(n) in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def classify_phone(raw: str) -> str:
    s = normalise_phone(raw)
    if not re.fullmatch(r"1[3-9]\d{9}", s):
        return FAIL
    return PASS if libphonenumber_mobile(s) else WARN


def normalise_passport(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw)
    s = "".join(c for c in s if not c.isspace() and c != "-")
    return s.upper().rstrip("<")


def classify_passport(country: str, raw: str) -> str:
    s = normalise_passport(raw)
    if not re.fullmatch(r"[A-Z0-9]+", s):
        return FAIL
    if country != "CHN":
        return PASS if 5 <= len(s) <= 20 else FAIL
    if len(s) != 9:
        return FAIL
    if re.fullmatch(r"E\d{8}|E[A-HJ-NP-Z]\d{7}|(?:DE|SE|PE)\d{7}", s):
        return PASS
    return WARN  # G + 8 digits (expired series) and every other 9-char value


ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
NAME_DOTS = {
    "\u00b7", "\u2022", "\u30fb", "\uff65", "\uff0e", "\u002e",
    "\u2027", "\u22c5", "\u2219", "\u0387",
}
APOSTROPHES = {"'", "\u2019", "\u2018", "\u02bc"}


def is_han(c: str) -> bool:
    o = ord(c)
    return (
        o == 0x3007
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or (0x20000 <= o <= 0x3FFFD and (o & 0xFFFE) != 0xFFFE)
    )


def is_latin_letter(c: str) -> bool:
    return unicodedata.category(c).startswith("L") and "LATIN" in unicodedata.name(c, "")


def normalise_name(raw: str) -> str:
    s = "".join(c for c in raw if c not in ZERO_WIDTH).strip()
    s = "".join(
        unicodedata.normalize("NFKC", c)
        if 0xFF01 <= ord(c) <= 0xFF5E or 0x2F00 <= ord(c) <= 0x2FD5
        else c
        for c in s
    )
    s = unicodedata.normalize("NFC", s)
    # Between two Han characters: a run of whitespace is removed, a single dot
    # look-alike becomes U+00B7. Anything else is left for the checks below.
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c.isspace() or c in NAME_DOTS:
            j = i
            while j < len(s) and (s[j].isspace() or s[j] in NAME_DOTS):
                j += 1
            run = s[i:j]
            between_han = i > 0 and j < len(s) and is_han(s[i - 1]) and is_han(s[j])
            if between_han and all(x.isspace() for x in run):
                run = ""
            elif between_han and len(run) == 1:
                run = "\u00b7"
            out.append(run)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def classify_name(raw: str) -> str:
    s = normalise_name(raw)
    if not s:
        return FAIL
    if any(is_han(c) for c in s):
        if any(not (is_han(c) or is_latin_letter(c) or c == "\u00b7") for c in s):
            return FAIL  # digits, emoji, markup, other punctuation, spaces next to Latin
        if s[0] == "\u00b7" or s[-1] == "\u00b7" or "\u00b7\u00b7" in s:
            return FAIL  # separator at either end or doubled
        if any(is_latin_letter(c) for c in s):
            return WARN  # Han mixed with Latin
        if sum(is_han(c) for c in s) == 1:
            return WARN  # single Han character
        return PASS
    # Latin name as on a passport
    if "<" in s:
        if not re.fullmatch(r"[A-Za-z]+(?:<{1,2}[A-Za-z]+)*<*", s):
            return FAIL
        s = s.replace("<", " ").strip()
    ok = all(
        is_latin_letter(c) or unicodedata.category(c).startswith("M")
        or c.isspace() or c in "-." or c in APOSTROPHES
        for c in s
    )
    return PASS if ok and any(is_latin_letter(c) for c in s) else FAIL


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

class Rows:
    def __init__(self, today: dt.date):
        self.today = today
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, kind: str, country: str, value: str, expected: str, group: str) -> None:
        self.rows.append((kind, country, value, expected, group))


def rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def ymd(d: dt.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_id(address6: str, date8: str, seq3: str) -> str:
    body = address6 + date8 + seq3
    assert len(body) == 17 and body.isdigit()
    return body + stdnum_check(body)


def random_valid_id(rng: random.Random, hi: dt.date = RANDOM_DATE_MAX) -> str:
    addr = rng.choice(PROVINCES) + digits(rng, 4)
    return make_id(addr, ymd(rand_date(rng, DATE_MIN, hi)), digits(rng, 3))


def stdnum_raises(number: str, exc: type) -> bool:
    try:
        ric.validate(number)
    except exc:
        return True
    except Exception:
        return False
    return False


# ---------------------------------------------------------------------------
# Resident ID number groups
# ---------------------------------------------------------------------------

def id_valid(r: Rows, rng: random.Random) -> list[str]:
    out = []
    while len(out) < 300:
        n = random_valid_id(rng, min(RANDOM_DATE_MAX, r.today))
        ric.get_birth_date(n)  # stdnum agrees the date is real
        if n in out:
            continue
        out.append(n)
        r.add("id-number", "", n, PASS, "id-valid")
    # make sure some end in X (needed for the lower-case x variants)
    xs = 0
    while xs < 12:
        n = random_valid_id(rng, min(RANDOM_DATE_MAX, r.today))
        if n.endswith("X") and n not in out:
            out.append(n)
            xs += 1
            r.add("id-number", "", n, PASS, "id-valid")
    return out


def id_formatted(r: Rows, rng: random.Random, valid: list[str]) -> None:
    fw = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    plain = [n for n in valid if not n.endswith("X")]
    with_x = [n for n in valid if n.endswith("X")]
    fmts = [
        lambda n: f"{n[:6]} {n[6:14]} {n[14:]}",
        lambda n: f"{n[:6]}-{n[6:14]}-{n[14:]}",
        lambda n: f"{n[:6]}.{n[6:14]}.{n[14:]}",
        lambda n: " ".join(n[i:i + 4] for i in range(0, 18, 4)),
        lambda n: f"  {n}  ",
        lambda n: f"\u3000{n}\u3000",
        lambda n: f"{n}\u00a0",
        lambda n: n.translate(fw),
        lambda n: f"{n[:6]}\u3000{n[6:14]}\u3000{n[14:]}",
        lambda n: f"{n[:6]}\uff0d{n[6:14]}\uff0d{n[14:]}",  # full-width hyphen
        lambda n: f" {n[:6]} - {n[6:14]} - {n[14:]} ",
    ]
    for f in fmts:
        for n in rng.sample(plain, 2):
            r.add("id-number", "", f(n), PASS, "id-formatted")
    x_fmts = [
        lambda n: n[:-1] + "x",
        lambda n: n[:-1] + "\uff38",  # full-width X
        lambda n: n[:-1] + "\uff58",  # full-width x
        lambda n: f"{n[:6]} {n[6:14]} {n[14:-1]}x",
        lambda n: f" {n[:-1]}x ",
        lambda n: n[:-1].translate(fw) + "ｘ",
    ]
    for f in x_fmts:
        for n in rng.sample(with_x, 3):
            r.add("id-number", "", f(n), PASS, "id-formatted")


def id_typo(r: Rows, rng: random.Random, valid: list[str]) -> None:
    seen = set()
    while len(seen) < 150:
        n = rng.choice(valid)
        pos = rng.randrange(18)
        alphabet = "0123456789X" if pos == 17 else "0123456789"
        c = rng.choice([a for a in alphabet if a != n[pos]])
        t = n[:pos] + c + n[pos + 1:]
        if t in seen:
            continue
        assert stdnum_raises(t, InvalidChecksum), t  # MOD 11-2 catches it
        seen.add(t)
        r.add("id-number", "", t, FAIL, "id-typo")


def id_transposition(r: Rows, rng: random.Random, valid: list[str]) -> None:
    seen = set()
    while len(seen) < 100:
        n = rng.choice(valid)
        i = rng.randrange(17)
        a, b = n[i], n[i + 1]
        if a == b or not (a.isdigit() and b.isdigit()):
            continue
        t = n[:i] + b + a + n[i + 2:]
        if t in seen:
            continue
        assert stdnum_raises(t, InvalidChecksum), t
        seen.add(t)
        r.add("id-number", "", t, FAIL, "id-transposition")


def id_impossible_date(r: Rows, rng: random.Random) -> None:
    dates = [
        "19000229", "19010229", "19500229", "19990229", "20010229", "20020229",
        "20030229", "20100229", "20190229", "20210229", "20230229", "20250229",
        "19900230", "20000230", "19880231", "19700231",
        "19900431", "19850631", "19920931", "20101131", "19660431",
        "19900001", "20000015", "19901301", "19801401", "19751901", "19992001",
        "19909901", "19900100", "20051200", "19900132", "19900340", "19900599",
        "19900732", "19901032", "19901232", "00000101", "19000000", "20000000",
        "19930230",
    ]
    for d8 in dates:
        n = make_id(rng.choice(PROVINCES) + digits(rng, 4), d8, digits(rng, 3))
        assert stdnum_raises(n, InvalidComponent), n  # checksum ok, date bad
        r.add("id-number", "", n, FAIL, "id-impossible-date")


def id_future(r: Rows, rng: random.Random) -> None:
    t = r.today
    addr = lambda: rng.choice(PROVINCES) + digits(rng, 4)  # noqa: E731
    tomorrow = t + dt.timedelta(days=1)
    for _ in range(3):
        r.add("id-number", "", make_id(addr(), ymd(tomorrow), digits(rng, 3)), FAIL,
              "id-future-tomorrow")
    day = min(t.day, calendar.monthrange(t.year + 1, t.month)[1])
    next_year = dt.date(t.year + 1, t.month, day)
    for _ in range(3):
        r.add("id-number", "", make_id(addr(), ymd(next_year), digits(rng, 3)), FAIL,
              "id-future-next-year")
    # far-future dates stay future for decades: stable rows
    far_lo = max(dt.date(2030, 1, 1), t + dt.timedelta(days=2))
    for _ in range(24):
        d = rand_date(rng, far_lo, dt.date(2099, 12, 31))
        r.add("id-number", "", make_id(addr(), ymd(d), digits(rng, 3)), FAIL, "id-future")


def id_before_1900(r: Rows, rng: random.Random) -> None:
    fixed = [dt.date(1899, 12, 31), dt.date(1800, 1, 1), dt.date(1896, 2, 29)]
    for d in fixed + [rand_date(rng, dt.date(1800, 1, 1), dt.date(1899, 12, 31))
                      for _ in range(17)]:
        n = make_id(rng.choice(PROVINCES) + digits(rng, 4), ymd(d), digits(rng, 3))
        ric.get_birth_date(n)
        r.add("id-number", "", n, FAIL, "id-before-1900")


def id_unknown_province(r: Rows, rng: random.Random) -> None:
    provs = ["00", "10", "16", "20", "72", "80", "84", "89", "30", "40", "60", "70"]
    provs += rng.sample([p for p in UNKNOWN_PROVINCES if p not in provs], 18)
    for p in provs:
        d = rand_date(rng, DATE_MIN, RANDOM_DATE_MAX)
        n = make_id(p + digits(rng, 4), ymd(d), digits(rng, 3))
        r.add("id-number", "", n, FAIL, "id-unknown-province")


def id_first_generation(r: Rows, rng: random.Random) -> None:
    for _ in range(20):
        d = rand_date(rng, dt.date(1900, 1, 1), dt.date(1999, 12, 31))
        n = rng.choice(PROVINCES) + digits(rng, 4) + ymd(d)[2:] + digits(rng, 3)
        assert len(n) == 15
        r.add("id-number", "", n, FAIL, "id-15-digit")


def id_wrong_length(r: Rows, rng: random.Random, valid: list[str]) -> None:
    for n in rng.sample(valid, 10):  # 17: one character dropped
        i = rng.randrange(18)
        r.add("id-number", "", n[:i] + n[i + 1:], FAIL, "id-wrong-length")
    for n in rng.sample(valid, 10):  # 19: one digit inserted
        i = rng.randrange(19)
        r.add("id-number", "", n[:i] + rng.choice("0123456789") + n[i:], FAIL,
              "id-wrong-length")


def id_bad_format(r: Rows, rng: random.Random, valid: list[str]) -> None:
    for n in rng.sample([v for v in valid if v.endswith("X")], 4):  # X not last
        i = rng.randrange(17)
        r.add("id-number", "", n[:i] + "X" + n[i + 1:-1] + n[i], FAIL, "id-bad-format")
    for n in rng.sample(valid, 6):  # a letter that is not X, or O for 0
        i = rng.randrange(18)
        r.add("id-number", "", n[:i] + rng.choice("AYOIZ") + n[i + 1:], FAIL,
              "id-bad-format")
    for v in ["", " ", "X", "身份证号码", "11010119900307002XX", "11010119900307002*",
              "110101_19900307_002X", "110101/19900307/002X"]:
        r.add("id-number", "", v, FAIL, "id-bad-format")


def id_permanent_residence(r: Rows, rng: random.Random) -> None:
    for _ in range(15):
        d = rand_date(rng, DATE_MIN, min(RANDOM_DATE_MAX, r.today))
        n = make_id("9" + digits(rng, 5), ymd(d), digits(rng, 3))
        r.add("id-number", "", n, PASS, "id-prefix-9")
    # a prefix-9 number with a bad date or check still fails
    r.add("id-number", "", make_id("911840", "19900230", "001"), FAIL, "id-prefix-9")
    r.add("id-number", "", make_id("911840", "20990101", "001"), FAIL, "id-prefix-9")
    good = make_id("911840", "19850101", "002")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    r.add("id-number", "", bad, FAIL, "id-prefix-9")


def id_hmt(r: Rows, rng: random.Random) -> None:
    years = [1925, 1950, 1960, 1970, 1980, 1990, 1995, 2000, 2005, 2010, 2018, 2024]
    for i, y in enumerate(years):
        addr = ["810000", "820000", "830000"][i % 3]
        d = rand_date(rng, dt.date(y, 1, 1), dt.date(y, 12, 31))
        n = make_id(addr, ymd(d), digits(rng, 3))
        r.add("id-number", "", n, PASS, "id-hk-mo-tw")


def id_born_today(r: Rows, rng: random.Random) -> None:
    for addr in ["110101", "440305", "810000", "911840"]:
        n = make_id(addr, ymd(r.today), digits(rng, 3))
        r.add("id-number", "", n, PASS, "id-born-today")


def id_reference(r: Rows) -> None:
    """field_rules.md section 6.1 (today/born-today row is in id-born-today)."""
    vectors = [
        ("360426199101010071", PASS), ("11010119900307002X", PASS),
        ("11010119900307002x", PASS), ("44011320141005001x", PASS),
        (" 3604 2619 9101 0100 71 ", PASS), ("360426-19910101-0071", PASS),
        ("３６０４２６１９９１０１０１００７１", PASS), ("412723199010050012", PASS),
        ("110115199001010013", PASS), ("110118199001010012", PASS),
        ("810000198001010014", PASS), ("820000199001010010", PASS),
        ("830000198001010018", PASS), ("911840198001010013", PASS),
        ("110101200002290018", PASS), ("110101190002290011", FAIL),
        ("110101200102290015", FAIL), ("110101199013010012", FAIL),
        ("11010119900100001X", FAIL), ("110101209901010017", FAIL),
        ("110101180001010015", FAIL), ("110101199001010007", PASS),
        ("110101192001019990", PASS), ("000000199001010018", FAIL),
        ("100101199001010013", FAIL), ("360426199101010070", FAIL),
        ("360426199101010017", FAIL), ("110101900101001", FAIL),
        ("36042619910101007", FAIL), ("3604261991010100710", FAIL),
        ("11010119900307002\uff38", PASS), ("3604261991010100X1", FAIL),
        ("110101199001010015", PASS),  # 18-digit form suggested for 110101900101001
    ]
    for v, e in vectors:
        r.add("id-number", "", v, e, "id-reference")


# ---------------------------------------------------------------------------
# Mobile number groups
# ---------------------------------------------------------------------------

def phone_random(r: Rows, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    while len(out) < 300:
        n = str(rng.randint(130, 199)) + digits(rng, 8)
        if any(n == x for x, _ in out):
            continue
        label = PASS if libphonenumber_mobile(n) else WARN
        out.append((n, label))
        r.add("phone", "", n, label,
              "phone-libphonenumber-valid" if label == PASS else "phone-unusual-prefix")
    return out


def phone_prefix_edges(r: Rows, rng: random.Random) -> None:
    """Targeted ranges around the edges of libphonenumber's CN mobile pattern."""
    prefixes = (
        ["1610"] * 3 + [f"161{i}" for i in range(1, 10)]
        + [f"1740{i}" for i in range(0, 10)] + ["17410", "17412", "17490", "17495", "17499"]
        + ["149", "149", "154", "154", "194", "194", "160", "163", "164", "169"]
        + ["140", "141", "142", "143", "144", "146", "148"]  # 11 digits: warn
        + ["145", "147", "162", "165", "166", "167", "192", "170", "171", "172", "1349"]
    )
    for p in prefixes:
        n = p + digits(rng, 11 - len(p))
        label = PASS if libphonenumber_mobile(n) else WARN
        r.add("phone", "", n, label, "phone-prefix-edge")


def phone_formatted(r: Rows, rng: random.Random, pool: list[tuple[str, str]]) -> None:
    fw = str.maketrans("0123456789+", "０１２３４５６７８９＋")
    sp = lambda n: f"{n[:3]} {n[3:7]} {n[7:]}"  # noqa: E731
    fmts = [
        lambda n: f"+86 {sp(n)}",
        lambda n: f"+86-{n[:3]}-{n[3:7]}-{n[7:]}",
        lambda n: f"(+86){n}",
        lambda n: f"+86({n[:3]}){n[3:]}",
        lambda n: f"+86{n}",
        lambda n: f"0086{n}",
        lambda n: f"0086 {sp(n)}",
        lambda n: f"0086-{n}",
        lambda n: f"86{n}",
        lambda n: f"86-{n}",
        lambda n: f"86 {sp(n)}",
        lambda n: sp(n),
        lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}",
        lambda n: f"{n[:3]}.{n[3:7]}.{n[7:]}",
        lambda n: f"({n[:3]}){n[3:7]}-{n[7:]}",
        lambda n: f"{n[:3]}/{n[3:7]}/{n[7:]}",
        lambda n: n.translate(fw),
        lambda n: ("+86" + n).translate(fw),
        lambda n: f"\u3000{sp(n)}\u3000",
        lambda n: f"  {n} ",
        lambda n: f"0{n}",
        lambda n: f"0{sp(n)}",
        lambda n: f"+86 0{sp(n)}",
        lambda n: f"17951{n}",
        lambda n: f"17911{n}",
        lambda n: f"12520{n}",
        lambda n: f"12593 {n}",
        lambda n: f"+86\u00a0{n}",
    ]
    passing = [n for n, lab in pool if lab == PASS]
    warning = [n for n, lab in pool if lab == WARN]
    for f in fmts:
        for n in rng.sample(passing, 3):
            add_formatted_phone(r, f(n), n, PASS)
    for f in rng.sample(fmts, 12):
        n = rng.choice(warning)
        add_formatted_phone(r, f(n), n, WARN)


def add_formatted_phone(r: Rows, raw: str, national: str, label: str) -> None:
    # libphonenumber must read the formatted value as the same +86 number
    n = phonenumbers.parse(raw, "CN")
    assert n.country_code == 86 and str(n.national_number) == national, (raw, n)
    r.add("phone", "", raw, label, "phone-formatted")


def phone_fail(r: Rows, rng: random.Random) -> None:
    for p in ["10", "11", "12", "100", "110", "120", "106", "125", "101", "119"]:
        r.add("phone", "", p + digits(rng, 11 - len(p)), FAIL, "phone-bad-prefix")
    for p in ["20", "00", "2", "5", "8", "9", "02"]:
        r.add("phone", "", p + digits(rng, 11 - len(p)), FAIL, "phone-bad-prefix")
    landlines = ["01012345678", "010-12345678", "+86 10 1234 5678", "(010)87654321",
                 "021-62345678", "+86 21 6234 5678", "0755-86013388", "075586013388",
                 "+86 755 8601 3388", "008610 12345678", "02087654321", "62345678"]
    for v in landlines:
        r.add("phone", "", v, FAIL, "phone-landline")
    for p in ["140", "141", "142", "143", "144", "146", "148"]:  # 13-digit IoT
        for _ in range(2):
            r.add("phone", "", p + digits(rng, 10), FAIL, "phone-iot-13-digit")
    base = "13912345678"
    lengths = [base[:10], base[:9], base[:6], base + "0", base + "01", base + "012",
               "+86" + base[:10], "+86" + base + "9", "861" + base[1:10], "1", "",
               "0" + base + "1", "17951" + base[:10]]
    for v in lengths:
        r.add("phone", "", v, FAIL, "phone-length")
    foreign = ["+852 61234567", "+852 9123 4567", "00852 61234567", "+853 6612 3456",
               "+886 912 345 678", "+1 415 555 2671", "+1 (212) 555-0100",
               "+44 7700 900123", "+81 90 1234 5678", "+65 8123 4567",
               "+7 912 345 67 89", "+853 2888 1234"]
    for v in foreign:
        r.add("phone", "", v, FAIL, "phone-foreign")
    extensions = ["13912345678 ext 12", "13912345678ext12", "13912345678 x12",
                  "13912345678转12", "13912345678 转 123", "13912345678#12",
                  "+86 139 1234 5678 #8", "139-1234-5678,12", "13912345678;ext=12"]
    for v in extensions:
        r.add("phone", "", v, FAIL, "phone-extension")
    letters = ["1391234567O", "139I2345678", "l3912345678", "abc", "telephone",
               "139 1234 567a", "１３９１２３４５６７Ａ", "+86 139-1234-567８9a"]
    for v in letters:
        r.add("phone", "", v, FAIL, "phone-letters")


def phone_reference(r: Rows) -> None:
    """field_rules.md section 6.3."""
    vectors = [
        ("13800138000", PASS), ("+86 138 0013 8000", PASS), ("+86-138-0013-8000", PASS),
        ("(+86)13800138000", PASS), ("+86(138)00138000", PASS),
        ("008613800138000", PASS), ("0086 138 0013 8000", PASS), ("8613800138000", PASS),
        ("86-13800138000", PASS), ("+86 0138 0013 8000", PASS), ("013800138000", PASS),
        ("１３８００１３８０００", PASS), ("+８６１３８００１３８０００", PASS),
        ("138.0013.8000", PASS), ("1795113800138000", PASS),
        ("+86 13800138000 ext 12", FAIL), ("19212345678", PASS),
        ("16212345678", PASS), ("16512345678", PASS), ("16712345678", PASS),
        ("17012345678", PASS), ("17112345678", PASS), ("16101234567", PASS),
        ("17212345678", PASS), ("17400123456", PASS), ("17491234567", WARN),
        ("14512345678", PASS), ("14712345678", PASS), ("14912345678", WARN),
        ("14612345678", WARN), ("14812345678", WARN), ("1440123456789", FAIL),
        ("15412345678", WARN), ("19412345678", WARN), ("16112345678", WARN),
        ("12345678901", FAIL), ("11012345678", FAIL), ("10012345678", FAIL),
        ("01012345678", FAIL), ("+86 10 1234 5678", FAIL), ("1380013800", FAIL),
        ("138001380001", FAIL), ("+852 61234567", FAIL),
        ("＋８６ １３８ ００１３ ８０００", PASS),
    ]
    for v, e in vectors:
        r.add("phone", "", v, e, "phone-reference")


# ---------------------------------------------------------------------------
# Passport number groups
# ---------------------------------------------------------------------------

LETTERS_NO_IO = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def passport_chn(r: Rows, rng: random.Random) -> None:
    for _ in range(25):
        r.add("passport-number", "CHN", "E" + digits(rng, 8), PASS, "passport-chn-e8")
    for c in LETTERS_NO_IO:
        r.add("passport-number", "CHN", "E" + c + digits(rng, 7), PASS,
              "passport-chn-e-letter")
    for c in rng.sample(LETTERS_NO_IO, 6):
        r.add("passport-number", "CHN", "E" + c + digits(rng, 7), PASS,
              "passport-chn-e-letter")
    for p in ["DE", "SE", "PE"] * 4:
        r.add("passport-number", "CHN", p + digits(rng, 7), PASS, "passport-chn-official")
    for _ in range(10):
        r.add("passport-number", "CHN", "G" + digits(rng, 8), WARN, "passport-chn-g-expired")
    others = (
        ["EO" + digits(rng, 7) for _ in range(3)] + ["EI" + digits(rng, 7) for _ in range(3)]
        + ["14" + digits(rng, 7) for _ in range(3)] + ["15" + digits(rng, 7) for _ in range(3)]
        + ["123456789", "K" + digits(rng, 8), "KJ" + digits(rng, 7), "MA" + digits(rng, 7),
           "D" + digits(rng, 8), "S" + digits(rng, 8), "P" + digits(rng, 8),
           "H" + digits(rng, 8), "EAB123456", "E1234567A", "AB1234567", "DEA123456",
           "GA1234567"]
    )
    for v in others:
        r.add("passport-number", "CHN", v, WARN, "passport-chn-other-9")


def passport_chn_formatted(r: Rows, rng: random.Random) -> None:
    fw = str.maketrans("0123456789EG", "０１２３４５６７８９ＥＧ")
    for _ in range(3):
        n = "E" + digits(rng, 8)
        for v in [n.lower(), f"{n[0]} {n[1:5]} {n[5:]}", n.translate(fw), f" {n} ",
                  f"{n}<", f"{n[:5]}-{n[5:]}"]:
            r.add("passport-number", "CHN", v, PASS, "passport-chn-formatted")
    for _ in range(3):
        n = "E" + rng.choice(LETTERS_NO_IO) + digits(rng, 7)
        for v in [n.lower(), f"{n[:2]} {n[2:]}", n + "<<", f"\u3000{n}"]:
            r.add("passport-number", "CHN", v, PASS, "passport-chn-formatted")
    for v in ["g12345678", "G 1234 5678", "ｅｏ１２３４５６７"]:
        r.add("passport-number", "CHN", v, WARN, "passport-chn-formatted")


def passport_chn_fail(r: Rows, rng: random.Random) -> None:
    lens = ["E" + digits(rng, 7), "E" + digits(rng, 9), "EA" + digits(rng, 6),
            "EA" + digits(rng, 8), "G" + digits(rng, 7), "DE" + digits(rng, 6),
            "SE" + digits(rng, 8), digits(rng, 8), digits(rng, 10), "E12",
            "E" + digits(rng, 8) + "0", "H1234567801"]
    for v in lens:
        r.add("passport-number", "CHN", v, FAIL, "passport-chn-length")
    for v in ["E1234567!", "É12345678", "E1234.5678", "E12345678<<X", "护照E1234567",
              "E_12345678", "", "E12/345678", "<E12345678"]:
        r.add("passport-number", "CHN", v, FAIL, "passport-charset")


def passport_foreign(r: Rows, rng: random.Random) -> None:
    U = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    alnum = "ABCDEFGHJKLMNPRTVWXYZ0123456789"  # German document-number alphabet
    gen = {
        "USA": [lambda: digits(rng, 9), lambda: rng.choice(U) + digits(rng, 8)],
        "GBR": [lambda: digits(rng, 9), lambda: rng.choice(U) + rng.choice(U) + digits(rng, 7)],
        "DEU": [lambda: rng.choice("CFGHJK") + "".join(rng.choice(alnum) for _ in range(8))],
        "JPN": [lambda: rng.choice(U) + rng.choice(U) + digits(rng, 7)],
        "PRT": [lambda: rng.choice(U) + digits(rng, 6), lambda: rng.choice(U) + digits(rng, 8)],
    }
    for country, fs in gen.items():
        for i in range(8):
            r.add("passport-number", country, fs[i % len(fs)](), PASS, "passport-foreign")
    for country, v in [("PRT", "C233126"), ("USA", "A12345678"), ("USA", "123456789"),
                       ("GBR", "L898902C3"), ("DEU", "C01X00T47"), ("JPN", "TK1234567"),
                       ("USA", "12345"), ("GBR", "A1B2C3D4E5F6G7H8I9J0"),
                       ("PRT", "E12345678"), ("JPN", "E1234567")]:
        r.add("passport-number", country, v, PASS, "passport-foreign")
    for country, v in [("GBR", "L898902C<"), ("USA", "a12345678"), ("DEU", "c01x00t47"),
                       ("JPN", "tk 1234567"), ("PRT", "C233126<<<"), ("USA", " 123-456-789 "),
                       ("GBR", "ＡＢ１２３４５６７"), ("DEU", "C01X-00T47")]:
        r.add("passport-number", country, v, PASS, "passport-foreign-formatted")
    for country, v in [("USA", "AB12"), ("GBR", "1234"), ("DEU", "C"), ("JPN", ""),
                       ("PRT", "A" * 21), ("USA", "123456789012345678901"),
                       ("GBR", "L898902C<<<1"), ("DEU", "C01X00T47!"), ("JPN", "TK.1234567"),
                       ("PRT", "Ç233126"), ("USA", "<<<<<"), ("GBR", "12 34")]:
        r.add("passport-number", country, v, FAIL, "passport-foreign-fail")


def passport_reference(r: Rows) -> None:
    """field_rules.md section 6.2 (passport-number field only)."""
    vectors = [
        ("CHN", "E12345678", PASS), ("CHN", "EA1234567", PASS), ("CHN", "EH1234567", PASS),
        ("CHN", "EI1234567", WARN), ("CHN", "EO1234567", WARN), ("CHN", "G12345678", WARN),
        ("CHN", "e12345678", PASS), ("CHN", "e 1234 5678", PASS),
        ("CHN", "Ｅ１２３４５６７８", PASS), ("CHN", "DE1234567", PASS),
        ("CHN", "SE1234567", PASS), ("CHN", "PE1234567", PASS),
        ("GBR", "L898902C3", PASS), ("PRT", "C233126", PASS), ("USA", "A12345678", PASS),
        ("USA", "123456789", PASS), ("GBR", "L898902C<", PASS), ("CHN", "AB12", FAIL),
        ("USA", "AB12", FAIL), ("CHN", "E1234567", FAIL), ("USA", "E1234567", PASS),
        ("CHN", "123456789", WARN),
    ]
    for c, v, e in vectors:
        r.add("passport-number", c, v, e, "passport-reference")


# ---------------------------------------------------------------------------
# Name groups
# ---------------------------------------------------------------------------

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
COMPOUND_SURNAMES = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯"]
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强"
             "文辉海燕鹏飞晓东子涵梓萱浩然一诺欣怡宇轩思远雨桐嘉怡俊杰佳琪")
TRADITIONAL = ["陳大文", "黃志明", "張家豪", "劉德華", "林美麗", "蔡英傑", "鄭國強", "謝淑芬",
               "吳嘉穎", "鍾曉龍"]
RARE = ["\U00020000", "\U0002A6A5", "\U0002CC56", "\u4dae", "\u9f91", "\U00030EDD",
        "\ufa0e", "\u3007", "\U00020BB7", "\U0002A700", "\U0002B740", "\U0002CEB0",
        "\U00030000", "\U00031350", "\U0002EBF0", "\u3400", "\ufa0f", "\ufa11", "\uf9dc",
        "\U0002F800", "\u9fa5", "\u9fff"]
MINORITY = [("阿卜杜热合曼", "买买提"), ("努尔", "艾力"), ("古丽", "热依拉"),
            ("阿依", "努尔"), ("扎西", "次仁"), ("巴特尔", "那仁"), ("伊力哈木", "托合提"),
            ("迪丽", "热巴"), ("帕尔哈提", "吐尔逊")]
DOT_VARIANTS = ["\u2022", "\u30fb", "\uff65", "\uff0e", ".", "\u2027", "\u22c5",
                "\u2219", "\u0387"]


def name_reference(r: Rows) -> None:
    """field_rules.md section 6.4."""
    vectors = [("张三", PASS), ("欧阳娜娜", PASS), ("陳大文", PASS),
               ("阿卜杜热合曼\u00b7买买提", PASS)]
    vectors += [(f"阿卜杜热合曼{d}买买提", PASS) for d in DOT_VARIANTS]
    vectors += [
        ("·买买提", FAIL), ("买买提·", FAIL), ("买买提··艾力", FAIL),
        ("王\U00020000", PASS), ("\U0002A6A5", WARN), ("张\U0002CC56", PASS), ("李\u4dae", PASS),
        ("\u9f91", WARN), ("\U00030EDD\U00030EDD", PASS), ("张\ufa0e", PASS),
        ("王\u2f00", PASS), ("洪\u3007", PASS), ("张 三", PASS), ("张\u3000三", PASS),
        (" 张三 ", PASS), ("张三\u200b", PASS), ("张", WARN),
        ("阿卜杜热合曼·阿卜杜热西提·买买提明·艾则孜·吐尔洪·热合曼·阿卜杜热合曼·买买提", PASS),
        ("张三1", FAIL), ("张三😀", FAIL), ("张三!", FAIL), ("张San", WARN),
        ("Zhang San", PASS), ("ZHANG SAN", PASS), ("zhang san", PASS),
        ("ＺＨＡＮＧ\u3000ＳＡＮ", PASS), ("ZHANG<<SAN", PASS), ("LYU XIAOJUN", PASS),
        ("LV XIAOJUN", PASS), ("LU XIAOJUN", PASS), ("O'Brien", PASS), ("O\u2019Brien", PASS),
        ("Jean-Luc Picard", PASS), ("Jose\u0301", PASS), ("MÜLLER", PASS), ("MUELLER", PASS),
        ("Madonna", PASS),
    ]
    for v, e in vectors:
        r.add("name", "", v, e, "name-reference")


def name_han_common(r: Rows, rng: random.Random) -> None:
    seen: set[str] = set()
    while len(seen) < 50:
        n = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        if n not in seen:
            seen.add(n)
            r.add("name", "", n, PASS, "name-han")
    for s in COMPOUND_SURNAMES:
        r.add("name", "", s + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2]))),
              PASS, "name-han")
    for n in ["张三", "欧阳娜娜", "李四", "王小明", "诸葛亮"]:
        r.add("name", "", n, PASS, "name-han")
    for n in TRADITIONAL:
        r.add("name", "", n, PASS, "name-han-traditional")


def name_rare(r: Rows, rng: random.Random) -> None:
    for c in RARE:
        r.add("name", "", rng.choice(SURNAMES) + c, PASS, "name-rare-char")
    for _ in range(8):
        n = rng.choice(SURNAMES) + "".join(rng.sample(RARE, rng.choice([2, 3])))
        r.add("name", "", n, PASS, "name-rare-char")
    for n in ["王\U00020000", "张\U0002CC56", "李\u4dae", "\U00030EDD\U00030EDD", "张\ufa0e",
              "洪\u3007", "王\u2f00", "\u2f00\u2f01", "\U00020000\U0002A6A5",
              "\U00020000\u00b7\U0002A6A5"]:
        r.add("name", "", n, PASS, "name-rare-char")


def name_long(r: Rows, rng: random.Random) -> None:
    parts = ["阿卜杜热合曼", "阿卜杜热西提", "买买提明", "艾则孜", "吐尔洪", "热合曼"]
    n = "·".join(parts)
    while len(n) < 50:
        n += "·" + rng.choice(parts)
    n = n[:50]
    while n[-1] == "·":  # do not end on a separator
        n = n[:-1] + "提"
    r.add("name", "", n, PASS, "name-long")
    r.add("name", "", "买" * 50, PASS, "name-long")
    r.add("name", "", "\U00020000" * 25 + "\u00b7" + "\U0002A6A5" * 24, PASS, "name-long")
    sup = "".join(rng.choice([c for c in RARE if ord(c) > 0xFFFF]) for _ in range(50))
    r.add("name", "", sup, PASS, "name-long")  # 50 code points, 100 UTF-16 units
    r.add("name", "", "A" * 20 + " " + "B" * 29, PASS, "name-long")
    r.add("name", "", "·".join(["阿依古丽"] * 10), PASS, "name-long")


def name_minority_dots(r: Rows, rng: random.Random) -> None:
    for a, b in MINORITY:
        r.add("name", "", f"{a}\u00b7{b}", PASS, "name-separator")
    r.add("name", "", "阿卜杜热合曼·买买提·艾力", PASS, "name-separator")
    for dot in DOT_VARIANTS:
        for a, b in rng.sample(MINORITY, 3):
            r.add("name", "", f"{a}{dot}{b}", PASS, "name-separator-lookalike")
    r.add("name", "", "阿卜杜热合曼•买买提・艾力", PASS, "name-separator-lookalike")


def name_whitespace(r: Rows) -> None:
    for n in ["张 三", "张\u3000三", "欧阳 娜娜", " 张三 ", "\u3000张三\u3000", "张三\u200b",
              "\u200b张三", "张\u00a0三", "王  小 明", "\ufeff李四", "张\u200d三",
              "阿卜杜热合曼 买买提"]:
        r.add("name", "", n, PASS, "name-whitespace")


def name_latin(r: Rows) -> None:
    names = [
        "Zhang San", "ZHANG SAN", "zhang san", "LYU XIAOJUN", "LV XIAOJUN", "LU XIAOJUN",
        "O'Brien", "O\u2019Brien", "O\u2018Brien", "O\u02bcBrien", "Jean-Luc Picard",
        "MÜLLER", "MUELLER", "Müller", "José", "Jose\u0301", "Madonna", "ZHANG<<SAN",
        "ZHANG<<SAN<MING", "ＺＨＡＮＧ　ＳＡＮ", "ｚｈａｎｇ ｓａｎ", "Martin Luther King Jr.",
        "Mary-Jane O'Neil", "D'Angelo", "Nguyễn Văn An", "Łukasz Żółć", "Ørsted",
        "Þórunn Ásgeirsdóttir", "Straße", "Ñúñez", "François", "ÇELİK", "Anne-Marie St. John",
        "de la Cruz", "van der Berg", "MCDONALD", "NYU LI", "LUE MING",
    ]
    for n in names:
        r.add("name", "", n, PASS, "name-latin")


def name_warn(r: Rows) -> None:
    for n in ["张", "李", "\U0002A6A5", "\u9f91", " 王 ", "\u3007", "\ufa0e", "陳"]:
        r.add("name", "", n, WARN, "name-single-han")
    for n in ["张San", "李Lei", "王Anna", "David王", "ZHANG三", "欧阳Nana", "张ＳＡＮ"]:
        r.add("name", "", n, WARN, "name-mixed-script")


def name_fail(r: Rows) -> None:
    fails = {
        "name-empty": ["", " ", "   ", "\u3000", "\u200b", "\u00a0\u3000"],
        "name-digits": ["张三1", "张三１", "1", "Zhang3", "John Smith 3rd", "李四2号", "12345"],
        "name-emoji": ["张三😀", "😀", "王🐉", "Anna ❤", "李四👍🏻"],
        "name-markup": ["<b>张三</b>", "<script>alert(1)</script>", "张三<br>", "&lt;张三&gt;",
                        "'; DROP TABLE users;--", "${name}"],
        "name-punctuation": ["张三!", "张三@", "张三？", "张三，", "张_三", "张三~", "(张三)",
                             "张三、李四", "O'Brien!", "Smith, John?", "张/三", "张三#",
                             "ZHANG<SAN>", "【张三】"],
        "name-separator-misplaced": ["·买买提", "买买提·", "买买提··艾力", "•买买提",
                                     "买买提・", "买买提..艾力", "买买提•·艾力", "·", "··",
                                     ".买买提", "买买提．"],
    }
    for group, vs in fails.items():
        for v in vs:
            r.add("name", "", v, FAIL, group)


# ---------------------------------------------------------------------------

def classify(kind: str, country: str, value: str, today: dt.date) -> str:
    if kind == "id-number":
        return classify_id(value, today)
    if kind == "phone":
        return classify_phone(value)
    if kind == "passport-number":
        return classify_passport(country, value)
    if kind == "name":
        return classify_name(value)
    raise ValueError(kind)


FORBIDDEN = set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def build(today: dt.date) -> list[tuple[str, str, str, str, str]]:
    rng = random.Random(SEED)
    r = Rows(today)

    # section-6 reference vectors first, so that they keep their *-reference group
    id_reference(r)
    phone_reference(r)
    passport_reference(r)
    name_reference(r)

    valid = id_valid(r, rng)
    id_formatted(r, rng, valid)
    id_typo(r, rng, valid)
    id_transposition(r, rng, valid)
    id_impossible_date(r, rng)
    id_future(r, rng)
    id_before_1900(r, rng)
    id_unknown_province(r, rng)
    id_first_generation(r, rng)
    id_wrong_length(r, rng, valid)
    id_bad_format(r, rng, valid)
    id_permanent_residence(r, rng)
    id_hmt(r, rng)
    id_born_today(r, rng)

    pool = phone_random(r, rng)
    phone_prefix_edges(r, rng)
    phone_formatted(r, rng, pool)
    phone_fail(r, rng)

    passport_chn(r, rng)
    passport_chn_formatted(r, rng)
    passport_chn_fail(r, rng)
    passport_foreign(r, rng)

    name_han_common(r, rng)
    name_rare(r, rng)
    name_long(r, rng)
    name_minority_dots(r, rng)
    name_whitespace(r)
    name_latin(r)
    name_warn(r)
    name_fail(r)

    # Both label sources must agree; duplicates must agree too and are dropped.
    errors, rows, seen = [], [], {}
    for row in r.rows:
        kind, country, value, expected, group = row
        got = classify(kind, country, value, today)
        if got != expected:
            errors.append(f"{group}: {value!r} ({country}) intended {expected}, spec gives {got}")
        if set(value) & FORBIDDEN or set(group + country) & FORBIDDEN:
            errors.append(f"{group}: {value!r} contains a TSV-unsafe character")
        key = (kind, country, value)
        if key in seen:
            if seen[key] != expected:
                errors.append(f"duplicate with different labels: {key}")
            continue
        seen[key] = expected
        rows.append(row)
    if errors:
        sys.exit("label disagreement:\n" + "\n".join(errors))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--today", type=dt.date.fromisoformat, default=None,
                    help="date in Asia/Shanghai to treat as today (default: now)")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "fields.tsv")
    args = ap.parse_args()
    today = args.today or today_shanghai()

    assert stdnum.__version__ == "2.2", stdnum.__version__
    assert phonenumbers.__version__ == "9.0.43", phonenumbers.__version__

    rows = build(today)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("kind\tcountry\tinput\texpected\tgroup\n")
        for row in rows:
            f.write("\t".join(row) + "\n")

    print(f"today (Asia/Shanghai) = {today.isoformat()}; wrote {len(rows)} rows to {args.out}")
    for kind, n in sorted(Counter(r[0] for r in rows).items()):
        exp = Counter(r[3] for r in rows if r[0] == kind)
        print(f"{kind:16} {n:5}  " + "  ".join(f"{e}={exp[e]}" for e in (PASS, WARN, FAIL)))
    print()
    for (kind, group, exp), n in sorted(Counter((r[0], r[4], r[3]) for r in rows).items()):
        print(f"  {kind:16} {group:30} {exp:5} {n:4}")


if __name__ == "__main__":
    main()
