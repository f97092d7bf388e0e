"""The reason rules assign the same rule on DuckDB and on Spark (issue 16).

DuckDB builds int_ticket_reason_rule_matches and int_refund_reason_rule_matches with the
Python models (support_kpis.reasons: one CASE of RE2 regexp_matches inside DuckDB); Spark,
which cannot run those, builds SQL models of the same names from macros/tickets/reason_rules.sql,
with each seed pattern translated to Java's regex dialect (macros/engines/tickets.sql,
java_regex). Both read the same seeds; this test shows they give the same assignment to every
text of the sample and to hand-written texts at the edges where RE2 and Java differ (word
boundaries next to accented letters, Unicode case folding, `.` and line breaks, apostrophes).

The Spark side is the project's macro, rendered by dbt for the spark target (no Spark session
needed to render) and run in a local Spark session; the DuckDB side is the Python models' own
function. The rules are the seed rows, given to both unsorted. A rule changed on one side
changes an assignment: every rule wins at least one hand-written text, and the test checks
that dropping any one rule from the DuckDB side is caught.

Runs only where Java and pyspark are present (scripts/install_spark.sh, requirements.lock).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from support_kpis import reasons

HAVE_SPARK = shutil.which("java") is not None and importlib.util.find_spec("pyspark") is not None

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not HAVE_SPARK, reason="needs Java and pyspark (bash scripts/install_spark.sh)"),
]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"

SEEDS = {
    "contact": (REPO / "seeds" / "tickets" / "contact_reason_rules.csv", reasons.CONTACT_REASON_RULES),
    "refund": (REPO / "seeds" / "commerce" / "refund_reason_rules.csv", reasons.REFUND_REASON_RULES),
}

# (subject, first customer message): each rule wins at least one of these; the comments name
# the dialect difference a text exercises (RE2 on DuckDB, java.util.regex on Spark).
CONTACT_TEXTS = [
    ("My mug arrived BROKEN", None),
    ("It doesn't work", "and it doesnt work either"),  # a quote in the pattern
    ("Wrong size", "you sent the wrong size"),
    (None, "Please update my shipping address"),
    ("Cancel", "please cancel my order"),
    ("Charged", "I was charged twice for one order"),
    ("Question", "Where is my refund?"),
    ("Where is my order?", None),
    ("How do I wash this?", None),
    ("returné", None),  # \b after `return`: RE2's word characters are ASCII, Java 17's \b is not
    ("éreturn", None),  # \b before it, likewise
    ("naïverefund", None),  # no boundary either way: the letter before is ASCII
    ("diſcount code", None),  # long s: RE2 folds it to `s` ignoring case
    ("no tra\u0063\u212Aing yet", None),  # Kelvin sign: RE2 folds it to `k`
    ("İnvoice", None),  # dotted capital I: RE2 does not fold it to `i` (Java's (?iu) would)
    ("ınvoice", None),  # dotless i, likewise
    ("my ſtore credit", None),  # long s right after a boundary: not a word character for \b
    ("Where is my", "order"),  # the two texts are joined by a newline, not a space
    ("dis\u0301count code", None),  # a combining accent is not a word character
    ("WISMO\r\nplease", None),
    (None, None),
    ("", ""),
]

REFUND_TEXTS = [
    "Got\rdifferent colour",  # `.` matches \r in RE2, not in Java unless translated
    "Got\ndifferent colour",  # neither matches a newline with `.`
    "Got\u2028different colour",  # Java's `.` stops at U+2028 too
    "received the wrong item, box damaged",
    "The glass arrived shattered",
    "It arrived late",
    "never arrived",
    "I changed my mind",
    "Too small",
    "doesn't fit",
    "doesn’t fit",  # a typographic apostrophe: `n.?t` takes any character
    "mix-up in the warehouse",
    "mixup",
    "It's a dislike",
    "dislikeé",
    "ſcratched",  # long s: folds to `s`, and `\b` before it fails in both dialects
    "scratcheſ",
    "brokenİ",
    None,
    "",
]


def seed_rules(seed_path: Path, seed: reasons.RuleSeed) -> list[dict]:
    """The seed's rows as given (unsorted): both sides sort them."""
    with seed_path.open(newline="", encoding="utf-8") as handle:
        return [
            {"rule_id": row["rule_id"], "pattern": row["pattern"], "reason": row[seed.reason_column],
             "priority": int(row["priority"])}
            for row in csv.DictReader(handle)
        ]


def sample_texts() -> tuple[list[tuple], list[str | None]]:
    """Every (ticket subject, message body) pair and every return reason of the sample."""
    con = duckdb.connect()
    pairs = con.execute(f"""
        select distinct tickets.subject, messages.body_text
        from read_json('{SAMPLE}/gorgias/messages*.ndjson', union_by_name = true) as messages
        inner join read_json('{SAMPLE}/gorgias/tickets*.ndjson', union_by_name = true) as tickets
            on messages.ticket_id = tickets.id
    """).fetchall()
    refund = [row[0] for row in con.execute(
        f"select distinct reason from read_csv('{SAMPLE}/returns/*.csv', all_varchar = true)"
    ).fetchall()]
    con.close()
    return sorted(pairs, key=repr), sorted(refund, key=repr)


def duckdb_assignments(rules: list[dict], seed: reasons.RuleSeed, rows: list[tuple]) -> dict:
    """text id -> (rule id, reason, priority), by the Python models' function."""
    con = duckdb.connect()
    text_columns = [f"text_{i}" for i in range(len(rows[0]) - 1)]
    con.execute(f"create table texts (text_id integer, {', '.join(c + ' varchar' for c in text_columns)})")
    con.executemany(f"insert into texts values ({', '.join('?' for _ in range(len(text_columns) + 1))})", rows)
    matched = reasons.match_reason_rules(
        con.table("texts"),
        [reasons.ReasonRule(r["rule_id"], r["pattern"], r["reason"], r["priority"]) for r in rules],
        id_column="text_id",
        text_columns=text_columns,
        seed=seed,
    )
    result = {row[0]: tuple(row[1:]) for row in matched.fetchall()}
    con.close()
    return result


def spark_sql(tmp_path: Path, rules: list[dict], n_text_columns: int) -> str:
    """The SQL the Spark models run, rendered by dbt from macros/tickets/reason_rules.sql."""
    text_columns = [f"text_{i}" for i in range(n_text_columns)]
    inline = (
        "{{ reason_rule_matches('texts', 'text_id', " + json.dumps(text_columns)
        + ", none, none, ['rule_id', 'reason', 'priority'], rules=var('reason_rules_under_test')) }}"
    )
    env = {**os.environ, "SUPPORT_KPIS_DB": str(tmp_path / "wh.duckdb"),
           "SUPPORT_KPIS_SPARK_DIR": str(tmp_path / "spark"), "SUPPORT_KPIS_SPARK_CATALOG": "in-memory"}
    result = subprocess.run(
        [str(REPO / "scripts" / "dbt"), "compile", "--target", "spark", "--no-populate-cache", "--quiet",
         "--target-path", str(tmp_path / "target"), "--inline", inline,
         "--vars", json.dumps({"reason_rules_under_test": rules})],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout.strip()


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    yield session
    session.stop()


def spark_assignments(spark, sql: str, rows: list[tuple]) -> dict:
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    schema = StructType([StructField("text_id", IntegerType())] + [
        StructField(f"text_{i}", StringType()) for i in range(len(rows[0]) - 1)
    ])
    spark.createDataFrame(rows, schema).createOrReplaceTempView("texts")
    return {row[0]: tuple(row[1:]) for row in spark.sql(sql).collect()}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Per seed: its rules, the texts (id first) and the rendered Spark SQL."""
    tmp_path = tmp_path_factory.mktemp("spark_reason_rules")
    sample_pairs, sample_reasons = sample_texts()
    texts = {
        "contact": [(i, *pair) for i, pair in enumerate(CONTACT_TEXTS + sample_pairs)],
        "refund": [(i, text) for i, text in enumerate(REFUND_TEXTS + sample_reasons)],
    }
    out = {}
    for name, (seed_path, seed) in SEEDS.items():
        rules = seed_rules(seed_path, seed)
        out[name] = {
            "seed": seed, "rules": rules, "texts": texts[name],
            "hand_written": len(CONTACT_TEXTS if name == "contact" else REFUND_TEXTS),
            "sql": spark_sql(tmp_path, rules, len(texts[name][0]) - 1),
        }
    return out


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_both_engines_assign_the_same_rules(cases, spark, name):
    case = cases[name]
    duck = duckdb_assignments(case["rules"], case["seed"], case["texts"])
    on_spark = spark_assignments(spark, case["sql"], case["texts"])
    differences = {
        text_id: (case["texts"][text_id][1:], duck[text_id], on_spark.get(text_id))
        for text_id in duck if duck[text_id] != on_spark.get(text_id)
    }
    assert not differences
    assert len(on_spark) == len(duck) == len(case["texts"])
    # the texts do exercise the rules: every rule wins some hand-written text, some texts match none
    hand_written = {duck[i][0] for i in range(case["hand_written"])}
    assert hand_written >= {rule["rule_id"] for rule in case["rules"]}
    assert None in hand_written


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_a_rule_changed_on_one_side_is_caught(cases, spark, name):
    case = cases[name]
    on_spark = spark_assignments(spark, case["sql"], case["texts"])
    for dropped in case["rules"]:
        # the rule's pattern changed on the DuckDB side only: it now matches no text
        changed = [
            {**rule, "pattern": r"\A\z"} if rule["rule_id"] == dropped["rule_id"] else rule
            for rule in case["rules"]
        ]
        assert duckdb_assignments(changed, case["seed"], case["texts"]) != on_spark, dropped["rule_id"]


def test_patterns_the_translation_cannot_vouch_for_stop_the_build(tmp_path):
    """A construct whose meaning differs between the dialects and is not translated stops the
    render with its name, rather than risk a different match on Spark."""
    rules = [{"rule_id": "posix", "pattern": "[[:alpha:]]+ refund", "reason": "x", "priority": 1}]
    with pytest.raises(AssertionError, match="character class"):
        spark_sql(tmp_path, rules, 1)
