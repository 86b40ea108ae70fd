"""Owner alerts for failed runs.

SMTP settings come from the environment (SMARTDATA_SMTP_HOST, _PORT, _USER, _PASSWORD,
_FROM, _STARTTLS). Without SMARTDATA_SMTP_HOST the alert is appended as one JSON line to
the alert log (SMARTDATA_ALERT_LOG, default data/alerts.log), so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

import yaml

from sources.registry import PROJECT_ROOT

TEAMS_PATH = Path(__file__).with_name("teams.yaml")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "smartdata@localhost"
    starttls: bool = False

    @classmethod
    def from_env(cls) -> "SmtpSettings | None":
        host = os.environ.get("SMARTDATA_SMTP_HOST")
        if not host:
            return None
        return cls(
            host=host,
            port=int(os.environ.get("SMARTDATA_SMTP_PORT", "25")),
            user=os.environ.get("SMARTDATA_SMTP_USER") or None,
            password=os.environ.get("SMARTDATA_SMTP_PASSWORD") or None,
            sender=os.environ.get("SMARTDATA_SMTP_FROM", "smartdata@localhost"),
            starttls=os.environ.get("SMARTDATA_SMTP_STARTTLS", "").lower() in {"1", "true", "yes"},
        )


def default_alert_log() -> Path:
    return Path(os.environ.get("SMARTDATA_ALERT_LOG", PROJECT_ROOT / "data" / "alerts.log"))


@dataclass(frozen=True)
class FailedAsset:
    asset: str  # "raw/excel_field_sales"
    owners: list[str]
    error: str


@dataclass(frozen=True)
class OwnerAlert:
    run_id: str
    job_name: str
    failed_assets: list[FailedAsset]
    run_error: str = ""
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    @property
    def owners(self) -> list[str]:
        return sorted({owner for failed in self.failed_assets for owner in failed.owners})

    @property
    def subject(self) -> str:
        names = ", ".join(f.asset for f in self.failed_assets[:3]) or self.job_name
        more = f" and {len(self.failed_assets) - 3} more" if len(self.failed_assets) > 3 else ""
        return f"[smartdata] run {self.run_id[:8]} of {self.job_name} failed: {names}{more}"

    def body(self) -> str:
        lines = [f"The run {self.run_id} of job {self.job_name} failed ({self.created_at}).", ""]
        for failed in self.failed_assets:
            lines += [f"- {failed.asset} (owner {', '.join(failed.owners)})", f"  {failed.error}".rstrip()]
        if self.run_error:
            lines += ["", f"Run error: {self.run_error}"]
        lines += ["", "The published mart for BI keeps its last good snapshot until a run succeeds."]
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _teams() -> dict:
    return yaml.safe_load(TEAMS_PATH.read_text(encoding="utf-8"))


def recipients(owners: list[str]) -> list[str]:
    """E-mail addresses of owners: addresses as they are, teams via alerting/teams.yaml."""
    teams = _teams()
    addresses = {
        teams["teams"].get(owner.removeprefix("team:"), teams["default"]) if owner.startswith("team:") else owner
        for owner in owners
    }
    return sorted(addresses or {teams["default"]})


def deliver(alert: OwnerAlert, smtp: SmtpSettings | None, log_path: Path | None = None) -> str:
    """Send the alert to the owners; without SMTP settings append it to the alert log.
    Returns "smtp" or "log". A failing SMTP server still gets the alert logged, then raises."""
    to = recipients(alert.owners)
    if smtp is None:
        _append_to_log(alert, to, log_path or default_alert_log())
        return "log"
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = smtp.sender
    message["To"] = ", ".join(to)
    message.set_content(alert.body())
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException):
        _append_to_log(alert, to, log_path or default_alert_log(), delivery="smtp failed")
        raise
    return "smtp"


def _append_to_log(alert: OwnerAlert, to: list[str], path: Path, delivery: str = "log") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {**asdict(alert), "to": to, "subject": alert.subject, "delivery": delivery}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
