"""OCA v2 for one subscription: technologies, assets, provisioning and command output, in plain Python.

Behaviour follows the "Out-of-Band Configuration Assessment API v2 User Guide" (v1.4) and the OCA
online docs (docs.qualys.com/en/oca/api/v2/); the bulk file format is the SDK's (specs/PROVENANCE.md,
"Bulk file"). Anything the guide leaves open is listed in ``qualys_sdk/testing/README.md``.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from ..errors import SimError
from ..limits import MAX_QUOTE, clip

REQUESTED = "Provision Requested"
CONFIRMED = "Provision Confirmed"
MANIFEST_TYPE = "PolicyCompliance"
#: The only command the OCA guide documents; the simulator offers it for every technology.
DEFAULT_COMMANDS = ("show running-config",)
MAX_BULK_ROWS = 1000
BULK_COLUMNS = ("dnsName", "hostIP", "mac", "modelName", "netbios", "serialNumber", "technology", "type", "uuid")
ERR_2052 = "ERR-2052 - [txt,csv] are supported extension.Please upload file appropriately"
#: The full text of docs.qualys.com, OCA API v2, "Bulk Command Output Upload" (bulk_command_upload.htm).
ERR_2070 = "ERR-2070 - Invalid file format. Only txt file type is supported. Please upload a file appropriately"
_DAY = 86400.0
_OPTIONAL = ("dnsName", "mac", "modelName", "netbios", "serialNumber")
_IMMUTABLE = (("hostIP", "host_ip"), ("technology", "technology"), ("type", "type"))

# The assets the guide's and the cassettes' samples name, so those samples work verbatim: the provision
# and re-provision samples, and the two assets of the bulk re-provision sample. Their Qualys asset ids are
# the CSAM release notes' sample ids (and two more), which links the CSAM samples to OCA devices.
_SAMPLE_ASSETS = (
    ("663a040b-c9c7-4bee-b4a3-f4f8bf61b8a5", "23.42.52.55", "Fabric 7", 6420613, "Fabric 7 ASSET"),
    ("4891f40f-32c2-47cf-9f2f-8eb0ca1bfc14", "23.42.52.55", "Fabric 7", 6286688, "Fabric 7 ASSET"),
    ("4b5fb573-c145-4182-916a-a3997f9ff259", "111.1.8.21", "Comware 7", 6420614, ""),
    ("5eafe860-25d1-4f8c-a336-8b20a6b163ad", "111.1.8.20", "Comware 7", 6420615, ""),
)


@dataclass
class Asset:
    """One provisioned asset, with its details and the command outputs uploaded for it."""

    uuid: str
    host_ip: str
    technology: str
    qualys_asset_id: int
    provisioned_at: float
    type: str = MANIFEST_TYPE
    details: dict[str, str] = field(default_factory=dict)
    confirmed: bool = False
    command_output: dict[str, bytes] = field(default_factory=dict)
    bulk_output: list[bytes] = field(default_factory=list)

    def as_dict(self, status: str) -> dict[str, Any]:
        """The asset as the control plane shows it, with ``status``."""
        return {
            "uuid": self.uuid, "hostIP": self.host_ip, "technology": self.technology, "type": self.type,
            "qualysAssetId": self.qualys_asset_id, "status": status, **self.details,
            "commandOutput": {name: data.decode("utf-8", "replace") for name, data in self.command_output.items()},
        }  # fmt: skip


@dataclass
class Technology:
    """A technology of the list, with the commands it asks for."""

    technology: str
    technology_version: str
    created_at: str
    updated_at: str
    commands: list[str]

    def as_dict(self) -> dict[str, str]:
        """The technology as the technology list answers it."""
        return {
            "technology": self.technology, "createdAt": self.created_at, "updatedAt": self.updated_at,
            "technologyVersion": self.technology_version,
        }  # fmt: skip


def guide_technologies() -> list[Technology]:
    """The 25 technologies of the guide's sample response, each with ``show running-config``."""
    raw = json.loads(files("qualys_sdk.testing").joinpath("data", "technologies.json").read_text("utf-8"))
    return [
        Technology(t["technology"], t["technologyVersion"], t["createdAt"], t["updatedAt"], list(DEFAULT_COMMANDS))
        for t in raw["technologies"]
    ]


class OCABackend:
    """One subscription's OCA: its technologies and assets."""

    def __init__(self, *, clock: Callable[[], float], rng: random.Random, provision_delay: Callable[[], float]) -> None:
        self._clock = clock
        self._rng = rng
        self._delay = provision_delay
        self.technologies: list[Technology] = []
        self.assets: dict[str, Asset] = {}
        # UUIDs by (hostIP, technology), oldest first: bulk provision skips a row whose identity has one,
        # and looking it up must not cost a scan of every asset per call.
        self._by_identity: dict[tuple[str, str], list[str]] = {}
        self._next_asset_id = 7_000_001

    # -- seeding -------------------------------------------------------------------------------------

    def preload(self) -> None:
        """Load the guide's technologies and sample assets."""
        self.technologies = guide_technologies()
        for asset_uuid, ip, technology, qualys_id, dns in _SAMPLE_ASSETS:
            details = {"dnsName": dns} if dns else {}
            self._add(Asset(asset_uuid, ip, technology, qualys_id, self._clock(), details=details, confirmed=True))

    def qualys_asset_ids(self) -> set[str]:
        """The Qualys asset ids of the assets, as strings."""
        return {str(asset.qualys_asset_id) for asset in self.assets.values()}

    # -- reads ---------------------------------------------------------------------------------------

    def status(self, asset: Asset) -> str:
        """``Provision Requested``, or ``Provision Confirmed`` once confirmed or ``provision_delay`` has passed."""
        if not asset.confirmed and self._clock() - asset.provisioned_at >= self._delay():
            asset.confirmed = True
        return CONFIRMED if asset.confirmed else REQUESTED

    def asset(self, asset_uuid: str) -> Asset:
        """The asset with this UUID; 404 when there is none."""
        found = self.assets.get(asset_uuid)
        if found is None:
            raise SimError(404, "Asset not found")
        return found

    def technology(self, name: str) -> Technology | None:
        """The technology whose ``technologyVersion`` is ``name``, exactly (``IBM z/OS Security Server RACF 2``)."""
        return next((t for t in self.technologies if t.technology_version == name), None)

    def technology_commands(self, name: str) -> list[str]:
        """Commands of the technology named as the commands path wants it: its version without ``/``.

        The guide: "use IBM zOS Security Server RACF 2 in the API request (without the "/" special character)";
        a name that still holds a ``/`` is not found.
        """
        found = None
        if "/" not in name:
            found = next((t for t in self.technologies if t.technology_version.replace("/", "") == name), None)
        if found is None:
            raise SimError(404, clip(f"Technology not found: {name}", MAX_QUOTE))
        return list(found.commands)

    def asset_commands(self, asset_uuid: str) -> list[str]:
        """The commands whose output the asset needs: its technology's."""
        found = self.technology(self.asset(asset_uuid).technology)
        return list(found.commands) if found is not None else list(DEFAULT_COMMANDS)

    def subscription_status(self, days: int) -> list[dict[str, str]]:
        """The status of every asset provisioned in the last ``days`` days (1 to 30)."""
        if not 1 <= days <= 30:
            raise SimError(400, "number_of_days must be between 1 and 30")
        since = self._clock() - days * _DAY
        return [
            {"assetUUID": a.uuid, "status": self.status(a)} for a in self.assets.values() if a.provisioned_at >= since
        ]

    # -- writes --------------------------------------------------------------------------------------

    def _new_uuid(self) -> str:
        return str(uuid_module.UUID(int=self._rng.getrandbits(128), version=4))

    def _problem(self, body: dict[str, Any]) -> tuple[int, str] | None:
        if not str(body.get("hostIP") or "").strip():
            return 400, "hostIP is required"
        if body.get("type") != MANIFEST_TYPE:
            return 400, f"type must be {MANIFEST_TYPE}"
        if self.technology(str(body.get("technology") or "")) is None:
            return 404, clip(f"Technology not found: {body.get('technology')}", MAX_QUOTE)
        return None

    def provision(self, body: dict[str, Any]) -> tuple[str, bool]:
        """Provision, or re-provision when ``uuid`` is set. Returns the asset UUID and whether it was new."""
        problem = self._problem(body)
        if problem is not None:
            raise SimError(*problem)
        if body.get("uuid"):
            asset = self.asset(str(body["uuid"]))
            changed = [name for name, attr in _IMMUTABLE if str(body.get(name)) != getattr(asset, attr)]
            if changed:
                raise SimError(400, f"{', '.join(changed)} cannot be changed on re-provision")
            asset.details.update({k: str(body[k]) for k in _OPTIONAL if body.get(k) not in (None, "")})
            return asset.uuid, False
        asset = Asset(
            self._new_uuid(), str(body["hostIP"]), str(body["technology"]), self._next_asset_id, self._clock(),
            details={k: str(body[k]) for k in _OPTIONAL if body.get(k) not in (None, "")},
        )  # fmt: skip
        self._next_asset_id += 1
        self._add(asset)
        return asset.uuid, True

    def _add(self, asset: Asset) -> None:
        self.assets[asset.uuid] = asset
        self._by_identity.setdefault((asset.host_ip, asset.technology), []).append(asset.uuid)

    def _remove(self, asset_uuid: str) -> bool:
        asset = self.assets.pop(asset_uuid, None)
        if asset is None:
            return False
        same = self._by_identity[(asset.host_ip, asset.technology)]
        same.remove(asset_uuid)
        if not same:
            del self._by_identity[(asset.host_ip, asset.technology)]
        return True

    def existing(self, host_ip: str, technology: str) -> Asset | None:
        """The oldest asset with this identity, if any."""
        same = self._by_identity.get((host_ip, technology))
        return self.assets[same[0]] if same else None

    def delete(self, asset_uuid: str) -> None:
        """Delete an asset; 404 when there is none."""
        self.asset(asset_uuid)
        self._remove(asset_uuid)

    def revoke(self, uuids: list[str]) -> tuple[list[str], list[str]]:
        """Delete many assets: (the UUIDs deleted, the UUIDs not found)."""
        done: list[str] = []
        failed: list[str] = []
        for asset_uuid in uuids:
            (done if self._remove(asset_uuid) else failed).append(asset_uuid)
        return done, failed

    def upload_output(self, asset_uuid: str, outputs: dict[str, bytes]) -> None:
        """Store command outputs by command name; a command the asset does not have is 400."""
        asset = self.asset(asset_uuid)
        if not outputs:
            raise SimError(400, "no command output in the request")
        known = self.asset_commands(asset_uuid)
        unknown = sorted(name for name in outputs if name not in known)
        if unknown:
            raise SimError(400, f"Invalid command(s) for this asset: {', '.join(unknown)}")
        asset.command_output.update(outputs)

    def upload_bulk_output(self, asset_uuid: str, filename: str, data: bytes) -> None:
        """Store a file of every command's output; one not named ``.txt`` is ERR-2070."""
        asset = self.asset(asset_uuid)
        if not filename.lower().endswith(".txt"):
            raise SimError(400, ERR_2070, code="ERR-2070")
        asset.bulk_output.append(data)

    def provision_bulk(self, filename: str, data: bytes) -> dict[str, Any]:
        """Provision the rows of a bulk file: the successful, failed and skipped ones (existing assets)."""
        check_bulk_filename(filename)
        rows = _read_rows(data)
        successful: list[dict[str, str]] = []
        failed: list[dict[str, str]] = []
        skipped: list[dict[str, str]] = []
        for row in rows:
            ip, technology = row.get("hostIP", ""), row.get("technology", "")
            clean = {k: v for k, v in row.items() if v}
            existing = self.existing(ip, technology)
            if not clean.get("uuid") and existing is not None and self._problem(clean) is None:
                reason = "Asset with this hostIP and technology already exists"
                skipped.append({"uuid": existing.uuid, "ip": ip, "technology": technology, "reason": reason})
                continue
            try:
                asset_uuid, _ = self.provision(clean)
            except SimError as exc:
                failed.append({"ip": ip, "technology": technology, "reason": exc.message})
                continue
            successful.append({"uuid": asset_uuid, "ip": ip, "technology": technology})
        return {
            "count": {
                "successfulProvisions": len(successful), "failedProvisions": len(failed),
                "skippedProvisions": len(skipped),
            },
            "successfulProvisions": successful, "failedProvisions": failed, "skippedProvisions": skipped,
        }  # fmt: skip


def check_bulk_filename(filename: str) -> None:
    """ERR-2052 unless the bulk provision file is a ``.csv`` or ``.txt`` (the guide's message)."""
    if not filename.lower().endswith((".csv", ".txt")):
        raise SimError(400, ERR_2052, code="ERR-2052")


def _read_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SimError(400, "The asset file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise SimError(400, clip(f"The asset file is not valid CSV: {exc}", MAX_QUOTE)) from None
    missing = [name for name in ("hostIP", "technology", "type") if name not in header]
    if missing:
        raise SimError(
            400, f"The asset file's header row lacks {', '.join(missing)} (columns: {','.join(BULK_COLUMNS)})"
        )
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) == MAX_BULK_ROWS:
                limit = MAX_BULK_ROWS
                raise SimError(400, f"More than {limit} assets in one file; at most {limit} are allowed")
            # A row longer than the header puts its extra cells under the key None (csv's restkey): ignored.
            rows.append({k: v.strip() for k, v in row.items() if k in BULK_COLUMNS and isinstance(v, str)})
    except csv.Error as exc:
        raise SimError(400, clip(f"The asset file is not valid CSV: {exc}", MAX_QUOTE)) from None
    if not rows:
        raise SimError(400, "The asset file holds no asset")
    return rows
