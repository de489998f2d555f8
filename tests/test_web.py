"""`nis serve`: the JSON API and the page, through FastAPI's test client.

Every endpoint and every error status; the API's answers are those of the command line byte
for byte; the page shows the report `nis explain --format html` writes; nothing of a
document reaches the log or the disk; the OpenAPI description matches what is served.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from inclusion_standards import __version__, api  # noqa: E402
from inclusion_standards.cli import main  # noqa: E402
from inclusion_standards.web.app import MAX_BATCH, Settings, create_app  # noqa: E402
from schema_strategies import from_schema, to_json  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
VAGUE = EXAMPLES / "isp-targeted-vague-provision.yaml"
FAILING = EXAMPLES / "isp-targeted-overdue-review.yaml"
MISSPELT = EXAMPLES / "broken" / "misspelt-field.yaml"
MALFORMED = EXAMPLES / "broken" / "malformed.yaml"
AS_OF = "2030-06-01"
YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}
TOKEN = "a-token-long-enough-for-the-server"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def guarded():
    with TestClient(create_app(Settings(token=TOKEN)), raise_server_exceptions=False) as c:
        yield c


def cli(*args: str, cwd: Path | None = None) -> str:
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return CliRunner().invoke(main, list(args)).stdout
    finally:
        os.chdir(old)


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# ---- the API answers what the command line prints -------------------------------------------

@pytest.mark.parametrize("path", [VAGUE, FAILING, EXAMPLES / "isp-targeted-plus-need-without-provision.json",
                                  EXAMPLES / "ehcp-current-missed-deadline.yaml"], ids=lambda p: p.name)
def test_check_returns_the_bytes_nis_check_prints(client, path):
    kind = JSON if path.suffix == ".json" else YAML
    response = client.post("/v1/check", content=path.read_bytes(), headers=kind,
                           params={"as_of": AS_OF, "source": path.name})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == cli("check", path.name, "--as-of", AS_OF, "--format", "json", cwd=path.parent)


def test_a_failing_plan_is_200_with_outcome_fail(client):
    result = client.post("/v1/check", content=FAILING.read_bytes(), headers=YAML, params={"as_of": AS_OF}).json()
    assert result["outcome"] == "fail" and result["summary"]["errors"] >= 1
    assert result["document"]["source"] == "<input>"


def test_explain_returns_the_bytes_nis_explain_prints(client):
    response = client.post("/v1/explain", content=VAGUE.read_bytes(), headers=YAML,
                           params={"as_of": AS_OF, "source": VAGUE.name, "decision": "ISP-PROVISION-SPECIFIC"})
    assert response.status_code == 200
    assert response.text == cli("explain", VAGUE.name, "--as-of", AS_OF, "--format", "json", "--decision",
                                "ISP-PROVISION-SPECIFIC", cwd=EXAMPLES)
    assert [f["rule"] for f in response.json()["findings"]] == ["ISP-PROVISION-SPECIFIC"]
    assert "trace" in response.json()["findings"][0]


def test_explain_an_unknown_decision_is_422_with_the_nearest_name(client):
    body = is_problem(client.post("/v1/explain", content=VAGUE.read_bytes(), headers=YAML,
                                  params={"as_of": AS_OF, "decision": "ISP-REVEIW"}), 422)
    assert body["diagnostics"][0]["code"] == "NIS-L004"
    assert "did you mean `ISP-NEXT-REVIEW`?" in body["diagnostics"][0]["hint"]


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=from_schema(json.loads((ROOT / "schemas" / "isp.schema.json").read_text())))
def test_any_valid_plan_gets_the_public_apis_result(client, plan):
    raw = to_json(plan)
    response = client.post("/v1/check", content=raw, headers=JSON, params={"as_of": AS_OF})
    expected = api.check(raw, as_of=date.fromisoformat(AS_OF))
    assert response.status_code == 200
    assert response.text == api.render(expected, "json")


def test_concurrent_requests_give_the_same_bytes_as_one_at_a_time(client):
    plans = [VAGUE, FAILING, EXAMPLES / "isp-specialist-clean.yaml", EXAMPLES / "ehcp-reformed-pmld.yaml"] * 6

    def ask(path):
        return client.post("/v1/check", content=path.read_bytes(), headers=YAML, params={"as_of": AS_OF}).text

    alone = {path: ask(path) for path in set(plans)}
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(ask, plans))
    assert together == [alone[path] for path in plans]


def test_as_of_defaults_to_today(client):
    result = client.post("/v1/check", content=VAGUE.read_bytes(), headers=YAML).json()
    assert result["as_of"] == date.today().isoformat()


# ---- batch -----------------------------------------------------------------------------------

def test_batch_gives_one_record_per_document_in_order(client):
    plans = [VAGUE, FAILING, EXAMPLES / "isp-targeted-plus-need-without-provision.json"]
    data = [yaml.safe_load(p.read_text()) if p.suffix == ".yaml" else json.loads(p.read_text()) for p in plans]
    bad = dict(data[0], layer="Targeted")
    body = "[\n" + ",\n".join(json.dumps(d, default=str) for d in [data[0], bad, data[1], data[2]]) + "\n]"
    response = client.post("/v1/check/batch", content=body, headers=JSON, params={"as_of": AS_OF})
    assert response.status_code == 200
    batch = response.json()
    assert [r["record"] for r in batch["records"]] == [1, 2, 3, 4]
    # the last plan misses only recommendations (`should`): it passes, with warnings
    assert [r["outcome"] for r in batch["records"]] == ["pass", "error", "fail", "pass"]
    assert (batch["documents"], batch["passed"], batch["failed"], batch["errors"]) == (4, 2, 1, 1)
    assert [r["input"]["line"] for r in batch["records"]] == [2, 3, 4, 5]
    error = batch["records"][1]["error"]
    assert error["diagnostics"][0]["code"] == "NIS-D104" and error["diagnostics"][0]["pointer"] == "/layer"
    # each document is judged on its own bytes, as if sent alone
    third = body.splitlines()[3].rstrip(",").encode()
    assert batch["records"][2]["input"]["sha256"] == hashlib.sha256(third).hexdigest()
    alone = client.post("/v1/check", content=third, headers=JSON, params={"as_of": AS_OF,
                                                                         "source": "document 3"}).json()
    assert batch["records"][2]["result"] == alone


def test_batch_reads_json_lines(client):
    lines = [json.dumps(yaml.safe_load(p.read_text()), default=str) for p in (VAGUE, FAILING)]
    body = lines[0] + "\n\n" + lines[1] + "\n{not json\n"
    batch = client.post("/v1/check/batch", content=body, headers={"Content-Type": "application/jsonl"},
                        params={"as_of": AS_OF}).json()
    assert [(r["input"]["line"], r["outcome"]) for r in batch["records"]] == [(1, "pass"), (3, "fail"), (4, "error")]
    assert batch["records"][2]["error"]["diagnostics"][0]["code"] == "NIS-D010"


def test_batch_limits_and_shape(client):
    one = json.dumps(yaml.safe_load(VAGUE.read_text()), default=str)
    assert client.post("/v1/check/batch", content="[]", headers=JSON).json()["documents"] == 0
    full = client.post("/v1/check/batch", content="[" + ",".join([one] * MAX_BATCH) + "]", headers=JSON,
                       params={"as_of": AS_OF})
    assert full.status_code == 200 and full.json()["documents"] == MAX_BATCH
    over = is_problem(client.post("/v1/check/batch", content="[" + ",".join([one] * (MAX_BATCH + 1)) + "]",
                                  headers=JSON), 413)
    assert f"at most {MAX_BATCH} documents" in over["detail"]
    assert "JSON array" in is_problem(client.post("/v1/check/batch", content=one, headers=JSON), 400)["detail"]
    assert "line 1, column 3" in is_problem(client.post("/v1/check/batch", content="[{]", headers=JSON), 400)["detail"]
    is_problem(client.post("/v1/check/batch", content="[{}] x", headers=JSON), 400)
    is_problem(client.post("/v1/check/batch", content="[{} {}]", headers=JSON), 400)
    is_problem(client.post("/v1/check/batch", content=VAGUE.read_bytes(), headers=YAML), 415)


# ---- reference endpoints ---------------------------------------------------------------------

def test_standards_lists_each_version_with_its_hash(client):
    listed = client.get("/v1/standards").json()
    library = api.load_standards()
    assert [(s["id"], s["version"], s["sha256"]) for s in listed["standards"]] == [
        (s.id, s.version, s.sha256) for s in library.versions]
    assert listed["standards"][0]["document_types"] == ["isp", "ehcp"]


@pytest.mark.parametrize("name", ["isp", "ehcp", "result"])
def test_schemas_are_the_files_nis_schema_prints(client, name):
    response = client.get(f"/v1/schemas/{name}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/schema+json"
    assert response.text == cli("schema", name)


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok", "version": __version__, "standards": 1}


# ---- every error status ------------------------------------------------------------------------

def test_400_a_document_that_cannot_be_read_points_at_the_line(client):
    body = is_problem(client.post("/v1/check", content=MALFORMED.read_bytes(), headers=YAML), 400)
    assert body["diagnostics"][0]["code"] == "NIS-D011"
    assert body["diagnostics"][0]["span"] == {"line": 16, "column": 24}
    assert is_problem(client.post("/v1/check", content=b"", headers=YAML), 400)["diagnostics"][0]["code"] == "NIS-D001"


@pytest.mark.parametrize("as_of", ["2030-02-30", "tomorrow", "2030-6-1", "2030-06-01T00:00"])
def test_400_an_as_of_that_is_not_a_date(client, as_of):
    body = is_problem(client.post("/v1/check", content=VAGUE.read_bytes(), headers=YAML, params={"as_of": as_of}), 400)
    assert body["title"] == "The as-of date is not valid"


def test_400_a_query_parameter_out_of_bounds(client):
    body = is_problem(client.post("/v1/check", content=VAGUE.read_bytes(), headers=YAML,
                                  params={"source": "x" * 201}), 400)
    assert body["title"] == "The request is not valid" and "source" in body["detail"]


def test_401_without_the_token(guarded):
    plan = VAGUE.read_bytes()
    body = is_problem(guarded.post("/v1/check", content=plan, headers=YAML), 401)
    assert "Authorization: Bearer" in body["detail"]
    assert guarded.post("/v1/check", content=plan, headers=YAML).headers["www-authenticate"] == "Bearer"
    is_problem(guarded.post("/v1/check", content=plan, headers={**YAML, "Authorization": "Bearer wrong"}), 401)
    is_problem(guarded.post("/v1/check", content=plan, headers={**YAML, "Authorization": f"Basic {TOKEN}"}), 401)
    for path in ("/v1/standards", "/v1/schemas/isp"):
        is_problem(guarded.get(path), 401)
    ok = guarded.post("/v1/check", content=plan, headers={**YAML, "Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert guarded.get("/healthz").status_code == 200  # says nothing of any plan
    assert guarded.get("/openapi.json").status_code == 200


def test_404_and_405_are_problems(client):
    assert is_problem(client.get("/v1/schemas/plan"), 404)["detail"].startswith("no schema named `plan`")
    is_problem(client.get("/v1/nothing-here"), 404)
    is_problem(client.get("/v1/check"), 405)


def test_408_a_body_that_arrives_too_slowly():
    import socket
    import threading

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_app(Settings(time_limit=0.5)), host="127.0.0.1", port=0,
                                           log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\n"
                         b"Content-Length: 1000\r\n\r\nid: ISP-")
            answer = sock.recv(65536).decode()
        assert answer.startswith("HTTP/1.1 408")
        assert '"title": "The request arrived too slowly"' in answer
    finally:
        server.should_exit = True
        thread.join(10)


def test_413_over_the_request_limit(client):
    small = TestClient(create_app(Settings(max_request_bytes=4096)), raise_server_exceptions=False)
    big = b"# padding\n" * 1000 + VAGUE.read_bytes()
    body = is_problem(small.post("/v1/check", content=big, headers=YAML), 413)
    assert "at most 4,096 bytes" in body["detail"]

    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(10):
            yield b"# padding\n" * 100

    is_problem(small.post("/v1/check", content=chunks(), headers=YAML), 413)
    # a plan over 5 MiB, inside the request limit: the loader's own limit, with its code
    huge = b"# padding line\n" * (6 * 1024 * 1024 // 15)
    body = is_problem(client.post("/v1/check", content=huge, headers=YAML), 413)
    assert body["diagnostics"][0]["code"] == "NIS-D002"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/octet-stream", "multipart/form-data"])
def test_415_a_body_of_another_type(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    body = is_problem(client.post("/v1/check", content=VAGUE.read_bytes(), headers=headers), 415)
    assert "application/yaml" in body["detail"]


def test_422_a_plan_that_does_not_match_its_schema_gives_pointers_and_lines(client):
    response = client.post("/v1/check", content=MISSPELT.read_bytes(), headers=YAML,
                           params={"source": "misspelt-field.yaml"})
    body = is_problem(response, 422)
    first = body["diagnostics"][0]
    assert first["code"] == "NIS-D102" and first["pointer"] == "/last_reveiw" and first["span"]["line"] == 12
    assert first["hint"] == "did you mean `last_review`?" and first["source"] == "misspelt-field.yaml"
    stderr = CliRunner().invoke(main, ["check", str(MISSPELT)]).stderr
    assert all(d["message"] in stderr for d in body["diagnostics"])


def test_422_no_standards_on_that_date(client):
    body = is_problem(client.post("/v1/check", content=VAGUE.read_bytes(), headers=YAML,
                                  params={"as_of": "1990-01-01"}), 422)
    assert body["diagnostics"][0]["code"] == "NIS-L002"


def test_503_when_the_answer_takes_longer_than_the_time_limit():
    slow = TestClient(create_app(Settings(time_limit=0.05)), raise_server_exceptions=False)
    one = json.dumps(yaml.safe_load(VAGUE.read_text()), default=str)
    response = slow.post("/v1/check/batch", content="[" + ",".join([one] * MAX_BATCH) + "]", headers=JSON)
    body = is_problem(response, 503)
    assert response.headers["retry-after"] == "5" and "0.05 seconds" in body["detail"]


def test_500_an_internal_error_is_a_problem_and_the_log_has_no_message(client, monkeypatch, caplog):
    secret = f"secret-{uuid.uuid4()}"

    def broken(*args, **kwargs):
        raise RuntimeError(f"something about {secret}")

    monkeypatch.setattr(api, "check", broken)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/check", content=VAGUE.read_bytes(), headers=YAML)
    is_problem(response, 500)
    assert secret not in response.text and "RuntimeError" not in response.text
    assert secret not in caplog.text and "outcome=internal-error:RuntimeError" in caplog.text


# ---- headers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [("get", "/"), ("get", "/healthz"), ("get", "/v1/standards"),
                                          ("get", "/openapi.json"), ("get", "/missing")])
def test_every_response_is_not_stored_and_cannot_be_framed_or_run_scripts(client, method, path):
    response = getattr(client, method)(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer" and response.headers["x-frame-options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-request-id"])


# ---- the page ------------------------------------------------------------------------------------

def upload(client, path: Path, **fields):
    data = {"as_of": AS_OF, **fields}
    return client.post("/", data=data, files={"document_file": (path.name, path.read_bytes(), "application/yaml")})


def test_the_page_has_a_labelled_form_and_a_blank_template(client):
    html = client.get("/").text
    for control in ("document-file", "document-text", "as-of"):
        assert f"<label for=\"{control}\">" in html and f"id=\"{control}\"" in html
    assert "<script" not in html
    blank = client.get("/", params={"template": "isp"}).text
    template = yaml.safe_load(re.search(r"<textarea[^>]*>(.*?)</textarea>", blank, re.S).group(1)
                              .replace("&quot;", '"').replace("&#x27;", "'").replace("&gt;", ">"))
    schema = json.loads((ROOT / "schemas" / "isp.schema.json").read_text())
    assert set(schema["required"]) <= set(template) <= set(schema["properties"])


def test_the_page_shows_the_report_nis_explain_writes(client, tmp_path):
    response = upload(client, VAGUE)
    assert response.status_code == 200
    html = response.text
    (tmp_path / VAGUE.name).write_bytes(VAGUE.read_bytes())
    report = cli("explain", VAGUE.name, "--as-of", AS_OF, "--format", "html", cwd=tmp_path)
    body = report[report.index("<main>") + 6:report.rindex("</main>")]
    assert body in html
    for text in ("ISP-PROVISION-SPECIFIC", "What would put it right", "SEND Code of Practice (2015) para 9.69",
                 "Full reasoning", "<details class=\"decision\""):
        assert text in html
    assert "<script" not in html
    # every style on the page is allowed by its hash, and nothing else is
    csp = response.headers["content-security-policy"]
    for style in re.findall(r"<style>(.*?)</style>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_the_page_downloads_the_report_and_the_result(client, tmp_path):
    html = upload(client, VAGUE).text
    carried = re.search(r'name="document_b64" value="([^"]+)"', html).group(1)
    assert base64.b64decode(carried) == VAGUE.read_bytes()
    form = {"document_b64": carried, "source": VAGUE.name, "as_of": AS_OF}
    (tmp_path / VAGUE.name).write_bytes(VAGUE.read_bytes())
    report = client.post("/download/report.html", files={"x": ("", b"")}, data=form)
    assert report.headers["content-disposition"] == 'attachment; filename="isp-targeted-vague-provision.report.html"'
    assert report.text == cli("explain", VAGUE.name, "--as-of", AS_OF, "--format", "html", cwd=tmp_path)
    result = client.post("/download/result.json", files={"x": ("", b"")}, data=form)
    assert result.headers["content-type"] == "application/json"
    assert result.text == cli("check", VAGUE.name, "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    damaged = client.post("/download/result.json", data={**form, "document_b64": "%%%"})
    assert damaged.status_code == 400 and "damaged" in damaged.text


def test_pasted_text_is_checked_and_kept_for_editing(client):
    text = VAGUE.read_text().replace("\n", "\r\n")  # as a browser sends a text box
    response = client.post("/", data={"document_text": text, "as_of": AS_OF})
    assert response.status_code == 200 and "read from <code>pasted text</code>" in response.text
    carried = re.search(r'name="document_b64" value="([^"]+)"', response.text).group(1)
    assert base64.b64decode(carried) == VAGUE.read_bytes()
    assert "Access to a quiet space as required." in re.search(r"<textarea[^>]*>(.*?)</textarea>",
                                                                response.text, re.S).group(1)


def test_the_page_points_at_the_lines_of_an_invalid_plan(client):
    response = upload(client, MISSPELT)
    assert response.status_code == 422
    html = response.text
    assert "This plan is not written in the form nis reads" in html
    assert "Line 12, column 1" in html and "<code>/last_reveiw</code>" in html
    assert "Hint: did you mean `last_review`?" in html
    assert "   12 | last_reveiw:" in html  # the line itself, with a caret under the place
    unreadable = upload(client, MALFORMED)
    assert unreadable.status_code == 400 and "Line 16, column 24" in unreadable.text


def test_the_page_asks_for_the_token_when_the_server_has_one(guarded):
    assert 'name="token"' in guarded.get("/").text
    refused = upload(guarded, VAGUE, token="not the token")
    assert refused.status_code == 401 and "access token" in refused.text and 'name="token" value=""' in refused.text
    assert "Access to a quiet space as required." in refused.text  # the plan is kept to send again
    accepted = upload(guarded, VAGUE, token=TOKEN)
    assert accepted.status_code == 200 and "ISP-PROVISION-SPECIFIC" in accepted.text
    carried = re.search(r'name="document_b64" value="([^"]+)"', accepted.text).group(1)
    form = {"document_b64": carried, "source": VAGUE.name, "as_of": AS_OF}
    assert guarded.post("/download/result.json", data=form).status_code == 401
    assert guarded.post("/download/result.json", data={**form, "token": TOKEN}).status_code == 200


def test_the_page_refuses_a_date_that_does_not_exist_and_keeps_the_plan(client):
    response = upload(client, VAGUE, as_of="2030-02-30")
    assert response.status_code == 400 and "The as-of date is not valid" in response.text
    assert "Access to a quiet space as required." in response.text


def test_the_page_refuses_an_over_large_upload_with_a_page(client):
    small = TestClient(create_app(Settings(max_request_bytes=4096)), raise_server_exceptions=False)
    response = small.post("/", data={"as_of": AS_OF}, files={"document_file": ("big.yaml", b"#\n" * 5000)})
    assert response.status_code == 413 and "<h1>The request is too large</h1>" in response.text


# ---- privacy -----------------------------------------------------------------------------------

def test_nothing_of_a_document_reaches_the_log_or_the_disk(client, caplog, tmp_path, monkeypatch):
    marker = f"Marker{uuid.uuid4().hex}"
    plan = VAGUE.read_text().replace("I want to be able to calm down", f"{marker} I want to be able to calm down")
    # large enough that a form parser spooling uploads over 1 MiB would write it to a file
    padded = plan + ("# " + marker + " padding\n") * 40000
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    started = time.time()
    with caplog.at_level(logging.DEBUG):
        assert client.post("/v1/check", content=plan, headers=YAML, params={"as_of": AS_OF}).status_code == 200
        assert client.post("/v1/explain", content=plan, headers=YAML, params={"as_of": AS_OF}).status_code == 200
        batch = json.dumps([yaml.safe_load(plan)], default=str)
        assert client.post("/v1/check/batch", content=batch, headers=JSON).status_code == 200
        assert client.post("/", data={"as_of": AS_OF},
                           files={"document_file": ("p.yaml", padded.encode())}).status_code == 200
        assert client.post("/", data={"document_text": plan.replace("layer: targeted", "layer: Targeted", 1),
                                      "as_of": AS_OF}).status_code == 422
        assert client.post("/v1/check", content=plan.replace("id: N1", f"id: N1\n    {marker}: 1", 1),
                           headers=YAML).status_code == 422
    lines = [r.getMessage() for r in caplog.records if r.name == "inclusion_standards.web"]
    assert len(lines) == 6, lines
    assert all(re.fullmatch(r"request_id=[0-9a-f]{16} method=POST route=\S+ status=\d{3} bytes=\d+ ms=[0-9.]+ "
                            r"outcome=\S+", line) for line in lines), lines
    assert marker not in caplog.text and "Castlebrook" not in caplog.text
    assert not any(spool.iterdir())
    for folder in {Path(tempfile.gettempdir()), Path("/tmp"), Path(os.environ.get("NIS_CACHE_DIR", "/nonexistent"))}:
        for path in folder.rglob("*") if folder.is_dir() else ():
            try:
                if path.is_file() and path.stat().st_mtime >= started - 1 and path.stat().st_size < 50_000_000:
                    assert marker.encode() not in path.read_bytes(), path
            except (PermissionError, FileNotFoundError):
                continue


# ---- the OpenAPI description ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def openapi(client):
    return client.get("/openapi.json").json()


def schema_validator(openapi: dict, name: str):
    registry = Registry().with_resource("urn:nis-openapi", Resource.from_contents(openapi,
                                                                                  default_specification=DRAFT202012))
    return jsonschema.Draft202012Validator({"$ref": f"urn:nis-openapi#/components/schemas/{name}"},
                                           registry=registry)


def test_openapi_describes_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert set(openapi["paths"]) == {"/v1/check", "/v1/explain", "/v1/check/batch", "/v1/standards",
                                     "/v1/schemas/{name}", "/healthz"}
    check = openapi["paths"]["/v1/check"]["post"]
    assert set(check["requestBody"]["content"]) == {"application/json", "application/yaml"}
    assert set(check["responses"]) == {"200", "400", "401", "408", "413", "415", "422", "503"}
    assert openapi["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(openapi)))
    assert refs <= set(openapi["components"]["schemas"])


def test_openapi_examples_and_real_answers_match_the_description(client, openapi):
    check = openapi["paths"]["/v1/check"]["post"]
    example = check["requestBody"]["content"]["application/json"]["example"]
    schema_validator(openapi, "ISP").validate(example)
    answer = client.post("/v1/check", content=json.dumps(example), headers=JSON, params={"as_of": AS_OF}).json()
    schema_validator(openapi, "Result").validate(answer)
    shown = check["responses"]["200"]["content"]["application/json"]["example"]
    schema_validator(openapi, "Result").validate(shown)
    assert shown["document"]["id"] == example["id"] and shown["as_of"] == AS_OF
    problem = openapi["components"]["schemas"]["Problem"]["examples"][0]
    schema_validator(openapi, "Problem").validate(problem)
    schema_validator(openapi, "Problem").validate(client.post("/v1/check", content=MISSPELT.read_bytes(),
                                                              headers=YAML).json())
    batch = openapi["paths"]["/v1/check/batch"]["post"]["requestBody"]["content"]["application/json"]["example"]
    answer = client.post("/v1/check/batch", content=json.dumps(batch + [{"id": 1}]), headers=JSON).json()
    schema_validator(openapi, "BatchResponse").validate(answer)
    schema_validator(openapi, "StandardsList").validate(client.get("/v1/standards").json())
    schema_validator(openapi, "Health").validate(client.get("/healthz").json())


# ---- the command --------------------------------------------------------------------------------

def test_serve_refuses_to_listen_beyond_this_machine_without_a_token(monkeypatch):
    monkeypatch.delenv("NIS_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "give a token" in result.stderr and "--no-auth" in result.stderr


def test_serve_refuses_a_short_or_missing_token(tmp_path, monkeypatch):
    monkeypatch.setenv("NIS_SERVE_TOKEN", "short")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and "at least 16" in result.stderr
    (tmp_path / "empty").write_text("\n")
    result = CliRunner().invoke(main, ["serve", "--token-file", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "is empty" in result.stderr
    result = CliRunner().invoke(main, ["serve", "--token-file", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "cannot read the token file" in result.stderr


def test_serve_refuses_broken_standards(tmp_path):
    (tmp_path / "bad.nis").write_text("standards \"x\"\n  version\n")
    result = CliRunner().invoke(main, ["serve", "--standards", str(tmp_path)])
    assert result.exit_code == 2 and "error[" in result.stderr


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch):
    for name in [m for m in sys.modules if m.startswith("inclusion_standards.web.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'inclusion-standards[web]'" in result.stderr and "uvicorn" in result.stderr


def test_other_commands_never_import_the_web_stack(tmp_path):
    import subprocess

    code = ("import sys; from click.testing import CliRunner; from inclusion_standards.cli import main; "
            f"CliRunner().invoke(main, ['check', {str(VAGUE)!r}, '--as-of', '{AS_OF}']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'uvicorn', 'pydantic', "
            "'python_multipart', 'anyio'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_serve_beyond_this_machine_with_no_auth_warns(monkeypatch):
    import uvicorn

    monkeypatch.delenv("NIS_SERVE_TOKEN", raising=False)
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "9", "--no-auth"])
    assert result.exit_code == 0
    assert "WARNING: serving beyond this machine without a token" in result.stderr
    assert started["host"] == "0.0.0.0" and started["port"] == 9 and started["access_log"] is False


def test_serve_with_a_token_file_asks_for_it(monkeypatch, tmp_path):
    import uvicorn

    (tmp_path / "token.txt").write_text(TOKEN + "\n")
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app))
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--token-file", str(tmp_path / "token.txt")])
    assert result.exit_code == 0 and "ask for the bearer token" in result.stderr
    with TestClient(served["app"]) as c:
        assert c.get("/v1/standards").status_code == 401
        assert c.get("/v1/standards", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_the_api_validates_plans_against_the_schema_the_standards_bind(tmp_path):
    """Standards that keep their own ISP schema (here requiring a `key_worker`): the API judges
    a plan that carries it, and refuses one without it with a 422 naming the field."""
    schema = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "isp.schema.json").read_text())
    schema["properties"]["key_worker"] = {"type": "string"}
    schema["required"] = [*schema["required"], "key_worker"]
    (tmp_path / "own-isp.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "s.nis").write_text(
        'standards "own"\n  title "Own"\n  version "1"\n  effective from 2020-01-01\n'
        'plan isp "Individual Support Plan" schema "own-isp.schema.json"\n'
        'rule KW-1 "A key worker is named" must key_worker != "unknown" cite "[nis reading] test"\n',
        encoding="utf-8")
    plan = FAILING.read_text(encoding="utf-8")
    with TestClient(create_app(Settings(standards=str(tmp_path))), raise_server_exceptions=False) as own:
        judged = own.post("/v1/check", content=plan + "\nkey_worker: unknown\n", headers=YAML,
                          params={"as_of": AS_OF})
        assert judged.status_code == 200, judged.text
        assert [f["status"] for f in judged.json()["findings"] if f["rule"] == "KW-1"] == ["fail"]
        refused = own.post("/v1/check", content=plan, headers=YAML, params={"as_of": AS_OF})
        assert refused.status_code == 422, refused.text
        assert "key_worker" in refused.text and "NIS-D101" in refused.text
        served = own.get("/v1/schemas/isp", params={"as_of": AS_OF})
        assert served.status_code == 200 and served.json() == schema
        assert served.text == cli("schema", "isp", "--standards", str(tmp_path), "--as-of", AS_OF, cwd=tmp_path)
        assert own.get("/v1/schemas/isp", params={"as_of": "2030-13-01"}).status_code == 400
        unjudged = own.get("/v1/schemas/ehcp", params={"as_of": AS_OF})  # these standards judge no EHCP
        assert unjudged.status_code == 422 and "NIS-L002" in unjudged.text
        assert own.get("/v1/schemas/result").text == (Path(__file__).resolve().parent.parent / "schemas"
                                                     / "result.schema.json").read_text(encoding="utf-8")
