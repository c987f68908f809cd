"""What each function deploys, unzipped: its own artifact from `sam build` plus the layers it
carries (Lambda's limit for the two together is 250 MB)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infra.template import ROOT, Template

BUILD = ROOT / ".aws-sam" / "build"
LAMBDA_LIMIT_MB = 250.0


@dataclass(frozen=True)
class PackageSize:
    function: str
    own_mb: float
    layers: list[str]
    layers_mb: float

    @property
    def total_mb(self) -> float:
        return round(self.own_mb + self.layers_mb, 1)


def megabytes(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def package_sizes(build: Path = BUILD) -> list[PackageSize]:
    """One row per function, largest first; empty when nothing was built (`make package`)."""
    if not build.is_dir():
        return []
    sizes = []
    for logical_id, spec in Template().functions.items():
        if (build / logical_id).is_dir():
            layers = sum(megabytes(build / layer) for layer in spec.layers)
            sizes.append(
                PackageSize(logical_id, megabytes(build / logical_id), spec.layers, round(layers, 1))
            )
    return sorted(sizes, key=lambda s: -s.total_mb)
