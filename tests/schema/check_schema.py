#!/usr/bin/python3
"""An independent validator agrees: Debian's python3-jsonschema accepts
rules.schema.yaml as a draft-07 schema and accepts every shipped rule file;
and it rejects the deliberately broken ones that the schema (rather than
fzcheck's own checks) should catch.

Prints one line per case and "schema: N passed, M failed".
"""
import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), ".."))
from pycase import run_cases  # noqa: E402

import glob
import sys

import jsonschema
import yaml

SCHEMA = yaml.safe_load(open("rules.schema.yaml", encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def case_schema_is_draft7():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


def case_every_element_has_a_chinese_description():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                for k, v in props.items():
                    if k != "kind" and isinstance(v, dict) and "description" not in v:
                        # a $ref carries the description of what it names
                        if "$ref" not in v:
                            missing.append(where + "/" + k)
            for k, v in node.items():
                walk(v, where + "/" + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))

    walk(SCHEMA, "")
    assert not missing, missing


def case_shipped_rule_files_are_valid():
    files = sorted(glob.glob("rules/*.yaml"))
    assert files
    for f in files:
        text = open(f, encoding="utf-8").read()
        assert text.startswith("# yaml-language-server: $schema=../rules.schema.yaml"), f
        errors = sorted(VALIDATOR.iter_errors(yaml.safe_load(text)), key=str)
        assert not errors, (f, [e.message for e in errors])


def case_broken_files_are_rejected():
    # the files whose faults are the schema's to find
    for name in ["unknown-key", "wrong-types", "check-keys"]:
        data = yaml.safe_load(open("tests/fixtures/bad-rules/%s.yaml" % name, encoding="utf-8"))
        assert list(VALIDATOR.iter_errors(data)), name


if __name__ == "__main__":
    sys.exit(run_cases("schema", globals(), None))
