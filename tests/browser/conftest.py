"""The recruiter's small market of replacements (cara, dan, eve, fay, gus), for the browser story too."""

from tests.recruiter.conftest import market  # noqa: F401
