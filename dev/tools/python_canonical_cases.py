#!/usr/bin/env python3
# python_canonical_cases.py: writes the reference table for the Java canonical-JSON code (SnapTrade webhook signatures).
#
# SnapTrade signs a webhook over json.dumps(payload, separators=(",", ":"), sort_keys=True). The Java port,
# com.connectionkeeper.signature.CanonicalJson, must give byte-identical output, so its test
# (PythonCanonicalCasesTest) compares it with this table, computed by the real Python. The Java tests never run Python.
#
# Output: functions/signature/src/test/resources/signature/python-canonical-cases.json, a JSON object with
#   textCases  - [{"name", "input", "canonical" | "error"}]: input is JSON text (a str, as json.loads(str) sees it);
#                "canonical" is json.dumps(json.loads(input), separators=(",", ":"), sort_keys=True), "error" the name
#                of the exception Python raised instead (Java must then throw MalformedJsonException).
#   byteCases  - the same for json.loads(bytes), with the input as hex ("inputHex"): UTF-8 decoding, BOM, encoded
#                surrogates, invalid UTF-8. Only inputs Python decodes as UTF-8 (no UTF-16/32 detection) are listed.
#   floatCases - [[input, canonical]]: random doubles written in many ways (random bit patterns, random decimal strings,
#                exact midpoints between neighbouring doubles, every power of two, short "price" decimals), so the
#                shortest-repr float formatting and correctly rounded parsing are checked over thousands of values.
# Every string is written with ensure_ascii, so lone surrogates survive as \udXXX escapes.
#
# Run from anywhere (Python 3.11, stdlib only):  python3 dev/tools/python_canonical_cases.py
# The output is deterministic (fixed random seed); it replaces that one file and touches nothing else.
# To change the table, edit this script and run it again; do not edit the generated file by hand.

import decimal
import json
import math
import pathlib
import random
import struct
import sys

OUT = (pathlib.Path(__file__).resolve().parents[2]
       / "functions/signature/src/test/resources/signature/python-canonical-cases.json")
SEED = 20240917


def canonical(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def outcome(source):
    """Python's canonical text for source (str or bytes), or the name of the exception it raises."""
    try:
        return {"canonical": canonical(json.loads(source))}
    except ValueError as e:  # JSONDecodeError, UnicodeDecodeError and the int digit limit are all ValueErrors
        return {"error": type(e).__name__}


def java_representable(text):
    """A Java String cannot hold a high and a low surrogate side by side without making them one code point."""
    return not any(0xD800 <= ord(a) <= 0xDBFF and 0xDC00 <= ord(b) <= 0xDFFF for a, b in zip(text, text[1:]))


def text_cases():
    cases = []

    def add(name, text):
        assert java_representable(text), name
        cases.append({"name": name, "input": text, **outcome(text)})

    # strings: escaping on output (ensure_ascii, lower-case hex) and every escape form on input
    for name, text in [
        ("ascii", '"hello world"'),
        ("latin1 raw", '"jos\u00e9 m\u00fcller"'),
        ("latin1 escaped upper-case hex", '"\\u00E9\\u00FC"'),
        ("cjk raw", '"\u65e5\u672c\u8a9e"'),
        ("emoji raw", '"\U0001F600"'),
        ("emoji escaped pair", '"\\ud83d\\ude00"'),
        ("emoji escaped pair upper-case", '"\\uD83D\\uDE00"'),
        ("highest code point", '"\U0010FFFF"'),
        ("first supplementary", '"\U00010000"'),
        ("bmp private use and specials", '"\ue000\uf8ff\ufeff\ufffd\uffff"'),
        ("line and paragraph separators", '"\u2028\u2029"'),
        ("quote", '"a\\"b"'),
        ("backslash", '"a\\\\b"'),
        ("escaped slash", '"\\/"'),
        ("slash", '"a/b</script>"'),
        ("short escapes", '"\\b\\f\\n\\r\\t"'),
        ("del raw", '"\x7f"'),
        ("del escaped", '"\\u007f"'),
        ("c1 controls raw", '"\x80\x9f\xa0"'),
        ("tilde and space", '"~ "'),
        ("empty string", '""'),
        ("lone high surrogate escaped", '"\\ud800"'),
        ("lone low surrogate escaped", '"\\udc00"'),
        ("two high surrogates escaped", '"\\ud800\\ud800"'),
        ("low then high escaped", '"\\udc00\\ud800"'),
        ("high then non-surrogate escape", '"\\ud800\\u0041"'),
        ("high then short escape", '"\\ud800\\n"'),
        ("pair then extra low", '"\\ud83d\\ude00\\ude00"'),
        ("lone high surrogate raw", '"\ud800x"'),
        ("raw high then escaped low (not joined)", '"\ud83d\\ude00"'),
        ("escaped high then raw low (not joined)", '"\\ud83d\ude00"'),
    ]:
        add(name, text)
    for c in range(0x20):
        add("control U+%04X escaped" % c, '"\\u%04x"' % c)
        add("control U+%04X raw" % c, '"' + chr(c) + '"')

    # structure, literals, whitespace
    for name, text in [
        ("null", "null"), ("true", "true"), ("false", "false"),
        ("literals in array", "[true,false,null]"),
        ("empty object", "{}"), ("empty array", "[]"), ("nested empties", "[[],{},[[]],{\"a\":{}}]"),
        ("nested", '{"b":{"d":[1,{"f":null,"e":true}],"c":false},"a":[]}'),
        ("whitespace everywhere", ' \t\n\r{ "b" : [ 1 , 2 ] ,\n\t"a" :\r\n null }\n '),
        ("deep nesting 100", "[" * 100 + "]" * 100),
        ("deep objects 50", '{"a":' * 50 + "1" + "}" * 50),
        ("top-level string", '"x"'), ("top-level number", " 42 "),
    ]:
        add(name, text)

    # key order: code point order at every depth (supplementary sorts after U+E000..U+FFFF, unlike UTF-16)
    for name, text in [
        ("ascii keys", '{"b":1,"a":2,"B":3,"aa":4,"":5,"a ":6}'),
        ("supplementary vs bmp keys", '{"\U0001F600":1,"\uffff":2,"\ue000":3,"\ud7ff":4,"z":5,"\U00010000":6}'),
        ("supplementary vs bmp keys escaped", '{"\\ud83d\\ude00":1,"\\uffff":2,"\\ue000":3,"\\ud7ff":4}'),
        ("keys differing after a supplementary char", '{"\U0001F600\uffff":1,"\U0001F600\U0001F601":2,"\U0001F600":3}'),
        ("lone surrogate keys vs U+E000", '{"\\ud800":1,"\\ue000":2,"\\ud83d\\ude00":3,"\\udfff":4}'),
        ("split pair key sorts as two code points",
         '{"\\ud83d\\ude00":1,"\ud83d\\ude00":2,"\\ue000":3,"\U0001F600":4}'),
        ("nested key order", '{"z":{"b":{"d":1,"c":2},"a":[{"y":1,"x":2}]},"a":0}'),
        ("prefix keys", '{"abc":1,"ab":2,"a":3,"abd":4}'),
    ]:
        add(name, text)

    # duplicate keys: the last value wins
    for name, text in [
        ("duplicate key", '{"a":1,"a":2}'),
        ("duplicate key with other keys between", '{"a":{"x":1},"b":0,"a":[2]}'),
        ("duplicate key nested", '{"o":{"k":1,"k":{"k":2,"k":3}}}'),
        ("duplicate key via different escapes", '{"\\u00e9":1,"\u00e9":2,"\\u00E9":3}'),
    ]:
        add(name, text)

    # integers: any size, exactly; -0 is 0; Python refuses more than 4300 digits
    for name, text in [
        ("zero", "0"), ("minus zero int", "-0"), ("minus zero in array", "[-0,0]"), ("one", "1"), ("minus one", "-1"),
        ("long max", "9223372036854775807"), ("long max + 1", "9223372036854775808"),
        ("long min", "-9223372036854775808"), ("long min - 1", "-9223372036854775809"),
        ("2^64", "18446744073709551616"), ("2^53 + 1", "9007199254740993"), ("10^100", "1" + "0" * 100),
        ("-9 x 300", "-" + "9" * 300),
        ("4300 digits", "7" * 4300), ("-4300 digits", "-" + "7" * 4300),
        ("4301 digits", "7" * 4301), ("-4301 digits", "-" + "7" * 4301),
    ]:
        add(name, text)

    # floats: repr form; wire texts that change on the way through
    for text in [
        "150.5", "150.50", "1e-07", "1e+16", "1E16", "1e16", "100.0", "100.00", "5e-324", "4.9e-324",
        "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623157e308", "1.7976931348623158e308",
        "1.7976931348623159e308", "0.1", "0.30000000000000004", "1e22", "1e23", "9999999999999998.0",
        "9999999999999999.0", "123456789012345678.0", "9007199254740993.0", "1e400", "-1e400", "1e-400", "-1e-400",
        "-0.0", "0.0", "0e0", "-0e-0", "0.0001", "0.00001", "1.0e-4", "9.999e-5", "1e15", "1e+15", "123456789012345.6",
        "1234567890123456.7", "1E+2", "1e-0", "1E00001", "2.5e-05", "1.5E+300", "1.5e300", "-1.5e-300",
        "1e99999999999999999999", "0e99999999999999999999", "1e-99999999999999999999",
        "0." + "0" * 400 + "1", "1" + "0" * 400 + ".0", "3." + "14159265358979323846264338327950288" * 10,
        "NaN", "Infinity", "-Infinity", "[NaN,Infinity,-Infinity]", '{"a":NaN,"b":-Infinity}',
        '{"price":150.50,"qty":10,"ratio":1E-7}',
    ]:
        add("number " + (text if len(text) < 40 else text[:37] + "..."), text)

    # malformed: Java must throw MalformedJsonException
    for text in [
        "", " ", "{", "}", "[", "]", "[1,]", '{"a":1,}', '{"a" 1}', "{a:1}", "{'a':1}", "[1 2]", '{"a":1 "b":2}',
        "01", "-01", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-", "--1", "0x10", "1_000", "nan", "inf", "infinity",
        "-NaN", "+Infinity", "True", "None", "nul", "tru", "fals", "Infinit", '"abc', '"\\', '"\\"', '"\\x41"',
        '"\\u12"', '"\\u12G4"', '"\\u 123"', '"\\uD83D\\uDE0"', '"\\ud83d\\u"', '"\\ud83d\\uZZZZ"', '"a"b', '{"a":1}}',
        "[]]", "1 2", '"\\u00e9', "\ufeff{}", "\u00a01", "\x0c1", "1\x0b", "null x", "[1]x", "[1,,2]", "[,]",
        '{"a"}', '{"a":}', "{,}", '{"a":1,,"b":2}', '"\\a"', '"\\U0041"', "\u20001",
    ]:
        add("malformed " + repr(text)[:40], text)
    return cases


def byte_cases():
    cases = []

    def add(name, data):
        assert json.detect_encoding(data) in ("utf-8", "utf-8-sig"), name
        cases.append({"name": name, "inputHex": data.hex(), **outcome(data)})

    for name, data in [
        ("utf-8 text", '{"user":"jos\u00e9-m\u00fcller","e":"\U0001F600"}'.encode()),
        ("bom then object", b"\xef\xbb\xbf{}"),
        ("bom then array", b"\xef\xbb\xbf[1]"),
        ("two boms", b"\xef\xbb\xbf\xef\xbb\xbf{}"),
        ("bom inside string", b'"\xef\xbb\xbf"'),
        ("smallest two-byte", b'"\xc2\x80"'), ("largest two-byte", b'"\xdf\xbf"'),
        ("smallest three-byte", b'"\xe0\xa0\x80"'), ("largest three-byte", b'"\xef\xbf\xbf"'),
        ("smallest four-byte", b'"\xf0\x90\x80\x80"'), ("largest four-byte", b'"\xf4\x8f\xbf\xbf"'),
        ("encoded lone high surrogate", b'"\xed\xa0\x80"'),
        ("encoded lone low surrogate", b'"\xed\xbf\xbf"'),
        ("encoded surrogate pair stays two code points",
         b'{"\xed\xa0\xbd\xed\xb8\x80":1, "\xee\x80\x80":2, "\xf0\x9f\x98\x80":3}'),
        ("just below surrogates", b'"\xed\x9f\xbf"'),
        ("overlong nul", b'"\xc0\x80"'), ("overlong c1", b'"\xc1\xbf"'),
        ("overlong three-byte", b'"\xe0\x80\xaf"'), ("overlong three-byte high", b'"\xe0\x9f\xbf"'),
        ("overlong four-byte", b'"\xf0\x80\x80\xaf"'), ("overlong four-byte high", b'"\xf0\x8f\xbf\xbf"'),
        ("above U+10FFFF", b'"\xf4\x90\x80\x80"'), ("f5 lead", b'"\xf5\x80\x80\x80"'),
        ("fe byte", b'"\xfe"'), ("ff byte", b'"\xff"'), ("lone continuation", b'"\x80"'),
        ("truncated two-byte", b'"\xc3"'), ("truncated three-byte", b'"\xe2\x82"'),
        ("truncated four-byte", b'"\xf0\x9f\x98"'), ("truncated at end", b'"a"\xe2\x82'),
        ("truncated surrogate", b'"\xed\xa0"'), ("bad second continuation", b'"\xe2\x82\x41"'),
        ("latin-1 not utf-8", b'"jos\xe9"'),
        ("invalid utf-8 outside string", b'[1]\xff'),
    ]:
        add(name, data)
    return cases


def random_double(rng):
    return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]


def as_float_text(text):
    """Make sure JSON reads a number text as a float, not an int."""
    return text if any(c in text for c in ".eE") or text in ("NaN", "Infinity", "-Infinity") else text + ".0"


def float_text(rng, x):
    """x written in one of many ways, all valid JSON, most not in repr form."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    style = rng.randrange(6)
    if style == 0:
        text = repr(x)
    elif style == 1:
        text = "%.17g" % x
    elif style == 2:
        text = "%.*e" % (rng.randrange(0, 22), x)
    elif style == 3:
        text = "%.*E" % (rng.randrange(15, 20), x)
    elif style == 4 and abs(x) < 1e25 and (x == 0 or abs(x) > 1e-25):
        text = "%.*f" % (rng.randrange(0, 30), x)
    else:
        exact = decimal.Decimal(x)
        text = str(exact) if len(str(exact)) < 100 else "%.25e" % x
    return as_float_text(text)


def float_cases():
    rng = random.Random(SEED)
    decimal.getcontext().prec = 2000
    inputs = []
    for _ in range(2000):  # random bit patterns: every exponent, subnormals, the odd NaN or infinity
        inputs.append(float_text(rng, random_double(rng)))
    for _ in range(1200):  # random decimal strings, up to 25 significant digits, exponents around the double range
        digits = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(rng.randrange(0, 25)))
        split = rng.randrange(1, len(digits) + 1)
        mantissa = digits[:split] + ("." + digits[split:] if split < len(digits) else "")
        exponent = "e%d" % rng.randrange(-345, 320) if rng.random() < 0.8 else ""
        inputs.append(as_float_text(rng.choice(["", "-"]) + mantissa + exponent))
    for i in range(300):  # exact midpoints between neighbouring doubles, and just either side: round-half-even reads
        # mostly magnitudes whose exact midpoints are short; every tenth anywhere (up to ~770 digits)
        x = abs(random_double(rng)) if i % 10 == 0 else rng.uniform(1, 2) * 2.0 ** rng.randrange(-30, 90)
        y = math.nextafter(x, math.inf)
        if math.isnan(x) or math.isinf(y) or x == 0:
            continue
        mid = (decimal.Decimal(x) + decimal.Decimal(y)) / 2
        nudge = (decimal.Decimal(y) - decimal.Decimal(x)) / 1000
        for value in (mid, mid - nudge, mid + nudge):
            inputs.append(as_float_text(str(value)))
    for k in range(-1074, 1024):  # every power of two: the rounding interval below is half the one above
        inputs.append(float_text(rng, 2.0 ** k))
    for _ in range(400):  # short decimals such as prices and quantities
        places = rng.randrange(0, 5)
        inputs.append(as_float_text("%.*f" % (places, rng.randrange(0, 10 ** 9) / 10 ** places)))
    for _ in range(300):  # around the fixed/scientific switch (decimal exponents -5..-3 and 15..17)
        inputs.append(float_text(rng, rng.uniform(1, 10) * 10.0 ** rng.choice([-5, -4, -3, 15, 16, 17])))
    seen, cases = set(), []
    for text in inputs:
        if text not in seen:
            seen.add(text)
            cases.append([text, canonical(json.loads(text))])
    return cases


def main():
    if sys.version_info[:2] < (3, 11):
        sys.exit("needs Python 3.11+ (the int digit limit and the repr rules the table records)")
    texts, blobs, floats = text_cases(), byte_cases(), float_cases()
    lines = ['{"generatedBy":"dev/tools/python_canonical_cases.py","python":"%d.%d",'
             % sys.version_info[:2]]
    for key, rows in (("textCases", texts), ("byteCases", blobs), ("floatCases", floats)):
        lines.append('"%s":[' % key)
        lines.extend(json.dumps(row, separators=(",", ":")) + "," for row in rows)
        lines[-1] = lines[-1][:-1]
        lines.append("],")
    lines[-1] = "]}"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="ascii")
    print("wrote %s: %d text, %d byte, %d float cases" % (OUT, len(texts), len(blobs), len(floats)))


if __name__ == "__main__":
    main()
