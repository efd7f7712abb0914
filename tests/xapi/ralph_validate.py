"""Validates every statement of a JSON array of xAPI statements with Ralph's pydantic model
ralph.models.xapi.base.statements.BaseXapiStatement (ralph-malph, installed by setup.sh).

Usage: VENV/bin/python ralph_validate.py FILE.json
Prints one line per error and exits 1 if there were any, else prints nothing and exits 0.
"""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

TAG = "ralph-BaseXapiStatement"


def label(statement, index):
    s = statement if isinstance(statement, dict) else {}
    sid = s.get("id") if isinstance(s.get("id"), str) else "-"
    verb = s.get("verb") if isinstance(s.get("verb"), dict) else {}
    verb_id = verb.get("id") if isinstance(verb.get("id"), str) else "-"
    return f"statement[{index}] id={sid} verb={verb_id.rsplit('/', 1)[-1]}"


def short(value):
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def main(argv):
    if len(argv) != 2:
        print("usage: ralph_validate.py FILE.json", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            statements = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {TAG}: cannot read JSON: {e}")
        return 1
    if not isinstance(statements, list):
        print(f"{path}: {TAG}: expected a JSON array of statements")
        return 1

    problems = 0
    for index, statement in enumerate(statements):
        try:
            BaseXapiStatement.model_validate(statement)
        except ValidationError as e:
            for err in e.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "(statement)"
                print(f"{label(statement, index)}: {TAG}: {loc}: {err['msg']} "
                      f"(value: {short(err.get('input'))})")
                problems += 1
        except Exception as e:  # a crash in a validator must not read as "valid"
            print(f"{label(statement, index)}: {TAG}: exception {type(e).__name__}: {e}")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
