"""Each API's ``models`` holds state only: importing the backends loads no HTTP framework."""

from __future__ import annotations

import subprocess
import sys


def test_the_backends_import_no_http_framework() -> None:
    script = (
        "import sys\n"
        "import qualys_sdk.testing.oca.models\n"
        "import qualys_sdk.testing.csam.models\n"
        "import qualys_sdk.testing.activation_keys.models\n"
        "frameworks = {'starlette', 'uvicorn', 'multipart', 'python_multipart'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & frameworks))\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"
