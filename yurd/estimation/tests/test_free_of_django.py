"""The estimation package stands alone: importing and running it loads nothing of Django."""

import subprocess
import sys

SCRIPT = """
import io, sys
from yurd.estimation import estimate, read_counts
result = estimate(read_counts(io.StringIO("A,B,count\\n1,0,30\\n0,1,20\\n1,1,10\\n")), method="fixed")
# Lincoln-Petersen: 40 on A times 30 on B over 10 on both.
assert round(result.estimate, 6) == 120, result.estimate
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
assert not loaded, loaded
"""


def test_the_package_imports_and_estimates_without_django():
    completed = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False)  # noqa: S603
    assert completed.returncode == 0, completed.stderr
