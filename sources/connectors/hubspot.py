"""HubSpot CRM v3 objects API: one CRM entity into the same raw shape as the CSV export.

- Full read: `GET /crm/v3/objects/{object}` with `limit`/`after` cursor paging, the registry's
  `properties` and inline `associations`.
- Incremental read: `POST /crm/v3/objects/{object}/search` filtered on the modified property
  (`hs_lastmodifieddate` > watermark, sorted ascending), then the associations of the changed
  records by `POST /crm/v4/associations/{object}/{to}/batch/read` (search returns none).
- Every request has a timeout; 429, 5xx, timeouts and connection errors are retried with
  exponential backoff and jitter (tenacity), honouring `Retry-After`. After the retry budget the
  error names the endpoint. A page that is not the documented shape fails at once.
- The token is read from the registry's `token_env` and sent only in the Authorization header;
  every message this module produces passes through `_redact`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import httpx
import pandas as pd
import tenacity

from ..errors import SourceError
from ..registry import HubSpotApi, HubSpotObject, SourceEntity

RETRY_STATUS = {429, 500, 502, 503, 504}
ASSOCIATION_BATCH = 1000  # the v4 batch-read limit


class HubSpotError(Exception):
    """A request failed for good (after retries, or at once for a malformed page or 4xx)."""


class _Transient(Exception):
    """A failure worth retrying; `retry_after` is the server's Retry-After in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:  # an HTTP date
            when = dt.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return None
        return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


class _WaitRetryAfterOrBackoff(tenacity.wait.wait_base):
    """Retry-After when the server sent one (capped), else exponential backoff with jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self.maximum = maximum
        self.backoff = tenacity.wait_exponential_jitter(multiplier=max(initial, 1e-6), max=maximum, jitter=initial)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, self.maximum)
        return self.backoff(retry_state)


class HubSpotClient:
    def __init__(
        self,
        api: HubSpotApi,
        token: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not token:
            raise HubSpotError(f"no API token: set the environment variable {api.token_env}")
        self.api = api
        self._token = token
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=api.base_url().rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(api.timeout_seconds),
            transport=transport,
        )
        self.requests = 0  # attempts made, for metadata

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "HubSpotClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "[redacted]") if self._token else text

    def _endpoint(self, method: str, path: str) -> str:
        return f"{method} {self._client.base_url}{path}"

    def _attempt(self, method: str, path: str, params: dict | None, body: dict | None) -> dict:
        self.requests += 1
        endpoint = self._endpoint(method, path)
        try:
            response = self._client.request(method, path, params=params, json=body)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out after {self.api.timeout_seconds:g} s ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise _Transient(f"connection failed ({type(exc).__name__}: {self._redact(str(exc))[:200]})") from None
        if response.status_code in RETRY_STATUS:
            raise _Transient(
                f"HTTP {response.status_code}", _retry_after_seconds(response.headers.get("Retry-After"))
            )
        if response.status_code >= 400:
            detail = self._redact(response.text)[:300]
            raise HubSpotError(f"{endpoint}: HTTP {response.status_code}: {detail}")
        try:
            payload = response.json()
        except ValueError:
            raise HubSpotError(f"{endpoint}: malformed page: the response is not JSON") from None
        if not isinstance(payload, dict):
            raise HubSpotError(f"{endpoint}: malformed page: expected a JSON object")
        return payload

    def request(self, method: str, path: str, *, params: dict | None = None, body: dict | None = None) -> dict:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.api.max_attempts),
            wait=_WaitRetryAfterOrBackoff(self.api.backoff_initial_seconds, self.api.backoff_max_seconds),
            retry=tenacity.retry_if_exception_type(_Transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, path, params, body)
        except _Transient as exc:
            raise HubSpotError(
                f"{self._endpoint(method, path)}: gave up after {self.api.max_attempts} attempts, last: {exc}"
            ) from None


@dataclass
class _Record:
    id: str
    properties: dict[str, Any]
    associations: dict[str, list[str]]


def _results(payload: dict, endpoint: str) -> tuple[list[dict], str | None]:
    """The page's records and the next cursor; anything else than the documented shape fails."""
    results = payload.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) and "id" in r for r in results):
        raise HubSpotError(f"{endpoint}: malformed page: 'results' is not a list of objects with an id")
    paging = payload.get("paging")
    after = None
    if paging is not None:
        try:
            after = paging["next"]["after"] if paging.get("next") else None
        except (TypeError, KeyError, AttributeError):
            raise HubSpotError(f"{endpoint}: malformed page: 'paging.next.after' missing") from None
    for record in results:
        if not isinstance(record.get("properties", {}), dict):
            raise HubSpotError(f"{endpoint}: malformed page: record {record.get('id')!r} has no properties object")
    return results, (str(after) if after is not None else None)


def _inline_associations(record: dict, endpoint: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for to_object, block in (record.get("associations") or {}).items():
        try:
            found[to_object] = [str(a["id"]) for a in block["results"]]
        except (TypeError, KeyError):
            raise HubSpotError(f"{endpoint}: malformed page: associations of record {record['id']!r}") from None
    return found


def _to_epoch_ms(watermark: str) -> str:
    stamp = pd.Timestamp(watermark)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return str(int(stamp.value // 1_000_000))


def fetch_records(client: HubSpotClient, spec: HubSpotObject, since: str | None) -> Iterator[_Record]:
    """Every record (since=None) or those modified after `since`, page by page."""
    properties = sorted({*spec.properties.values(), spec.modified_property})
    to_objects = sorted(set(spec.associations.values()))
    page_size = client.api.page_size
    after: str | None = None
    if since is None:
        path = f"/crm/v3/objects/{spec.object}"
        while True:
            params: dict[str, Any] = {"limit": page_size, "properties": ",".join(properties), "archived": "false"}
            if to_objects:
                params["associations"] = ",".join(to_objects)
            if after:
                params["after"] = after
            results, after = _results(client.request("GET", path, params=params), client._endpoint("GET", path))
            for r in results:
                yield _Record(str(r["id"]), r.get("properties") or {}, _inline_associations(r, client._endpoint("GET", path)))
            if not after:
                return
    path = f"/crm/v3/objects/{spec.object}/search"
    changed: list[_Record] = []
    while True:
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [
                {"propertyName": spec.modified_property, "operator": "GT", "value": _to_epoch_ms(since)}]}],
            "sorts": [{"propertyName": spec.modified_property, "direction": "ASCENDING"}],
            "properties": properties,
            "limit": page_size,
        }
        if after:
            body["after"] = after
        results, after = _results(client.request("POST", path, body=body), client._endpoint("POST", path))
        changed += [_Record(str(r["id"]), r.get("properties") or {}, {}) for r in results]
        if not after:
            break
    for to_object in to_objects:
        links = _batch_associations(client, spec.object, to_object, [r.id for r in changed])
        for record in changed:
            record.associations[to_object] = links.get(record.id, [])
    yield from changed


def _batch_associations(client: HubSpotClient, from_object: str, to_object: str, ids: list[str]) -> dict[str, list[str]]:
    path = f"/crm/v4/associations/{from_object}/{to_object}/batch/read"
    endpoint = client._endpoint("POST", path)
    links: dict[str, list[str]] = {}
    for start in range(0, len(ids), ASSOCIATION_BATCH):
        payload = client.request("POST", path, body={"inputs": [{"id": i} for i in ids[start:start + ASSOCIATION_BATCH]]})
        results = payload.get("results")
        if not isinstance(results, list):
            raise HubSpotError(f"{endpoint}: malformed page: 'results' is not a list")
        try:
            for item in results:
                links[str(item["from"]["id"])] = [str(t["toObjectId"]) for t in item.get("to", [])]
        except (TypeError, KeyError):
            raise HubSpotError(f"{endpoint}: malformed page: association result without from.id/toObjectId") from None
    return links


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class HubSpotExtract:
    frame: pd.DataFrame  # canonical columns as text, like the CSV export
    location: str
    requests: int
    newest_modified: str | None


def read_hubspot(
    entity: SourceEntity,
    api: HubSpotApi,
    since: str | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> HubSpotExtract:
    """All records of the entity's object (or those changed after `since`) as canonical text columns."""
    spec = entity.hubspot
    assert spec is not None, entity.name
    location = f"{api.base_url().rstrip('/')}/crm/v3/objects/{spec.object}"
    id_column = entity.key[0]
    try:
        with HubSpotClient(api, api.token() or "", sleep=sleep) as client:
            rows = []
            newest: str | None = None
            for record in fetch_records(client, spec, since):
                row: dict[str, str | None] = {c: None for c in entity.columns}
                row[id_column] = record.id
                for column, prop in spec.properties.items():
                    row[column] = _text(record.properties.get(prop))
                for column, to_object in spec.associations.items():
                    linked = record.associations.get(to_object) or []
                    row[column] = linked[0] if linked else None  # the first (primary) association
                modified = _text(record.properties.get(spec.modified_property))
                if modified and (newest is None or pd.Timestamp(modified) > pd.Timestamp(newest)):
                    newest = modified
                rows.append(row)
            requests = client.requests
    except HubSpotError as exc:
        raise SourceError(f"HubSpot API: {exc}", entity=entity.name, owner=entity.owner_label, location=location) from None
    frame = pd.DataFrame.from_records(rows, columns=list(entity.columns)).astype(object)
    return HubSpotExtract(frame=frame, location=location, requests=requests, newest_modified=newest)
