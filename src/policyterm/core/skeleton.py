"""The commented model that `policyterm init` writes: the smallest file that validates and
shows an author every part of format v1, with placeholders to replace.

Pure Python: no textual, no rich. Writing the file is the command line's job.
"""

from __future__ import annotations

# The schema line as docs/format.md writes it, for a model kept in a folder beside schema/.
DEFAULT_SCHEMA_REFERENCE = "../schema/article.schema.json"

_SKELETON = """\
#:schema {schema}
{schema_note}\
# A new policyterm model. Replace each placeholder with what your article says, in your own
# words, then check it with `policyterm validate FILE`. docs/format.md describes every key.
format = 1  # the version of the format this file follows

# Every actor the article names. Countries use their ISO 3166-1 alpha-3 code as id; anything
# else a lowercase slug. `source` lists the paragraphs that mention it.
entities = [
  {{ id = "XAA", kind = "country", name = "Country A", source = [1] }},
  {{ id = "XBB", kind = "country", name = "Country B", source = [1, 2] }},
]

# Subjects that come up across relationships.
themes = [
  {{ id = "trade", name = "Trade", source = [3] }},
]

[article]                       # the article itself
title = "The headline as printed"
published = 2024-01-01          # publication date, a TOML date
covers = "2023"                 # the period it reviews, an EDTF date
focus = "XAA"                   # the entity the article is about
paragraphs = 3                  # how many numbered paragraphs; citations go from 1 to this

[[relationships]]               # one per pair of entities the article describes
id = "xaa-xbb"
pair = ["XAA", "XBB"]           # the focus first
trend = "stable"                # improving, deteriorating, stalled, stable or mixed
headline = "A few words on how the year went"
summary = "One to four sentences on this relationship."
themes = ["trade"]
source = [1, 2]                 # the paragraphs this comes from

[[events]]                      # something that happened, on a date
id = "ministers-meet"
date = "2023-05"                # YYYY, YYYY-MM or YYYY-MM-DD; ~ or ? after it; or A/B
date_text = "in May"            # the date as the article phrases it
title = "Ministers of A and B meet"
actors = ["XAA", "XBB"]         # who acts
type = "CONSULT"                # a PLOVER event type: AGREE, CONSULT, AID, PROTEST, ...
score = 2                       # from -10 (conflict) to +10 (cooperation)
relationships = ["xaa-xbb"]
source = [2]

[[figures]]                     # a number the article states
id = "trade-value"
value = 1_000_000               # the plain number
unit = "USD"
label = "What the number measures"
relationships = ["xaa-xbb"]
source = [3]
"""

_NO_SCHEMA_NOTE = (
    "# (Editors that read this line check the file as you type; point it at\n"
    "# schema/article.schema.json in the policyterm project, relative to this file.)\n"
)


def skeleton(schema_reference: str | None) -> str:
    """The model's text; `schema_reference` is the schema's path relative to the new file,
    or None when it is not known (the conventional path is written, with a note)."""
    return _SKELETON.format(schema=schema_reference or DEFAULT_SCHEMA_REFERENCE,
                            schema_note="" if schema_reference else _NO_SCHEMA_NOTE)
