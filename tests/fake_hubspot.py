"""A HubSpot CRM v3 API on 127.0.0.1 for the connector tests, serving the demo generator's CRM
export in HubSpot's JSON shape (http.server in a thread).

Endpoints: GET /crm/v3/objects/{object} (limit/after paging, properties, associations),
POST /crm/v3/objects/{object}/search (hs_lastmodifieddate GT filter, ascending sort, paging),
POST /crm/v4/associations/{from}/{to}/batch/read. Requests need the bearer token. `faults`
lets a test answer a request differently (status, Retry-After, delay, a broken body).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlparse

import pandas as pd

from sources.readers import read_csv
from sources.registry import Registry


@dataclass
class Fault:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None  # None: the normal answer (after `delay`)
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict | None
    authorization: str | None


def _epoch_ms(text: str) -> int:
    stamp = pd.Timestamp(text)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.value // 1_000_000)


class FakeHubSpot:
    def __init__(self, token: str) -> None:
        self.token = token
        self.objects: dict[str, dict[str, dict]] = {}  # object -> id -> {"properties", "associations"}
        self.requests: list[Seen] = []
        # called for every request; a Fault changes the answer, None serves normally
        self.faults: Callable[[Seen, int], Fault | None] = lambda seen, number: None
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ data
    def load_demo_export(self, sources_dir: Path, registry: Registry) -> None:
        """Every CRM entity with a hubspot block, from the demo CSV export."""
        for entity in registry.entities_of("crm"):
            spec = entity.hubspot
            frame = read_csv(entity, sources_dir / entity.location).frame
            records: dict[str, dict] = {}
            for row in frame.to_dict("records"):
                properties = {prop: row[column] for column, prop in spec.properties.items()}
                properties["hs_object_id"] = row[entity.key[0]]
                if spec.modified_property not in properties or not properties[spec.modified_property]:
                    properties[spec.modified_property] = next(
                        row[c] for c in ("updated_at", "occurred_at", "created_at") if row.get(c))
                associations = {to: [row[column]] for column, to in spec.associations.items() if row[column]}
                records[str(row[entity.key[0]])] = {"properties": properties, "associations": associations}
            self.objects[spec.object] = records

    def touch(self, object_type: str, record_id: str, modified: str, **properties: str) -> None:
        record = self.objects[object_type][record_id]
        record["properties"].update(properties)
        record["properties"]["hs_lastmodifieddate"] = modified

    # ------------------------------------------------------------------ serving
    def _page(self, items: list[tuple[str, dict]], limit: int, after: str | None, properties: list[str],
              associations: list[str], object_type: str) -> dict:
        start = int(after or 0)
        page = items[start:start + limit]
        results = []
        for record_id, record in page:
            item = {
                "id": record_id,
                "properties": {p: record["properties"].get(p) for p in properties} | {"hs_object_id": record_id},
                "createdAt": "2020-01-01T00:00:00Z",
                "updatedAt": record["properties"].get("hs_lastmodifieddate"),
                "archived": False,
            }
            if associations:
                item["associations"] = {
                    to: {"results": [{"id": i, "type": f"{object_type[:-1]}_to_{to[:-1]}"}
                                     for i in record["associations"].get(to, [])]}
                    for to in associations if record["associations"].get(to)
                }
            results.append(item)
        payload: dict = {"results": results}
        if start + limit < len(items):
            payload["paging"] = {"next": {"after": str(start + limit), "link": "..."}}
        return payload

    def answer(self, seen: Seen) -> tuple[int, dict]:
        if seen.authorization != f"Bearer {self.token}":
            return 401, {"status": "error", "message": "Authentication credentials not found."}
        parts = seen.path.strip("/").split("/")
        if seen.method == "GET" and parts[:3] == ["crm", "v3", "objects"] and len(parts) == 4:
            object_type = parts[3]
            items = sorted(self.objects[object_type].items(), key=lambda kv: int(kv[0]))
            q = seen.query
            return 200, self._page(
                items, int(q.get("limit", ["10"])[0]), q.get("after", [None])[0],
                q.get("properties", [""])[0].split(","), [a for a in q.get("associations", [""])[0].split(",") if a],
                object_type)
        if seen.method == "POST" and parts[:3] == ["crm", "v3", "objects"] and parts[4:] == ["search"]:
            object_type, body = parts[3], seen.body or {}
            (flt,) = body["filterGroups"][0]["filters"]
            assert flt["operator"] == "GT" and flt["propertyName"] == "hs_lastmodifieddate"
            since = int(flt["value"])
            items = [(i, r) for i, r in self.objects[object_type].items()
                     if _epoch_ms(r["properties"]["hs_lastmodifieddate"]) > since]
            items.sort(key=lambda kv: (_epoch_ms(kv[1]["properties"]["hs_lastmodifieddate"]), int(kv[0])))
            return 200, self._page(items, int(body.get("limit", 10)), body.get("after"), body["properties"], [], object_type)
        if seen.method == "POST" and parts[:2] == ["crm", "v4"] and parts[-2:] == ["batch", "read"]:
            from_object, to_object = parts[3], parts[4]
            results = []
            for item in (seen.body or {})["inputs"]:
                linked = self.objects[from_object][item["id"]]["associations"].get(to_object, [])
                results.append({"from": {"id": item["id"]},
                                "to": [{"toObjectId": int(i), "associationTypes": []} for i in linked]})
            return 200, {"status": "COMPLETE", "results": results}
        return 404, {"status": "error", "message": f"no route {seen.method} {seen.path}"}

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self, method: str) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                seen = Seen(method, url.path, parse_qs(url.query), body, self.headers.get("Authorization"))
                fake.requests.append(seen)
                fault = fake.faults(seen, len(fake.requests))
                if fault and fault.delay:
                    time.sleep(fault.delay)
                if fault and (fault.status != 200 or fault.body is not None):
                    data = fault.body if fault.body is not None else b'{"status":"error"}'
                    status = fault.status
                else:
                    status, payload = fake.answer(seen)
                    data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in (fault.headers if fault else {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
