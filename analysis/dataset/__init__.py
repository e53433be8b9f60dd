"""The data layer: schemas, strict CSV reading, typed tables, validation, releases, fingerprints.

Notebooks use `load_dataset` and `load_previous_release`; everything else here serves the build,
the validator and the curators' commands. Imports flow one way: paths -> dataset -> metrics -> present.
"""

from analysis.dataset.csvread import DataError
from analysis.dataset.releases import load_previous_release
from analysis.dataset.tables import Dataset, DatasetInfo, UndeclaredInput, load_dataset, split_ids

__all__ = ["DataError", "Dataset", "DatasetInfo", "UndeclaredInput", "load_dataset", "load_previous_release", "split_ids"]
