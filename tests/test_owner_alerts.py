"""The run-failure sensor tells the owners of the failed assets: by e-mail through the
SMTP server named in SMARTDATA_SMTP_*, else as a line in the alert log."""

from __future__ import annotations

import email
import json
import socketserver
import threading
from email import policy

import dagster as dg
import pytest
from dagster._core.events import DagsterEventType

from alerting.notify import recipients
from orchestration.sensors import FAILURE_SENSOR, notify_owners_on_run_failure


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        envelope = {"from": None, "to": [], "data": b""}
        self.reply("220 localhost test SMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 localhost")
            elif verb == "MAIL":
                envelope["from"] = command.split(":", 1)[1].strip(" <>")
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                envelope["data"] = data
                self.server.messages.append(envelope)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


FIELD_SALES = dg.AssetKey(["raw", "excel_field_sales"])
TRADE_FAIR = dg.AssetKey(["raw", "excel_trade_fair"])
CUSTOMERS = dg.AssetKey(["mart", "customers"])


@dg.asset(key=FIELD_SALES, owners=["team:field-sales"])
def broken_workbook():
    raise dg.Failure(description="excel/Aussendienst_Nord.xlsx, sheet Kunden: required column 'Firma' missing")


@dg.asset(key=TRADE_FAIR, owners=["messe@example.com"])
def good_workbook():
    return 1


@dg.asset(key=CUSTOMERS, deps=[FIELD_SALES, TRADE_FAIR], owners=["team:sales-analytics"])
def customers():
    return 1


@pytest.fixture
def failed_run_context():
    definitions = dg.Definitions(assets=[broken_workbook, good_workbook, customers])
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([broken_workbook, good_workbook, customers], instance=instance, raise_on_error=False)
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    failure = instance.get_records_for_run(result.run_id, of_type=DagsterEventType.RUN_FAILURE).records[0]
    context = dg.build_run_status_sensor_context(
        sensor_name=FAILURE_SENSOR,
        dagster_event=failure.event_log_entry.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
        repository_def=definitions.get_repository_def(),
    ).for_run_failure()
    yield context, result.run_id
    instance.dispose()


def test_without_smtp_the_alert_goes_to_the_log(failed_run_context, tmp_path, monkeypatch):
    context, run_id = failed_run_context
    log = tmp_path / "data" / "alerts.log"
    monkeypatch.delenv("SMARTDATA_SMTP_HOST", raising=False)
    monkeypatch.setenv("SMARTDATA_ALERT_LOG", str(log))
    notify_owners_on_run_failure(context)
    (line,) = log.read_text(encoding="utf-8").splitlines()
    alert = json.loads(line)
    assert alert["run_id"] == run_id and alert["delivery"] == "log"
    # only the failed asset, not the skipped mart or the good workbook; its owner and error
    assert [a["asset"] for a in alert["failed_assets"]] == ["raw/excel_field_sales"]
    assert alert["failed_assets"][0]["owners"] == ["team:field-sales"]
    assert "required column 'Firma' missing" in alert["failed_assets"][0]["error"]
    assert alert["to"] == ["vertrieb.innendienst@example.com"]  # alerting/teams.yaml
    notify_owners_on_run_failure(context)
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2  # appended, never overwritten


def test_with_smtp_the_owner_gets_an_email(failed_run_context, smtp_server, tmp_path, monkeypatch):
    context, run_id = failed_run_context
    monkeypatch.setenv("SMARTDATA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMARTDATA_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("SMARTDATA_SMTP_FROM", "dagster@example.com")
    monkeypatch.setenv("SMARTDATA_ALERT_LOG", str(tmp_path / "alerts.log"))
    notify_owners_on_run_failure(context)
    (envelope,) = smtp_server.messages
    assert envelope["from"] == "dagster@example.com"
    assert envelope["to"] == ["vertrieb.innendienst@example.com"]
    message = email.message_from_bytes(envelope["data"], policy=policy.default)
    assert message["Subject"] == f"[smartdata] run {run_id[:8]} of __ephemeral_asset_job__ failed: raw/excel_field_sales"
    body = message.get_content()
    assert "raw/excel_field_sales (owner team:field-sales)" in body
    assert "required column 'Firma' missing" in body
    assert not (tmp_path / "alerts.log").exists()


def test_an_unreachable_smtp_server_still_logs_the_alert(failed_run_context, tmp_path, monkeypatch):
    context, _ = failed_run_context
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SMARTDATA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMARTDATA_SMTP_PORT", str(port))
    monkeypatch.setenv("SMARTDATA_ALERT_LOG", str(tmp_path / "alerts.log"))
    with pytest.raises(OSError):
        notify_owners_on_run_failure(context)
    assert json.loads((tmp_path / "alerts.log").read_text(encoding="utf-8"))["delivery"] == "smtp failed"


def test_owner_addresses():
    assert recipients(["team:finance", "kam@example.com", "team:unknown-team"]) == [
        "buchhaltung@example.com", "data-platform@example.com", "kam@example.com"]
