#!/usr/bin/env python3
"""Independent oracle for examples/three-units-2024: reads ../budget.yaml, writes the expected tables.

It imports nothing from the engine (src/): the table semantics are transcribed by hand from the Xinjiang 2024
template (data/templates/xinjiang-2024.yaml) and CONVENTIONS.md, and only the catalogs (data/catalogs/2024/*.csv)
are read, for names; a code they do not list takes the name the budget gives it under `names`. Money is exact integer 分 throughout: the YAML is loaded with BaseLoader, so every scalar
stays the source text, and amounts go through decimal.Decimal, never a float.

Output: expected/department/ and expected/unit-<code>/, each with t01.csv … t11.csv, perf-department.csv and
perf-project.csv (UTF-8 without BOM, LF), column headers as in shared/reference/changji-xinfang-2024/expected/.

Run: python3 expected/compute.py   (from examples/three-units-2024/, or from anywhere)
"""
import csv
import io
import os
import sys
from decimal import Decimal, InvalidOperation

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(EXAMPLE))
CATALOGS = os.path.join(REPO, "data", "catalogs", "2024")

FEN_PER_PRINT_STEP = 10000  # 0.01 万元 = 100 元 = 10,000 分

# ---------------------------------------------------------------- template facts, transcribed by hand

PERSONNEL_ECON = ("301", "303")

GROUPS = {
    "gpb": ["gpb.own", "gpb.transfer"],
    "gf": ["gf.own", "gf.transfer"],
    "sc": ["sc.own", "sc.transfer"],
    "appropriated": ["gpb", "gf", "sc"],
    "unit": ["unit.business", "unit.upper_subsidy", "unit.affiliated", "unit.operating", "unit.other"],
    "current": ["appropriated", "special_account", "unit"],
    "co.appropriated": ["co.gpb", "co.gf", "co.sc"],
    "co.non_appropriated": ["co.special_account", "co.unit"],
    "carryover": ["co.appropriated", "co.non_appropriated"],
    "all": ["current", "carryover"],
}

FUNCTION_CLASSES = ["201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
                    "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230",
                    "231", "232", "233", "234"]

SANGONG_ECON = ["30212", "30217", "30231", "31013", "30913"]

EMPTY_SENTENCE = "{department}{year}年没有使用{fund}安排的支出，{table}为空表。"

FUNC_LEAD = ["类", "款", "项", "科目名称"]


def expand(source):
    names = [source] if isinstance(source, str) else list(source)
    out = set()
    for n in names:
        if n in GROUPS:
            out |= expand(GROUPS[n])
        else:
            out.add(n)
    return out


# ---------------------------------------------------------------- exact money

def to_fen(text, where):
    """Decimal text of 元 → int 分. Accepts thousands separators; refuses floats' noise and > 2 decimals."""
    if not isinstance(text, str):
        raise SystemExit(f"{where}: amount is not a scalar: {text!r}")
    t = text.strip().replace(",", "")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise SystemExit(f"{where}: not an amount: {text!r}")
    fen = d * 100
    if d < 0 or fen != fen.to_integral_value():
        raise SystemExit(f"{where}: bad amount {text!r}")
    return int(fen)


def fmt(fen):
    """Exact 分 → printed 万元 with two decimals, half away from zero; exactly zero prints blank."""
    if fen is None or fen == 0:
        return ""
    q, r = divmod(abs(fen), FEN_PER_PRINT_STEP)
    if 2 * r >= FEN_PER_PRINT_STEP:
        q += 1
    return f"{'-' if fen < 0 else ''}{q // 100}.{q % 100:02d}"


def printed_steps(fen):
    """The printed value in 0.01 万元 steps, as an integer (for the rounding checks)."""
    q, r = divmod(fen, FEN_PER_PRINT_STEP)
    return q + (1 if 2 * r >= FEN_PER_PRINT_STEP else 0)


def plain_number(text):
    d = Decimal(str(text).strip())
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


# ---------------------------------------------------------------- input

def load_catalog(name):
    with open(os.path.join(CATALOGS, name), encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


FUNC_NAMES = load_catalog("exp_func_2024_partial.csv")
ECON_NAMES = load_catalog("exp_econ_department_2024.csv")


# The budget's own names for codes the catalog does not list (its `names` section: names.func / names.econ);
# filled by load_budget. A code the catalog lists keeps the catalog's name (docs/decisions.md D2).
INPUT_NAMES = {"func": {}, "econ": {}}


def code_name(kind, catalog, code):
    """The catalog's name, else the budget's; a code that neither names cannot be published (I-CODE-UNNAMED)."""
    if code in catalog:
        return catalog[code]
    if code in INPUT_NAMES[kind]:
        return INPUT_NAMES[kind][code]
    raise SystemExit(f"{kind} code {code} is neither in the catalog nor named under names.{kind} of the budget")


def func_name(code):
    return code_name("func", FUNC_NAMES, code)


def econ_name(code):
    return code_name("econ", ECON_NAMES, code)


class Fact:
    __slots__ = ("unit", "utype", "func", "econ", "source", "kind", "project", "name", "amount")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


def load_budget(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=yaml.BaseLoader)  # every scalar stays its source text
    assert doc["format"] == "gongkai/budget@1"
    names = doc.get("names") or {}
    for kind in ("func", "econ"):
        INPUT_NAMES[kind] = {str(code): str(name).strip() for code, name in (names.get(kind) or {}).items()}
    units = [dict(code=u["code"], name=u["name"], type=u["type"]) for u in doc["units"]]
    utype = {u["code"]: u["type"] for u in units}
    projects = []
    for p in doc.get("projects", []):
        classified = str(p.get("classified", "false")).lower() == "true"
        projects.append(dict(code=p["code"], name=p["name"], unit=p["unit"], classified=classified,
                             label=p.get("public_label") if classified else p["name"]))
    facts = []
    for i, l in enumerate(doc["lines"]):
        facts.append(Fact(unit=l["unit"], utype=utype[l["unit"]], func=l["func"], econ=l["econ"], source=l["fund"],
                          kind=l["kind"], project=l.get("project"), name=None,
                          amount=to_fen(l["amount"], f"lines[{i}]")))
    for i, c in enumerate(doc.get("carryover", [])):
        facts.append(Fact(unit=c["unit"], utype=utype[c["unit"]], func=c["func"], econ=c["econ"],
                          source="co." + c["fund"], kind=c["kind"], project=None, name=c["name"],
                          amount=to_fen(c["amount"], f"carryover[{i}]")))
    for f in facts:
        assert len(f.func) == 7 and f.func.isdigit() and len(f.econ) == 5 and f.econ.isdigit(), (f.func, f.econ)
        assert f.kind in ("basic", "project")
    return doc, units, projects, facts


# ---------------------------------------------------------------- filters

def is_personnel(f):
    return f.kind == "basic" and f.econ[:3] in PERSONNEL_ECON


def match(f, where):
    if not where:
        return True
    for key, val in where.items():
        if key == "source":
            if f.source not in expand(val):
                return False
        elif key == "kind":
            if val == "personnel":
                ok = is_personnel(f)
            elif val == "operating":
                ok = f.kind == "basic" and not is_personnel(f)
            else:
                ok = f.kind == val
            if not ok:
                return False
        elif key == "econ":
            if not any(f.econ.startswith(p) for p in val):
                return False
        elif key == "func":
            if not any(f.func.startswith(p) for p in val):
                return False
        elif key == "unit_type":
            if f.utype not in val:
                return False
        else:
            raise KeyError(key)
    return True


def total(facts, *wheres):
    return sum(f.amount for f in facts if all(match(f, w) for w in wheres))


def select(facts, *wheres):
    return [f for f in facts if all(match(f, w) for w in wheres)]


# ---------------------------------------------------------------- row sources

def money_cells(facts, columns):
    """columns: list of (csv header, where) → list of exact 分 totals."""
    return [total(facts, w) for _, w in columns]


def func_tree(facts, columns, split_projects=None):
    """类/款/项 rows where any cell is non-zero, in code order; with split_projects (表7) one row per (项, project)."""
    codes = set()
    for f in facts:
        codes |= {f.func[:3], f.func[:5], f.func}
    rows = []
    for code in sorted(codes):
        sub = [f for f in facts if f.func.startswith(code)]
        lead = [code[:3], code[3:5], code[5:7], func_name(code)]
        if len(code) == 7 and split_projects is not None:
            order = [p["code"] for p in split_projects]
            in_item = []
            for f in sub:
                if f.project not in in_item:
                    in_item.append(f.project)
            in_item.sort(key=lambda c: order.index(c) if c in order else len(order))
            for pc in in_item:
                pf = [f for f in sub if f.project == pc]
                label = next((p["label"] for p in split_projects if p["code"] == pc), pc or "")
                cells = money_cells(pf, columns)
                if any(cells):
                    rows.append(lead + [label] + cells)
            continue
        cells = money_cells(sub, columns)
        if any(cells):
            rows.append(lead + ([""] if split_projects is not None else []) + cells)
    return rows


def econ_tree(facts, columns):
    codes = set()
    for f in facts:
        codes |= {f.econ[:3], f.econ}
    rows = []
    for code in sorted(codes):
        cells = money_cells([f for f in facts if f.econ.startswith(code)], columns)
        if any(cells):
            rows.append([code[:3], code[3:5], econ_name(code)] + cells)
    return rows


# ---------------------------------------------------------------- tables

def t01(facts, ctx):
    tw = {"source": "all"}
    facts = select(facts, tw)
    income = [
        ("一、本年收入", {"source": "current"}), ("1、一般公共预算拨款", {"source": "gpb"}),
        ("其中：一般财力", {"source": "gpb.own"}), ("上级一般公共预算安排转移支付", {"source": "gpb.transfer"}),
        ("2、基金预算拨款", {"source": "gf"}), ("其中：政府性基金收入", {"source": "gf.own"}),
        ("上级政府性基金安排转移支付", {"source": "gf.transfer"}), ("3、国有资本经营预算拨款", {"source": "sc"}),
        ("其中：国有资本经营收入", {"source": "sc.own"}), ("上级国有资本经营预算安排转移支付", {"source": "sc.transfer"}),
        ("4、财政专户核拨", {"source": "special_account"}), ("5、单位资金", {"source": "unit"}),
        ("其中：事业收入", {"source": "unit.business"}), ("上级补助收入", {"source": "unit.upper_subsidy"}),
        ("附属单位上缴收入", {"source": "unit.affiliated"}), ("事业单位经营收入", {"source": "unit.operating"}),
        ("其他收入", {"source": "unit.other"}), ("二、上年结转结余", {"source": "carryover"}),
        ("1、财政拨款结转", {"source": "co.appropriated"}), ("其中：一般公共预算拨款", {"source": "co.gpb"}),
        ("基金预算拨款", {"source": "co.gf"}), ("国有资本经营预算拨款", {"source": "co.sc"}),
        ("2、非财政拨款结转结余", {"source": "co.non_appropriated"}), ("其中：财政专户核拨", {"source": "co.special_account"}),
        ("单位资金", {"source": "co.unit"}), ("收入总计", None),
    ]
    rows = [["收入", "", label, total(facts, w)] for label, w in income]
    rows += [["支出", c, func_name(c), total(facts, {"func": [c]})] for c in FUNCTION_CLASSES]
    rows.append(["支出", "", "支出总计", total(facts)])
    return ["side", "类", "科目或项目", "预算数"], rows


def t02(facts, ctx):
    cols = [("总计", None), ("财政拨款（补助）小计", {"source": "appropriated"}), ("一般公共预算", {"source": "gpb.own"}),
            ("上级一般公共预算安排的转移支付", {"source": "gpb.transfer"}), ("政府性基金预算", {"source": "gf.own"}),
            ("上级政府性基金安排的转移支付", {"source": "gf.transfer"}), ("国有资本经营预算", {"source": "sc.own"}),
            ("上级国有资本经营预算安排的转移支付", {"source": "sc.transfer"}),
            ("财政专户（教育收费）", {"source": "special_account"}), ("单位资金", {"source": "unit"}),
            ("财政拨款结转", {"source": "co.appropriated"}), ("非财政拨款结转结余", {"source": "co.non_appropriated"})]
    return tree_table(select(facts, {"source": "all"}), cols)


def tree_table(facts, cols):
    header = FUNC_LEAD + [c for c, _ in cols]
    rows = [["", "", "", "总计"] + money_cells(facts, cols)] + func_tree(facts, cols)
    return header, rows


def t03(facts, ctx):
    cols = [("合计", None), ("基本支出", {"kind": "basic"}), ("项目支出", {"kind": "project"})]
    return tree_table(select(facts, {"source": "all"}), cols)


def t04(facts, ctx):
    facts = select(facts, {"source": "appropriated"})
    header = ["side", "类", "科目或项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
    cols = [("合计", None), ("一般公共预算", {"source": "gpb"}), ("政府性基金预算", {"source": "gf"}),
            ("国有资本经营预算", {"source": "sc"})]
    income = [("一、财政拨款（补助）", None), ("一般公共预算", {"source": "gpb"}), ("政府性基金预算", {"source": "gf"}),
              ("国有资本经营预算", {"source": "sc"}), ("收入总计", None)]
    # The income side declares `columns: [total]`: only 合计 prints, the other amount cells stay blank.
    rows = [["收入", "", label, total(facts, w), None, None, None] for label, w in income]
    rows += [["支出", c, func_name(c)] + money_cells(select(facts, {"func": [c]}), cols) for c in FUNCTION_CLASSES]
    rows.append(["支出", "", "支出总计"] + money_cells(facts, cols))
    return header, rows


def t05(facts, ctx):
    cols = [("合计", None), ("基本支出", {"kind": "basic"}), ("项目支出", {"kind": "project"})]
    return tree_table(select(facts, {"source": "gpb"}), cols)


def t06(facts, ctx):
    facts = select(facts, {"source": "gpb", "kind": "basic"})
    cols = [("合计", None), ("人员经费", {"kind": "personnel"}), ("公用经费", {"kind": "operating"})]
    header = ["类", "款", "科目名称"] + [c for c, _ in cols]
    return header, [["", "", "总计"] + money_cells(facts, cols)] + econ_tree(facts, cols)


def t07(facts, ctx):
    facts = select(facts, {"source": "gpb", "kind": "project"})
    cols = [("项目支出合计", None)] + [(n, {"econ": [e]}) for n, e in [
        ("工资福利支出", "301"), ("商品服务支出", "302"), ("对个人和家庭的补助", "303"), ("债务利息及费用支出", "307"),
        ("资本性支出（基本建设）", "309"), ("资本性支出", "310"), ("对企业补助（基本建设）", "311"), ("对企业补助", "312"),
        ("对社会保障基金补助", "313"), ("其他支出", "399")]]
    header = FUNC_LEAD + ["项目名称"] + [c for c, _ in cols]
    rows = [["", "", "", "总计", ""] + money_cells(facts, cols)]
    for u in ctx["units"]:
        uf = [f for f in facts if f.unit == u["code"]]
        cells = money_cells(uf, cols)
        if not any(cells):
            continue
        rows.append(["", "", "", u["name"], ""] + cells)
        rows += func_tree(uf, cols, split_projects=ctx["projects"])
    return header, rows


def fund_table(facts, ctx, source, fund_words, title):
    facts = select(facts, {"source": source})
    cols = [("合计", None), ("基本支出人员经费", {"kind": "personnel"}), ("基本支出公用经费", {"kind": "operating"}),
            ("项目支出", {"kind": "project"})]
    header = FUNC_LEAD + [c for c, _ in cols]
    if not any(f.amount for f in facts):
        sentence = EMPTY_SENTENCE.format(department=ctx["department"], year=ctx["year"], fund=fund_words, table=title)
        return header, [[sentence] + [""] * (len(header) - 1)]
    return tree_table(facts, cols)


def t08(facts, ctx):
    return fund_table(facts, ctx, "gf", "政府性基金预算拨款", "政府性基金预算支出情况表")


def t09(facts, ctx):
    return fund_table(facts, ctx, "sc", "国有资本经营预算拨款", "国有资本经营预算支出情况表")


def t10(facts, ctx):
    facts = select(facts, {"source": "appropriated"})
    cols = [("合计", None), ("一般公共预算", {"source": "gpb"}), ("政府性基金", {"source": "gf"}),
            ("国有资本经营预算", {"source": "sc"})]
    fixed = [("合计", SANGONG_ECON), ("因公出国（境）费", ["30212"]), ("公务接待费", ["30217"]),
             ("公务用车购置及运行费（小计）", ["30231", "31013", "30913"]), ("其中：公务用车购置费", ["31013", "30913"]),
             ("公务用车运行费", ["30231"])]
    rows = [[label] + money_cells(select(facts, {"econ": econ}), cols) for label, econ in fixed]
    return ["项目"] + [c for c, _ in cols], rows


def t11(facts, ctx):
    facts = select(facts, {"source": "carryover"})
    ap, na = {"source": "co.appropriated"}, {"source": "co.non_appropriated"}
    cols = [("总计", None), ("财政拨款合计", ap), ("财政拨款基本支出人员经费", dict(ap, kind="personnel")),
            ("财政拨款基本支出公用经费", dict(ap, kind="operating")), ("财政拨款项目支出", dict(ap, kind="project")),
            ("非财政拨款合计", na), ("非财政拨款基本支出人员经费", dict(na, kind="personnel")),
            ("非财政拨款基本支出公用经费", dict(na, kind="operating")), ("非财政拨款项目支出", dict(na, kind="project"))]
    rows = [["总计"] + money_cells(facts, cols)]
    for u in ctx["units"]:
        uf = [f for f in facts if f.unit == u["code"]]
        cells = money_cells(uf, cols)
        if not any(cells):
            continue
        rows.append([u["name"]] + cells)
        # one row per carry-over item: the entries of one unit under one name, whatever their codes, fund or kind;
        # items in the input order of their first entries (facts keep input order)
        names = list(dict.fromkeys(f.name for f in uf))
        rows += [[name] + money_cells([f for f in uf if f.name == name], cols) for name in names]
    return ["项目名称"] + [c for c, _ in cols], rows


TABLES = [("t01", t01), ("t02", t02), ("t03", t03), ("t04", t04), ("t05", t05), ("t06", t06), ("t07", t07),
          ("t08", t08), ("t09", t09), ("t10", t10), ("t11", t11)]

PERF_DEPT_HEADER = ["一级指标", "二级指标", "三级指标", "比较", "指标值", "计量单位", "指标设定依据", "分值权重"]
PERF_PROJ_HEADER = ["项目名称", "一级指标", "二级指标", "三级指标", "比较", "指标值", "计量单位", "指标值设置依据",
                    "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"]


def indicator_cells(i):
    return [i["level1"], i["level2"], i["name"], i["comparator"], str(i["value"]).strip(), i.get("unit", "")]


def perf_department(doc, ctx):
    rows = []
    if ctx["is_department"]:
        dep = (doc.get("performance") or {}).get("department")
        if dep:
            for i in dep["indicators"]:
                rows.append(indicator_cells(i) + [i.get("basis", ""), plain_number(i["weight"])])
    return PERF_DEPT_HEADER, rows


def perf_project(doc, ctx):
    public = {p["code"]: p for p in ctx["projects"] if not p["classified"]}
    rows = []
    for tp in (doc.get("performance") or {}).get("projects", []):
        p = public.get(tp["project"])
        if p is None:
            continue  # classified, or another unit's project in a unit build
        for i in tp["indicators"]:
            rows.append([p["name"]] + indicator_cells(i) + [i.get("basis", ""), i.get("last_year", ""),
                                                           plain_number(i["weight"]), i.get("scoring", ""),
                                                           i.get("evidence", "")])
    return PERF_PROJ_HEADER, rows


# ---------------------------------------------------------------- build and write

def build(doc, units, projects, facts, unit=None):
    ctx = {
        "is_department": unit is None,
        "department": doc["department"]["name"] if unit is None else unit["name"],
        "year": doc["department"]["year"],
        "units": units if unit is None else [unit],
        "projects": projects if unit is None else [p for p in projects if p["unit"] == unit["code"]],
    }
    facts = facts if unit is None else [f for f in facts if f.unit == unit["code"]]
    out = {tid: fn(facts, ctx) for tid, fn in TABLES}
    out["perf-department"] = perf_department(doc, ctx)
    out["perf-project"] = perf_project(doc, ctx)
    return out


def render(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        assert len(r) == len(header), (header, r)
        w.writerow([fmt(c) if isinstance(c, int) else ("" if c is None else c) for c in r])
    return buf.getvalue()


def write(dirname, tables):
    d = os.path.join(OUT, dirname)
    os.makedirs(d, exist_ok=True)
    texts = {}
    for name, (header, rows) in tables.items():
        text = render(header, rows)
        with open(os.path.join(d, name + ".csv"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        texts[name] = text
    return texts


# ---------------------------------------------------------------- checks (exact)

def row_by_label(rows, col, label):
    found = [r for r in rows if r[col] == label]
    assert len(found) == 1, (label, found)
    return found[0]


def checks(doc, units, projects, facts, dept, per_unit, all_texts):
    # 表3 总计: the units' exact totals add up to the department's, column by column.
    d_total = row_by_label(dept["t03"][1], 3, "总计")[4:]
    u_totals = [row_by_label(t["t03"][1], 3, "总计")[4:] for t in per_unit.values()]
    assert [sum(c) for c in zip(*u_totals)] == d_total, (u_totals, d_total)
    # The same for every table's 总计/合计 row that is a plain sum over units (t02, t05, t06, t07, t11).
    for tid, col, label, first in [("t02", 3, "总计", 4), ("t05", 3, "总计", 4), ("t06", 2, "总计", 3),
                                   ("t07", 3, "总计", 5), ("t11", 0, "总计", 1), ("t10", 0, "合计", 1)]:
        d = row_by_label(dept[tid][1], col, label)[first:]
        u = [row_by_label(t[tid][1], col, label)[first:] for t in per_unit.values()]
        assert [sum(c) for c in zip(*u)] == d, tid
    for tables in [dept] + list(per_unit.values()):
        # 表1 and 表4: income total == expenditure total, exactly.
        r1 = tables["t01"][1]
        assert row_by_label(r1, 2, "收入总计")[3] == row_by_label(r1, 2, "支出总计")[3]
        r4 = tables["t04"][1]
        assert row_by_label(r4, 2, "收入总计")[3] == row_by_label(r4, 2, "支出总计")[3]
        # 表3 总计 = 表1 支出总计; 表5 总计 = 表1 一般公共预算拨款.
        assert row_by_label(tables["t03"][1], 3, "总计")[4] == row_by_label(r1, 2, "支出总计")[3]
        assert row_by_label(tables["t05"][1], 3, "总计")[4] == row_by_label(r1, 2, "1、一般公共预算拨款")[3]
    # Performance weights: 90 in every table (预算执行率 carries the other 10).
    perf = doc.get("performance") or {}
    assert sum(Decimal(i["weight"]) for i in perf["department"]["indicators"]) == 90
    for tp in perf.get("projects", []):
        assert sum(Decimal(i["weight"]) for i in tp["indicators"]) == 90, tp["project"]
    public = {p["code"] for p in projects if not p["classified"]}
    assert public == {tp["project"] for tp in perf.get("projects", [])}, "every public project needs a target table"
    # A classified project's real name appears in no output.
    for p in projects:
        if p["classified"]:
            for name, text in all_texts.items():
                assert p["name"] not in text, (p["name"], name)
    # Rounding: somewhere a parent prints differently from the sum of its printed children (as in the reference).
    diffs = []
    for tid, ncode in [("t02", 3), ("t03", 3), ("t05", 3), ("t06", 2)]:
        rows = dept[tid][1]
        for i, r in enumerate(rows):
            code = "".join(r[:ncode])
            if not code:
                continue
            kids = [k for k in rows if "".join(k[:ncode]).startswith(code)
                    and len("".join(k[:ncode])) == len(code) + 2 and "".join(k[:ncode]) != code]
            if not kids:
                continue
            for c in range(ncode + 1, len(r)):
                if isinstance(r[c], int) and r[c] and printed_steps(r[c]) != sum(printed_steps(k[c] or 0) for k in kids):
                    diffs.append(f"{tid} {code} col {c}: {fmt(r[c])} vs children {sum(printed_steps(k[c] or 0) for k in kids) / 100:.2f}")
    assert diffs, "expected at least one parent whose print differs from the sum of its printed children"
    # A non-zero total that rounds to 0.00 prints 0.00.
    assert any("0.00" in (fmt(c) if isinstance(c, int) else "") for r in dept["t06"][1] for c in r)
    return diffs


OUT = HERE


def main():
    global OUT
    # `--out DIR` writes elsewhere (the test suite recomputes into a temporary folder and compares).
    if "--out" in sys.argv:
        OUT = os.path.abspath(sys.argv[sys.argv.index("--out") + 1])
    doc, units, projects, facts = load_budget(os.path.join(EXAMPLE, "budget.yaml"))
    dept = build(doc, units, projects, facts)
    per_unit = {u["code"]: build(doc, units, projects, facts, unit=u) for u in units}
    all_texts = {}
    for name, text in write("department", dept).items():
        all_texts["department/" + name] = text
    for code, tables in per_unit.items():
        for name, text in write(f"unit-{code}", tables).items():
            all_texts[f"unit-{code}/" + name] = text
    diffs = checks(doc, units, projects, facts, dept, per_unit, all_texts)
    print(f"wrote {len(all_texts)} files into {os.path.relpath(OUT)}/ (department + {len(units)} units); checks passed")
    for d in diffs:
        print("  rounding:", d)


if __name__ == "__main__":
    sys.exit(main())
