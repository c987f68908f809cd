"""What `sam build` produces is complete: every handler imports from its artifact and its layers alone,
without dev dependencies, and what a layer brings is not in the artifacts too."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from infra.template import ROOT, Template

BUILD = ROOT / ".aws-sam" / "build"
FUNCTIONS = Template().functions

pytestmark = pytest.mark.package


def native_overlay(tmp_path: Path, artifact: Path) -> Path:
    """The build targets arm64; on another machine, put this host's build of the same native packages first.

    Only packages with compiled code are overlaid, and only at the version the build holds.
    """
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    import pydantic_core

    built = sorted(artifact.glob("pydantic_core-*.dist-info"))
    assert built, "pydantic_core missing from the build"
    assert built[0].name.removesuffix(".dist-info").split("-", 1)[1] == pydantic_core.__version__
    (overlay / "pydantic_core").symlink_to(Path(pydantic_core.__file__).parent)
    return overlay


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_handler_imports_from_the_built_artifact(logical_id: str, tmp_path: Path) -> None:
    artifact = BUILD / logical_id
    assert artifact.is_dir(), "run `make package` first"
    for dev_only in ("moto", "pytest", "infra", "tests"):
        assert not (artifact / dev_only).exists(), f"{dev_only} must not be deployed"
    spec = FUNCTIONS[logical_id]
    module, _, name = spec.handler.rpartition(".")
    layers = [BUILD / layer / "python" for layer in spec.layers]  # where Lambda mounts them: /opt/python
    assert all(layer.is_dir() for layer in layers), "run `make package` first"
    path = [str(native_overlay(tmp_path, artifact)), str(artifact), *map(str, layers)]
    code = (
        f"import sys; sys.path[:0] = {path!r}; import importlib; "
        f"h = getattr(importlib.import_module({module!r}), {name!r}); assert callable(h); "
        "import boto3, aws_lambda_powertools, pydantic; "
        f"deployed = (boto3, aws_lambda_powertools, pydantic); "
        f"assert all(m.__file__.startswith({str(artifact)!r}) for m in deployed)"
    )
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", **spec.environment}
    # -I: isolated, -S: no site-packages — only the standard library and the artifact.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr


def distributions(folder: Path) -> set[str]:
    return {re.sub(r"[-_.]+", "-", d.name.split("-")[0]).lower() for d in folder.glob("*.dist-info")}


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_what_a_layer_brings_is_not_in_the_functions_too(logical_id: str) -> None:
    shipped = distributions(BUILD / logical_id)
    for layer in ("PdfLayer", "CalendarLayer", "StatementsLayer"):
        pins = (ROOT / "layers" / layer.removesuffix("Layer").lower() / "requirements.txt").read_text()
        own = {
            re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in pins.splitlines() if "==" in line
        }
        assert own <= distributions(BUILD / layer / "python"), f"{layer} was not built with {own}"
        assert not own & shipped, f"{logical_id} carries {sorted(own & shipped)}, which {layer} brings"
