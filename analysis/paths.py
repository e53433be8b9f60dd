"""Where things live. A leaf module: imports nothing from the package.

`ANALYSIS_DATA_DIR` and `ANALYSIS_REPORTS_DIR` override the defaults, so the same notebooks run on
fixture data in tests and on a copy of the data elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"


def data_dir() -> Path:
    """The data folder: `$ANALYSIS_DATA_DIR` or `data/` at the project root."""
    return Path(os.environ.get("ANALYSIS_DATA_DIR") or ROOT / "data").resolve()


def reports_dir() -> Path:
    """The output folder: `$ANALYSIS_REPORTS_DIR` or `reports/` at the project root."""
    return Path(os.environ.get("ANALYSIS_REPORTS_DIR") or ROOT / "reports").resolve()


def schemas_dir() -> Path:
    """The table schemas: always the project's own, whatever data folder is in use."""
    return ROOT / "data" / "schemas"
