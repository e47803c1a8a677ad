"""`toegang serve` serves a study's site (<site>/<study>/) on 127.0.0.1 only, and refuses a study without one."""

import os
import re
import subprocess
import sys
import urllib.request

from dashboards.site import write_site
from tests.dashboards.sample import sample_content


def test_serve_serves_the_site_on_loopback(tmp_path):
    write_site(tmp_path / "site" / "some-study", sample_content())
    server = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", "--site", str(tmp_path / "site"),
                               "--study", "some-study", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url + "fr/trend.html", timeout=10) as reply:
            assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
            assert '<html lang="fr">' in reply.read().decode("utf-8")
        with urllib.request.urlopen(url + "assets/plotly-basic.min.js", timeout=10) as reply:
            assert reply.status == 200 and len(reply.read()) > 1_000_000
    finally:
        # Stopping is cleanup, not the behaviour under test: a process that has not gone 10 s after SIGTERM
        # (seen once in a full run, with the signal apparently not delivered) is killed.
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def test_serve_refuses_a_study_without_a_site(tmp_path):
    write_site(tmp_path / "some-study", sample_content())  # another study's site is not this one's
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "serve", "--site", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "TOEGANG_STUDY": "other"})
    assert done.returncode == 1 and f"no dashboard of study other in {tmp_path / 'other'}" in done.stderr
