"""The conformance kit that judges e-invoices, and proof that it is wired correctly.

The kit (UBL 2.1 schemas, the CEN EN 16931 rules and the Peppol BIS 3 rules, compiled)
lives beside the project in ../shared/conformance/ubl, as on CI. It is called as a
library; it caches its compiled rules for the whole test process.
"""

import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

KIT = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "ubl"


def _kit() -> ModuleType:
    if not (KIT / "validate.py").is_file():
        pytest.fail(f"The UBL conformance kit is missing: expected it at {KIT}.")
    if str(KIT) not in sys.path:
        sys.path.insert(0, str(KIT))
    import validate

    return validate


def conformance(xml: bytes, mode: str = "peppol") -> Any:
    """The kit's verdict on one document; the Peppol rules are forced on unless `mode`
    says otherwise ("auto": only for documents that declare Peppol BIS 3)."""
    validate = _kit()
    with tempfile.NamedTemporaryFile(suffix=".xml") as file:
        file.write(xml)
        file.flush()
        return validate.validate_file(file.name, mode=mode)


def verdict(xml: bytes, mode: str = "peppol") -> list[str]:
    """Schema errors and fatal rules, as the kit names them; empty when the document passes."""
    result = conformance(xml, mode)
    failures = [f"XSD {error}" for error in result.schema_errors]
    failures += [f"{f.rule_id}: {f.text}" for f in result.fatal]
    if result.error:
        failures.append(result.error)
    return failures


def fired(xml: bytes) -> set[str]:
    return {finding.rule_id for finding in conformance(xml).fatal}


@pytest.mark.parametrize("path", sorted((KIT / "examples" / "valid").glob("*.xml")), ids=str)
def test_the_official_examples_pass(path: Path) -> None:
    # The CEN examples are plain EN 16931 invoices, so the Peppol rules apply only to Peppol's.
    assert verdict(path.read_bytes(), mode="auto") == []


@pytest.mark.parametrize("path", sorted((KIT / "examples" / "broken").glob("*.xml")), ids=str)
def test_the_kit_rejects_each_broken_example(path: Path) -> None:
    assert verdict(path.read_bytes())


@pytest.mark.parametrize("path", sorted((KIT / "examples" / "invalid").glob("*.xml")), ids=str)
def test_the_official_unit_test_sets_fire_the_rules_they_expect(path: Path) -> None:
    assert _kit().run_testset(str(path))


def test_the_example_folders_are_where_the_tests_look() -> None:
    """An empty glob would leave the tests above with nothing to check."""
    for folder, least in (("valid", 9), ("broken", 5), ("invalid", 4)):
        assert len(list((KIT / "examples" / folder).glob("*.xml"))) >= least, folder
