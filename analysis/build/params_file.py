"""A --params file: a few NAME: VALUE lines of YAML, bounded and checked before any value is converted.

Each value is taken as the text written in the file (YAML would read `yes` as true and `2025-07-22` as
a date); the brief's rules then check it like a -p value.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from analysis.briefs import ParameterError, shown

#: A parameters file holds a few NAME: VALUE lines.
MAX_PARAMS_FILE = 64 * 1024


def load_params_file(path: Path) -> dict:
    """The NAME: VALUE mapping of a --params YAML file, each value as the text written there.

    Bounded before anything is converted: a regular file of at most MAX_PARAMS_FILE bytes, UTF-8,
    one flat mapping of plain values, no anchors or aliases (a "billion laughs" document is refused
    unread). Raises OSError when the file cannot be opened, ParameterError for anything else.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ParameterError(f"{path} is a folder; --params takes a YAML file of NAME: VALUE lines")
        if not stat.S_ISREG(st.st_mode):
            raise ParameterError(f"{path} is not a regular file (a device or a pipe); --params takes a YAML file of NAME: VALUE lines")
        data = os.read(fd, MAX_PARAMS_FILE + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_PARAMS_FILE:
        raise ParameterError(f"{path} is larger than {MAX_PARAMS_FILE // 1024} KiB; a parameters file holds a few NAME: VALUE lines")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not valid UTF-8 at byte {exc.start}; save it as UTF-8") from None
    return parse_params_yaml(text, str(path))


def parse_params_yaml(text: str, label: str) -> dict:
    """A flat YAML mapping NAME: VALUE into a dict of strings (see `load_params_file`)."""
    import yaml

    def where(mark) -> str:
        return f"{label}:{mark.line + 1}" if mark is not None else label

    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ParameterError(f"{where(event.start_mark)}: YAML anchors and aliases (& and *) are not accepted in a parameters file")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > 1:
                    raise ParameterError(f"{where(event.start_mark)}: expected NAME: VALUE with a plain value, got a nested list or mapping")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{label}: not valid YAML: {' '.join(str(exc).split())[:200]}") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ParameterError(f"{label}: expected a mapping of NAME: VALUE lines")
    out: dict[str, str] = {}
    for key, value in node.value:
        name = str(key.value)
        if name in out:
            raise ParameterError(f"{where(key.start_mark)}: {shown(name)} is given twice")
        out[name] = "" if value.tag == "tag:yaml.org,2002:null" else str(value.value)
    return out
