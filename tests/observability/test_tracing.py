"""Traces: a suite's spans form the expected tree across worker processes; GenAI attributes on
agent and model spans; content only on opt-in, scrubbed; OTLP export to a real receiver."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import Settings
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation.coders import GhostwriterCoder, LLMCoder
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.observability import tracing
from agentic_testgen.sandbox import get_sandbox
from agentic_testgen.storage import SpanRecord
from tests.cli.test_startup import modules_loaded_by
from tests.evals.test_runner import DATASET
from tests.generation.fake_provider import fake_provider, openai_reply
from tests.generation.test_generate import MODULE, OPTIONS

SETTINGS = {"run": {"reruns": 1, "mutation": False}}


@pytest.fixture(scope="module")
def suite_spans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[SpanRecord]]:
    root = tmp_path_factory.mktemp("traced")
    (root / "tiny.yaml").write_text(DATASET)
    runner = EvalRunner(root / "evals", settings=Settings.model_validate(SETTINGS))
    outcome = runner.run_full_evaluation(str(root / "tiny.yaml"), jobs=2, reports=False)
    return root / "evals", outcome.suite.id, runner.storage.spans(outcome.suite.id)


def test_a_suite_trace_is_one_tree_across_worker_processes(
    suite_spans: tuple[Path, str, list[SpanRecord]],
) -> None:
    _, suite_id, spans = suite_spans
    by_id = {span.span_id: span for span in spans}
    assert len({span.trace_id for span in spans}) == 1

    def parent(span: SpanRecord) -> str:
        return by_id[span.parent_id].name.split()[0] if span.parent_id else "-"

    roots = [span for span in spans if span.parent_id is None]
    assert [span.name for span in roots] == ["eval_suite test_quality"]
    assert roots[0].attributes["atg.suite.id"] == suite_id
    entries = {span.attributes["atg.entry.id"]: span for span in spans
               if span.name.startswith("eval_entry")}  # fmt: skip
    assert set(entries) == {"tiny/double", "tiny/negate", "tiny/untested"}
    assert {parent(span) for span in entries.values()} == {"eval_suite"}
    assert entries["tiny/untested"].status == "error"
    shapes = {(span.name.split()[0], parent(span)) for span in spans}
    assert {("run_tests", "eval_entry"), ("sandbox", "run_tests"),
            ("metric", "eval_entry")} <= shapes  # fmt: skip
    events = [e for e in entries["tiny/double"].events if e["name"] == "gen_ai.evaluation.result"]
    scores = {e["attributes"]["gen_ai.evaluation.name"]: e for e in events}
    assert scores["coverage"]["attributes"]["gen_ai.evaluation.score.value"] == 1.0
    assert scores["coverage"]["attributes"]["gen_ai.evaluation.score.label"] == "pass"
    assert "quality_score" in scores
    for span in spans:  # children start after and end before their parents
        if span.parent_id:
            outer = by_id[span.parent_id]
            assert outer.start_ns <= span.start_ns <= span.end_ns <= outer.end_ns


def test_trace_show_prints_the_waterfall(suite_spans: tuple[Path, str, list[SpanRecord]]) -> None:
    workspace, suite_id, _ = suite_spans
    shown = CliRunner().invoke(
        app, ["trace", "show", suite_id, "--workspace", str(workspace)], env={"COLUMNS": "160"}
    )
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[1].startswith("eval_suite test_quality")
    assert any(line.startswith("  eval_entry tiny/double") for line in lines)
    assert any(line.startswith("      sandbox ") for line in lines)
    missing = CliRunner().invoke(app, ["trace", "show", "suite_nope", "-w", str(workspace)])
    assert missing.exit_code == 2
    assert missing.output.startswith("error: no spans stored for suite 'suite_nope'")


def generate_with_a_model(*replies: str) -> list[SpanRecord]:
    collector = tracing.configure_tracing()
    assert collector is not None
    with fake_provider(*(openai_reply(reply) for reply in replies)) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        with tracing.span("root") as root:
            generate_tests(MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
                           budget=Budget(max_iterations=1, max_seconds=60))  # fmt: skip
    return collector.drain(tracing.trace_id_of(root))


def test_an_offline_coder_is_a_tool_run_in_the_sandbox() -> None:
    collector = tracing.configure_tracing()
    assert collector is not None
    with tracing.span("root") as root:
        generate_tests(MODULE, [GhostwriterCoder()], get_sandbox("bwrap"), options=OPTIONS,
                       budget=Budget(max_iterations=1, max_seconds=60))  # fmt: skip
    spans = collector.drain(tracing.trace_id_of(root))
    by_id = {span.span_id: span for span in spans}
    tool = next(span for span in spans if span.name == "execute_tool ghostwriter")
    assert tool.attributes["gen_ai.tool.name"] == "ghostwriter"
    assert by_id[tool.parent_id or ""].name == "invoke_agent coder"
    assert any(s.parent_id == tool.span_id and s.name.startswith("sandbox ") for s in spans)


REPLY = "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n```"
# a reply the output guardrail refuses; its chat span still records the (scrubbed) content
LEAKY_REPLY = (
    "```python\nfrom calc import sign\n\ndef test_up():\n"
    "    # ask alice@contoso-mail.org, key sk-proj-abcdefghijklmnopqrstuvwxyz\n"
    "    assert sign(3) == 1\n```"
)


def test_agents_and_model_calls_carry_gen_ai_attributes_without_content(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(tracing.CAPTURE_CONTENT_ENV, raising=False)
    spans = generate_with_a_model(REPLY)
    by_id = {span.span_id: span for span in spans}
    names = [span.name for span in spans]
    assert {"invoke_agent planner", "invoke_agent coder", "invoke_agent critic"} <= set(names)
    chat = next(span for span in spans if span.name == "chat gpt-4o-mini")
    assert by_id[chat.parent_id or ""].name == "invoke_agent coder"
    assert chat.attributes["gen_ai.operation.name"] == "chat"
    assert chat.attributes["gen_ai.provider.name"] == "openai"
    assert chat.attributes["gen_ai.request.model"] == "gpt-4o-mini"
    assert chat.attributes["gen_ai.usage.input_tokens"] == 120
    assert chat.attributes["gen_ai.usage.output_tokens"] == 80
    assert "gen_ai.input.messages" not in chat.attributes
    critic = next(span for span in spans if span.name == "invoke_agent critic")
    assert any(by_id[s.parent_id or ""] is critic for s in spans if s.name.startswith("sandbox"))


def test_content_is_captured_only_on_opt_in_and_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tracing.CAPTURE_CONTENT_ENV, "true")
    spans = generate_with_a_model(LEAKY_REPLY)
    chat = next(span for span in spans if span.name == "chat gpt-4o-mini")
    answer = chat.attributes["gen_ai.output.messages"]
    assert "def test_up" in answer
    assert "[REDACTED:email]" in answer and "alice@contoso-mail.org" not in answer
    assert "[REDACTED:openai_key]" in answer and "sk-proj" not in answer
    assert "calc" in chat.attributes["gen_ai.input.messages"]


def run_tiny_suite(tmp_path: Path, **env: str) -> None:
    """`atg eval run` on the tiny dataset in a new process (tracing is set up once a process),
    with `env` added and no OTLP protocol inherited from the developer's shell."""
    (tmp_path / "tiny.yaml").write_text(DATASET)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    environment.update(ATG_RUN__RERUNS="1", ATG_RUN__MUTATION="false", **env)
    subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "eval", "run", "--dataset",
         str(tmp_path / "tiny.yaml"), "--workspace", str(tmp_path / "evals"), "--jobs", "2",
         "--no-reports"],
        env=environment, check=True, capture_output=True,
    )  # fmt: skip


class OTLPReceiver(BaseHTTPRequestHandler):
    """A minimal OTLP/HTTP collector: decodes each export request with the OTLP protobufs."""

    received: list[str]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                self.received.extend(span.name for span in scope.spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def otlp_receiver() -> Iterator[tuple[str, list[str]]]:
    received: list[str] = []
    handler = type("Receiver", (OTLPReceiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_spans_go_out_over_otlp_when_the_standard_variables_say_so(
    tmp_path: Path, otlp_receiver: tuple[str, list[str]]
) -> None:
    url, received = otlp_receiver
    run_tiny_suite(tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT=url,
                   OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf")  # fmt: skip
    assert "eval_suite test_quality" in received
    assert {"eval_entry tiny/double", "eval_entry tiny/negate"} <= set(received)  # from workers
    assert any(name.startswith("sandbox ") for name in received)


def test_a_single_file_evaluation_is_traced_too(otlp_receiver: tuple[str, list[str]]) -> None:
    url, received = otlp_receiver
    example = Path(__file__).resolve().parents[2] / "examples" / "inventory"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    environment.update(OTEL_EXPORTER_OTLP_ENDPOINT=url,
                       OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf")  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "eval", "file", "--source",
         str(example / "inventory.py"), "--tests", str(example / "test_inventory.py"),
         "--reruns", "1", "--no-mutation"],
        env=environment, check=True, capture_output=True,
    )  # fmt: skip
    assert {"eval_file inventory.py", "run_tests python", "metric coverage"} <= set(received)


@pytest.mark.parametrize("protocol", ["grpc", "http/protobuf"])
def test_an_unreachable_collector_costs_one_warning_line_and_no_retries(protocol: str) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "inventory"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    environment.update(OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{port}",
                       OTEL_EXPORTER_OTLP_PROTOCOL=protocol, ATG_LOG_FORMAT="console")  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "eval", "file", "--source",
         str(example / "inventory.py"), "--tests", str(example / "test_inventory.py"),
         "--reruns", "0", "--no-mutation"],
        env=environment, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    spent = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "OTLP" in line or "export" in line]
    assert len(lines) == 1 and f"OTLP collector at http://127.0.0.1:{port}" in lines[0], lines
    assert "Transient error" not in done.stderr and "retrying" not in done.stderr
    assert spent < 30  # the SDK's own retries with its 10 s timeout took 9 s on top of the run


def test_the_default_otlp_protocol_is_grpc(tmp_path: Path) -> None:
    from concurrent import futures

    import grpc
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

    received: list[str] = []

    class Receiver(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request: ExportTraceServiceRequest, context: object) -> object:
            received.extend(
                span.name for rs in request.resource_spans for ss in rs.scope_spans
                for span in ss.spans
            )  # fmt: skip
            return trace_service_pb2.ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Receiver(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        run_tiny_suite(tmp_path, OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{port}")
    finally:
        server.stop(grace=None)
    assert "eval_suite test_quality" in received
    assert "eval_entry tiny/double" in received


def test_tracing_off_stores_no_spans(tmp_path: Path) -> None:
    run_tiny_suite(tmp_path, ATG_TRACING="0")
    from agentic_testgen.storage import ResultStore

    assert ResultStore.for_workspace(tmp_path / "evals").count("spans") == 0


def test_tracing_loads_neither_storage_nor_the_settings() -> None:
    """Whoever keeps spans hands them to its store: tracing (and so the sandbox and every traced
    module) never imports storage, SQLAlchemy or the settings."""
    loaded = modules_loaded_by("import agentic_testgen.observability.tracing")
    assert "agentic_testgen.observability.tracing" in loaded
    assert not {"agentic_testgen.storage", "agentic_testgen.config", "sqlalchemy"} & loaded
