"""What an installer copies onto the clinic's computer: every setting documented, every shell
script clean by shellcheck, every systemd unit valid and the app server's unit locked down."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEMD = ROOT / "deploy" / "systemd"
# Besides hidden folders (.git, .venv ...): what npm, the tests and the app make.
SKIPPED_FOLDERS = {"node_modules", "test-artifacts", "static", "instance"}


def settings_the_app_reads() -> set[str]:
    names = set()
    for module in (ROOT / "kiosk").rglob("*.py"):
        names |= set(re.findall(r"""["'](KIOSK_[A-Z0-9_]+)["']""", module.read_text()))
    return names


def test_the_app_reads_settings_and_every_one_is_listed():
    assert {"KIOSK_PUBLIC_URL", "KIOSK_DATABASE_URL", "KIOSK_INSTANCE_PATH"} <= (
        settings_the_app_reads())


@pytest.mark.parametrize("name", sorted(settings_the_app_reads()))
def test_every_setting_is_in_env_example_and_the_readme(name):
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"^# {name}=", example, re.MULTILINE), f"{name} is not in .env.example"
    assert f"| `{name}` |" in readme, f"{name} is not in the README's settings table"


def test_env_example_sets_nothing_by_default():
    """Every line is a comment: copied as it is, it changes no default."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    assert [line for line in lines if line.strip() and not line.startswith("#")] == []


def shell_scripts() -> list[Path]:
    scripts = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders
                         if name not in SKIPPED_FOLDERS and not name.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if name.endswith((".sh", ".bash")):
                scripts.append(path)
            elif path.suffix == "" and path.is_file():
                with path.open("rb") as file:
                    first_line = file.readline(100)
                if re.match(rb"#!.*\b(ba|da)?sh\b", first_line):
                    scripts.append(path)
    return sorted(scripts)


def test_every_shell_script_passes_shellcheck():
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed: `make test` installs it (Debian package "
                    "shellcheck), or `sudo apt-get install shellcheck`")
    scripts = shell_scripts()
    assert ROOT / "deploy" / "kiosk" / "launch-kiosk.sh" in scripts
    result = subprocess.run([shellcheck, "--external-sources", *map(str, scripts)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def installed_here(unit: Path, tmp_path: Path) -> Path:
    """The unit as if the code were installed in /opt/clinic-kiosk: pointed at this checkout."""
    text = unit.read_text().replace("/opt/clinic-kiosk", str(ROOT))
    text = text.replace("/usr/local/bin/clinic-kiosk-screen",
                        str(ROOT / "deploy" / "kiosk" / "launch-kiosk.sh"))
    copy = tmp_path / unit.name
    copy.write_text(text)
    return copy


needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")


@needs_systemd_analyze
@pytest.mark.parametrize("unit", ["clinic-kiosk.service", "clinic-kiosk-backup.service",
                                  "clinic-kiosk-backup.timer"])
def test_system_units_are_valid(unit, tmp_path):
    result = subprocess.run(
        ["systemd-analyze", "verify", str(installed_here(SYSTEMD / unit, tmp_path))],
        capture_output=True, text=True,
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


@needs_systemd_analyze
def test_the_screen_user_unit_is_valid(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify",
         str(installed_here(SYSTEMD / "clinic-kiosk-screen.service", tmp_path))],
        capture_output=True, text=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


@needs_systemd_analyze
@pytest.mark.parametrize("unit", ["clinic-kiosk.service", "clinic-kiosk-backup.service"])
def test_the_app_runs_locked_down(unit, tmp_path):
    """systemd's own exposure score: 10 is wide open, under 2 is 'OK'; refuse anything over 3."""
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=30",
         str(installed_here(SYSTEMD / unit, tmp_path))],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-600:]
    text = (SYSTEMD / unit).read_text()
    for line in ["User=kiosk", "Restart=always" if unit == "clinic-kiosk.service" else "",
                 "ProtectSystem=strict", "ReadWritePaths=/var/lib/clinic-kiosk",
                 "NoNewPrivileges=yes", "PrivateTmp=yes",
                 "Environment=KIOSK_INSTANCE_PATH=/var/lib/clinic-kiosk",
                 "EnvironmentFile=/etc/clinic-kiosk.env"]:
        assert line in text


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None,
                    reason="runs commands as another user: needs root and runuser")
def test_kiosk_command_runs_flask_with_the_services_settings(tmp_path):
    settings = tmp_path / "clinic-kiosk.env"
    settings.write_text(f"# as /etc/clinic-kiosk.env\nKIOSK_INSTANCE_PATH={tmp_path / 'data'}\n")
    environ = {"PATH": os.environ["PATH"], "CLINIC_KIOSK_CODE": str(ROOT),
               "CLINIC_KIOSK_USER": "root", "CLINIC_KIOSK_ENV": str(settings)}
    for command in (["migrate"], ["backup", "--keep", "3"]):
        result = subprocess.run([str(ROOT / "deploy" / "kiosk-command.sh"), *command],
                                env=environ, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kiosk.sqlite3").exists()
    assert len(list((tmp_path / "data" / "backups").iterdir())) == 1


# ---- The guides: every link and picture is there, and every picture is used.

DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a page's headings."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_the_readme_links_to_the_guides():
    readme = (ROOT / "README.md").read_text()
    for guide in ("docs/staff-guide.md", "docs/deployment.md", "docs/architecture.md"):
        assert f"]({guide})" in readme
        assert (ROOT / guide).exists()


@pytest.mark.parametrize("page", ["README.md", "docs/staff-guide.md", "docs/deployment.md",
                                  "docs/architecture.md", "docs/demonstrations.md"])
def test_every_link_in_the_guides_leads_somewhere(page):
    path = ROOT / page
    for target in LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{page} links to {target}, which is not there"
        if anchor:
            assert anchor in anchors(linked.read_text()), f"{page}: no heading for {target}"


def test_every_picture_is_used_and_all_of_them_stay_small():
    used = set()
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        used |= {(page.parent / target).resolve() for target in LINK.findall(page.read_text())
                 if target.endswith(".png")}
    pictures = set((DOCS / "images").glob("*.png"))
    demonstrations = set((DOCS / "images" / "demonstrations").glob("*.png"))
    assert {p.resolve() for p in pictures | demonstrations} == used
    assert sum(p.stat().st_size for p in pictures) < 600_000
    # One strip of key poses per drawing (make docs), in few colours.
    assert sum(p.stat().st_size for p in demonstrations) < 300_000
