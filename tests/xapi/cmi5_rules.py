#!/usr/bin/env python3
"""Checks cmi5's statement rules (AICC CMI-5_Spec_Current cmi5_spec.md §7.1, §9.3-9.6) on a
JSON array of xAPI statements as exported by `mentorsim export --format xapi`, grouped by
context.registration (one registration = one attempt = one cmi5 session in our export), plus
the fixed shape of our export (pseudonymous account actor, choice interactions, no score
outside passed/failed, unique statement ids, timestamps in order).

Usage: python3 cmi5_rules.py FILE.json      (standard library only)
Prints one line per problem and exits 1, or prints "cmi5 rules: OK (R registrations)".
"""

import json
import re
import sys
from datetime import datetime

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5_DEFINED = {v: ADL + v for v in ("initialized", "completed", "passed", "failed", "terminated")}
CMI5_VERB = {iri: name for name, iri in CMI5_DEFINED.items()}
CAT_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CAT_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
EXT_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
DURATION_REQUIRED = ("terminated", "completed", "passed", "failed")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TIMESTAMP_RE = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{3,})(Z|[+-]\d\d:\d\d)$"
)


def get(obj, *keys):
    """obj[k1][k2]... or None when any step is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def parse_timestamp(text):
    """RFC 3339 with a time zone and at least millisecond precision -> aware datetime, or None."""
    m = TIMESTAMP_RE.match(text) if isinstance(text, str) else None
    if not m:
        return None
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    fraction = (m.group(2) + "000000")[:7]  # fromisoformat before 3.11 wants exactly 6 digits
    try:
        return datetime.fromisoformat(m.group(1) + fraction + zone)
    except ValueError:
        return None


class Checker:
    def __init__(self, statements):
        self.statements = statements
        self.problems = []

    def label(self, index):
        s = self.statements[index]
        sid = s.get("id") if isinstance(s.get("id"), str) else "-"
        verb = get(s, "verb", "id")
        verb = verb.rsplit("/", 1)[-1] if isinstance(verb, str) else "-"
        return f"statement[{index}] id={sid} verb={verb}"

    def bad(self, index, message):
        self.problems.append(f"{self.label(index)}: cmi5-rules: {message}")

    def bad_registration(self, registration, message):
        self.problems.append(f"registration {registration}: cmi5-rules: {message}")

    # ---- per statement -------------------------------------------------------------------

    def check_statement(self, i, s):
        verb_id = get(s, "verb", "id")
        cmi5_verb = CMI5_VERB.get(verb_id)
        result = s.get("result") if isinstance(s.get("result"), dict) else {}
        context = s.get("context") if isinstance(s.get("context"), dict) else {}
        categories = get(context, "contextActivities", "category")
        category_ids = {c.get("id") for c in categories if isinstance(c, dict)} \
            if isinstance(categories, list) else set()
        extensions = context.get("extensions") if isinstance(context.get("extensions"), dict) else {}

        registration = context.get("registration")
        if not isinstance(registration, str):
            self.bad(i, "no context.registration")
        elif not UUID_RE.match(registration):
            self.bad(i, f"context.registration is not a UUID: {registration!r}")
        if parse_timestamp(s.get("timestamp")) is None:
            self.bad(i, f"timestamp missing or not RFC 3339 with milliseconds and a time zone: "
                        f"{s.get('timestamp')!r}")

        # Actor: pseudonymous account only.
        actor = s.get("actor")
        if not isinstance(actor, dict):
            self.bad(i, "actor is not an object")
        else:
            extra = sorted(set(actor) - {"objectType", "account"})
            if extra:
                self.bad(i, f"actor must carry only objectType and account, found {extra}")
            if actor.get("objectType", "Agent") != "Agent":
                self.bad(i, f"actor.objectType must be Agent, found {actor.get('objectType')!r}")
            account = actor.get("account")
            if account is None:
                self.bad(i, "actor has no account {homePage, name}")
            elif not isinstance(account, dict) or set(account) != {"homePage", "name"} \
                    or not all(isinstance(v, str) and v for v in account.values()):
                self.bad(i, "actor.account must be exactly {homePage, name} with non-empty strings")

        # Scores only on passed/failed.
        if "score" in result and cmi5_verb not in ("passed", "failed"):
            self.bad(i, "result.score is allowed only on passed/failed")

        if cmi5_verb:
            self.check_cmi5_defined(i, cmi5_verb, result, context, category_ids, extensions)
        else:
            if CAT_CMI5 in category_ids:
                self.bad(i, "a cmi5-allowed (non cmi5-defined) statement must not carry the cmi5 category")
            if CAT_MOVEON in category_ids:
                self.bad(i, "a cmi5-allowed (non cmi5-defined) statement must not carry the moveon category")

        if verb_id == ADL + "answered":
            self.check_answered(i, s, result)

    def check_cmi5_defined(self, i, verb, result, context, category_ids, extensions):
        # success / completion
        if verb == "passed" and result.get("success") is not True:
            self.bad(i, "passed needs result.success = true")
        if verb == "failed" and result.get("success") is not False:
            self.bad(i, "failed needs result.success = false")
        if verb == "completed" and result.get("completion") is not True:
            self.bad(i, "completed needs result.completion = true")
        if verb not in ("passed", "failed") and "success" in result:
            self.bad(i, f"{verb} must not carry result.success")
        if verb != "completed" and "completion" in result:
            self.bad(i, f"{verb} must not carry result.completion")
        # duration
        if verb in DURATION_REQUIRED and not isinstance(result.get("duration"), str):
            self.bad(i, f"{verb} needs result.duration")
        # context
        if CAT_CMI5 not in category_ids:
            self.bad(i, f"no cmi5 category ({CAT_CMI5}) in context.contextActivities.category")
        if not isinstance(extensions.get(EXT_SESSION), str) or not extensions.get(EXT_SESSION):
            self.bad(i, f"no sessionid extension ({EXT_SESSION}) in context.extensions")
        has_outcome = "success" in result or "completion" in result
        if has_outcome and CAT_MOVEON not in category_ids:
            self.bad(i, f"carries success/completion but no moveon category ({CAT_MOVEON})")
        if not has_outcome and CAT_MOVEON in category_ids:
            self.bad(i, "moveon category without result.success or result.completion")
        # masteryScore
        if EXT_MASTERY in extensions:
            mastery = extensions[EXT_MASTERY]
            scaled = get(result, "score", "scaled")
            if verb not in ("passed", "failed"):
                self.bad(i, "masteryscore extension only belongs on passed/failed")
            elif not isinstance(mastery, (int, float)) or isinstance(mastery, bool):
                self.bad(i, f"masteryscore is not a number: {mastery!r}")
            elif not isinstance(scaled, (int, float)) or isinstance(scaled, bool):
                self.bad(i, "masteryscore given but no result.score.scaled")
            elif verb == "passed" and scaled < mastery:
                self.bad(i, f"passed with scaled score {scaled} below masteryscore {mastery}")
            elif verb == "failed" and scaled >= mastery:
                self.bad(i, f"failed with scaled score {scaled} at or above masteryscore {mastery}")

    def check_answered(self, i, s, result):
        definition = get(s, "object", "definition")
        if not isinstance(definition, dict):
            self.bad(i, "answered: object.definition missing")
            return
        if definition.get("type") != INTERACTION:
            self.bad(i, f"answered: object.definition.type must be {INTERACTION}, "
                        f"found {definition.get('type')!r}")
        if definition.get("interactionType") != "choice":
            self.bad(i, f"answered: interactionType must be 'choice', "
                        f"found {definition.get('interactionType')!r}")
        choices = definition.get("choices")
        if not isinstance(choices, list) or not choices:
            self.bad(i, "answered: object.definition.choices must be a non-empty list")
            return
        ids = [c.get("id") for c in choices if isinstance(c, dict)]
        if len(set(ids)) != len(ids):
            self.bad(i, "answered: duplicate choice ids")
        response = result.get("response")
        if response not in ids:
            self.bad(i, f"answered: result.response {response!r} is not one of the choice ids {ids}")
        for pattern in definition.get("correctResponsesPattern") or []:
            for part in str(pattern).split("[,]"):
                if part and part not in ids:
                    self.bad(i, f"answered: correctResponsesPattern names unknown choice {part!r}")

    # ---- per registration (= session) ----------------------------------------------------

    def check_registration(self, registration, indices):
        verbs = [(i, CMI5_VERB.get(get(self.statements[i], "verb", "id"))) for i in indices]
        defined = [(i, v) for i, v in verbs if v]
        names = [v for _, v in defined]

        for name in CMI5_DEFINED:
            if names.count(name) > 1:
                where = ", ".join(f"statement[{i}]" for i, v in defined if v == name)
                self.bad_registration(registration, f"duplicate cmi5-defined verb {name} ({where})")
        if "passed" in names and "failed" in names:
            self.bad_registration(registration, "carries both passed and failed (at most one allowed)")
            if names.index("failed") > names.index("passed"):
                self.bad_registration(registration, "failed follows passed")

        # Order: initialized first and terminated last, in array order and in timestamp order.
        first, last = indices[0], indices[-1]
        times = {i: parse_timestamp(self.statements[i].get("timestamp")) for i in indices}
        known = [t for t in times.values() if t is not None]
        for name, edge, pick in (("initialized", first, min), ("terminated", last, max)):
            found = [i for i, v in defined if v == name]
            if not found:
                self.bad_registration(registration, f"no {name} statement")
                continue
            i = found[0]
            position = "first" if name == "initialized" else "last"
            if i != edge:
                self.bad(i, f"{name} is not the {position} statement of its registration in array order "
                            f"(statement[{edge}] is)")
            if times[i] is not None and known and times[i] != pick(known):
                self.bad(i, f"{name} is not the {position} statement of its registration by timestamp")
        for a, b in zip(indices, indices[1:]):
            if times[a] is not None and times[b] is not None and times[b] < times[a]:
                self.bad(b, f"timestamp earlier than the previous statement of its registration "
                            f"(statement[{a}])")

        # One session per registration in our export: one sessionid and one actor throughout.
        sessions = {get(self.statements[i], "context", "extensions", EXT_SESSION) for i, _ in defined}
        sessions.discard(None)
        if len(sessions) > 1:
            self.bad_registration(registration, f"several sessionids: {sorted(map(str, sessions))}")
        actors = {json.dumps(self.statements[i].get("actor"), sort_keys=True) for i in indices}
        if len(actors) > 1:
            self.bad_registration(registration, "statements by more than one actor")

    def run(self):
        groups = {}
        seen_ids = {}
        for i, s in enumerate(self.statements):
            if not isinstance(s, dict):
                self.problems.append(f"statement[{i}]: cmi5-rules: not a JSON object")
                continue
            sid = s.get("id")
            if sid in seen_ids:
                self.bad(i, f"statement id repeats statement[{seen_ids[sid]}]")
            elif sid is not None:
                seen_ids[sid] = i
            self.check_statement(i, s)
            registration = get(s, "context", "registration")
            if isinstance(registration, str):
                groups.setdefault(registration, []).append(i)
        for registration, indices in groups.items():
            self.check_registration(registration, indices)
        return groups


def main(argv):
    if len(argv) != 2:
        print("usage: cmi5_rules.py FILE.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            statements = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{argv[1]}: cmi5-rules: cannot read JSON: {e}")
        return 1
    if not isinstance(statements, list):
        print(f"{argv[1]}: cmi5-rules: expected a JSON array of statements")
        return 1
    checker = Checker(statements)
    groups = checker.run()
    for line in checker.problems:
        print(line)
    if checker.problems:
        return 1
    print(f"cmi5 rules: OK ({len(groups)} registrations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
