"""Fixtures: one strict build of the site per session, served on 127.0.0.1, seen by Chromium.

Without /usr/bin/chromium the browser tests skip; with ``GARDEN_REQUIRE_BROWSER=1`` they fail
instead, so CI cannot pass by skipping them. ``GARDEN_SITE_DIR=path`` tests an already built
site instead of building one (handy while iterating on the tests themselves).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import (
    CHROMIUM,
    SiteBuildError,
    build_site,
    chromium_available,
    is_local,
    launch_chromium,
    serve_directory,
)

VIEWPORT = {"width": 1280, "height": 900}  # wide enough that Material shows both sidebars
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if chromium_available():
        return str(CHROMIUM)
    message = f"no {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("GARDEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message}, and GARDEN_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_dir(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: ``mkdocs build --strict`` once per session, into a temp dir."""
    prebuilt = os.environ.get("GARDEN_SITE_DIR")
    if prebuilt:
        return Path(prebuilt).resolve()
    try:
        return build_site(tmp_path_factory.mktemp("site"))
    except SiteBuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def requested_urls() -> list[str]:
    """Every URL the page asked for, in order (filled by the ``page`` fixture)."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught exceptions and console errors seen by the ``page`` fixture."""
    return []


@pytest.fixture
def page(browser, site_url: str, requested_urls: list[str], page_errors: list[str]):
    """A fresh light-mode desktop page whose relative ``goto`` paths resolve on the site.

    Requests that would leave 127.0.0.1 are recorded and then aborted, so a test machine
    with internet access behaves like one without.
    """
    context = browser.new_context(base_url=site_url, viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    context.on("request", lambda request: requested_urls.append(request.url))
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda msg: page_errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    try:
        yield page
    finally:
        context.close()
