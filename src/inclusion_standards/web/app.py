"""`nis serve`: the web page for schools and the JSON API for the systems that hold their plans.

A thin layer over the public API (`inclusion_standards.api`): a request's document goes to
`api.check` or `api.explain` as the bytes that were sent, and the answer is `api.render` of the
result, so the API returns byte for byte what `nis check --format json` prints, and the page
shows what `nis explain --format html` writes.

Children's data stays private by construction. A document lives only in memory for the length
of its request: the body is read into memory (never spooled to a temporary file, whatever its
size), and the log gets one line per request with its id, route, status, size, time and
outcome, never the document, the query string or an exception's message. Every request is
bounded in size (413) and in time (503; a body arriving too slowly, 408), and every response
carries no-store caching and a Content-Security-Policy that allows no script and no framing.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import hashlib
import hmac
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar, TypeVarTuple
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI, Query, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, api
from . import models, page

__all__ = ["MAX_BATCH", "MAX_REQUEST_BYTES", "TIME_LIMIT", "Settings", "create_app"]

LOG = logging.getLogger("inclusion_standards.web")

MAX_REQUEST_BYTES = 8 * 1024 * 1024  # a plan is at most 5 MiB (NIS-D002); room for a form or a batch around it
MAX_BATCH = 100                      # documents in one POST /v1/check/batch
TIME_LIMIT = 10.0                    # seconds from the first byte of a request to its answer

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
JSONL_TYPES = ("application/jsonl", "application/x-ndjson", "application/jsonlines")
PROBLEM_TYPE = "application/problem+json"
SCHEMAS = ("isp", "ehcp", "result")

_SECURITY_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A request id is unique, not secret: this process's random prefix and a count (a random
# number per request costs a system call that showed in the profile).
_PROCESS_ID = secrets.token_hex(4)
_REQUESTS = itertools.count(1)
_BEARER = HTTPBearer(auto_error=False, description="Needed when the server was started with a token "
                     "(NIS_SERVE_TOKEN or --token-file).")

# A form's fields: name -> (the file name of an upload, or None; the bytes sent).
FormFields = dict[str, tuple[str | None, bytes]]
_T = TypeVar("_T")
_Args = TypeVarTuple("_Args")


@dataclass(frozen=True)
class Settings:
    """How a server runs. `token`: when set, every /v1 request and every plan sent from the page
    must carry it (`Authorization: Bearer TOKEN`, or the page's token field)."""

    standards: str | None = None
    token: str | None = None
    time_limit: float = TIME_LIMIT
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_batch: int = MAX_BATCH
    threads: int = 4


class Problem(Exception):  # noqa: N818 - named for the RFC 9457 problem document it is answered with
    """A refusal, answered as a problem document (API) or a page saying why (the page)."""

    def __init__(self, status: int, title: str, detail: str, diagnostics: Iterable[api.Diagnostic] = (),
                 headers: Mapping[str, str] | None = None):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.diagnostics = tuple(diagnostics)
        self.headers = headers or {}


def _document_problem(error: api.NisError) -> Problem:
    """The CLI's diagnostics as a problem: 413 over the size limit, 400 when the document cannot
    be read, 422 when it does not match its schema or cannot be judged as asked."""
    diagnostics = error.diagnostics
    codes = {d.code for d in diagnostics}
    first = diagnostics[0].message if diagnostics else "the document could not be judged"
    more = len(diagnostics) - 1
    detail = first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else "")
    if "NIS-D002" in codes:
        return Problem(413, "The document is over the size limit", detail, diagnostics)
    if any(code.startswith("NIS-D0") for code in codes):
        return Problem(400, "The document cannot be read", detail, diagnostics)
    if isinstance(error, api.DocumentError):
        return Problem(422, "The document does not match its schema", detail, diagnostics)
    return Problem(422, "The document cannot be judged as asked", detail, diagnostics)


# ---- the guard: ids, limits, headers, the log line ------------------------------------------------

class _Guard:
    """Pure ASGI middleware around every request: an id, the size limit on the body, the time
    limit on receiving it, the security headers, and one log line with nothing of the document."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        deadline = started + self.settings.time_limit
        request_id = f"{_PROCESS_ID}{next(_REQUESTS) & 0xFFFFFFFF:08x}"
        state = scope.setdefault("state", {})
        state.update(request_id=request_id, deadline=deadline, outcome="-")
        received = 0
        status: int | None = None
        limit = self.settings.max_request_bytes

        async def limited_receive() -> Message:
            nonlocal received
            remaining = deadline - time.perf_counter()
            try:
                message = await asyncio.wait_for(receive(), max(remaining, 0.001))
            except TimeoutError:
                raise Problem(408, "The request arrived too slowly",
                              f"the request body did not arrive within {self.settings.time_limit:g} seconds") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    headers.append(name.decode(), value.decode())
                if "content-security-policy" not in headers:
                    headers.append("content-security-policy", _API_CSP.decode())
                headers.append("x-request-id", request_id)
            await send(message)

        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await _send_refusal(_too_large(limit), request_id, guarded_send, scope["path"])
            else:
                await self.app(scope, limited_receive, guarded_send)
        except Exception as exc:  # never a stack trace: to the client, or to the log
            state["outcome"] = f"internal-error:{type(exc).__name__}"
            if status is None:
                await _send_refusal(Problem(500, "Internal error", "nis could not answer this request; the "
                                            "server's log has the request id"), request_id, guarded_send,
                                    scope["path"])
        finally:
            route = scope.get("route")
            LOG.info("request_id=%s method=%s route=%s status=%s bytes=%d ms=%.1f outcome=%s", request_id,
                     scope["method"], getattr(route, "path", "-"), status, received,
                     (time.perf_counter() - started) * 1000, state.get("outcome", "-"))


def _too_large(limit: int) -> Problem:
    return Problem(413, "The request is too large", f"a request may be at most {limit:,} bytes; a plan at most "
                   "5 MiB")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _problem_body(problem: Problem, request_id: str) -> bytes:
    diagnostics = [models.Diagnostic.model_validate(d.to_json()) for d in problem.diagnostics]
    body = models.Problem(title=problem.title, status=problem.status, detail=problem.detail,
                          request_id=request_id, diagnostics=diagnostics)
    return json.dumps(body.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2).encode() + b"\n"


async def _send_refusal(problem: Problem, request_id: str, send: Send, path: str) -> None:
    """Answer from the guard itself, before or instead of the application: a problem document
    for the API, a page saying why for the page."""
    if _is_page_path(path):
        built = page.message_page(problem.title, _sentence(problem.detail))
        body, kind = built.html.encode(), b"text/html; charset=utf-8"
        extra = [(b"content-security-policy", built.csp.encode())]
    else:
        body, kind, extra = _problem_body(problem, request_id), PROBLEM_TYPE.encode(), []
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *extra]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# ---- the application ---------------------------------------------------------------------------

def create_app(settings: Settings = Settings()) -> FastAPI:
    """The web application: the page at `/`, the API under `/v1`, `/healthz` and `/openapi.json`.

    Loads the standards once (raising StandardsError when they are broken); documents are
    judged on a pool of `settings.threads` threads.
    """
    library = api.load_standards(settings.standards)
    executor = ThreadPoolExecutor(settings.threads, thread_name_prefix="nis-judge")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="nis: National Inclusion Standards", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None, description=_DESCRIPTION.format(
                      max_batch=settings.max_batch, max_bytes=settings.max_request_bytes,
                      seconds=settings.time_limit))
    app.add_middleware(_Guard, settings=settings)

    async def run(request: Request, work: Callable[[*_Args], _T], *args: *_Args) -> _T:
        """`work(*args)` on the pool, within what is left of the request's time limit. A judgement
        that runs out of time is answered 503 and its result discarded (every judgement ends:
        docs/reliability.md)."""
        remaining = request.state.deadline - time.perf_counter()
        future = asyncio.get_running_loop().run_in_executor(executor, functools.partial(work, *args))
        try:
            return await asyncio.wait_for(future, max(remaining, 0.001))
        except TimeoutError:
            raise Problem(503, "No answer within the time limit", f"the answer took longer than "
                          f"{settings.time_limit:g} seconds; try again later", headers={"Retry-After": "5"}) from None

    def authorised(token: str | None) -> bool:
        return settings.token is None or (
            token is not None and hmac.compare_digest(token.encode(), settings.token.encode()))

    async def require_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> None:
        if not authorised(credentials.credentials if credentials else None):
            raise Problem(401, "A bearer token is needed", "send the header `Authorization: Bearer TOKEN` with "
                          "the token this server was started with", headers={"WWW-Authenticate": "Bearer"})

    # ---- errors ------------------------------------------------------------------------------
    @app.exception_handler(Problem)
    async def on_problem(request: Request, problem: Problem) -> Response:
        if _is_page_path(request.url.path):
            return _html(page.message_page(problem.title, _sentence(problem.detail), _form_state(settings)),
                         problem.status, problem.headers)
        return Response(_problem_body(problem, request.state.request_id), problem.status,
                        headers=problem.headers, media_type=PROBLEM_TYPE)

    @app.exception_handler(api.NisError)
    async def on_nis_error(request: Request, error: api.NisError) -> Response:
        request.state.outcome = "invalid"
        return await on_problem(request, _document_problem(error))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed"}
        detail = {404: "there is nothing at this address", 405: "this address does not take that method"}
        return await on_problem(request, Problem(error.status_code, titles.get(error.status_code, "Refused"),
                                                 detail.get(error.status_code, str(error.detail)),
                                                 headers=error.headers))

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, error: RequestValidationError) -> Response:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        return await on_problem(request, Problem(400, "The request is not valid", where))

    # ---- the JSON API ------------------------------------------------------------------------
    as_of_query = Query(None, description="The date to judge the plan as on, YYYY-MM-DD. Default: today.",
                        examples=[models.EXAMPLE_AS_OF], json_schema_extra={"format": "date"})
    source_query = Query(None, max_length=200, description="A name for the document, shown in the result and "
                         "its diagnostics (e.g. the file name `nis check` would show). Default: `<input>`.")
    auth: Sequence[params.Depends] = [Depends(require_token)]  # every /v1 route

    @app.post("/v1/check", tags=["judge"], summary="Judge one plan", dependencies=auth,
              responses={200: {"description": "The result: the same JSON as `nis check --format json`.",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}},
                         **models.problem_responses(400, 401, 408, 413, 415, 422, 503)},
              openapi_extra=models.document_body("One plan, ISP or EHCP, as JSON or YAML: the bytes of its file."))
    async def check(request: Request, as_of: str | None = as_of_query, source: str | None = source_query
                    ) -> Response:
        raw = await _one_document(request)
        on = _as_of(as_of)
        outcome, body = await run(request, _judged_json, _judge, library, raw, source, on)
        request.state.outcome = outcome
        return Response(body, media_type="application/json")

    @app.post("/v1/explain", tags=["judge"], summary="Judge one plan and explain every decision", dependencies=auth,
              responses={200: {"description": "The result with the trace of every decision (or of the one "
                                              "named): the same JSON as `nis explain --format json`.",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}},
                         **models.problem_responses(400, 401, 408, 413, 415, 422, 503)},
              openapi_extra=models.document_body("One plan, ISP or EHCP, as JSON or YAML: the bytes of its file."))
    async def explain(request: Request, as_of: str | None = as_of_query, source: str | None = source_query,
                      decision: str | None = Query(None, max_length=200, examples=["ISP-REVIEW"],
                                                   description="Explain only this rule (by id) or "
                                                               "determination (by name).")) -> Response:
        raw = await _one_document(request)
        on = _as_of(as_of)
        outcome, body = await run(request, _judged_json, _explain, library, raw, source, on, decision)
        request.state.outcome = outcome
        return Response(body, media_type="application/json")

    @app.post("/v1/check/batch", tags=["judge"], summary=f"Judge up to {settings.max_batch} plans", dependencies=auth,
              response_model=None,
              responses={200: {"model": models.BatchResponse, "description": "One record per document, in the "
                                                                              "order sent."},
                         **models.problem_responses(400, 401, 408, 413, 415, 503)},
              openapi_extra=models.batch_body(settings.max_batch))
    async def batch(request: Request, as_of: str | None = as_of_query) -> Response:
        kind = _media_type(request)
        if kind not in JSON_TYPES + JSONL_TYPES:
            raise _unsupported(kind, "a JSON array of plans (application/json) or JSON Lines (application/jsonl)")
        raw = await request.body()
        on = _as_of(as_of)
        documents = _batch_documents(raw, jsonl=kind in JSONL_TYPES, most=settings.max_batch)
        body, counts = await run(request, _judge_batch, library, documents, on)
        request.state.outcome = "pass:{},fail:{},error:{}".format(*counts)
        return Response(body, media_type="application/json")

    @app.get("/v1/standards", tags=["reference"], summary="The standards this server judges by", dependencies=auth,
             responses=models.problem_responses(401))
    async def standards() -> models.StandardsList:
        return models.StandardsList(engine=__version__, standards=[models.StandardsVersion(
            id=s.id, version=s.version, title=s.title, publisher=s.publisher, effective_from=s.effective_from,
            effective_until=s.effective_until, sha256=s.sha256,
            document_types=[kind for kind in ("isp", "ehcp") if s.judges(kind)]) for s in library.versions])

    schema_date = Query(None, description="For a plan's schema, the date plans are judged as on, YYYY-MM-DD: "
                                          "the schema the standards in force then hold plans to. Default: today.",
                        examples=["2030-06-01"])

    @app.get("/v1/schemas/{name}", tags=["reference"], summary="The JSON Schema of an ISP, an EHCP or a result",
             dependencies=auth, responses={200: {"description": "The schema, exactly as `nis schema NAME` prints it "
                                                                "with this server's standards.",
                                    "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                              **models.problem_responses(400, 401, 404, 422)})
    async def schema(name: str, as_of: str | None = schema_date) -> Response:
        if name not in SCHEMAS:
            raise Problem(404, "Not found", f"no schema named `{name}`: choose one of {', '.join(SCHEMAS)}")
        text = api.schema_text(name, standards=library, as_of=_as_of(as_of))
        return Response(text.encode("utf-8"), media_type="application/schema+json")

    @app.get("/healthz", tags=["reference"], summary="Whether the server is up")
    async def healthz() -> models.Health:
        return models.Health(status="ok", version=__version__, standards=len(library.versions))

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> Response:
        return Response(_openapi_text(app, library), media_type="application/json")

    # ---- the page ------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def form(template: str | None = None) -> HTMLResponse:
        blank = page.template(template) if template else None
        state = _form_state(settings, text=blank or "")
        return _html(page.form_page(state))

    @app.post("/", include_in_schema=False)
    async def check_from_page(request: Request) -> HTMLResponse:
        fields = await _form_fields(request)
        raw, source = _page_document(fields)
        state = _form_state(settings, fields, text=raw.decode("utf-8", "replace"), source=source)
        if not authorised(state.token or _bearer(request)):
            return _html(page.message_page("The access token is needed", "This server asks for an access token: "
                                           "type the one its administrator gave you.",
                                           replace(state, token="")), 401)
        try:
            on = _page_date(state.as_of)
        except Problem as invalid_date:
            return _html(page.message_page(invalid_date.title, _sentence(invalid_date.detail), state),
                         invalid_date.status)
        try:
            outcome, report, title = await run(request, _explain_html, library, raw, source, on)
        except api.NisError as error:
            request.state.outcome = "invalid"
            problem = _document_problem(error)
            return _html(page.problems_page(_PAGE_HEADINGS[problem.title], _page_problems(error), state),
                         problem.status)
        request.state.outcome = outcome
        return _html(page.report_page(report, state, raw, title))

    @app.post("/download/report.html", include_in_schema=False)
    async def download_report(request: Request) -> Response:
        raw, source, on = await _download_request(request)
        outcome, html, _ = await run(request, _explain_html, library, raw, source, on)
        request.state.outcome = outcome
        return _attachment(html, "text/html; charset=utf-8", _file_name(source, "report.html"))

    @app.post("/download/result.json", include_in_schema=False)
    async def download_result(request: Request) -> Response:
        raw, source, on = await _download_request(request)
        outcome, body = await run(request, _judged_json, _judge, library, raw, source, on)
        request.state.outcome = outcome
        return _attachment(body, "application/json", _file_name(source, "result.json"))

    async def _download_request(request: Request) -> tuple[bytes, str, date]:
        fields = await _form_fields(request)
        if not authorised(fields.get("token", (None, b""))[1].decode("utf-8", "replace") or _bearer(request)):
            raise Problem(401, "The access token is needed", "this server asks for an access token")
        try:
            raw = base64.b64decode(fields.get("document_b64", (None, b""))[1], validate=True)
        except binascii.Error:
            raise Problem(400, "The download request is damaged", "check the plan again, then download") from None
        source = fields.get("source", (None, b""))[1].decode("utf-8", "replace") or page.PASTED
        return raw, source, _page_date(fields.get("as_of", (None, b""))[1].decode("ascii", "replace"))

    return app


_DESCRIPTION = """Judge Individual Support Plans (ISPs) and EHCPs against the National Inclusion
Standards, and explain every decision. The results are those of the `nis` command line, byte
for byte: `POST /v1/check` returns what `nis check --format json` prints.

Limits: a request body of at most {max_bytes:,} bytes (a plan at most 5 MiB), at most {max_batch}
documents in a batch, and {seconds:g} seconds for an answer: beyond them the answer is 413 or
503, as a problem document (`application/problem+json`). Documents are never stored or logged.
When the server was started with a token, every `/v1` request needs `Authorization: Bearer TOKEN`.
"""


# ---- the work done on the pool (plain functions over the public API) ---------------------------

def _judge(library: api.StandardsLibrary, raw: bytes, source: str | None, on: date) -> api.Result:
    return api.check(api.load_document(raw, source=source, schemas=api.plan_schemas(library, on)), as_of=on,
                     standards=library)


def _judged_json(work: Callable[[*_Args], api.Result], *args: *_Args) -> tuple[str, str]:
    """The outcome and the result as `nis check --format json` prints it (rendered on the pool,
    never on the event loop)."""
    result = work(*args)
    return result["outcome"], api.render(result, "json")


def _explain(library: api.StandardsLibrary, raw: bytes, source: str | None, on: date, decision: str | None
             ) -> api.Result:
    return api.explain(api.load_document(raw, source=source, schemas=api.plan_schemas(library, on)), as_of=on,
                       standards=library, decision=decision)


def _explain_html(library: api.StandardsLibrary, raw: bytes, source: str, on: date) -> tuple[str, str, str]:
    """The outcome, the HTML report (`nis explain --format html`), and a title for the page."""
    result = _explain(library, raw, source, on, None)
    document = result["document"]
    verdict = "Does not meet the standards" if result["outcome"] == "fail" else "Meets the standards"
    title = f"{verdict}: {document['type'].upper()} {document['id'] or source}"
    return result["outcome"], api.render(result, "html"), title


def _judge_batch(library: api.StandardsLibrary, documents: list[tuple[int, bytes]], on: date
                 ) -> tuple[bytes, tuple[int, int, int]]:
    """One record per document, in order: the result, or why it could not be judged (one bad
    document never costs the others their results). Returns the body and the pass, fail and
    error counts."""
    records: list[dict[str, object]] = []
    counts = {"pass": 0, "fail": 0, "error": 0}
    for number, (line, raw) in enumerate(documents, 1):
        identity = {"line": line, "sha256": hashlib.sha256(raw).hexdigest()}
        record: dict[str, object] = {"record": number, "input": identity, "as_of": on.isoformat()}
        outcome: str
        try:
            result = _judge(library, raw, f"document {number}", on)
            outcome = result["outcome"]
            record.update(outcome=outcome, result=result)
        except api.NisError as error:
            diagnostics = error.diagnostics
            more = len(diagnostics) - 1
            reason = diagnostics[0].message + (f" (and {more} more problem{'s' if more > 1 else ''})"
                                               if more > 0 else "")
            outcome = "error"
            record.update(outcome=outcome, error={"reason": reason, "diagnostics": [d.to_json() for d in diagnostics]})
        counts[outcome] += 1
        records.append(record)
    body = {"as_of": on.isoformat(), "documents": len(records), "passed": counts["pass"], "failed": counts["fail"],
            "errors": counts["error"], "records": records}
    return ((json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode(),
            (counts["pass"], counts["fail"], counts["error"]))


# ---- reading requests ------------------------------------------------------------------------

def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _unsupported(kind: str, wanted: str) -> Problem:
    return Problem(415, "Unsupported media type", f"the body was sent as `{kind or 'no Content-Type'}`; send "
                   f"{wanted}")


async def _one_document(request: Request) -> bytes:
    kind = _media_type(request)
    if kind not in JSON_TYPES + YAML_TYPES:
        raise _unsupported(kind, "the plan as application/json or application/yaml")
    return await request.body()


def _as_of(text: str | None) -> date:
    """The as-of date, written exactly YYYY-MM-DD as on the command line; today when not given."""
    if text is None:
        return date.today()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise Problem(400, "The as-of date is not valid", f"`{text}` is not a date: {exc}") from None
    raise Problem(400, "The as-of date is not valid", f"`{text[:40]}` is not a date written YYYY-MM-DD "
                  "(for 1 June 2030 write 2030-06-01)")


def _batch_documents(raw: bytes, *, jsonl: bool, most: int) -> list[tuple[int, bytes]]:
    """Each document of a batch body with the line it starts on, as the exact bytes sent."""
    documents: list[tuple[int, bytes]] = []

    def add(line: int, document: bytes) -> None:
        if len(documents) == most:
            raise Problem(413, "Too many documents", f"a batch holds at most {most} documents; send the rest in "
                          "another request")
        documents.append((line, document))

    if jsonl:
        for number, document in enumerate(raw.split(b"\n"), 1):
            if document.strip():
                add(number, document.rstrip(b"\r"))
        return documents
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "The batch cannot be read", f"the body is not UTF-8 text (byte {exc.start})") from None
    decoder, space = json.JSONDecoder(), re.compile(r"[ \t\r\n]*")

    def skip_space(start: int) -> int:
        """Where the JSON whitespace from `start` ends."""
        found = space.match(text, start)
        assert found is not None  # the pattern matches the empty text too
        return found.end()

    at = skip_space(0)
    if not text.startswith("[", at):
        raise Problem(400, "The batch cannot be read", "the body must be a JSON array of plans, e.g. "
                      "[{…}, {…}], or JSON Lines sent as application/jsonl")
    at = skip_space(at + 1)
    line = 1 + text.count("\n", 0, at)
    while not text.startswith("]", at):
        try:
            _, end = decoder.raw_decode(text, at)
        except (json.JSONDecodeError, RecursionError) as exc:
            where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise Problem(400, "The batch cannot be read", f"JSON syntax error{where}") from None
        add(line, text[at:end].encode())
        after = skip_space(end)
        if text.startswith(",", after):
            after = skip_space(after + 1)
        elif not text.startswith("]", after):
            raise Problem(400, "The batch cannot be read", f"expected `,` or `]` after document {len(documents)}")
        line += text.count("\n", at, after)
        at = after
    if text[at + 1:].strip():
        raise Problem(400, "The batch cannot be read", "there is more after the closing `]`")
    return documents


@dataclass
class _Part:
    """The part of a multipart form being read: the header being read, then its name, file name
    and bytes."""

    header_name: bytes = b""
    header_value: bytes = b""
    name: str | None = None
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


async def _form_fields(request: Request) -> FormFields:
    """The fields of a form, name -> (file name or None, bytes), parsed in memory: an upload is
    never spooled to a temporary file, so nothing of a plan reaches the disk."""
    kind = _media_type(request)
    raw = await request.body()
    if kind == "application/x-www-form-urlencoded":
        return {k: (None, v.encode()) for k, v in parse_qsl(raw.decode("utf-8", "replace"), max_num_fields=20)}
    if kind != "multipart/form-data":
        raise _unsupported(kind, "the page's form (multipart/form-data)")
    _, options = parse_options_header(request.headers["content-type"])
    boundary = options.get(b"boundary")
    if not boundary:
        raise Problem(400, "The form cannot be read", "the form has no multipart boundary")
    fields: FormFields = {}
    part = _Part()

    def part_begin() -> None:
        nonlocal part
        part = _Part()

    def header_name_data(data: bytes, start: int, end: int) -> None:
        part.header_name += data[start:end]

    def header_value_data(data: bytes, start: int, end: int) -> None:
        part.header_value += data[start:end]

    def header_end() -> None:
        if part.header_name.lower() == b"content-disposition":
            _, params = parse_options_header(part.header_value)
            part.name = params.get(b"name", b"").decode("utf-8", "replace")
            filename = params.get(b"filename")
            part.filename = filename.decode("utf-8", "replace") if filename is not None else None
        part.header_name, part.header_value = b"", b""

    def part_data(data: bytes, start: int, end: int) -> None:
        part.data.extend(data[start:end])

    def part_end() -> None:
        if len(fields) < 20 and part.name:
            fields[part.name] = (part.filename, bytes(part.data))

    parser = MultipartParser(boundary, {
        "on_part_begin": part_begin,
        "on_header_field": header_name_data,
        "on_header_value": header_value_data,
        "on_header_end": header_end,
        "on_part_data": part_data,
        "on_part_end": part_end,
    })
    try:
        parser.write(raw)
        parser.finalize()
    except Exception:  # python-multipart raises several kinds for a damaged form
        raise Problem(400, "The form cannot be read", "the form data is damaged; send it again") from None
    return fields


def _page_document(fields: FormFields) -> tuple[bytes, str]:
    """The uploaded file when one was chosen, else the text box (with the browser's CRLF line
    ends made LF again). The name is the file's, without its folders."""
    filename, data = fields.get("document_file", (None, b""))
    if filename and data:
        return data, re.split(r"[\\/]", filename)[-1][:200] or page.PASTED
    text = fields.get("document_text", (None, b""))[1].replace(b"\r\n", b"\n")
    source = fields.get("source", (None, b""))[1].decode("utf-8", "replace")[:200]
    return text, source or page.PASTED


def _page_date(text: str) -> date:
    return _as_of(text or None)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def _form_state(settings: Settings, fields: FormFields | None = None, *, text: str | None = None,
                source: str | None = None) -> page.FormState:
    """What the form shows: the fields sent, with `text` and `source` in place of theirs when given."""
    sent = fields or {}

    def value(name: str) -> str:
        return sent.get(name, (None, b""))[1].decode("utf-8", "replace")

    return page.FormState(text=value("document_text") if text is None else text,
                          as_of=value("as_of")[:10] or date.today().isoformat(),
                          source=value("source") if source is None else source,
                          ask_token=settings.token is not None, token=value("token"))


def _page_problems(error: api.NisError) -> list[dict[str, Any]]:
    out = []
    for d in error.diagnostics:
        problem = d.to_json()
        if d.source_line is not None and d.span is not None:
            problem["excerpt"] = "\n".join(d.render().splitlines()[1:3])
        out.append(problem)
    return out


_PAGE_HEADINGS = {
    "The document is over the size limit": "This plan is too large to check",
    "The document cannot be read": "This plan cannot be read",
    "The document does not match its schema": "This plan is not written in the form nis reads",
    "The document cannot be judged as asked": "This plan cannot be judged on that date",
}


def _is_page_path(path: str) -> bool:
    return not path.startswith(("/v1/", "/healthz", "/openapi.json"))


def _sentence(detail: str) -> str:
    return detail[:1].upper() + detail[1:] + "."


def _html(built: page.Page, status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(built.html, status, headers={"Content-Security-Policy": built.csp, **(headers or {})})


def _attachment(text: str, media_type: str, name: str) -> Response:
    return Response(text, media_type=media_type, headers={"Content-Disposition": f"attachment; filename=\"{name}\""})


def _file_name(source: str, suffix: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(source).stem).strip("-")[:80] or "plan"
    return f"{stem}.{suffix}"


def _openapi_text(app: FastAPI, library: api.StandardsLibrary) -> str:
    """The OpenAPI description: the routes and models, the ISP, EHCP and result schemas, and
    examples (the result is the real result of the example plan on the example date)."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components.update(models.model_components(models.Problem))
        components.update(models.document_components())
        document["components"]["schemas"] = dict(sorted(components.items()))
        text, _ = models.example_plan()
        result = _judge(library, text.encode(), models.EXAMPLE_PLAN, date.fromisoformat(models.EXAMPLE_AS_OF))
        models.add_examples(document, json.loads(api.render(result, "json")))
        app.openapi_schema = document
    return json.dumps(app.openapi_schema, ensure_ascii=False, indent=2) + "\n"
