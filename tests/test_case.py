"""A child's ISP and EHCP judged together: the case schema, `api.check_case` and
`nis check --together`."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from inclusion_standards import api
from inclusion_standards.cases import compose_case_schema
from inclusion_standards.cli import main
from inclusion_standards.documents import document_schema, load_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ISP, EHCP = EXAMPLES / "isp-specialist-clean.yaml", EXAMPLES / "ehcp-current-clean.yaml"
ON = date(2030, 6, 1)
CASES = {"case-specialist-clean.yaml": ("isp-specialist-clean.yaml", "ehcp-current-clean.yaml"),
         "case-reformed-pmld.yaml": ("isp-specialist-pmld.yaml", "ehcp-reformed-pmld.yaml")}


def statuses(result: dict) -> dict[str, str]:
    return {f["rule"]: f["status"] for f in result["findings"]}


def test_the_case_schema_is_the_isp_and_ehcp_schemas_composed():
    on_disk = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    assert on_disk == compose_case_schema(document_schema("isp"), document_schema("ehcp")), \
        "schemas/case.schema.json is out of date: run `python -m inclusion_standards.cases`"
    jsonschema.Draft202012Validator.check_schema(on_disk)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_example_is_its_two_examples_together(name):
    isp, ehcp = (load_document(EXAMPLES / n).data for n in CASES[name])
    case = load_document(EXAMPLES / name)
    assert case.document_type == "case"
    assert (case.data["isp"], case.data["ehcp"]) == (isp, ehcp), "run `python tests/make_case_examples.py`"


def test_check_case_judges_the_pair_and_names_both_documents():
    result = api.check_case(ISP, EHCP, as_of=ON)
    assert result["document"]["type"] == "case"
    assert result["document"]["source"] == f"{ISP} + {EHCP}"
    assert result["document"]["id"] == "ISP-990845-0031 + EHCP-881-40213"
    assert statuses(result) == {"CASE-SAME-CHILD": "pass", "CASE-ISP-REFERS-TO-EHCP": "pass",
                                "CASE-EHCP-REFERS-TO-ISP": "pass", "CASE-ISP-LAYER": "pass",
                                "CASE-PACKAGES-AGREE": "not_applicable", "CASE-SETTING-AGREES": "pass"}
    assert result["outcome"] == "pass"


def test_check_case_gives_the_same_findings_as_the_case_document():
    pair = api.check_case(EXAMPLES / "isp-specialist-pmld.yaml", EXAMPLES / "ehcp-reformed-pmld.yaml",
                          as_of=date(2031, 6, 1))
    single = api.check(EXAMPLES / "case-reformed-pmld.yaml", as_of=date(2031, 6, 1))
    assert pair["findings"] == single["findings"]
    assert pair["determinations"] == single["determinations"]


def test_check_case_is_deterministic_and_fingerprints_both_files():
    first, second = (api.check_case(ISP, EHCP, as_of=ON) for _ in range(2))
    assert api.render(first, "json") == api.render(second, "json")
    swapped_ehcp = api.check_case(ISP, EXAMPLES / "ehcp-reformed-pmld.yaml", as_of=ON)
    assert swapped_ehcp["document"]["sha256"] != first["document"]["sha256"]


def test_a_mismatched_pair_says_which_document_to_correct():
    result = api.check_case(ISP, EXAMPLES / "ehcp-reformed-pmld.yaml", as_of=date(2031, 6, 1))
    failed = {f["rule"]: f["message"] for f in result["findings"] if f["status"] == "fail"}
    assert set(failed) == {"CASE-SAME-CHILD", "CASE-ISP-REFERS-TO-EHCP", "CASE-EHCP-REFERS-TO-ISP",
                           "CASE-SETTING-AGREES"}
    assert "Correct the ISP" in failed["CASE-ISP-REFERS-TO-EHCP"]
    assert "Correct the EHCP" in failed["CASE-EHCP-REFERS-TO-ISP"]


def test_a_case_must_be_one_isp_and_one_ehcp():
    with pytest.raises(api.DocumentError) as caught:
        api.check_case(EHCP, ISP, as_of=ON)
    assert [d.code for d in caught.value.diagnostics] == ["NIS-L006"]


def test_an_invalid_document_in_a_case_is_reported_against_its_own_file():
    with pytest.raises(api.DocumentError) as caught:
        api.check_case(EXAMPLES / "broken" / "misspelt-field.yaml", EHCP, as_of=ON)
    assert {d.source for d in caught.value.diagnostics} == {str(EXAMPLES / "broken" / "misspelt-field.yaml")}


def test_cli_together_reports_each_plan_and_the_case():
    run = CliRunner().invoke(main, ["check", str(ISP), str(EHCP), "--together", "--as-of", "2030-06-01",
                                    "--format", "json"])
    assert run.exit_code == 0, run.output
    results = json.loads(run.output)
    assert [r["document"]["type"] for r in results] == ["isp", "ehcp", "case"]


def test_cli_together_takes_case_folders(tmp_path):
    for name, (isp, ehcp) in CASES.items():
        folder = tmp_path / name.removesuffix(".yaml")
        folder.mkdir()
        shutil.copy(EXAMPLES / isp, folder / isp)
        shutil.copy(EXAMPLES / ehcp, folder / ehcp)
    run = CliRunner().invoke(main, ["check", str(tmp_path / "case-reformed-pmld"), str(tmp_path / "case-specialist-clean"),
                                    "--together", "--as-of", "2031-06-01", "--format", "json"])
    results = json.loads(run.output)
    assert [r["document"]["type"] for r in results] == ["isp", "ehcp", "case"] * 2
    assert results[2]["document"]["id"] == "ISP-990903-0201 + EHCP-881-52390"


def test_cli_together_refuses_a_folder_without_one_of_each(tmp_path):
    shutil.copy(ISP, tmp_path / ISP.name)
    run = CliRunner().invoke(main, ["check", str(tmp_path), "--together", "--as-of", "2030-06-01"])
    assert run.exit_code == 2
    assert "NIS-L006" in run.output
    assert "a case is one ISP and one EHCP" in run.output


def test_cli_prints_the_case_schema():
    run = CliRunner().invoke(main, ["schema", "case"])
    assert run.exit_code == 0
    assert json.loads(run.output)["title"] == "A child's ISP and EHCP, judged together"
