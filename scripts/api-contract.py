#!/usr/bin/env python3
"""The API contract holds under generated input (issue 12 item 3; S3): schemathesis over the
`/openapi.yaml` a running `siteroll serve --demo` publishes, as a regulator, an enterprise and a
gate device, with the server-error and response-conformance checks. Any finding fails the run.

What it does:
1. starts `siteroll serve --demo` on SQLite in a temporary directory, on a free loopback port;
2. takes the tokens first: a regulator (sc_admin) and an enterprise administrator (sj_admin) sign
   in at /api/v1/auth/login; a gate device is registered on the attendance review page as the
   general contractor would and exchanges its code and secret at /api/v1/auth/token;
3. runs schemathesis once per identity over every operation except the `auth` tag (so that no
   generated DELETE /auth/token revokes the token the run uses), once more with a real project id
   as every `projectId` so that the generated cases reach the project reads instead of 404, once
   over the login and app-token operations without a token (a token, even a revoked one, is
   checked before the login is), and once over token revocation with a throwaway token;
4. checks that the generated logins locked nobody out: the run's tokens still work, and each
   owner signs in again from the browser used before the run (generated usernames match no real
   account; the failures they cause are counted against them and against this address).

Bounded: --max-examples per operation and phase (default 40), a fixed --seed, no example database.
Prints the cases generated per identity and ends with "api-contract: N passed, M failed".

Usage:
  python3 scripts/api-contract.py [--binary .build/debug/siteroll] [--max-examples 25] [--seed 20261206]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from siteroll_harness import (  # noqa: E402
    DEFAULT_BINARY, Http, Server, api_login, app_token, console_login, csrf_of, free_port, register_device)

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance"])


def schemathesis(base, label, token, extra, config, args, work):
    """One schemathesis run; returns (exit code, cases generated, summary line)."""
    command = [
        sys.executable, "-m", "schemathesis.cli", *config, "run", f"{base}/openapi.yaml", "--url", f"{base}/api/v1",
        "--checks", CHECKS, "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        "--generation-database", "none", "--phases", "examples,coverage,fuzzing", "--workers", "1",
        "--request-timeout", "30", "--no-color", *extra]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    log_path = os.path.join(work, f"schemathesis-{label}.log")
    started = time.monotonic()
    with open(log_path, "w") as log:
        code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    output = open(log_path, errors="replace").read()
    cases = re.search(r"^\s*(\d+) generated, (.*)$", output, re.MULTILINE)
    summary = f"{cases.group(1)} generated, {cases.group(2)}" if cases else "no summary"
    print(f"[{label}] exit {code} in {time.monotonic() - started:.0f}s: {summary}", flush=True)
    if code != 0:
        # The findings, as schemathesis words them, with the curl line that reproduces each.
        failures = output[output.find("FAILURES"):output.find("SUMMARY")] if "FAILURES" in output else output[-4000:]
        print(failures.replace(token or "\0", "[token]"), flush=True)
    return code, int(cases.group(1)) if cases else 0, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.environ.get("SITEROLL_BIN", DEFAULT_BINARY))
    parser.add_argument("--max-examples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and its logs")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"no siteroll binary at {args.binary}: run `swift build` first")
    work = tempfile.mkdtemp(prefix="siteroll-contract-")
    data = os.path.join(work, "data")
    os.makedirs(data)
    server = Server(args.binary, data, free_port())
    results = []
    try:
        server.start()
        base = server.base
        regulator = api_login(base, "sc_admin")
        enterprise = api_login(base, "sj_admin")
        # The owners' own browsers, signed in before any generated login (the sign-in throttle
        # lets an owner's known browser pass whatever strangers ran up on the name or address).
        browsers = {"sc_admin": console_login(base, "gov", "sc_admin"), "cd_admin": console_login(base, "gov", "cd_admin")}
        projects = Http(base).json_call("GET", "/api/v1/projects", token=enterprise).json()
        project = next(p["id"] for p in projects if p["areaCode"] == "510104")
        browsers["sj_admin"] = console_login(base, "corp", "sj_admin")
        code, secret = register_device(browsers["sj_admin"], project, "接口契约测试闸机")
        device = app_token(base, code, secret)
        throwaway = api_login(base, "cd_admin")
        fixed = os.path.join(work, "project.toml")
        with open(fixed, "w") as handle:
            handle.write(f'[parameters]\nprojectId = "{project}"\n')
        plan = [
            ("regulator", regulator, ["--exclude-tag", "auth"], []),
            ("enterprise", enterprise, ["--exclude-tag", "auth"], []),
            ("device", device, ["--exclude-tag", "auth"], []),
            ("regulator-project", regulator, ["--include-tag", "projects"], ["--config-file", fixed]),
            ("enterprise-project", enterprise, ["--include-tag", "projects"], ["--config-file", fixed]),
            ("auth", None, ["--include-tag", "auth", "--exclude-operation-id", "revokeToken"], []),
            ("revoke", throwaway, ["--include-operation-id", "revokeToken"], []),
        ]
        for label, token, extra, config in plan:
            code_, cases, summary = schemathesis(base, label, token, extra, config, args, work)
            results.append((label, code_ == 0, cases, summary))
        # The generated logins locked nobody out: the run's tokens still work, and each owner signs
        # in again from the browser used before. (Logins from this address without such a browser
        # may now have to wait: the generated failures came from here, and that is the throttle.)
        for username, token in (("sc_admin", regulator), ("sj_admin", enterprise)):
            answer = Http(base).json_call("GET", "/api/v1/me", token=token)
            results.append((f"{username}'s token still works", answer.status == 200, 0, str(answer.status)))
        for username, browser in browsers.items():
            audience = "corp" if username == "sj_admin" else "gov"
            browser.cookies.pop(f"siteroll_{audience}", None)  # the session ends; the browser stays
            page = browser.get(f"/{audience}/login")
            answer = browser.form(f"/{audience}/login", {
                "username": username, "password": "Demo@2026", "_csrf": csrf_of(page.text)})
            results.append((f"{username} still signs in from the same browser", answer.status == 303, 0, str(answer.status)))
        results.append(("the server still answers", Http(base).get("/health").status == 200, 0, ""))
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"logs kept in {work}")
    total = sum(cases for _, _, cases, _ in results)
    failed = [r for r in results if not r[1]]
    for label, ok, cases, summary in results:
        print(f"{'PASS' if ok else 'FAIL'} {label}{': ' + summary if summary else ''}")
    print(f"schemathesis cases generated: {total}")
    print(f"api-contract: {len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
