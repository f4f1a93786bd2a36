"""Wire formats: one module per format, one registry, one converter.

:func:`get_format` finds a format by name, :func:`infer_format` by file suffix, and
:func:`register_format` plugs in a new one; :func:`libkurs.load` and friends go through them.
The typed dictionaries (:class:`ICSLoadOptions` …) type the options that :func:`libkurs.loads`
and the rest pass on to each built-in format.
"""

from libkurs.formats._options import (
    AnnouncementDumpOptions,
    AnnouncementLoadOptions,
    DumpOptions,
    ICSDumpOptions,
    ICSLoadOptions,
    JSONDumpOptions,
    JSONLDDumpOptions,
    JSONLoadOptions,
    LinkedEventsDumpOptions,
    LinkedEventsLoadOptions,
    LoadOptions,
)
from libkurs.formats._registry import Format, formats, get_format, infer_format, register_format

__all__ = [
    "AnnouncementDumpOptions",
    "AnnouncementLoadOptions",
    "DumpOptions",
    "Format",
    "ICSDumpOptions",
    "ICSLoadOptions",
    "JSONDumpOptions",
    "JSONLDDumpOptions",
    "JSONLoadOptions",
    "LinkedEventsDumpOptions",
    "LinkedEventsLoadOptions",
    "LoadOptions",
    "formats",
    "get_format",
    "infer_format",
    "register_format",
]
