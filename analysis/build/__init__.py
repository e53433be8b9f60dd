"""The build: papermill -> nbconvert -> checks -> atomic publish. The only writer of reports/.

A build plans every requested brief (`plan`), skips those whose inputs are unchanged (a content
hash over the notebook, parameters, the inputs the brief declares, the package's code and the
library versions), executes the rest with papermill on warm kernels (`kernels`, `execute`),
renders each to offline HTML (`render`), checks the result (`checks`) and only then replaces the
published file (`publish`); `status`, `index` and `pdf` follow. Nothing imports this package but
the command line.
"""

from analysis.build.exitcodes import BriefFailure, BuildError
from analysis.build.plan import Options
from analysis.build.runner import Result, run

__all__ = ["BriefFailure", "BuildError", "Options", "Result", "run"]
