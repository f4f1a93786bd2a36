"""Wire formats: one module per format, one registry, one converter.

:func:`get_format` finds a format by name, :func:`infer_format` by file suffix, and
:func:`register_format` plugs in a new one; :func:`libkurs.load` and friends go through them.
"""

from libkurs.formats._registry import Format, formats, get_format, infer_format, register_format

__all__ = ["Format", "formats", "get_format", "infer_format", "register_format"]
