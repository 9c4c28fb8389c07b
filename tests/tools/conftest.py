"""The GUI tests' per-test qasync loop, for the test that runs the tool service on the
app's own loop."""

from tests.ui.conftest import qloop  # noqa: F401 (a fixture)
